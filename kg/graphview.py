"""RDF graph -> the view model the HTML page and the graphml/gexf exports draw.

Read-only over an rdflib graph. It works on what ``kg build`` writes (entities, relation triples,
``kg:Evidence`` and ``kg:Occurrence`` nodes), on merged graphs, and on plain graphs from other
tools: labelled entities and relation triples with no evidence, no counts, maybe no types.

- Entities: nodes typed ``kg:Person|Company|Model|Chip``, plus labelled nodes that take part in
  a relation (type ``Other``).
- Relations: the ontology's relations (``kg.vocab.RELATIONS``), properties declared
  ``rdfs:subPropertyOf kg:relation``, and any other property between two entities outside the
  bookkeeping vocabularies. A symmetric relation (``competesWith``, or any ``owl:SymmetricProperty``)
  is asserted both ways in RDF and is one undirected relation here, with the evidence of both.
- Evidence: every ``kg:Evidence`` node whose ``rdf:subject/predicate/object`` names a relation.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from .vocab import ENTITY_TYPES, KG, RELATIONS, SYMMETRIC, WD

OTHER = "Other"
"""The type of an entity that has none of the ontology's entity types."""

_NOT_RELATIONS = tuple(str(ns) for ns in (RDF._NS, RDFS._NS, OWL._NS, SKOS._NS, DCTERMS._NS, PROV._NS,
                                          XSD._NS, KG._NS, FOAF._NS, SDO._NS))
"""Namespaces whose properties are never drawn as relations (the ontology's own relations are
found by name, before this filter applies)."""

_NOT_ENTITIES = frozenset({OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                           OWL.AnnotationProperty, OWL.SymmetricProperty, OWL.TransitiveProperty,
                           RDF.Property, OWL.Ontology, KG.Interview, KG.Evidence, KG.Occurrence})
"""Types of the nodes that carry labels but are not things in the industry."""

_LABELS = (RDFS.label, SKOS.prefLabel)

_ONTOLOGY_RELATIONS = tuple(KG[r] for r in RELATIONS)


@dataclass(frozen=True)
class Interview:
    id: str  # IRI
    title: str
    date: str = ""  # ISO date or date and time, as the graph gives it
    source: str = ""  # URL
    file: str = ""


@dataclass(frozen=True)
class Evidence:
    sentence: str
    interview: str | None  # Interview.id
    subject: str  # entity IRIs: for a symmetric relation, the direction the sentence states
    object: str
    start: int | None = None
    end: int | None = None
    rule: str = ""
    trigger: str = ""
    confidence: float | None = None
    id: str = ""  # the kg:Evidence node's IRI (a hash of what it records)


@dataclass
class Entity:
    id: str  # IRI
    type: str  # one of ENTITY_TYPES, or OTHER
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, language tag) of each label
    aliases: list[str] = field(default_factory=list)  # other names (skos:altLabel), not in names
    wikidata: str | None = None  # Q-id
    mentions: int = 0  # mentions over all interviews (kg:Occurrence)
    interviews: set[str] = field(default_factory=set)  # Interview.id of each that names it
    discovered: bool = False  # found in text, not in the lexicon (kg:discovered, a provisional IRI)

    @property
    def label_en(self) -> str:
        return next((t for t, lang in self.names if not _is_zh(t, lang)), "")

    @property
    def label_zh(self) -> str:
        return next((t for t, lang in self.names if _is_zh(t, lang)), "")

    @property
    def label(self) -> str:
        """One line: the English name, or the Chinese one, or the IRI's last segment."""
        return self.label_en or self.label_zh or local_name(self.id)

    @property
    def all_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for text in [t for t, _ in self.names] + self.aliases:
            seen.setdefault(text, None)
        return list(seen)


@dataclass(frozen=True)
class Kind:
    """A kind of relation."""

    name: str  # "supplies" for the ontology's own, else a prefixed name or the IRI
    iri: str
    label_en: str
    label_zh: str = ""
    directed: bool = True


