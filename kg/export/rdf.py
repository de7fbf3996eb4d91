"""Turtle and TriG output, written atomically.

rdflib's serialisers spent most of a build's time (about 0.8 s of 2 s on a 1.4 MB corpus), so the
files are written by Oxigraph's (pyoxigraph, Rust): the quads are converted once, sorted so the
same graph always gives the same bytes, and serialised with our prefixes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..atomic import atomic_path
from ..rdfio import ox_term  # noqa: F401  (also imported from here by kg.graph and kg.merge)
from ..vocab import KG, KGEV, PREFIXES


def _graph_name(g):
    gid = getattr(g, "identifier", g)
    if gid is None or gid == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return ox_term(gid)


def _prefixes() -> dict[str, str]:
    return {name: str(ns) for name, ns in PREFIXES.items()}


def ox_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of ``ds`` as an Oxigraph quad; each distinct term is converted once."""
    cache: dict = {}

    def term(t):
        out = cache.get(t)
        if out is None:
            out = cache[t] = ox_term(t)
        return out

    graphs: dict = {}
    out = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        name = graphs.get(gid)
        if name is None:
            name = graphs[gid] = _graph_name(g)
        out.append(ox.Quad(term(s), term(p), term(o), name))
    return out


_SOURCE_PATH = ox.NamedNode(str(KG.sourcePath))


def portable_sources(quads: list[ox.Quad], folder: Path | str) -> list[ox.Quad]:
    """``kg:sourcePath`` (an absolute path in memory) made relative to ``folder``, where the file
    is written: a graph file and its interviews can move together (a checkout on another machine)
    and the same build writes the same bytes anywhere. ``kg.rdfio`` reads it back as absolute."""
    folder = os.path.abspath(folder)
    out = []
    for q in quads:
        if q.predicate == _SOURCE_PATH and isinstance(q.object, ox.Literal) and os.path.isabs(q.object.value):
            q = ox.Quad(q.subject, q.predicate, ox.Literal(portable_path(q.object.value, folder)), q.graph_name)
        out.append(q)
    return out


def portable_path(path: str, folder: Path | str) -> str:
    """An absolute ``kg:sourcePath`` as written in a graph file in ``folder`` (``portable_sources``)."""
    if not os.path.isabs(path):
        return path
    try:
        return Path(os.path.relpath(path, os.path.abspath(folder))).as_posix()
    except ValueError:  # another drive (Windows): keep it absolute
        return path


def write_trig(ds: Dataset, path: Path | str, quads: list[ox.Quad] | None = None,
               relative_to: Path | str | None = None) -> None:
    """``quads``: ``ox_quads(ds)`` if the caller has it already. ``relative_to``: the folder the
    file will be in, if it is written elsewhere first (source paths are written relative to it)."""
    quads = portable_sources(ox_quads(ds) if quads is None else quads, relative_to or Path(path).parent)
    quads.sort(key=lambda q: (str(q.graph_name), str(q)))  # one block per named graph
    with atomic_path(path) as tmp:
        ox.serialize(quads, str(tmp), format=ox.RdfFormat.TRIG, prefixes=_prefixes())


def write_turtle(ds: Dataset, path: Path | str, quads: list[ox.Quad] | None = None,
                 relative_to: Path | str | None = None) -> None:
    """The union of all graphs (each triple once). ``quads``: ``ox_quads(ds)`` if the caller has
    it. ``relative_to``: as for ``write_trig``."""
    quads = ox_quads(ds) if quads is None else quads
    triples = {q.triple for q in portable_sources(quads, relative_to or Path(path).parent)}
    with atomic_path(path) as tmp:
        ox.serialize(sorted(triples, key=str), str(tmp), format=ox.RdfFormat.TURTLE, prefixes=_prefixes())


# ---------------------------------------------------------------- written as it comes, one graph at a time

_KGEV = str(KGEV)


def _header() -> bytes:
    """The prefix lines Oxigraph writes before the first triple (the same for TriG and Turtle)."""
    one = ox.serialize([ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("z"))],
                       format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    return one[:one.index(b"\n", one.rindex(b"@prefix ")) + 1]


_HEAD: bytes | None = None


def _body(data: bytes) -> bytes:
    global _HEAD
    if _HEAD is None:
        _HEAD = _header()
    if not data.startswith(_HEAD):
        raise RuntimeError("Oxigraph wrote an unexpected prefix block")  # a pyoxigraph that writes otherwise
    return data[len(_HEAD):]


_BLOCK = re.compile(rb"\n(?=[^\t])")


def _subject_blocks(triples: list) -> list[bytes]:
    """Turtle of ``triples`` (sorted by ``str``, so grouped by subject), one block per subject."""
    body = _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()))
    parts = _BLOCK.split(body)
    return [p + b"\n" for p in parts[:-1]] + parts[-1:]


