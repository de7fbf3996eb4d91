"""``kg push``: graph files -> an external SPARQL store, named graphs included.

Through the SPARQL 1.1 Graph Store HTTP Protocol (``PUT``/``POST URL?graph=IRI``; the URL is
the store's graph-store endpoint, e.g. Virtuoso's ``/sparql-graph-crud``, Fuseki's
``/DATASET/data``, Oxigraph's ``/store``), or through SPARQL 1.1 Update (``DROP SILENT GRAPH`` +
``INSERT DATA`` posted to the update endpoint, e.g. Virtuoso's ``/sparql``, Fuseki's
``/DATASET/update``, Oxigraph's ``/update``).

Each named graph of a TriG/N-Quads file goes to the graph of the same IRI and replaces it (its
first request replaces, the next ones add), so pushing again is harmless; triples outside named
graphs (a Turtle file) go to ``graph`` or the store's default graph.

The files are streamed (Oxigraph's parser), never loaded whole: triples wait in per-graph
batches of ``batch_size``, and when ``max_buffered`` are waiting the largest batch is sent, so
memory stays bounded whatever the file's size and order. Triples with a blank node are kept
until their graph's last request, all in that one request, so each blank node stays one node.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .endpoint import Endpoint, EndpointError
from .rdfio import GraphFileError, absolute_source
from .vocab import KG

PROTOCOLS = ("gsp", "update")
BATCH_TRIPLES = 20_000
NT = "application/n-triples"


@dataclass
class PushReport:
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI ('' = default graph) -> triples sent
    requests: int = 0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def rdf_format(path: Path) -> ox.RdfFormat:
    ext = path.suffix.lower().lstrip(".")
    ext = {"owl": "rdf", "xml": "rdf", "json": "jsonld"}.get(ext, ext)
    fmt = ox.RdfFormat.from_extension(ext) if ext else None
    if fmt is None:
        raise GraphFileError(f"{path}: unknown graph syntax (.{ext}); use .trig, .nq, .ttl, .nt, .rdf or .jsonld")
    return fmt


_SOURCE_PATH = ox.NamedNode(str(KG.sourcePath))


def iter_triples(paths: list[Path | str], graph: str | None = None) -> Iterator[tuple[str, ox.Triple]]:
    """(target graph IRI or '' for the default graph, triple) of each file, streamed."""
    for path in map(Path, paths):
        if not path.is_file():
            raise GraphFileError(f"{path}: no such file")
        fmt = rdf_format(path)
        try:
            for q in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
                name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                if not name and isinstance(q.graph_name, ox.BlankNode):
                    raise GraphFileError(f"{path}: a graph named by a blank node cannot be pushed")
                obj = q.object
                if q.predicate == _SOURCE_PATH and isinstance(obj, ox.Literal) and not os.path.isabs(obj.value):
                    obj = ox.Literal(absolute_source(obj.value, path.parent))  # as kg reads it: absolute
                yield (name or graph or ""), ox.Triple(q.subject, q.predicate, obj)
        except (SyntaxError, ValueError) as err:
            msg = " ".join(str(err).split())
            line = re.search(r"line (\d+)", msg)
            msg = re.sub(r"\s*\([^()]*, line \d+\)$", "", msg)  # the file and line are said first
            raise GraphFileError(f"{path}{':' + line.group(1) if line else ''}: not valid {fmt.name}: {msg[:200]}") from None
        except OSError as err:
            raise GraphFileError(f"{path}: cannot read: {err.strerror or err}") from None


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def push(paths: list[Path | str], endpoint: Endpoint, *, graph: str | None = None, protocol: str = "gsp",
         append: bool = False, batch_size: int = BATCH_TRIPLES, max_buffered: int | None = None,
         progress: Callable[[str, int], None] | None = None) -> PushReport:
    """Send graph files to the store at ``endpoint``. Each target graph is replaced unless
    ``append``. Raises ``EndpointError`` or ``kg.rdfio.GraphFileError`` (one line each)."""
    if protocol not in PROTOCOLS:
        raise EndpointError(f"unknown protocol {protocol!r}: use gsp or update")
    send = _gsp_send if protocol == "gsp" else _update_send
    max_buffered = max_buffered or 10 * batch_size
    report = PushReport()
    started: set[str] = set()  # graphs that had their first (replacing) request
    waiting: dict[str, list] = {}
    held: dict[str, list] = {}  # triples with blank nodes, per graph
    buffered = 0

    def flush(name: str, triples: list) -> None:
        replace = name not in started and not append
        try:
            send(endpoint, name, triples, replace)
        except EndpointError as err:
            where = f"graph <{name}>" if name else "the default graph: some stores keep none; give --graph IRI"
            raise EndpointError(f"{err} ({where})") from None
        started.add(name)
        report.requests += 1
        report.graphs[name] = report.graphs.get(name, 0) + len(triples)
        if progress:
            progress(name, len(triples))

    for name, triple in iter_triples(paths, graph):
        report.graphs.setdefault(name, 0)
        if _has_bnode(triple):
            held.setdefault(name, []).append(triple)
            continue
        batch = waiting.setdefault(name, [])
        batch.append(triple)
        buffered += 1
        if len(batch) >= batch_size:
            flush(name, waiting.pop(name))
            buffered -= len(batch)
        elif buffered >= max_buffered:
            largest = max(waiting, key=lambda k: len(waiting[k]))
            buffered -= len(waiting[largest])
            flush(largest, waiting.pop(largest))
    for name in list(report.graphs):
        rest = waiting.pop(name, []) + held.pop(name, [])
        if rest or name not in started:
            flush(name, rest)
    return report


def _gsp_url(base: str, graph: str) -> str:
    param = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return base + ("&" if "?" in base else "?") + param


def _ntriples(triples: list) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _gsp_send(endpoint: Endpoint, graph: str, triples: list, replace: bool) -> None:
    url = _gsp_url(endpoint.url, graph)
    if replace and not triples:
        # nothing to load: empty the store's graph (a store may refuse an empty PUT); absent is fine
        try:
            endpoint.request("DELETE", url)
        except EndpointError as err:
            if "HTTP 404" not in str(err):
                raise
        return
    endpoint.request("PUT" if replace else "POST", url, _ntriples(triples), {"Content-Type": f"{NT}; charset=utf-8"})


def _update_send(endpoint: Endpoint, graph: str, triples: list, replace: bool) -> None:
    data = _ntriples(triples).decode("utf-8")
    target = f"<{graph}>" if graph else "DEFAULT"
    parts = []
    if replace:
        parts.append(f"DROP SILENT GRAPH {target}" if graph else "CLEAR SILENT DEFAULT")
    if triples:
        block = f"GRAPH {target} {{\n{data}}}" if graph else data
        if any(_has_bnode(t) for t in triples):
            # a template, not INSERT DATA: some stores (Virtuoso) refuse blank nodes in DATA
            parts.append(f"INSERT {{ {block} }} WHERE {{}}")
        else:
            parts.append(f"INSERT DATA {{ {block} }}")
    if parts:
        body = urllib.parse.urlencode({"update": " ;\n".join(parts)}).encode("ascii")
        endpoint.request("POST", None, body, {"Content-Type": "application/x-www-form-urlencoded"})
