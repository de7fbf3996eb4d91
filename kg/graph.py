"""Extractions -> an rdflib ``Dataset``: one named graph per interview, plus the ontology.

In the named graph of an interview (its IRI is the interview's IRI, ``kgd:<hash prefix>``):

- the interview node: ``kg:Interview`` with title, date, source URL, author, file name, hash;
- each entity it mentions: type, ``rdfs:label`` (@en, @zh), ``skos:altLabel`` for every surface
  form seen, ``owl:sameAs`` its Wikidata item;
- a ``kg:Occurrence`` per entity: how often and where first the interview mentions it;
- each relation as a plain triple ``s p o`` (both directions for the symmetric competesWith),
  and one ``kg:Evidence`` node per supporting sentence: ``rdf:subject/predicate/object`` name the
  triple, ``kg:document`` the interview, with the sentence, its offsets in the source file, the
  rule, the trigger and the confidence.

Node IRIs are hashes of what they describe, so building the same interview twice gives the same
triples, and merging graphs is a set union.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .export.rdf import ox_term
from .extract import Extraction
from .lexicon import Entity, Lexicon
from .ontology import load_ontology, ontology_path
from .textnorm import cjk_ratio
from .vocab import KG, KGD, KGE, KGEV, ONTOLOGY_GRAPH, SYMMETRIC, bind_prefixes


def node_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def evidence_ids(doc_id: str, relations) -> list[str]:
    """The local name of each relation's evidence node, in order: the document, the relation and the
    sentence's start, so that the same sentence of the same interview gives the same node in every
    build. Two readings of one relation that start at the same place but end apart (a sentence read
    alone, and read with the next one for a pair across them or an unsaid subject) would be one node
    with two ends, sentences and confidences: those name their end too, each its own node."""
    ends: dict[tuple, set] = {}
    for r in relations:
        ends.setdefault((r.subject, r.predicate, r.object, r.start), set()).add(r.end)
    out = []
    for r in relations:
        key = (r.subject, r.predicate, r.object, r.start)
        out.append("ev-" + node_id(doc_id, *key, *((r.end,) if len(ends[key]) > 1 else ())))
    return out


def doc_iri(doc_id: str) -> URIRef:
    return KGD[doc_id]


def entity_iri(entity_id: str) -> URIRef:
    return KGE[entity_id]


def source_path(path) -> str:
    """``kg:sourcePath`` as held in memory: the file's absolute path (``kg.export.rdf`` writes it
    relative to the graph file's folder, ``kg.rdfio`` reads it back as absolute)."""
    import os

    return Path(os.path.abspath(path)).as_posix()


def new_dataset(with_ontology: bool = True) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    if with_ontology:
        onto = ds.graph(ONTOLOGY_GRAPH)
        for triple in load_ontology():
            onto.add(triple)
    return ds


def label_literal(text: str) -> Literal:
    """A label with the language tag of its script (@zh for Chinese, @en), in the characters the
    text uses: no conversion (OpenCC would turn the name 昇腾 into the word 升腾)."""
    if cjk_ratio(text) > 0:
        return Literal(text, lang="zh")
    return Literal(text, lang="en")


def add_entity(g: Graph, ent: Entity, surfaces: set[str] = frozenset()) -> URIRef:
    iri = entity_iri(ent.id)
    g.add((iri, RDF.type, KG[ent.type]))
    g.add((iri, RDFS.label, Literal(ent.name, lang="en" if cjk_ratio(ent.name) == 0 else "zh")))
    if ent.zh_name and ent.zh_name != ent.name:
        g.add((iri, RDFS.label, Literal(ent.zh_name, lang="zh")))
    for surface in surfaces:
        surface = " ".join(surface.split())
        if surface and surface not in (ent.name, ent.zh_name):
            g.add((iri, SKOS.altLabel, label_literal(surface)))
    for same in ent.same_as:
        g.add((iri, OWL.sameAs, URIRef(same)))
    return iri


