"""Score a graph against gold annotations: precision, recall and F1 for entities and relations.

Gold files are YAML (format in ``tests/gold/GUIDELINES.md``). An entity matches a graph entity of
the same type when any of its names or aliases equals any label of the graph entity after folding
(traditional/simplified, case, width, spacing). Scores are computed per interview — the graph's
``kg:document`` links tell which entities and relations came from which file — and summed
(micro-average). A graph without such links (made by another tool) is scored as a whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .textnorm import fold
from .vocab import ENTITY_TYPES, KG, RELATIONS, SYMMETRIC


class GoldError(Exception):
    pass


@dataclass
class GoldEntity:
    name: str
    type: str
    keys: set[str]


@dataclass
class Gold:
    path: Path
    document: str | None
    entities: list[GoldEntity]
    relations: list[tuple[str, str, str]]  # (subject name, relation, object name)


def load_gold(path: Path | str) -> Gold:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise GoldError(f"{path}: cannot read gold file: {err}") from err
    if not isinstance(data, dict):
        raise GoldError(f"{path}: a gold file is a mapping with 'entities' and 'relations'")
    entities, by_name = [], {}
    for item in data.get("entities") or []:
        if item.get("type") not in ENTITY_TYPES:
            raise GoldError(f"{path}: entity {item.get('name')!r} has type {item.get('type')!r}; use one of {', '.join(ENTITY_TYPES)}")
        names = [str(item["name"]), *map(str, item.get("aliases") or [])]
        ent = GoldEntity(str(item["name"]), item["type"], {fold(n) for n in names if fold(n)})
        entities.append(ent)
        by_name[item["name"]] = ent
    relations = []
    for item in data.get("relations") or []:
        s, r, o = item.get("subject"), item.get("relation", item.get("predicate")), item.get("object")
        if r not in RELATIONS:
            raise GoldError(f"{path}: relation {r!r} is not one of {', '.join(RELATIONS)}")
        for name in (s, o):
            if name not in by_name:
                raise GoldError(f"{path}: relation {s} {r} {o}: {name!r} is not in entities")
        relations.append((s, r, o))
    return Gold(path, data.get("document"), entities, relations)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class EvalResult:
    entities: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in ENTITY_TYPES})
    relations: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in RELATIONS})
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # gold files whose document the graph does not hold

    def total(self, part: str) -> Score:
        total = Score()
        for s in getattr(self, part).values():
            total.add(s)
        return total

    def group(self, relations: Iterable[str]) -> Score:
        """The relations of these kinds together."""
        total = Score()
        for r in relations:
            total.add(self.relations[r])
        return total

    def add(self, other: "EvalResult") -> None:
        for part in ("entities", "relations"):
            for k, sc in getattr(other, part).items():
                getattr(self, part)[k].add(sc)
        self.missed += other.missed
        self.spurious += other.spurious
        self.absent += other.absent

    def as_dict(self) -> dict:
        return {
            "entities": {k: v.as_dict() for k, v in self.entities.items()} | {"all": self.total("entities").as_dict()},
            "relations": {k: v.as_dict() for k, v in self.relations.items()} | {"all": self.total("relations").as_dict()}
                         | {name: self.group(rels).as_dict() for name, rels in GROUPS.items()},
        }

    def totals(self) -> dict:
        """Totals only (what a locked test set may show): entities, relations, and the two groups."""
        return {"entities": self.total("entities").as_dict(), "relations": self.total("relations").as_dict(),
                **{name: self.group(rels).as_dict() for name, rels in GROUPS.items()}}


# the relation groups the project's targets are stated for
GROUPS = {"core": ("competesWith", "investsIn", "supplies", "hedgesAgainst"),
          "develops+affiliatedWith": ("develops", "affiliatedWith")}


# ---------------------------------------------------------------- reading the graph

def _doc_for_file(graph: Graph, name: str | None) -> URIRef | None:
    if not name:
        return None
    for doc in graph.subjects(KG.fileName, Literal(name)):
        return doc
    return None


def _graph_entities(graph: Graph, doc: URIRef | None,
                    aliases: Mapping[URIRef, Iterable[str]]) -> dict[URIRef, tuple[str, set[str]]]:
    """entity -> (type, folded labels and lexicon aliases), restricted to those the interview mentions."""
    if doc is not None:
        members = {graph.value(occ, KG.entity) for occ in graph.subjects(KG.document, doc)
                   if (occ, RDF.type, KG.Occurrence) in graph}
        for ev in graph.subjects(KG.document, doc):
            if (ev, RDF.type, KG.Evidence) in graph:
                members |= {graph.value(ev, RDF.subject), graph.value(ev, RDF.object)}
    out = {}
    for t in ENTITY_TYPES:
        for e in graph.subjects(RDF.type, KG[t]):
            if doc is not None and e not in members:
                continue
            keys = {fold(str(lbl)) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for lbl in graph.objects(e, p)}
            keys |= {fold(a) for a in aliases.get(e, ())}
            out[e] = (t, {k for k in keys if k})
    return out


def _graph_relations(graph: Graph, doc: URIRef | None, min_confidence: float) -> set[tuple[URIRef, str, URIRef]]:
    triples = set()
    if doc is not None or any(graph.subjects(RDF.type, KG.Evidence)):
        for ev in graph.subjects(RDF.type, KG.Evidence):
            if doc is not None and graph.value(ev, KG.document) != doc:
                continue
            conf = graph.value(ev, KG.documentConfidence)
            if conf is None:
                conf = graph.value(ev, KG.confidence)
            if conf is not None and float(conf) < min_confidence:
                continue
            p = str(graph.value(ev, RDF.predicate)).rsplit("#", 1)[-1]
            if p in RELATIONS:
                triples.add((graph.value(ev, RDF.subject), p, graph.value(ev, RDF.object)))
    else:  # a graph without evidence nodes: its plain triples
        for r in RELATIONS:
            triples |= {(s, r, o) for s, o in graph.subject_objects(KG[r])}
    out = set()
    for s, p, o in triples:
        if p in SYMMETRIC and str(s) > str(o):
            s, o = o, s
        out.add((s, p, o))
    return out


def _label(graph: Graph, e: URIRef) -> str:
    """The entity's English label, or its first label in sorted order (an entity two interviews name
    differently has two: "ToB" and "toB"; the same one each time, so two runs' error lists compare)."""
    labels = sorted(graph.objects(e, RDFS.label), key=lambda lbl: (getattr(lbl, "language", None) != "en", str(lbl)))
    return str(labels[0]) if labels else str(e).rsplit("/", 1)[-1]