class GraphWriter:
    """TriG and Turtle of a dataset given one named graph at a time (``add``): the same bytes
    ``write_trig`` and ``write_turtle`` write for the dataset of all of them, without holding
    its quads or sorting them all by ``str``.

    Each graph is sorted on its own and written to TriG at once (kept as bytes); the Turtle of
    the nodes only that graph describes (the interview, its evidence and occurrence nodes: IRIs
    under ``kgd:``/``kgev:`` whose graph is their interview's) too, one block per node. The
    triples of shared nodes (entities, the ontology) are kept, each once, and written at the
    end; a file is then the blocks in the order a global sort would give. The blocks wait in a
    temporary file, not in memory (``close`` removes it). ``kg:sourcePath``
    values must already be as written (``portable_sources``). Adding a graph of a name already
    added replaces it (the same interview extracted again)."""

    def __init__(self):
        import tempfile

        self._spool = tempfile.TemporaryFile(prefix="kg-write-")  # the blocks, until the files are written
        self._end = 0
        self._trig: dict[str, tuple[int, int]] = {}  # str(graph name) -> its TriG block in the spool
        self._private: dict[str, dict[str, tuple[int, int]]] = {}  # str(graph name) -> {str(subject): Turtle block}
        self._shared: set = set()  # triples of nodes described in several graphs
        self._count: dict[str, int] = {}

    def _put(self, data: bytes) -> tuple[int, int]:
        self._spool.write(data)
        at = self._end
        self._end += len(data)
        return at, len(data)

    def _get(self, where: tuple[int, int]) -> bytes:
        return os.pread(self._spool.fileno(), where[1], where[0])

    def close(self) -> None:
        self._spool.close()

    def add(self, graph_name, quads, distinct: bool = False) -> None:
        """``quads``: the graph's, all of them; ``distinct``: the caller knows none is there twice."""
        key = str(graph_name)
        quads = sorted(quads if distinct else set(quads), key=str)
        self._count[key] = len(quads)
        self._trig[key] = self._put(_body(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes())) if quads else b"")
        own = graph_name.value if isinstance(graph_name, ox.NamedNode) else None
        private, subjects = [], []
        last, mine = None, False
        for q in quads:  # sorted: each subject's quads together
            s = q.subject
            if s != last:
                last = s
                mine = isinstance(s, ox.NamedNode) and (s.value == own or s.value.startswith(_KGEV))
                if mine:
                    subjects.append(s)
            if mine:
                private.append(q.triple)
            else:
                self._shared.add(q.triple)
        blocks = _subject_blocks(private) if private else []
        if len(blocks) != len(subjects):
            raise RuntimeError("Oxigraph's Turtle did not split into one block per subject")
        self._private[key] = {str(s): self._put(b) for s, b in zip(subjects, blocks)}

    def __len__(self) -> int:
        """Quads held (as a dataset's ``len``: each graph's quads)."""
        return sum(self._count.values())

    def write(self, trig: Path | str | None, turtle: Path | str | None) -> None:
        """Write the files (atomically, each in place of ``path``); None: not that one."""
        self._spool.flush()
        if trig is not None:
            with atomic_path(trig) as tmp, open(tmp, "wb") as fh:
                if any(n for _, n in self._trig.values()):
                    fh.write(_HEAD or _header())
                for key in sorted(self._trig):
                    fh.write(self._get(self._trig[key]))
        if turtle is not None:
            private: dict[str, list[tuple[int, int]]] = {}
            for own in self._private.values():
                for k, b in own.items():
                    private.setdefault(k, []).append(b)
            shared = set(self._shared)
            shared_keys = {str(t.subject) for t in shared}
            for k in [k for k, bs in private.items() if len(bs) > 1 or k in shared_keys]:
                # a node described in several graphs after all (e.g. a Turtle file's default graph and
                # a named graph): its triples read back and written once, with the shared ones
                for b in private.pop(k):
                    shared.update(q.triple for q in ox.parse(_HEAD + self._get(b), format=ox.RdfFormat.TURTLE))
            shared = sorted(shared, key=str)
            shared_subjects: list[str] = []
            for t in shared:
                k = str(t.subject)
                if not shared_subjects or shared_subjects[-1] != k:
                    shared_subjects.append(k)
            blocks = dict(zip(shared_subjects, _subject_blocks(shared) if shared else []))
            del shared
            blocks.update((k, bs[0]) for k, bs in private.items())
            with atomic_path(turtle) as tmp, open(tmp, "wb") as fh:
                if blocks:
                    fh.write(_HEAD or _header())
                for key in sorted(blocks):
                    block = blocks[key]
                    fh.write(block if isinstance(block, bytes) else self._get(block))
