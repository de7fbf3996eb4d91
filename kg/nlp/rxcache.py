"""Compiled regular expressions kept between runs, for building the pipelines.

Building a pipeline compiles some 400 regular expressions (rules, discovery's patterns, the names'
cues, the model's trigger words): parsing and code generation in Python's ``re``, most of what
building a pipeline costs. ``compiled(entries)`` records, for each pattern compiled inside it, what
``re`` makes of it (the ``_sre`` code, group names: plain data, as ``re._compiler.compile`` passes it to
``_sre.compile``) and gives it back the next time without parsing: ``kg.extract.Extractor`` keeps
these entries in the start-up cache (``kg.startcache``, whose keys include Python's version).

The patterns are the same objects ``re.compile`` makes (equal to them: same code). Where Python's
``re`` is not laid out as expected (another version), or a pattern cannot be handled so, ``re`` compiles
it as usual.

``kept(name)`` does the same for what a block compiles whatever the settings (the module-level
patterns of kg's and spaCy's modules while they are imported: about 140, 0.06 s of a one-line
build), under one start-up cache entry per ``name``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

try:
    import _sre
    from re import _compiler, _parser

    _OK = all(hasattr(m, a) for m, a in ((_compiler, "_code"), (_parser, "parse"), (_sre, "compile"), (re, "_compile")))
except ImportError:  # pragma: no cover - another Python
    _OK = False

_SKIP = re.DEBUG | getattr(re, "TEMPLATE", 0)


def _entry(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``pattern``."""
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # plain ints (the opcodes are an int subclass, which marshal does not write)
    return int(flags | p.state.flags), [int(c) for c in code], int(p.state.groups - 1), groupindex, tuple(indexgroup)


def _restore(pattern: str, entry: tuple) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def entry(pattern: str, flags: int) -> tuple | None:
    """What to keep of ``pattern`` (None: ``re`` is not laid out as this module expects, or the
    pattern cannot be kept so)."""
    flags = int(flags)
    if not _OK or flags & _SKIP:
        return None
    try:
        return _entry(pattern, flags)
    except Exception:
        return None


def restore(pattern: str, entry: tuple) -> re.Pattern | None:
    """The pattern made from ``entry`` (None if that fails: compile it as usual)."""
    if not _OK:
        return None
    try:
        return _restore(pattern, entry)
    except Exception:
        return None


@contextmanager
def compiled(entries: dict):
    """Inside: ``re`` compiles a string pattern from ``entries`` ((pattern, flags) -> entry) when it
    is there. Yields a dict that collects the entries of the patterns compiled inside (found or new):
    what to keep for next time."""
    used: dict = {}
    if not _OK:
        yield used
        return
    real = re._compile
    made: dict = {}

    def _compile(pattern, flags):
        flags = int(flags)
        if type(pattern) is not str or flags & _SKIP:
            return real(pattern, flags)
        key = (pattern, flags)
        rx = made.get(key)
        if rx is not None:  # again inside (re.sub with a pattern string in a loop)
            return rx
        entry = entries.get(key)
        try:
            if entry is None:
                entry = _entry(pattern, flags)
            rx = _restore(pattern, entry)
        except re.error:
            raise
        except Exception:  # not what this module expects of re (or a damaged entry): compile as usual
            return real(pattern, flags)
        used[key] = entry
        made[key] = rx
        return rx

    re._compile = _compile
    try:
        yield used
    finally:
        re._compile = real


@contextmanager
def kept(name: str):
    """Inside: patterns compiled from the start-up cache entry ``name`` (keyed by kg's code and
    Python's version, ``kg.startcache.key``) where it has them; afterwards the entry holds what was
    compiled inside, written again only when that differs. A block that compiled nothing (its
    modules already imported) leaves the entry alone; with the cache off, patterns compile as usual."""
    from .. import startcache

    digest = startcache.key("regex-kept", name)
    entries = startcache.get("regex", digest)
    if not isinstance(entries, dict):
        entries = {}
    with compiled(entries) as used:
        yield
    if used and used.keys() != entries.keys():
        startcache.put("regex", digest, used)
