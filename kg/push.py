"""``kg push``: graph files -> an external SPARQL store, named graphs included.

Through the SPARQL 1.1 Graph Store HTTP Protocol (``PUT``/``POST URL?graph=IRI``; the URL is
the store's graph-store endpoint, e.g. Virtuoso's ``/sparql-graph-crud``, Fuseki's
``/DATASET/data``, Oxigraph's ``/store``), or through SPARQL 1.1 Update (``DROP SILENT GRAPH`` +
``INSERT DATA`` posted to the update endpoint, e.g. Virtuoso's ``/sparql``, Fuseki's
``/DATASET/update``, Oxigraph's ``/update``).

Each named graph of a TriG/N-Quads file goes to the graph of the same IRI and replaces it, so
pushing again is harmless; triples outside named graphs (a Turtle file) go to ``graph`` or the
store's default graph. Large graphs go in batches (the first replaces, the next add); triples
with blank nodes travel together in the first batch, so each blank node stays one node.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .endpoint import Endpoint, EndpointError
from .rdfio import load_dataset

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


def _ox(t):
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
    raise EndpointError(f"cannot send {t!r}: not an RDF term")


def _ntriples(triples: list) -> bytes:
    return ox.serialize([ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples], format=ox.RdfFormat.N_TRIPLES)


def graphs_of(paths: list[Path | str], graph: str | None = None) -> dict[str, list]:
    """Triples of graph files by target graph IRI ('' for the default graph), in a stable order.
    Triples outside named graphs go to ``graph`` if given."""
    ds = load_dataset(paths)
    out: dict[str, list] = {}
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        gid = getattr(ctx, "identifier", ctx)
        name = "" if gid is None or gid == DATASET_DEFAULT_GRAPH_ID else str(gid)
        if not name and graph:
            name = graph
        out.setdefault(name, []).append((s, p, o))
    return dict(sorted(out.items()))


def batches(triples: list, size: int = BATCH_TRIPLES) -> Iterator[list]:
    """Batches of at most ``size`` triples, except that all triples with a blank node come first
    and together (a blank node is local to one request)."""
    with_bnodes = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    rest = [t for t in triples if not (isinstance(t[0], BNode) or isinstance(t[2], BNode))]
    rest.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    first = size - len(with_bnodes) if len(with_bnodes) < size else 0
    yield with_bnodes + rest[:first]
    for i in range(first, len(rest), size):
        yield rest[i:i + size]


def push(paths: list[Path | str], endpoint: Endpoint, *, graph: str | None = None, protocol: str = "gsp",
         append: bool = False, batch_size: int = BATCH_TRIPLES,
         progress: Callable[[str, int], None] | None = None) -> PushReport:
    """Send graph files to the store at ``endpoint``. Each target graph is replaced (cleared,
    then loaded) unless ``append``. Raises ``EndpointError`` (or ``kg.rdfio.GraphFileError``)."""
    if protocol not in PROTOCOLS:
        raise EndpointError(f"unknown protocol {protocol!r}: use gsp or update")
    report = PushReport()
    for name, triples in graphs_of(paths, graph).items():
        for i, batch in enumerate(batches(triples, batch_size)):
            if not batch and (i > 0 or append):
                continue
            replace = i == 0 and not append
            try:
                if protocol == "gsp":
                    _gsp_send(endpoint, name, batch, replace)
                else:
                    _update_send(endpoint, name, batch, replace)
            except EndpointError as err:
                if name:
                    raise EndpointError(f"{err} (graph <{name}>)") from None
                raise EndpointError(f"{err} (the default graph: some stores keep none; give --graph IRI)") from None
            report.requests += 1
            report.graphs[name] = report.graphs.get(name, 0) + len(batch)
            if progress:
                progress(name, len(batch))
    return report


def _gsp_url(base: str, graph: str) -> str:
    param = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return base + ("&" if "?" in base else "?") + param


def _gsp_send(endpoint: Endpoint, graph: str, triples: list, replace: bool) -> None:
    url = _gsp_url(endpoint.url, graph)
    body = _ntriples(triples)
    if replace and not triples:
        # an empty graph: delete it (a store may refuse an empty PUT); absent is fine
        try:
            endpoint.request("DELETE", url)
        except EndpointError as err:
            if "HTTP 404" not in str(err):
                raise
        return
    endpoint.request("PUT" if replace else "POST", url, body, {"Content-Type": f"{NT}; charset=utf-8"})


def _update_send(endpoint: Endpoint, graph: str, triples: list, replace: bool) -> None:
    data = _ntriples(triples).decode("utf-8")
    target = f"<{graph}>" if graph else "DEFAULT"
    parts = []
    if replace:
        parts.append(f"DROP SILENT GRAPH {target}" if graph else "CLEAR SILENT DEFAULT")
    if triples:
        block = f"GRAPH {target} {{\n{data}}}" if graph else data
        if any(isinstance(t[0], BNode) or isinstance(t[2], BNode) for t in triples):
            # a template, not INSERT DATA: some stores (Virtuoso) refuse blank nodes in DATA
            parts.append(f"INSERT {{ {block} }} WHERE {{}}")
        else:
            parts.append(f"INSERT DATA {{ {block} }}")
    if not parts:
        return
    body = urllib.parse.urlencode({"update": " ;\n".join(parts)}).encode("ascii")
    endpoint.request("POST", None, body, {"Content-Type": "application/x-www-form-urlencoded"})
