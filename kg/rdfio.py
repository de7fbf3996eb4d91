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


def parse_into(ds: Dataset, path: Path | str) -> None:
    path = Path(path)
    if not path.exists():
        raise GraphFileError(f"{path}: no such file")
    fmt = rdf_format(path)
    try:
        ds.parse(str(path), format=fmt)
    except Exception as err:  # rdflib's parsers raise many unrelated exception types
        msg = " ".join(str(err).split())
        line = re.search(r"line (\d+)", msg) or re.search(r"at line:?\s*(\d+)", msg)
        where = f":{line.group(1)}" if line else ""
        reason = re.sub(r"^.*?(?:Error|error)[:\s]*", "", msg)[:200] or type(err).__name__
        raise GraphFileError(f"{path}{where}: not valid {fmt}: {reason}") from err


def load_dataset(paths: list[Path | str]) -> Dataset:
    """Named graphs kept (TriG, N-Quads); triples of other syntaxes land in the default graph."""
    ds = Dataset()
    bind_prefixes(ds)
    for path in paths:
        parse_into(ds, path)
    return ds


def load_graph(paths: list[Path | str]) -> Graph:
    """All files as one graph (the union of every named graph and the default graph)."""
    ds = load_dataset(paths)
    union = Graph()
    bind_prefixes(union)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union
