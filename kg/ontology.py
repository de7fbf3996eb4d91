"""The ontology file (``ontology/kg.ttl``) as data the rest of the code needs.

Relation signatures (which entity types may be subject and object of each property) come from
``rdfs:domain``/``rdfs:range`` there, so a change of the ontology changes what the extractor
accepts without a code change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS

from .lexicon import ontology_dir
from .vocab import KG, RELATIONS


def ontology_path() -> Path:
    return ontology_dir() / "kg.ttl"


@lru_cache(maxsize=4)
def load_ontology(path: Path | None = None) -> Graph:
    """The ontology graph, its blank nodes (owl:unionOf lists) named canonically, so that every
    build writes them with the same labels."""
    graph = Graph()
    graph.parse(path or ontology_path(), format="turtle")
    canonical = Graph()
    for prefix, ns in graph.namespaces():
        canonical.bind(prefix, ns)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def _class_names(graph: Graph, node) -> list[str]:
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        if members is not None:
            return [str(m).rsplit("#", 1)[-1] for m in Collection(graph, members)]
        return []
    return [str(node).rsplit("#", 1)[-1]]


def relation_signatures(graph: Graph | None = None) -> dict[str, dict]:
    """{relation: {"domain": [types], "range": [types], "symmetric": bool}} for the six relations."""
    graph = graph if graph is not None else load_ontology()
    out = {}
    for rel in RELATIONS:
        prop = KG[rel]
        domain = [t for d in graph.objects(prop, RDFS.domain) for t in _class_names(graph, d)]
        rng = [t for r in graph.objects(prop, RDFS.range) for t in _class_names(graph, r)]
        out[rel] = {
            "domain": domain,
            "range": rng,
            "symmetric": (prop, RDF.type, OWL.SymmetricProperty) in graph,
        }
    return out