# ---------------------------------------------------------------- scoring

def lexicon_aliases(lexicon) -> dict[URIRef, list[str]]:
    """Every name the lexicon gives each entity: a gold file may name an entity by any of them
    ("a16z" for the graph's "Andreessen Horowitz"), as a reader would."""
    return {URIRef(e.iri): [*e.pref.values(), *(label for label, _ in e.alt)] for e in lexicon.entities.values()}


def gold_set(gold: Gold) -> str:
    """The set a gold file belongs to: its folder ("…/dev/gold/x.yaml" -> "dev")."""
    parent = gold.path.resolve().parent
    return parent.parent.name if parent.name == "gold" else parent.name


def curve(golds: list[Gold], graph: Graph, thresholds: Iterable[float],
          aliases: Mapping[URIRef, Iterable[str]] | None = None) -> list[tuple[float, EvalResult]]:
    """Scores at each confidence threshold (a relation counts when its evidence reaches it)."""
    return [(t, evaluate(golds, graph, t, aliases)) for t in thresholds]


def plot_curve(points: list[tuple[float, EvalResult]], path: Path, title: str = "") -> Path:
    """A precision-recall curve over thresholds as a PNG (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    series = [("all relations", lambda r: r.total("relations"))] + [
        (name, lambda r, rels=rels: r.group(rels)) for name, rels in GROUPS.items()]
    for name, get in series:
        rec = [get(r).recall for _, r in points]
        prec = [get(r).precision for _, r in points]
        ax.plot(rec, prec, marker="o", markersize=3, label=name)
    for t, r in points[:: max(1, len(points) // 6)]:
        sc = r.total("relations")
        ax.annotate(f"{t:.2f}", (sc.recall, sc.precision), fontsize=7, textcoords="offset points", xytext=(3, 3))
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    ax.set_title(title or "precision-recall over confidence thresholds")
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    fig.savefig(tmp, format="png")
    plt.close(fig)
    tmp.replace(path)
    return path


def entity_mapping(gold: Gold, ents: Mapping[URIRef, tuple[str, set[str]]]) -> dict[str, set[URIRef]]:
    """Gold entity name -> the graph's entities (``_graph_entities``) of its type that share a name or alias."""
    by_key: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for e, (t, keys) in ents.items():
        for k in keys:
            by_key[(t, k)].add(e)
    return {g.name: set().union(*(by_key.get((g.type, k), set()) for k in g.keys)) if g.keys else set()
            for g in gold.entities}


