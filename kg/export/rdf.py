"""Turtle and TriG output, written atomically.

rdflib's serialisers spent most of a build's time (about 0.8 s of 2 s on a 1.4 MB corpus), so the
files are written by Oxigraph's (pyoxigraph, Rust): the quads are converted once, sorted so the
same graph always gives the same bytes, and serialised with our prefixes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..atomic import atomic_path
from ..vocab import KG, PREFIXES


def _term(t):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"not an RDF term: {t!r}")


def _graph_name(g):
    gid = getattr(g, "identifier", g)
    if gid is None or gid == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return _term(gid)


def _prefixes() -> dict[str, str]:
    return {name: str(ns) for name, ns in PREFIXES.items()}


def ox_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of ``ds`` as an Oxigraph quad; each distinct term is converted once."""
    cache: dict = {}

    def term(t):
        out = cache.get(t)
        if out is None:
            out = cache[t] = _term(t)
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
            try:
                rel = Path(os.path.relpath(q.object.value, folder)).as_posix()
            except ValueError:  # another drive (Windows): keep it absolute
                rel = q.object.value
            q = ox.Quad(q.subject, q.predicate, ox.Literal(rel), q.graph_name)
        out.append(q)
    return out


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
