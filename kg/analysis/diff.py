"""What changed between two graphs: entities and relations added and removed, evidence added
(and removed), confidence changed; every change attributed to the interviews that make it.

Entities are compared by IRI, relations by (kind, subject, object) (a symmetric relation in
either order), evidence by its node's IRI (a hash of what it records: the same sentence read
twice is the same node)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..graphview import Evidence, GraphView, Relation
from .load import interview_date

NO_INTERVIEW = "(no interview)"


@dataclass
class Change:
    change: str  # entity added | entity removed | relation added | relation removed | evidence added | evidence removed | confidence changed
    interview: str  # Interview.id, or '' for a change no interview accounts for
    subject: str  # entity label (for an entity change: the entity)
    relation: str = ""  # kind
    object: str = ""
    type: str = ""  # entity type, for an entity change
    sentence: str = ""
    old: float | None = None  # confidence before and after
    new: float | None = None
    ids: tuple = ()  # IRIs: (entity) or (subject, kind IRI, object) or (..., evidence)


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    interviews: dict = field(default_factory=dict)  # id -> {"title", "date", "file", "status"}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.change] = out.get(c.change, 0) + 1
        return out

    def by_interview(self) -> list[tuple[str, list[Change]]]:
        groups: dict[str, list[Change]] = defaultdict(list)
        for c in self.changes:
            groups[c.interview].append(c)
        order = sorted(groups, key=lambda i: (i == "", self.interviews.get(i, {}).get("date", ""),
                                              self.interviews.get(i, {}).get("title", ""), i))
        return [(i, groups[i]) for i in order]

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{c.get(k, 0)} {k}" for k in ORDER if c.get(k)]
        return ", ".join(parts) if parts else "no change"


ORDER = ("relation added", "relation removed", "evidence added", "evidence removed", "confidence changed",
         "entity added", "entity removed")


def _key(r: Relation) -> tuple[str, str, str]:
    return (r.kind, r.source, r.target)


def diff(old: GraphView, new: GraphView) -> Diff:
    out = Diff()
    ivs = {**old.interviews, **new.interviews}
    for i, iv in ivs.items():
        status = "added" if i not in old.interviews else "removed" if i not in new.interviews else "kept"
        out.interviews[i] = {"title": iv.title, "date": interview_date(new if i in new.interviews else old, i),
                             "file": iv.file, "status": status}

    def label(iri: str) -> str:
        e = new.entities.get(iri) or old.entities.get(iri)
        return e.label if e else iri

    def first_interview(interviews, fallback="") -> str:
        listed = sorted(interviews, key=lambda i: (out.interviews.get(i, {}).get("date", ""), i))
        return listed[0] if listed else fallback

    # entities: attributed to the interviews that name them in the graph where they are
    for iri in sorted(set(new.entities) - set(old.entities)):
        e = new.entities[iri]
        fresh = [i for i in e.interviews if i not in old.interviews] or list(e.interviews)
        out.changes.append(Change("entity added", first_interview(fresh), e.label, type=e.type, ids=(iri,)))
    for iri in sorted(set(old.entities) - set(new.entities)):
        e = old.entities[iri]
        gone = [i for i in e.interviews if i not in new.interviews] or list(e.interviews)
        out.changes.append(Change("entity removed", first_interview(gone), e.label, type=e.type, ids=(iri,)))

    old_rel = {_key(r): r for r in old.relations}
    new_rel = {_key(r): r for r in new.relations}
    kind_iri = {k: v.iri for k, v in {**old.kinds, **new.kinds}.items()}

    def rel_change(what: str, r: Relation, interview: str, ev: Evidence | None = None, old_c=None, new_c=None):
        ids = (r.source, kind_iri.get(r.kind, r.kind), r.target) + ((ev.id,) if ev is not None else ())
        out.changes.append(Change(what, interview, label(r.source), r.kind, label(r.target),
                                  sentence=ev.sentence if ev else "", old=old_c, new=new_c, ids=ids))

    for key in sorted(set(new_rel) | set(old_rel)):
        a, b = old_rel.get(key), new_rel.get(key)
        old_ev = {ev.id or (ev.interview, ev.sentence): ev for ev in (a.evidence if a else [])}
        new_ev = {ev.id or (ev.interview, ev.sentence): ev for ev in (b.evidence if b else [])}
        if a is None or b is None:
            # a relation only one side has: told with its first (added) or last (removed) evidence,
            # the rest of its evidence after it
            rel, evs, pick, what = (b, new_ev, min, "added") if a is None else (a, old_ev, max, "removed")
            told = pick(rel.evidence, key=lambda ev: (out.interviews.get(ev.interview, {}).get("date", ""), ev.id)) \
                if rel.evidence else None
            rel_change(f"relation {what}", rel, told.interview if told else "", told)
            for ev in evs.values():
                if ev is not told:
                    rel_change(f"evidence {what}", rel, ev.interview or "", ev)
            continue
        for k in sorted(set(new_ev) - set(old_ev), key=str):
            rel_change("evidence added", b, new_ev[k].interview or "", new_ev[k])
        for k in sorted(set(old_ev) - set(new_ev), key=str):
            rel_change("evidence removed", a, old_ev[k].interview or "", old_ev[k])
        for k in sorted(set(old_ev) & set(new_ev), key=str):
            if old_ev[k].confidence != new_ev[k].confidence:
                rel_change("confidence changed", b, new_ev[k].interview or "", new_ev[k],
                           old_ev[k].confidence, new_ev[k].confidence)
    rank = {k: i for i, k in enumerate(ORDER)}
    out.changes.sort(key=lambda c: (rank[c.change], c.relation, c.subject.casefold(), c.object.casefold(), c.ids))
    return out


def as_json(d: Diff) -> dict:
    groups = []
    for i, changes in d.by_interview():
        iv = d.interviews.get(i, {})
        groups.append({"interview": i or None, "title": iv.get("title", NO_INTERVIEW if not i else ""),
                       "date": iv.get("date", ""), "file": iv.get("file", ""), "status": iv.get("status", ""),
                       "changes": [_change_json(c) for c in changes]})
    return {"summary": d.counts(), "interviews": groups}


def _change_json(c: Change) -> dict:
    out = {"change": c.change, "subject": c.subject}
    if c.relation:
        out.update(relation=c.relation, object=c.object)
    if c.type:
        out["type"] = c.type
    if c.sentence:
        out["sentence"] = c.sentence
    if c.change == "confidence changed":
        out.update(old=c.old, new=c.new)
    out["iris"] = list(c.ids)
    return out


def as_trig(d: Diff, old: GraphView, new: GraphView) -> str:
    """The change as TriG: graph ``<…/diff/added>`` holds what NEW adds (entity types and names,
    relation triples, evidence nodes), ``<…/diff/removed>`` what it drops; a confidence change is
    the evidence node's old value in ``removed`` and its new one in ``added``."""
    import pyoxigraph as ox

    from ..vocab import BASE, KG, PREFIXES

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    rdfns = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    graphs = {"added": ox.NamedNode(BASE + "diff/added"), "removed": ox.NamedNode(BASE + "diff/removed")}
    quads = []

    def add(where, s, p, o):
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graphs[where]))

    for c in d.changes:
        where = "added" if c.change.endswith("added") else "removed" if c.change.endswith("removed") else None
        if c.change.startswith("entity"):
            view = new if where == "added" else old
            e = view.entities[c.ids[0]]
            if e.type in ("Person", "Company", "Model", "Chip"):
                add(where, e.id, str(rdf_type.value), ox.NamedNode(str(KG[e.type])))
            for text, lang in e.names:
                add(where, e.id, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(text, language=lang) if lang else ox.Literal(text))
            continue
        s, p, o = c.ids[:3]
        if c.change.startswith("relation"):
            add(where, s, p, ox.NamedNode(o))
        evidence_iri = c.ids[3] if len(c.ids) > 3 and c.ids[3] else None
        if evidence_iri is None or not evidence_iri.startswith("http"):
            continue
        targets = [where] if where else ["removed", "added"]
        for w in targets:
            view = new if w == "added" else old
            ev = next((ev for r in view.relations for ev in r.evidence if ev.id == evidence_iri), None)
            if ev is None:
                continue
            if c.change != "confidence changed":
                add(w, evidence_iri, str(rdf_type.value), ox.NamedNode(str(KG.Evidence)))
                add(w, evidence_iri, rdfns + "subject", ox.NamedNode(ev.subject))
                add(w, evidence_iri, rdfns + "predicate", ox.NamedNode(p))
                add(w, evidence_iri, rdfns + "object", ox.NamedNode(ev.object))
                if ev.interview:
                    add(w, evidence_iri, str(KG.document), ox.NamedNode(ev.interview))
                add(w, evidence_iri, str(KG.sentence), ox.Literal(ev.sentence))
            if ev.confidence is not None:
                add(w, evidence_iri, str(KG.confidence),
                    ox.Literal(f"{ev.confidence:.3f}", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    quads.sort(key=lambda q: (q.graph_name.value, q.subject.value, q.predicate.value, str(q.object)))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG,
                        prefixes={p: str(ns) for p, ns in PREFIXES.items()}).decode("utf-8")
