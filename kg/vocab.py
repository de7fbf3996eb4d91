"""RDF vocabularies used by the graph, as rdflib ``DefinedNamespace`` classes.

The ontology itself is data (``ontology/kg.ttl``); these classes only give Python code
checked names for its terms, so a typo is an ``AttributeError`` instead of a silent new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/ai-kg/"


class KG(DefinedNamespace):
    """The project ontology (ontology/kg.ttl)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Person: URIRef
    Company: URIRef
    Model: URIRef
    Chip: URIRef
    Interview: URIRef
    Evidence: URIRef
    Occurrence: URIRef
    # relations
    relation: URIRef
    competesWith: URIRef
    investsIn: URIRef
    supplies: URIRef
    hedgesAgainst: URIRef
    develops: URIRef
    affiliatedWith: URIRef
    # evidence and bookkeeping
    document: URIRef
    entity: URIRef
    sentence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    rule: URIRef
    trigger: URIRef
    confidence: URIRef
    documentConfidence: URIRef
    assertionStatus: URIRef
    mentionCount: URIRef
    contentHash: URIRef
    extractedWith: URIRef
    fileName: URIRef
    sourcePath: URIRef
    language: URIRef
    contextLabel: URIRef
    wikidata: URIRef
    discovered: URIRef
    sector: URIRef


KGE = Namespace(BASE + "entity/")
"""Entity IRIs: ``kge:<lexicon id>``."""

KGD = Namespace(BASE + "doc/")
"""Interview IRIs (also the names of their named graphs): ``kgd:<content hash prefix>``."""

KGEV = Namespace(BASE + "evidence/")
"""Evidence and occurrence node IRIs (deterministic hashes)."""

WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = URIRef(BASE + "ontology")

ENTITY_TYPES = ("Person", "Company", "Model", "Chip")
RELATIONS = ("competesWith", "investsIn", "supplies", "hedgesAgainst", "develops", "affiliatedWith")
SYMMETRIC = frozenset({"competesWith"})

PREFIXES = {
    "kg": KG._NS,
    "kge": KGE,
    "kgd": KGD,
    "kgev": KGEV,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "skos": SKOS._NS,
    "owl": OWL._NS,
    "prov": PROV._NS,
    "xsd": XSD._NS,
    "dcterms": DCTERMS._NS,
    "wd": WD,
}
"""Prefixes bound in every graph we write and every query we run."""


def bind_prefixes(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