@dataclass
class Relation:
    id: str
    kind: str  # Kind.name
    source: str  # entity IRIs; for an undirected relation, in sorted order
    target: str
    directed: bool = True
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class GraphView:
    entities: dict[str, Entity]
    relations: list[Relation]
    interviews: dict[str, Interview]
    kinds: dict[str, Kind]  # display order: the ontology's relations first

    def type_counts(self) -> dict[str, int]:
        counts = {t: 0 for t in (*ENTITY_TYPES, OTHER)}
        for e in self.entities.values():
            counts[e.type] += 1
        return {t: n for t, n in counts.items() if n}

    def kind_counts(self) -> dict[str, int]:
        counts = {k: 0 for k in self.kinds}
        for r in self.relations:
            counts[r.kind] += 1
        return counts

    def restrict(self, types: list[str] | None = None, kinds: list[str] | None = None) -> GraphView:
        """Only entities of ``types`` and relations of ``kinds`` (between kept entities)."""
        entities = {k: e for k, e in self.entities.items() if types is None or e.type in types}
        relations = [r for r in self.relations if (kinds is None or r.kind in kinds)
                     and r.source in entities and r.target in entities]
        kept = {k: v for k, v in self.kinds.items() if kinds is None or k in kinds}
        return replace(self, entities=entities, relations=relations, kinds=kept)


def _is_zh(text: str, lang: str) -> bool:
    if lang:
        return lang.lower().startswith(("zh", "ja", "ko"))
    return bool(re.search(r"[\u3400-\u9fff]", text))


def local_name(iri: str) -> str:
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri


def _camel_words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def as_graph(graph: Graph | Dataset) -> Graph:
    """A graph over which ``triples`` sees everything: a Dataset's named graphs are unioned."""
    if isinstance(graph, Dataset):
        union = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return graph


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[URIRef, dict[str, str]]:
    """Labels of the ontology's relations, for graphs that do not carry the ontology. ``kg.ttl`` is
    read with Oxigraph's parser (rdflib's parsing and canonical naming of its blank nodes were a
    tenth of a one-line build's time, for two labels per relation); language tags as rdflib gives
    them for tags written conventionally (``kg.lexicon._tag_case``)."""
    try:
        import pyoxigraph as ox

        from .lexicon import _tag_case
        from .ontology import ontology_path

        path = ontology_path()
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except Exception:  # no ontology file where we look (or not Turtle): fall back to the names
        return {}
    label = str(RDFS.label)
    wanted = {str(KG[r]): KG[r] for r in RELATIONS}
    out: dict = {KG[r]: {} for r in RELATIONS}
    for t in triples:
        s, o = t.subject, t.object
        if t.predicate.value == label and isinstance(s, ox.NamedNode) and s.value in wanted and isinstance(o, ox.Literal):
            out[wanted[s.value]][_tag_case(o.language) if o.language else ""] = o.value
    return out


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _float(value) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _str(value) -> str:
    return str(value) if value is not None else ""