_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`]|%(?![0-9A-Fa-f]{2})')


def source_term(url: str) -> URIRef | Literal:
    """A header's source URL as a valid IRI (unsafe characters and stray '%' percent-encoded), or
    a plain literal when it is not an absolute URL at all."""
    url = url.strip()
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:\S", url):
        return Literal(url)
    return URIRef(_IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url))


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return Literal(value, datatype=XSD.date)
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d)(:\d\d)?(Z|[+-]\d\d:\d\d)?", value)
    if m:  # the time zone, where the source gives one, is kept
        return Literal(m[1] + (m[2] or ":00") + (m[3] or ""), datatype=XSD.dateTime)
    return Literal(value)


def discovered_iri(entity_id: str, type_name: str) -> URIRef:
    """``new:<slug>`` of type T -> ``kge:new-<t>-<slug>``: provisional, the same in every build."""
    return KGE[f"new-{type_name.lower()}-{entity_id.split(':', 1)[1]}"]


def _discovered(ex: Extraction, threshold: float) -> dict[str, tuple[str, float, list[str]]]:
    """Discovered entities of one interview at or above ``threshold``: id -> (type, confidence, surfaces)."""
    out: dict[str, tuple[str, float, list[str]]] = {}
    short: dict[str, list[str]] = {}  # short names (a surname after the full name): names only if nothing else is
    for m in ex.mentions:
        if not m.discovered:
            continue
        typ, conf, surfaces = out.get(m.entity, (m.type, 0.0, []))
        surface = " ".join(m.surface.split())
        if m.context:
            short.setdefault(m.entity, []).append(surface)
        out[m.entity] = (typ, max(conf, m.confidence), surfaces + ([] if m.context else [surface]))
    return {k: (t, c, s or short[k]) for k, (t, c, s) in out.items() if c >= threshold}


def discovered_names(surfaces: list[str]) -> list[str]:
    """A discovered entity's names, its label first: the name as the text most often writes it; a transcript's
    label in capitals ("BRANNIN KESTREL:") yields to the same name written as names are, where the text has it."""
    written = {x.casefold() for x in surfaces if not x.isupper()}
    return sorted(set(surfaces), key=lambda x: (x.isupper() and x.casefold() in written, -surfaces.count(x), x))


def add_discovered(g: Graph, entity_id: str, type_name: str, confidence: float, surfaces: list[str]) -> URIRef:
    iri = discovered_iri(entity_id, type_name)
    g.add((iri, RDF.type, KG[type_name]))
    names = discovered_names(surfaces)
    g.add((iri, RDFS.label, label_literal(names[0])))
    for alt in names[1:]:
        g.add((iri, SKOS.altLabel, label_literal(alt)))
    g.add((iri, KG.discovered, Literal(True)))
    g.add((iri, KG.confidence, Literal(f"{confidence:.3f}", datatype=XSD.decimal)))
    return iri


def add_extraction(ds: Dataset, ex: Extraction, lexicon: Lexicon, discovered_threshold: float = 0.6,
                   extracted_with: str | None = None) -> URIRef:
    """Add one interview's named graph (replacing any graph of the same interview).

    Discovered entities (ids ``new:<slug>``) at or above ``discovered_threshold`` get a provisional
    IRI (``kge:new-<type>-<slug>``, ``kg:discovered true``, their confidence); the others, and the
    relations that need them, are left out. ``extracted_with`` is the extractor's fingerprint
    (``kg:extractedWith``), which tells an incremental build whether to extract again."""
    doc = ex.doc
    d = doc_iri(doc.doc_id)
    ds.remove_graph(ds.graph(d))
    g = ds.graph(d)
    g.add((d, RDF.type, KG.Interview))
    g.add((d, KG.fileName, Literal(doc.name)))
    g.add((d, KG.sourcePath, Literal(source_path(doc.path))))
    g.add((d, KG.contentHash, Literal(doc.sha256)))
    if extracted_with:
        g.add((d, KG.extractedWith, Literal(extracted_with)))
    g.add((d, KG.language, Literal(doc.language)))
    meta = doc.meta
    g.add((d, DCTERMS.title, Literal(meta.get("title") or doc.path.stem)))
    if meta.get("date"):
        g.add((d, DCTERMS.date, _date_literal(meta["date"])))
    if meta.get("author"):
        g.add((d, DCTERMS.creator, Literal(meta["author"])))
    if meta.get("source"):
        g.add((d, DCTERMS.source, source_term(meta["source"])))

    surfaces = ex.surfaces()
    first: dict[str, tuple[int, int]] = {}
    for m in ex.mentions:
        first.setdefault(m.entity, (m.start, m.end))
    found = _discovered(ex, discovered_threshold)
    iris = {k: discovered_iri(k, v[0]) for k, v in found.items()}
    for entity_id, count in sorted(ex.mention_counts().items()):
        ent = lexicon.entities.get(entity_id)
        if entity_id in found:
            e = add_discovered(g, entity_id, *found[entity_id])
        elif ent is None:
            continue
        else:
            e = add_entity(g, ent, surfaces.get(entity_id, set()))
        occ = KGEV["occ-" + node_id(doc.doc_id, entity_id)]
        g.add((occ, RDF.type, KG.Occurrence))
        g.add((occ, KG.entity, e))
        g.add((occ, KG.document, d))
        g.add((occ, KG.mentionCount, Literal(count)))
        g.add((occ, KG.startOffset, Literal(first[entity_id][0])))
        g.add((occ, KG.endOffset, Literal(first[entity_id][1])))

    for rel, ev_id in zip(ex.relations, evidence_ids(doc.doc_id, ex.relations)):
        if any(i.startswith("new:") and i not in iris for i in (rel.subject, rel.object)):
            continue  # a discovered entity below the threshold is not asserted, nor are its relations
        s, p, o = iris.get(rel.subject) or entity_iri(rel.subject), KG[rel.predicate], iris.get(rel.object) or entity_iri(rel.object)
        for ent_id in (rel.subject, rel.object):
            if ent_id in lexicon.entities and (entity_iri(ent_id), RDF.type, None) not in g:
                add_entity(g, lexicon.entities[ent_id])
        g.add((s, p, o))
        if rel.predicate in SYMMETRIC:
            g.add((o, p, s))
        ev = KGEV[ev_id]
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, KG.document, d))
        g.add((ev, KG.sentence, Literal(rel.sentence)))
        g.add((ev, KG.startOffset, Literal(rel.start)))
        g.add((ev, KG.endOffset, Literal(rel.end)))
        g.add((ev, KG.rule, Literal(rel.rule)))
        if rel.trigger:
            g.add((ev, KG.trigger, Literal(rel.trigger)))
        g.add((ev, KG.confidence, Literal(f"{rel.confidence:.3f}", datatype=XSD.decimal)))
        if rel.doc_confidence is not None:
            g.add((ev, KG.documentConfidence, Literal(f"{rel.doc_confidence:.3f}", datatype=XSD.decimal)))
        if rel.status != "asserted":
            g.add((ev, KG.assertionStatus, Literal(rel.status)))
    return d


def union_graph(ds: Dataset) -> Graph:
    """All named graphs as one graph (what ``kg.ttl`` holds)."""
    g = Graph()
    bind_prefixes(g)
    for ctx in ds.graphs():
        for triple in ctx:
            g.add(triple)
    return g


# ---------------------------------------------------------------- the same graph as Oxigraph quads

def _ox():
    import pyoxigraph as ox

    return ox


class _Terms:
    """Oxigraph terms of the vocabulary, made once."""

    def __init__(self):
        ox = _ox()
        n = ox.NamedNode
        self.type, self.label, self.alt, self.same = (n(str(RDF.type)), n(str(RDFS.label)), n(str(SKOS.altLabel)),
                                                      n(str(OWL.sameAs)))
        self.subject, self.predicate, self.object = n(str(RDF.subject)), n(str(RDF.predicate)), n(str(RDF.object))
        self.kg = {name: n(str(KG[name])) for name in (
            "Interview", "Occurrence", "Evidence", "fileName", "sourcePath", "contentHash", "extractedWith",
            "language", "entity", "document", "mentionCount", "startOffset", "endOffset", "sentence", "rule",
            "trigger", "confidence", "documentConfidence", "assertionStatus", "discovered")}
        self.title, self.date, self.creator, self.source = (n(str(DCTERMS.title)), n(str(DCTERMS.date)),
                                                            n(str(DCTERMS.creator)), n(str(DCTERMS.source)))
        self.integer, self.decimal, self.boolean = n(str(XSD.integer)), n(str(XSD.decimal)), n(str(XSD.boolean))
        self.true = ox.Literal("true", datatype=self.boolean)
        self.classes: dict[str, object] = {}

    def cls(self, name: str):
        node = self.classes.get(name)
        if node is None:
            node = self.classes[name] = _ox().NamedNode(str(KG[name]))
        return node


_TERMS: _Terms | None = None
_ENTITIES: dict = {}  # an entity's key -> (its node, its own triples)
_KGE, _KGEV = str(KGE), str(KGEV)


def _terms() -> _Terms:
    global _TERMS
    if _TERMS is None:
        _TERMS = _Terms()
    return _TERMS


def _ox_label(text: str, lang: str | None = None):
    return _ox().Literal(text, language=lang or ("zh" if cjk_ratio(text) > 0 else "en"))


def interview_quads(ex: Extraction, lexicon: Lexicon, discovered_threshold: float = 0.6,
                    extracted_with: str | None = None, sources: list[str] | None = None) -> list:
    """The named graph of one interview as Oxigraph quads, without duplicates: the quads
    ``add_extraction`` puts in a dataset for the same extraction (tests compare them), made
    without rdflib. ``sources``: the ``kg:sourcePath`` values (default: the document's path,
    absolute), e.g. every file of the same content, or paths relative to the output folder."""
    ox = _ox()
    T = _terms()
    K = T.kg
    doc = ex.doc
    d = ox.NamedNode(str(doc_iri(doc.doc_id)))
    out: dict = {}  # triple -> None: a set in insertion order

    def add(s, p, o):
        out[(s, p, o)] = None

    add(d, T.type, K["Interview"])
    add(d, K["fileName"], ox.Literal(doc.name))
    for src in sources if sources is not None else [source_path(doc.path)]:
        add(d, K["sourcePath"], ox.Literal(src))
    add(d, K["contentHash"], ox.Literal(doc.sha256))
    if extracted_with:
        add(d, K["extractedWith"], ox.Literal(extracted_with))
    add(d, K["language"], ox.Literal(doc.language))
    meta = doc.meta
    add(d, T.title, ox.Literal(meta.get("title") or doc.path.stem))
    if meta.get("date"):
        add(d, T.date, ox_term(_date_literal(meta["date"])))
    if meta.get("author"):
        add(d, T.creator, ox.Literal(meta["author"]))
    if meta.get("source"):
        add(d, T.source, ox_term(source_term(meta["source"])))

    typed: set[str] = set()

    def entity(ent: Entity, surfaces=frozenset()):
        key = (ent.id, ent.type, ent.name, ent.zh_name, tuple(ent.same_as))
        made = _ENTITIES.get(key)
        if made is None:  # an entity's own triples, made once per process
            e = ox.NamedNode(_KGE + ent.id)
            own = [(e, T.type, T.cls(ent.type)),
                   (e, T.label, ox.Literal(ent.name, language="en" if cjk_ratio(ent.name) == 0 else "zh"))]
            if ent.zh_name and ent.zh_name != ent.name:
                own.append((e, T.label, ox.Literal(ent.zh_name, language="zh")))
            own += [(e, T.same, ox.NamedNode(str(URIRef(same)))) for same in ent.same_as]
            made = _ENTITIES[key] = (e, own)
        e, own = made
        typed.add(e.value)
        for t in own:
            add(*t)
        for surface in surfaces:
            surface = " ".join(surface.split())
            if surface and surface not in (ent.name, ent.zh_name):
                add(e, T.alt, _ox_label(surface))
        return e

    def discovered(entity_id, type_name, confidence, surfaces):
        iri = str(discovered_iri(entity_id, type_name))
        typed.add(iri)
        e = ox.NamedNode(iri)
        add(e, T.type, T.cls(type_name))
        names = discovered_names(surfaces)
        add(e, T.label, _ox_label(names[0]))
        for alt in names[1:]:
            add(e, T.alt, _ox_label(alt))
        add(e, K["discovered"], T.true)
        add(e, K["confidence"], ox.Literal(f"{confidence:.3f}", datatype=T.decimal))
        return e

    def integer(n: int):
        return ox.Literal(str(int(n)), datatype=T.integer)

    surfaces = ex.surfaces()
    first: dict[str, tuple[int, int]] = {}
    for m in ex.mentions:
        first.setdefault(m.entity, (m.start, m.end))
    found = _discovered(ex, discovered_threshold)
    iris = {k: str(discovered_iri(k, v[0])) for k, v in found.items()}
    for entity_id, count in sorted(ex.mention_counts().items()):
        ent = lexicon.entities.get(entity_id)
        if entity_id in found:
            e = discovered(entity_id, *found[entity_id])
        elif ent is None:
            continue
        else:
            e = entity(ent, surfaces.get(entity_id, set()))
        occ = ox.NamedNode(_KGEV + "occ-" + node_id(doc.doc_id, entity_id))
        add(occ, T.type, K["Occurrence"])
        add(occ, K["entity"], e)
        add(occ, K["document"], d)
        add(occ, K["mentionCount"], integer(count))
        add(occ, K["startOffset"], integer(first[entity_id][0]))
        add(occ, K["endOffset"], integer(first[entity_id][1]))

    for rel, ev_id in zip(ex.relations, evidence_ids(doc.doc_id, ex.relations)):
        if any(i.startswith("new:") and i not in iris for i in (rel.subject, rel.object)):
            continue  # as add_extraction: a discovered entity below the threshold, and its relations, are left out
        s = ox.NamedNode(iris.get(rel.subject) or _KGE + rel.subject)
        p = T.cls(rel.predicate)
        o = ox.NamedNode(iris.get(rel.object) or _KGE + rel.object)
        for ent_id in (rel.subject, rel.object):
            if ent_id in lexicon.entities and _KGE + ent_id not in typed:
                entity(lexicon.entities[ent_id])
        add(s, p, o)
        if rel.predicate in SYMMETRIC:
            add(o, p, s)
        ev = ox.NamedNode(_KGEV + ev_id)
        add(ev, T.type, K["Evidence"])
        add(ev, T.subject, s)
        add(ev, T.predicate, p)
        add(ev, T.object, o)
        add(ev, K["document"], d)
        add(ev, K["sentence"], ox.Literal(rel.sentence))
        add(ev, K["startOffset"], integer(rel.start))
        add(ev, K["endOffset"], integer(rel.end))
        add(ev, K["rule"], ox.Literal(rel.rule))
        if rel.trigger:
            add(ev, K["trigger"], ox.Literal(rel.trigger))
        add(ev, K["confidence"], ox.Literal(f"{rel.confidence:.3f}", datatype=T.decimal))
        if rel.doc_confidence is not None:
            add(ev, K["documentConfidence"], ox.Literal(f"{rel.doc_confidence:.3f}", datatype=T.decimal))
        if rel.status != "asserted":
            add(ev, K["assertionStatus"], ox.Literal(rel.status))
    return [ox.Quad(s, p, o, d) for s, p, o in out]


def ontology_quads() -> list:
    """The ontology graph (``new_dataset``'s) as Oxigraph quads. Kept in the start-up cache (as
    N-Quads, under the hash of ``kg.ttl``): parsing it with rdflib and naming its blank nodes
    canonically is otherwise a tenth of a one-line build."""
    from . import startcache

    ox = _ox()
    key = None
    if startcache.cache_dir() is not None:
        path = ontology_path()
        try:
            key = startcache.key("ontology", str(path.resolve()), path.read_bytes())
        except OSError:
            key = None
        text = startcache.get("ontology", key) if key is not None else None
        if isinstance(text, str):
            try:
                return list(ox.parse(text, format=ox.RdfFormat.N_QUADS))
            except (SyntaxError, ValueError):
                pass  # damaged: made and written again
    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    quads = [ox.Quad(ox_term(s), ox_term(p), ox_term(o), g) for s, p, o in load_ontology()]
    if key is not None:
        startcache.put("ontology", key, ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"))
    return quads
