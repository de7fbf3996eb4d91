"""The start-up cache: what kg would otherwise compute again at every start from the same data.

Entries are plain data in Python's ``marshal`` format (no code is ever loaded from them), one file
per entry, named by the SHA-256 of everything the value depends on (the bytes of the lexicon and
rule files, kg's source files and Python's version): a changed file gives a new key, so an entry is never
stale, only unused; the ``ENTRIES`` most recently used of each kind are kept. A damaged or
foreign file is ignored and written again, a cache that cannot be written is skipped: deleting
the folder at any time is safe.

The folder is ``startup/`` beside the analysis cache (``kg.analysis.load.cache_dir``), under
``$KG_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kg`` or ``~/.cache/kg``); ``KG_NO_CACHE=1`` turns both off.

What is kept (each where it is made): the finished lexicon (``kg.lexicon.Lexicon.load``: entities
and the index of surface forms) and, for a set of relation rules, the verdict that they compile
and the extraction fingerprint (``kg.extract.Extractor``); the regular expressions a pipeline
compiles, with the rules' literals and the trigger words' trie patterns
(``kg.extract._compiled_regexes``, ``kg.nlp.rxcache``, ``kg.nlp.tokenizer.kept_tries``); what a
pipeline works out of the lexicon and the rules (``kg.extract._kept_derived``: the index of the
lexicon's names, the names a misspelt word may stand for, the rules' trigger words, ...); the
tokenizer's Aho-Corasick automaton of the lexicon's names, as the plain data pyahocorasick pickles
it to, with a checksum (``kg.nlp.automaton.kept_automaton``); the ontology's quads
(``kg.graph.ontology_quads``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

from . import __version__

FORMAT = 1
"""Bump when what an entry holds changes shape: older entries are then simply not found."""

ENTRIES = 8
"""At most this many entries of each kind are kept; the least recently used go."""

reads: dict[str, int] = {}
"""Entries found, by kind, in this process (tests and benchmarks read it)."""


def cache_dir() -> Path | None:
    """The folder of the start-up cache, or None when ``KG_NO_CACHE`` is set."""
    if os.environ.get("KG_NO_CACHE"):
        return None
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "kg")
    return Path(base) / "startup"


_CODE: list[str] = []


def code_stamp() -> str:
    """The hash of kg's own source files: what is cached is computed by this code, so an entry
    made by other code (an edit in a checkout, another release) is never used."""
    if not _CODE:
        h = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            h.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + len(data).to_bytes(8, "little") + data)
        _CODE.append(h.hexdigest())
    return _CODE[0]


def key(kind: str, *parts: str | bytes) -> str:
    """The key of an entry of ``kind`` whose value depends on ``parts`` (and on kg's code and
    Python's version)."""
    h = hashlib.sha256()
    for part in (kind, f"v{FORMAT}", __version__, sys.version, code_stamp(), *parts):
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _file(kind: str, digest: str) -> Path | None:
    where = cache_dir()
    return None if where is None else where / f"{kind}-{digest[:40]}.marshal"


def get(kind: str, digest: str):
    """The value stored under ``digest``, or None (no cache, no entry, or a damaged one)."""
    path = _file(kind, digest)
    if path is None:
        return None
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("key") != digest or "value" not in data:
        return None  # written for another key (or by something else): not ours to trust
    try:
        os.utime(path)  # recently used
    except OSError:
        pass
    reads[kind] = reads.get(kind, 0) + 1
    return data["value"]


def put(kind: str, digest: str, value) -> None:
    """Store ``value`` (plain data: what ``marshal`` writes) under ``digest``; silently nothing if
    the cache is off or cannot be written."""
    path = _file(kind, digest)
    if path is None:
        return
    try:
        blob = marshal.dumps({"key": digest, "value": value})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
        _prune(path.parent, kind)
    except (OSError, ValueError):
        pass  # no cache: slower next time, nothing else


def _prune(where: Path, kind: str) -> None:
    entries = []
    for f in where.glob(f"{kind}-*.marshal"):
        try:
            entries.append((f.stat().st_mtime, f.name, f))
        except OSError:
            pass
    for *_, f in sorted(entries, reverse=True)[ENTRIES:]:
        try:
            f.unlink()
        except OSError:
            pass