class _Reader:
    def __init__(self, graph: Graph):
        self.g = graph

    def one(self, s, p) -> object | None:
        """The smallest value (deterministic when a merged graph gives several)."""
        values = sorted(self.g.objects(s, p), key=str)
        return values[0] if values else None

    def interviews(self) -> dict[str, Interview]:
        out = {}
        for d in set(self.g.subjects(RDF.type, KG.Interview)):
            date = _str(self.one(d, DCTERMS.date))
            out[str(d)] = Interview(
                id=str(d),
                title=_str(self.one(d, DCTERMS.title)) or _str(self.one(d, KG.fileName)) or local_name(str(d)),
                date=date.replace("T", " ")[:16] if "T" in date else date,
                source=_str(self.one(d, DCTERMS.source)),
                file=_str(self.one(d, KG.fileName)),
            )
        return out

    def typed_entities(self) -> dict[URIRef, str]:
        types: dict[URIRef, str] = {}
        for t in reversed(ENTITY_TYPES):  # a node with two types gets the first in ENTITY_TYPES
            for s in self.g.subjects(RDF.type, KG[t]):
                if isinstance(s, URIRef):
                    types[s] = t
        return types

    def labelled(self) -> set[URIRef]:
        """Labelled nodes that may be entities (not schema terms, interviews or bookkeeping)."""
        out = set()
        for p in _LABELS:
            for s in self.g.subjects(p, None):
                if isinstance(s, URIRef) and not str(s).startswith(_NOT_RELATIONS):
                    out.add(s)
        return {s for s in out if not any(t in _NOT_ENTITIES for t in self.g.objects(s, RDF.type))}

    def kinds(self, entities: set[URIRef]) -> dict[URIRef, Kind]:
        ontology = list(_ONTOLOGY_RELATIONS)
        declared = sorted({p for p in self.g.subjects(RDFS.subPropertyOf, KG.relation)
                           if isinstance(p, URIRef) and p not in ontology}, key=str)
        other = set()
        for s, p, o in self.g:
            if (isinstance(o, URIRef) and s in entities and o in entities and p not in ontology
                    and p not in declared and not str(p).startswith(_NOT_RELATIONS)):
                other.add(p)
        preds = ontology + declared + sorted(other, key=str)
        out = {}
        for p in preds:
            if p not in ontology and (None, p, None) not in self.g:
                continue
            labels = {lit.language or "": str(lit) for lit in self.g.objects(p, RDFS.label)
                      if isinstance(lit, Literal)} or _ontology_labels().get(p, {})
            name = local_name(str(p)) if p in ontology else self._prefixed(p)
            out[p] = Kind(
                name=name, iri=str(p),
                label_en=labels.get("en") or labels.get("") or _camel_words(local_name(str(p))),
                label_zh=labels.get("zh", ""),
                directed=not (name in SYMMETRIC and p in ontology or (p, RDF.type, OWL.SymmetricProperty) in self.g),
            )
        return out

    def _prefixed(self, p: URIRef) -> str:
        try:
            return self.g.namespace_manager.normalizeUri(p).strip("<>")
        except Exception:
            return str(p)

    def entity(self, iri: URIRef, type_: str) -> Entity:
        names = [(str(lit), lit.language or "") for p in _LABELS for lit in self.g.objects(iri, p) if isinstance(lit, Literal)]
        aliases = [str(a) for a in self.g.objects(iri, SKOS.altLabel) if isinstance(a, Literal)]
        w = self.one(iri, KG.wikidata)
        discovered = any(isinstance(v, Literal) and v.toPython() is True for v in self.g.objects(iri, KG.discovered))
        return make_entity(str(iri), type_, names, aliases, [str(x) for x in self.g.objects(iri, OWL.sameAs)],
                           str(w) if w is not None else None, discovered)


def make_entity(iri: str, type_: str, names: list[tuple[str, str]], aliases: list[str], same_as: list[str],
                wikidata: str | None = None, discovered: bool = False) -> Entity:
    """An ``Entity`` from what the graph says of a node: its labels as (text, language tag), its
    ``skos:altLabel`` texts, its ``owl:sameAs`` targets, its ``kg:wikidata`` value (the smallest,
    if several) and whether it is ``kg:discovered``. Names are ordered English first, then
    Chinese, each in a stable order, whatever order they come in."""
    unique: dict[tuple[str, str], None] = {}
    for text, lang in sorted(names, key=lambda n: (n[1], n[0])):
        if text.strip():
            unique.setdefault((text.strip(), lang), None)
    ordered = sorted(unique, key=lambda n: (_is_zh(*n), n[1] != "en", n[1], n[0]))
    texts = {t for t, _ in ordered}
    alias_list = sorted({a.strip() for a in aliases if a.strip()} - texts, key=lambda a: (a.casefold(), a))
    qid = None
    for same in sorted(same_as):
        m = re.fullmatch(r"https?://www\.wikidata\.org/(?:entity|wiki)/(Q\d+)", same)
        if m:
            qid = m.group(1)
            break
    if qid is None and wikidata is not None:
        m = re.fullmatch(r"(?:.*/)?(Q\d+)", wikidata)
        qid = m.group(1) if m else None
    return Entity(id=iri, type=type_, names=ordered, aliases=alias_list, wikidata=qid, discovered=discovered)


def relation_id(kind: str, source: str, target: str) -> str:
    return "r" + hashlib.sha1(f"{kind}\x1f{source}\x1f{target}".encode()).hexdigest()[:12]


