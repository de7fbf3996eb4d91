"""``import spacy`` without importing spaCy's command line.

spaCy's ``__init__`` imports ``spacy.cli`` for one name, ``spacy.info``, and ``spacy.cli`` imports
every command (download, init, debug, weasel's project commands, requests, ...): about a fifth of
``import spacy``, which kg never uses. ``import_spacy`` puts two stand-in modules, ``spacy.cli`` and
``spacy.cli.info``, in ``sys.modules`` while spaCy imports, so that ``from .cli.info import info`` finds
a small ``info`` that imports the real one when it is called, and takes them out again at once: after
it, ``spacy`` is whole (``spacy.info()`` works, ``import spacy.cli`` imports the real command line).

Only where spaCy's ``__init__`` reads as expected (it holds that import line); otherwise, or if the
import fails with the stand-ins in place (a spaCy whose other modules use ``spacy.cli``), spaCy is
imported as usual. ``KG_SPACY_FULL_IMPORT=1`` always imports it as usual.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types

_LINE = "from .cli.info import info"

# what the last call did: "lean", "full" (layout differs or switched off), "retried" (lean failed),
# "already" (spacy was imported before kg's first call)
how = ""


def info(*args, **kwargs):
    """spaCy's ``spacy.info``, imported on first call."""
    from spacy.cli.info import info as real

    return real(*args, **kwargs)


def _layout_ok() -> bool:
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.origin or not spec.submodule_search_locations:
        return False
    try:
        with open(spec.origin, encoding="utf-8") as f:
            source = f.read()
    except OSError:
        return False
    return any(line.split("#")[0].strip() == _LINE for line in source.splitlines())


def import_spacy():
    """Import spaCy (see the module's text) and return it."""
    global how
    if "spacy" in sys.modules:
        how = how or "already"  # a later call (every module that uses spaCy makes one) keeps the first one's word
        return sys.modules["spacy"]
    if os.environ.get("KG_SPACY_FULL_IMPORT") == "1" or not _layout_ok():
        how = "full"
        import spacy

        return spacy
    cli = types.ModuleType("spacy.cli", "kg's stand-in while spaCy imports (kg.nlp.spacy_import)")
    cli_info = types.ModuleType("spacy.cli.info", cli.__doc__)
    cli_info.info = info
    cli.info = cli_info
    stubs = {"spacy.cli": cli, "spacy.cli.info": cli_info}
    sys.modules.update(stubs)
    try:
        import spacy
    except Exception:
        # a spaCy laid out otherwise: forget what was half imported and import it as usual
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        how = "retried"
        import spacy

        return spacy
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli
    how = "lean"
    return spacy
