"""Graph files for other tools: GraphML and GEXF via networkx, JSON-LD and N-Triples via rdflib.

GraphML and GEXF hold the entity graph the HTML view draws (``kg.graphview``): a node per
entity (IRI as id; label, type, names, aliases, Wikidata id, mention and interview counts) and
an edge per relation (kind, label, number of evidence sentences as ``evidence`` and ``weight``).
Entities found in text but not in the lexicon have ``discovered=true``.
A symmetric relation (competesWith) is one edge with ``directed=false`` (the files are directed
graphs: a mixed GEXF graph does not read back into networkx). GEXF nodes also carry the
view's colour and size (``viz:color``, ``viz:size``) for Gephi.
JSON-LD keeps every triple and the named graphs of a TriG input; N-Triples has every triple of
all graphs as one graph.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph

from ..graphview import GraphView, graph_view
from ..rdfio import load_dataset, load_graph
from ..vocab import PREFIXES

FORMATS = ("graphml", "gexf", "jsonld", "nt")


def to_networkx(view: GraphView) -> nx.MultiDiGraph:
    from .html import TYPE_STYLE, node_size

    g = nx.MultiDiGraph(name="AI industry knowledge graph")
    for e in view.entities.values():
        color = TYPE_STYLE[e.type]["color"].lstrip("#")
        g.add_node(
            e.id,
            label=e.label,
            type=e.type,
            label_en=e.label_en,
            label_zh=e.label_zh,
            aliases=" | ".join(n for n in e.all_names if n not in (e.label_en, e.label_zh)),
            wikidata=e.wikidata or "",
            discovered=e.discovered,
            mentions=e.mentions,
            interviews=len(e.interviews),
            viz={"color": {"r": int(color[0:2], 16), "g": int(color[2:4], 16), "b": int(color[4:6], 16), "a": 1.0},
                 "size": node_size(e)},
        )
    for r in view.relations:
        kind = view.kinds[r.kind]
        g.add_edge(
            r.source, r.target, key=r.kind,
            id=r.id,
            kind=r.kind,
            label=kind.label_en,
            directed=r.directed,
            evidence=len(r.evidence),
            interviews=len({ev.interview for ev in r.evidence if ev.interview}),
            weight=float(max(1, len(r.evidence))),
        )
    return g


def _without_viz(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    h = g.copy()
    for _, data in h.nodes(data=True):
        data.pop("viz", None)
    return h


def write_networkx(view: GraphView, fmt: str) -> bytes:
    g = to_networkx(view)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(_without_viz(g), buf, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    else:
        raise ValueError(f"not a networkx format: {fmt}")
    return buf.getvalue()


def write_rdf(graph: Graph | Dataset, fmt: str) -> bytes:
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2).encode("utf-8")
    if fmt == "nt":
        return graph.serialize(format="nt", encoding="utf-8")
    raise ValueError(f"not an RDF format: {fmt}")


def export_graph(paths: list[Path | str], fmt: str) -> bytes:
    """The graph files ``paths`` (read as one graph) in ``fmt`` (one of FORMATS), as bytes.
    Raises ``kg.rdfio.GraphFileError`` for a file that cannot be read."""
    if fmt in ("graphml", "gexf"):
        return write_networkx(graph_view(load_graph(paths)), fmt)
    if fmt == "jsonld":
        return write_rdf(load_dataset(paths), fmt)
    if fmt == "nt":
        return write_rdf(load_graph(paths), fmt)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