def graph_view(graph: Graph | Dataset) -> GraphView:
    """The view model of ``graph`` (a Dataset's named graphs are read as one graph)."""
    g = as_graph(graph)
    r = _Reader(g)
    typed = r.typed_entities()
    candidates = set(typed) | r.labelled()
    kinds = r.kinds(candidates)

    # relation triples: both ends must be entities (typed, labelled, or ends of an ontology relation)
    pairs: dict[tuple[str, str, str], None] = {}
    ends: set[URIRef] = set()
    for p, kind in kinds.items():
        ours = p in _ONTOLOGY_RELATIONS
        for s, o in g.subject_objects(p):
            if not (isinstance(s, URIRef) and isinstance(o, URIRef)) or s == o:
                continue
            if not ours and not (s in candidates and o in candidates):
                continue
            a, b = (str(s), str(o)) if kind.directed else tuple(sorted((str(s), str(o))))
            pairs.setdefault((kind.name, a, b), None)
            ends.update((s, o))

    entities: dict[str, Entity] = {}
    for iri in sorted(set(typed) | ends, key=str):
        entities[str(iri)] = r.entity(iri, typed.get(iri, OTHER))

    by_name = {k.name: k for k in kinds.values()}
    by_iri = {k.iri: k for k in kinds.values()}
    relations: dict[tuple[str, str, str], Relation] = {
        key: Relation(id=relation_id(*key), kind=key[0], source=key[1], target=key[2],
                      directed=by_name[key[0]].directed)
        for key in pairs
    }

    interviews = r.interviews()
    for ev in set(g.subjects(RDF.type, KG.Evidence)):
        s, p, o = r.one(ev, RDF.subject), r.one(ev, RDF.predicate), r.one(ev, RDF.object)
        kind = by_iri.get(str(p))
        if kind is None or s is None or o is None:
            continue
        a, b = (str(s), str(o)) if kind.directed else tuple(sorted((str(s), str(o))))
        rel = relations.get((kind.name, a, b))
        if rel is None:  # evidence of a triple the graph does not assert
            continue
        doc = r.one(ev, KG.document)
        rel.evidence.append(Evidence(
            sentence=_str(r.one(ev, KG.sentence)),
            interview=str(doc) if doc is not None else None,
            subject=str(s), object=str(o),
            start=_int(r.one(ev, KG.startOffset)), end=_int(r.one(ev, KG.endOffset)),
            rule=_str(r.one(ev, KG.rule)), trigger=_str(r.one(ev, KG.trigger)),
            confidence=_float(r.one(ev, KG.confidence)), id=str(ev),
        ))
        for end in (a, b):
            if doc is not None and end in entities:
                entities[end].interviews.add(str(doc))

    for occ in set(g.subjects(RDF.type, KG.Occurrence)):
        ent, doc = r.one(occ, KG.entity), r.one(occ, KG.document)
        if ent is None or str(ent) not in entities:
            continue
        entities[str(ent)].mentions += _int(r.one(occ, KG.mentionCount)) or 0
        if doc is not None:
            entities[str(ent)].interviews.add(str(doc))

    return assemble(entities, list(relations.values()), interviews, kinds)


def assemble(entities: dict, relations: list, interviews: dict, kinds: dict) -> GraphView:
    """The view from its parts, whichever reader found them: relations ordered by kind and labels,
    each one's evidence by interview date, title and offset; only the kinds in use."""
    def ev_order(e: Evidence):
        iv = interviews.get(e.interview or "")
        return (iv.date if iv else "", iv.title if iv else "", e.interview or "", e.start or 0, e.sentence)

    order = {k.name: i for i, k in enumerate(kinds.values())}
    rel_list = sorted(relations, key=lambda x: (order[x.kind], entities[x.source].label.casefold(),
                                                entities[x.target].label.casefold(), x.source, x.target))
    for rel in rel_list:
        rel.evidence.sort(key=ev_order)
    used = {rel.kind for rel in rel_list}
    return GraphView(entities=entities, relations=rel_list, interviews=interviews,
                     kinds={k.name: k for k in kinds.values() if k.name in used})


__all__ = ["OTHER", "Entity", "Evidence", "GraphView", "Interview", "Kind", "Relation", "as_graph",
           "graph_view", "local_name", "make_entity", "relation_id"]
