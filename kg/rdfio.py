"""Reading graph files of any common RDF syntax, with one-line errors naming file and line."""

from __future__ import annotations

import os
import re
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .vocab import bind_prefixes

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".n3": "n3"}


class GraphFileError(Exception):
    """``str(err)`` is one line: file, line (where the parser says), reason."""


def rdf_format(path: Path | str) -> str:
    return _FORMATS.get(Path(path).suffix.lower(), "turtle")


def check_graph_path(path: Path) -> None:
    """One line for a graph file that is missing or is a folder."""
    if not path.exists():
        raise GraphFileError(f"{path}: no such file")
    if path.is_dir():
        raise GraphFileError(f"{path}: is a folder, not a graph file")


def parse_into(ds: Dataset, path: Path | str, fast: bool = False) -> None:
    """Parse one file into ``ds``; ``fast`` uses Oxigraph's parsers (oxrdflib), which bulk-load
    straight into an Oxigraph-backed store."""
    path = Path(path)
    check_graph_path(path)
    fmt = rdf_format(path)
    try:
        if fast:
            ds.parse(str(path), format="ox-" + fmt, transactional=False)
        else:
            ds.parse(str(path), format=fmt)
    except Exception as err:  # rdflib's parsers raise many unrelated exception types
        raise syntax_error(path, fmt, err) from err
    absolute_sources(ds, path.parent)


def absolute_sources(ds: Dataset, folder: Path) -> None:
    """``kg:sourcePath`` values relative to ``folder`` (as ``kg build`` writes them, relative to
    the graph file's folder) made absolute, so that graphs read from different folders agree."""
    from rdflib import Literal

    from .vocab import KG

    relative = [(s, o, g) for s, _, o, g in ds.quads((None, KG.sourcePath, None, None))
                if isinstance(o, Literal) and not os.path.isabs(str(o))]
    for s, o, g in relative:
        ctx = ds.graph(g) if g is not None else ds.default_graph
        ctx.remove((s, KG.sourcePath, o))
        ctx.add((s, KG.sourcePath, Literal(absolute_source(str(o), folder))))


def absolute_source(value: str, folder: Path | str) -> str:
    """A ``kg:sourcePath`` written relative to ``folder`` (the graph file's), as an absolute path."""
    return Path(os.path.normpath(os.path.join(os.path.abspath(folder), value))).as_posix()


_OX_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nquads": "N_QUADS", "xml": "RDF_XML",
               "n3": "N3", "json-ld": "JSON_LD"}


def syntax_error(path: Path | str, fmt: str, err: BaseException) -> GraphFileError:
    """The one-line error for a graph file that does not parse: ``FILE:LINE: not valid FORMAT:
    reason (column C)``, whichever parser failed (every command that reads graph files, and the
    lexicon, says it this way). rdflib's parsers quote the raw input (Python bytes reprs) and
    often no line, so the file is read again by Oxigraph's parser, which names line and column;
    only if that one accepts the file is rdflib's own reason given, cleaned."""
    path = Path(path)
    located = err if type(err) is SyntaxError else _oxigraph_error(path, fmt)  # Oxigraph raises SyntaxError itself
    if located is not None:
        msg = " ".join(str(located.msg).split())
        line = getattr(located, "lineno", None)
        col = getattr(located, "offset", None)
        reason = re.sub(r"^(?:Parser error\s*)?(?:(?:at|between) line \d+(?: column \d+)?(?: (?:between columns|and line) [\d ]+(?:column \d+)?)?(?:and \d+)?:\s*)?",
                        "", msg)
        reason = re.sub(r"\s*\([^()]*, line \d+\)$", "", reason)  # the file and line are said first
        where = f":{line}" if line else ""
        at = f" (column {col})" if col else ""
        return GraphFileError(f"{path}{where}: not valid {fmt}: {_lower_first(reason)[:200]}{at}")
    msg = " ".join(str(err).split())
    msg = re.sub(r"""\s*in:\s*["']?b?['"].*$""", "", msg)  # rdflib's quote of the raw bytes
    col = None
    uri = re.match(r"(?:file|https?)://\S*?:(\d+):(\d+):\s*", msg)  # the XML parser's "URI:line:column: reason"
    if uri:
        line, col, reason = uri.group(1), uri.group(2), msg[uri.end():]
    else:
        found = re.search(r"line:? ?(\d+)", msg)
        line = found.group(1) if found else None
        reason = re.sub(r"^.*?(?:Error|error)[:\s]*", "", msg)
        reason = re.sub(r"^at line \d+ of <[^>]*>:\s*", "", reason)
    reason = reason[:200] or type(err).__name__
    at = f" (column {col})" if col else ""
    return GraphFileError(f"{path}{':' + line if line else ''}: not valid {fmt}: {_lower_first(reason)}{at}")


def _oxigraph_error(path: Path, fmt: str) -> SyntaxError | None:
    """Oxigraph's parse error for ``path`` (line and column), or None if it reads the file."""
    import pyoxigraph as ox

    name = _OX_FORMATS.get(fmt)
    if name is None or not hasattr(ox.RdfFormat, name):
        return None
    try:
        for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, name), base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as err:
        return err
    except Exception:
        return None
    return None


def _lower_first(text: str) -> str:
    word = text.split(" ", 1)[0]
    return text if len(word) > 1 and word.isupper() else text[:1].lower() + text[1:]


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


def write_dataset(ds: Dataset, path: Path | str, relative_to: Path | str | None = None) -> None:
    """Write ``ds`` atomically in the syntax of ``path``'s suffix: TriG and N-Quads keep the named
    graphs; any other syntax gets the union of all graphs. ``relative_to``: the folder the file
    will end up in, if written elsewhere first (TriG and Turtle write source paths relative to it)."""
    from .atomic import atomic_path
    from .export.rdf import write_trig, write_turtle

    path = Path(path)
    fmt = rdf_format(path)
    if fmt == "trig":
        return write_trig(ds, path, relative_to=relative_to)
    if fmt == "turtle":
        return write_turtle(ds, path, relative_to=relative_to)
    with atomic_path(path) as tmp:
        if fmt == "nquads":
            ds.serialize(destination=str(tmp), format=fmt)
        else:
            union = Graph()
            bind_prefixes(union)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                union.add((s, p, o))
            union.serialize(destination=str(tmp), format=fmt)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def ox_term(t):
    """An rdflib term as an Oxigraph term; None stays None."""
    import pyoxigraph as ox

    if t is None:
        return None
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


def rdflib_term(t, plain_strings: bool = False):
    """An Oxigraph term (a graph name, or a quoted triple as a tuple) as rdflib's; None stays None.
    A literal keeps its datatype, as oxrdflib converts it; with ``plain_strings`` an xsd:string
    literal is a plain one, as rdflib reads it from Turtle."""
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if plain_strings and dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))
    if isinstance(t, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    if isinstance(t, ox.Triple):
        return (rdflib_term(t.subject, plain_strings), rdflib_term(t.predicate, plain_strings),
                rdflib_term(t.object, plain_strings))
    raise TypeError(f"not an RDF term: {t!r}")