def match_relations(relations, mapping: Mapping, found: set) -> tuple[list[tuple[tuple, bool]], set]:
    """Each reference relation (subject name, relation, object name), once, with whether ``found`` holds it
    (its ends through ``mapping``: name -> the found side's entities; either direction for a symmetric
    relation), and the found triples so used (what is left of ``found`` is spurious)."""
    hits, used = [], set()
    for s, r, o in dict.fromkeys(relations):
        cands = {(a, r, b) for a in mapping[s] for b in mapping[o]}
        if r in SYMMETRIC:
            cands |= {(b, r, a) for a, _, b in cands}
        hit = cands & found
        hits.append(((s, r, o), bool(hit)))
        used |= hit
    return hits, used


def evaluate(golds: list[Gold], graph: Graph, min_confidence: float = 0.0,
             aliases: Mapping[URIRef, Iterable[str]] | None = None) -> EvalResult:
    """Score ``graph`` against ``golds``. ``aliases`` (``lexicon_aliases``) adds names an entity
    has beyond the labels in the graph."""
    result = EvalResult()
    named = any(graph.subjects(KG.fileName, None))  # a graph that says which file each document is
    for gold in golds:
        doc = _doc_for_file(graph, gold.document)
        if doc is None and gold.document and named:
            # the graph holds other files but not this one: nothing of it was found (not the whole graph's entities)
            result.absent.append(f"{gold.path.name}: {gold.document} is not in the graph")
            ents, found = {}, set()
        else:
            ents, found = _graph_entities(graph, doc, aliases or {}), None
        mapping = entity_mapping(gold, ents)
        matched_graph: set[URIRef] = set()
        for g in gold.entities:
            hits = mapping[g.name]
            if hits:
                result.entities[g.type].tp += 1
                matched_graph |= hits
            else:
                result.entities[g.type].fn += 1
                result.missed.append(f"{gold.path.name}: entity {g.name} ({g.type})")
        spurious = []
        for e, (t, _) in ents.items():
            if e not in matched_graph:
                result.entities[t].fp += 1
                spurious.append(f"{gold.path.name}: entity {_label(graph, e)} ({t})")
        result.spurious += sorted(spurious)  # by name: two graphs' lists compare line by line

        if found is None:
            found = _graph_relations(graph, doc, min_confidence)
        hits, used = match_relations(gold.relations, mapping, found)
        for (s, r, o), hit in hits:
            if hit:
                result.relations[r].tp += 1
            else:
                result.relations[r].fn += 1
                result.missed.append(f"{gold.path.name}: {s} {r} {o}")
        for s, r, o in sorted(found - used):
            result.relations[r].fp += 1
            result.spurious.append(f"{gold.path.name}: {_label(graph, s)} {r} {_label(graph, o)}")
    return result
