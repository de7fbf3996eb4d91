"""The view model (``kg.graphview.GraphView``) of a graph, gathered from its quads as they are
written, one named graph at a time: what ``kg build`` and ``kg merge`` draw in ``kg.html`` and
put in the analysis cache, without reading the graph they wrote back.

``ViewBuilder`` gives the model ``kg.analysis.load.read_view`` reads from the written file (the
same entities, names, relations, evidence, interviews, counts; tests compare them). It keeps only
what the model needs: per entity its types and names, per relation its pairs, per evidence node
its few values, per interview its title, date, source and file, per occurrence its counts.

It covers the graphs kg writes: the ontology's relations between entities. A graph with other
relation properties (a property between two nodes outside the bookkeeping vocabularies, or a
declared ``rdfs:subPropertyOf kg:relation``) is ``general``: its model needs the whole graph
(``read_view``), and the caller reads the file instead.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..graphview import (_NOT_RELATIONS, _ONTOLOGY_RELATIONS, OTHER, Evidence, GraphView, Interview, Kind, Relation,
                         _camel_words, _ontology_labels, assemble, local_name, make_entity, relation_id)
from ..vocab import ENTITY_TYPES, KG, SYMMETRIC

_RDF_TYPE = str(RDF.type)
_TYPES = {str(KG[t]): t for t in ENTITY_TYPES}
_NAMES = {str(RDFS.label), str(SKOS.prefLabel)}
_ALT = str(SKOS.altLabel)
_SAME = str(OWL.sameAs)
_WIKIDATA = str(KG.wikidata)
_DISCOVERED = str(KG.discovered)
_ONTOLOGY = [str(p) for p in _ONTOLOGY_RELATIONS]
_ONTOLOGY_SET = frozenset(_ONTOLOGY)
_EVIDENCE, _OCCURRENCE, _INTERVIEW = str(KG.Evidence), str(KG.Occurrence), str(KG.Interview)
_SYMMETRIC_PROPERTY = str(OWL.SymmetricProperty)
_SUBPROPERTY, _RELATION = str(RDFS.subPropertyOf), str(KG.relation)
_WD = re.compile(r"^https?://www[.]wikidata[.]org/")
_EV_FIELDS = {str(RDF.subject): 0, str(RDF.predicate): 1, str(RDF.object): 2, str(KG.document): 3,
              str(KG.sentence): 4, str(KG.startOffset): 5, str(KG.endOffset): 6, str(KG.rule): 7,
              str(KG.trigger): 8, str(KG.confidence): 9}
_IV_FIELDS = {str(DCTERMS.title): 0, str(DCTERMS.date): 1, str(DCTERMS.source): 2, str(KG.fileName): 3}
_OCC_ENTITY, _OCC_DOC, _OCC_COUNT = str(KG.entity), str(KG.document), str(KG.mentionCount)
_BOOL_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


(_C_TYPE, _C_REL, _C_EV, _C_IV, _C_OCC_ENTITY, _C_OCC_COUNT, _C_NAME, _C_ALT, _C_SAME, _C_WIKIDATA, _C_DISCOVERED,
 _C_SUBPROPERTY) = range(12)
_CODES = {ox.NamedNode(_RDF_TYPE): _C_TYPE, **{ox.NamedNode(p): _C_REL for p in _ONTOLOGY},
          **{ox.NamedNode(p): _C_EV for p in _EV_FIELDS}, **{ox.NamedNode(p): _C_IV for p in _IV_FIELDS},
          ox.NamedNode(_OCC_ENTITY): _C_OCC_ENTITY, ox.NamedNode(_OCC_COUNT): _C_OCC_COUNT,
          **{ox.NamedNode(p): _C_NAME for p in _NAMES}, ox.NamedNode(_ALT): _C_ALT, ox.NamedNode(_SAME): _C_SAME,
          ox.NamedNode(_WIKIDATA): _C_WIKIDATA, ox.NamedNode(_DISCOVERED): _C_DISCOVERED,
          ox.NamedNode(_SUBPROPERTY): _C_SUBPROPERTY}
"""What ``ViewBuilder.add`` does with a triple, by its property."""


def _smaller(have, value):
    return value if have is None or value < have else have


class ViewBuilder:
    """Feed it quads (``add``), any number of graphs, any order; ``view()`` gives the model."""

    def __init__(self):
        self.types: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, set] = defaultdict(set)
        self.aliases: dict[str, set] = defaultdict(set)
        self.same: dict[str, set] = defaultdict(set)
        self.wikidata: dict[str, str] = {}
        self.discovered: set[str] = set()
        self.pairs: dict[str, set] = defaultdict(set)  # ontology relation IRI -> {(s, o)}
        self.evidence: dict[str, list] = {}  # node -> smallest value of each _EV_FIELDS
        self.evidence_nodes: set[str] = set()  # typed kg:Evidence
        self.interviews: dict[str, list] = {}  # node -> smallest title, date, source, file
        self.interview_nodes: set[str] = set()
        self.occurrences: dict[str, list] = {}  # node -> [entities, counts]
        self.occurrence_nodes: set[str] = set()
        self.documents: dict[str, str | set] = {}  # node -> its kg:document (a set if several)
        self.symmetric: set[str] = set()
        self.general = False  # relations the model cannot be gathered for: read the file

    def add(self, quads) -> None:
        """Every step is idempotent: a triple held by several graphs counts once, as in their union."""
        code_of = _CODES
        for q in quads:
            p = q.predicate
            code = code_of.get(p)
            if code is None:  # a property of no interest, unless it may be a relation of another vocabulary
                if not self.general and type(q.subject) is ox.NamedNode and type(q.object) is ox.NamedNode \
                        and not p.value.startswith(_NOT_RELATIONS):
                    self.general = True
                continue
            o = q.object
            if code == _C_EV:
                sv = q.subject.value
                pv = p.value
                row = self.evidence.get(sv)
                if row is None:
                    row = self.evidence[sv] = [None] * 10
                i = _EV_FIELDS[pv]
                row[i] = _smaller(row[i], o.value)
                if pv == _OCC_DOC:
                    have = self.documents.get(sv)
                    if have is None:
                        self.documents[sv] = o.value
                    elif isinstance(have, set):
                        have.add(o.value)
                    elif have != o.value:
                        self.documents[sv] = {have, o.value}
                continue
            s = q.subject
            sv = s.value
            s_iri = type(s) is ox.NamedNode
            o_iri = type(o) is ox.NamedNode
            if code == _C_TYPE:
                if not o_iri:
                    continue
                ov = o.value
                t = _TYPES.get(ov)
                if t is not None and s_iri:
                    self.types[sv].add(t)
                elif ov == _EVIDENCE:
                    self.evidence_nodes.add(sv)
                elif ov == _INTERVIEW:
                    self.interview_nodes.add(sv)
                elif ov == _OCCURRENCE:
                    self.occurrence_nodes.add(sv)
                elif ov == _SYMMETRIC_PROPERTY:
                    self.symmetric.add(sv)
            elif code == _C_REL:
                self.pairs[p.value].add((s, o))
            elif code == _C_IV:
                row = self.interviews.get(sv)
                if row is None:
                    row = self.interviews[sv] = [None] * 4
                i = _IV_FIELDS[p.value]
                row[i] = _smaller(row[i], o.value)
            elif code == _C_OCC_ENTITY:
                self._occ(sv)[0].add(o.value)
            elif code == _C_OCC_COUNT:
                self._occ(sv)[1].add(o.value)
            elif code == _C_NAME:
                if s_iri and type(o) is ox.Literal:
                    self.names[sv].add((o.value, o.language or ""))
            elif code == _C_ALT:
                if s_iri and type(o) is ox.Literal:
                    self.aliases[sv].add(o.value)
            elif code == _C_SAME:
                if o_iri and _WD.match(o.value):
                    self.same[sv].add(o.value)
            elif code == _C_WIKIDATA:
                self.wikidata[sv] = _smaller(self.wikidata.get(sv), o.value)
            elif code == _C_DISCOVERED:
                if o == _BOOL_TRUE:
                    self.discovered.add(sv)
            elif code == _C_SUBPROPERTY:
                if o_iri and o.value == _RELATION and sv not in _ONTOLOGY_SET:
                    self.general = True

    def _occ(self, node: str) -> list:
        occ = self.occurrences.get(node)
        if occ is None:
            occ = self.occurrences[node] = [set(), set()]
        return occ

    def view(self) -> GraphView:
        """The model, as ``kg.analysis.load.read_view`` makes it of the same graph."""
        types = {}
        for iri, ts in self.types.items():
            types[iri] = next(t for t in ENTITY_TYPES if t in ts)  # two types: the first in ENTITY_TYPES
        onto_labels = {str(k): v for k, v in _ontology_labels().items()}
        kinds: dict[str, Kind] = {}
        pairs: dict[tuple[str, str, str], None] = {}
        ends: set[str] = set()
        for p in _ONTOLOGY:
            found = self.pairs.get(p)
            if not found:
                continue
            labels = {}
            for text, lang in sorted(self.names.get(p, ())):
                labels.setdefault(lang, text)
            labels = labels or onto_labels.get(p, {})
            name = local_name(p)
            kind = kinds[p] = Kind(name=name, iri=p, label_en=labels.get("en") or labels.get("") or _camel_words(name),
                                   label_zh=labels.get("zh", ""), directed=not (name in SYMMETRIC or p in self.symmetric))
            for s, o in found:
                if type(s) is not ox.NamedNode or type(o) is not ox.NamedNode or s.value == o.value:
                    continue
                s, o = s.value, o.value
                a, b = (s, o) if kind.directed else tuple(sorted((s, o)))
                pairs[(kind.name, a, b)] = None
                ends.add(s)
                ends.add(o)
        entities = {}
        for iri in sorted(set(types) | ends):
            entities[iri] = make_entity(iri, types.get(iri, OTHER), list(self.names.get(iri, ())),
                                        list(self.aliases.get(iri, ())), list(self.same.get(iri, ())),
                                        self.wikidata.get(iri), iri in self.discovered)
        by_name = {k.name: k for k in kinds.values()}
        relations = {key: Relation(id=relation_id(*key), kind=key[0], source=key[1], target=key[2],
                                   directed=by_name[key[0]].directed) for key in pairs}
        interviews = {}
        for d in sorted(self.interview_nodes):
            title, date, source, file = self.interviews.get(d) or [None] * 4
            date = date or ""
            interviews[d] = Interview(id=d, title=title or file or local_name(d),
                                      date=date.replace("T", " ")[:16] if "T" in date else date,
                                      source=source or "", file=file or "")
        for ev in sorted(self.evidence_nodes):
            row = self.evidence.get(ev)
            if row is None or row[0] is None or row[1] is None or row[2] is None:
                continue
            kind = kinds.get(row[1])
            if kind is None:
                continue
            s, o = row[0], row[2]
            a, b = (s, o) if kind.directed else tuple(sorted((s, o)))
            rel = relations.get((kind.name, a, b))
            if rel is None:
                continue
            doc = row[3]
            rel.evidence.append(Evidence(sentence=row[4] or "", interview=doc, subject=s, object=o,
                                         start=_int(row[5]), end=_int(row[6]), rule=row[7] or "",
                                         trigger=row[8] or "", confidence=_float(row[9]), id=ev))
            if doc is not None:
                for end in (a, b):
                    if end in entities:
                        entities[end].interviews.add(doc)
        for occ in self.occurrence_nodes:
            got = self.occurrences.get(occ)
            if got is None:
                continue
            ents, counts = got
            docs = self.documents.get(occ, ())
            docs = {docs} if isinstance(docs, str) else docs
            total = sum(_int(n) or 0 for n in counts) * max(1, len(docs))
            for e in ents:
                entity = entities.get(e)
                if entity is None:
                    continue
                entity.mentions += total
                entity.interviews.update(docs)
        return assemble(entities, list(relations.values()), interviews, kinds)


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
