"""Reading graph files of any common RDF syntax, with one-line errors naming file and line."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Dataset, Graph

from .vocab import bind_prefixes

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".n3": "n3"}


class GraphFileError(Exception):
    """``str(err)`` is one line: file, line (where the parser says), reason."""


def rdf_format(path: Path | str) -> str:
    return _FORMATS.get(Path(path).suffix.lower(), "turtle")


def parse_into(ds: Dataset, path: Path | str, fast: bool = False) -> None:
    """Parse one file into ``ds``; ``fast`` uses Oxigraph's parsers (oxrdflib), which bulk-load
    straight into an Oxigraph-backed store."""
    path = Path(path)
    if not path.exists():
        raise GraphFileError(f"{path}: no such file")
    fmt = rdf_format(path)
    try:
        if fast:
            ds.parse(str(path), format="ox-" + fmt, transactional=False)
        else:
            ds.parse(str(path), format=fmt)
    except Exception as err:  # rdflib's parsers raise many unrelated exception types
        msg = " ".join(str(err).split())
        line = re.search(r"line (\d+)", msg) or re.search(r"at line:?\s*(\d+)", msg)
        where = f":{line.group(1)}" if line else ""
        reason = re.sub(r"^.*?(?:Error|error)[:\s]*", "", msg)[:200] or type(err).__name__
        raise GraphFileError(f"{path}{where}: not valid {fmt}: {reason}") from err


def load_dataset(paths: list[Path | str], store: str = "default") -> Dataset:
    """Named graphs kept (TriG, N-Quads); triples of other syntaxes land in the default graph.

    ``store="Oxigraph"`` gives an Oxigraph-backed dataset (oxrdflib), loaded by Oxigraph's parsers."""
    ds = Dataset(store=store)
    bind_prefixes(ds)
    for path in paths:
        parse_into(ds, path, fast=store == "Oxigraph")
    return ds


def load_graph(paths: list[Path | str]) -> Graph:
    """All files as one graph (the union of every named graph and the default graph)."""
    ds = load_dataset(paths)
    union = Graph()
    bind_prefixes(union)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def write_dataset(ds: Dataset, path: Path | str) -> None:
    """Write ``ds`` atomically in the syntax of ``path``'s suffix: TriG and N-Quads keep the named
    graphs; any other syntax gets the union of all graphs."""
    from .atomic import atomic_path
    from .export.rdf import write_trig, write_turtle

    path = Path(path)
    fmt = rdf_format(path)
    if fmt == "trig":
        return write_trig(ds, path)
    if fmt == "turtle":
        return write_turtle(ds, path)
    with atomic_path(path) as tmp:
        if fmt == "nquads":
            ds.serialize(destination=str(tmp), format=fmt)
        else:
            union = Graph()
            bind_prefixes(union)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                union.add((s, p, o))
            union.serialize(destination=str(tmp), format=fmt)
