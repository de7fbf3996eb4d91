"""Merging graphs: one node per entity, one named graph per interview, evidence accumulated.

``merge(datasets)`` is the union of the inputs after identity resolution:

1. **Who is who.** Entity nodes (typed ``kg:Person|Company|Model|Chip``) are the same entity when
   they have the same IRI; or are linked by ``owl:sameAs`` (directly, or through a shared target
   such as a Wikidata item; ``kg:wikidata "Q.."`` counts as such a link); or share a name
   (``rdfs:label``/``skos:prefLabel`` equal after ``textnorm.fold``: traditional/simplified, case,
   width, spacing) *and* a type, where a class of equal nodes has every name and type of its
   members (applied until no class joins another). Each class becomes one node, its canonical IRI:
   a lexicon IRI (``kge:``) before a provisional one (``kge:new-…``, a discovered entity) before
   any other IRI before a blank node, then the smallest. Every
   other IRI is rewritten to it and recorded in the identity graph (``IDENTITY_GRAPH``) as
   ``canonical owl:sameAs other``, so later merges still recognise it.
2. **Provenance.** Quads keep their graph: one named graph per interview, evidence and occurrence
   nodes inside it. Their IRIs are hashes of what they record, so the same evidence from two
   inputs is one node and nothing is counted twice. Where two inputs disagree on a single-valued
   number of one node (a re-extracted interview), one value is kept by a fixed rule
   (``FUNCTIONAL``) and the disagreement reported.
3. **Counts** (mentions, supporting sentences, interviews) are not stored in the graph; ``counts()``
   recomputes them from the occurrence and evidence nodes, so a merge cannot double them.

Blank nodes are relabelled from their content (``_canonical_bnodes``), so a blank-node structure
read twice is one structure.

Because every step is a function of the union of the inputs' facts, merging is idempotent,
order-independent and associative, and merging per-interview builds gives the build of all
interviews at once (``tests/test_merge*.py`` check this with hypothesis).

Conflicts are reported, never silently resolved: one name with two types, one entity with two
types, an interview whose inputs differ, one file (``kg:sourcePath``) held as two interviews, a
single-valued property with several values.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from networkx.utils import UnionFind
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .gctune import fewer_collections
from .rdfio import load_dataset, rdflib_term, write_dataset
from .textnorm import fold
from .vocab import BASE, ENTITY_TYPES, KG, KGD, KGE, ONTOLOGY_GRAPH, RELATIONS, SYMMETRIC, WD, bind_prefixes

ENTITY_CLASSES = frozenset(KG[t] for t in ENTITY_TYPES)
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel)
FUNCTIONAL = {KG.mentionCount: max, KG.confidence: max, KG.startOffset: min, KG.endOffset: max}
"""Single-valued properties, and which value to keep when inputs disagree (order-independent)."""

DEFAULT_GRAPH = DATASET_DEFAULT_GRAPH_ID
IDENTITY_GRAPH = URIRef(BASE + "identity")
"""Where a merge records the IRIs it merged away: ``canonical owl:sameAs other`` and
``other a kg:Entity``. Rebuilt by every merge from what it resolves, so it never goes stale."""

Quad = tuple  # (s, p, o, g); g is a graph IRI or DEFAULT_GRAPH


@dataclass
class Conflict:
    kind: str  # "name" | "types" | "interview" | "source" | "value"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class MergeReport:
    inputs: list[str] = field(default_factory=list)
    interviews: int = 0
    entities: int = 0
    relations: int = 0
    evidence: int = 0
    identified: dict = field(default_factory=dict)  # canonical node -> sorted list of nodes merged into it
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replaced: list = field(default_factory=list)  # interview graphs replaced by a newer build (merge_into)


# ---------------------------------------------------------------- identity

_PROVISIONAL = str(KGE) + "new-"  # kg.graph.discovered_iri: kge:new-<type>-<slug>, not (yet) in the lexicon


def _is_lexicon_iri(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(KGE)) and not str(node).startswith(_PROVISIONAL)


def _rank(node) -> tuple:
    """Which node of a class names it: a lexicon IRI, then a provisional (discovered) one, then any
    other IRI, then a blank node; the smallest among equals."""
    if isinstance(node, URIRef):
        text = str(node)
        return (0 if _is_lexicon_iri(node) else 1 if text.startswith(str(KGE)) else 2, text)
    return (3, str(node))


def _name_of(node, labels) -> str:
    names = sorted(str(l) for l in labels.get(node, ()))
    en = [str(l) for l in labels.get(node, ()) if getattr(l, "language", None) in (None, "en")]
    return (sorted(en) or names or [str(node)])[0]


def short_name(node) -> str:
    text = str(node)
    for prefix, ns in (("kge:", str(KGE)), ("kgd:", str(KGD)), ("wd:", str(WD))):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return "[] (a blank node)" if isinstance(node, BNode) else f"<{text}>"


@dataclass
class Identity:
    """The result of identity resolution over a set of quads."""

    mapping: dict  # node -> canonical node (only nodes that change)
    types: dict  # canonical node -> set of entity classes
    labels: dict  # canonical node -> set of name literals
    conflicts: list[Conflict]
    identified: dict  # canonical node -> sorted nodes merged into it


def resolve_identity(quads: Iterable[Quad]) -> Identity:
    nodes: set = set()  # entity nodes: typed with an entity class, or kg:Entity (an IRI merged away before)
    types: dict = defaultdict(set)
    labels: dict = defaultdict(set)
    same: list = []
    for s, p, o, g in quads:
        if g == ONTOLOGY_GRAPH:
            continue
        if p == RDF.type and o in ENTITY_CLASSES:
            types[s].add(o)
            nodes.add(s)
        elif p == RDF.type and o == KG.Entity:
            nodes.add(s)
        elif p in NAME_PROPERTIES and isinstance(o, Literal):
            labels[s].add(o)
        elif p == OWL.sameAs and not isinstance(o, Literal) and s != o:
            same.append((s, o))
        elif p == KG.wikidata and isinstance(o, Literal) and str(o).strip():
            same.append((s, WD[str(o).strip()]))
    uf = UnionFind(nodes)
    for a, b in same:
        uf.union(a, b)
    # A name and a type belong to the class (all that is known of its members): classes that share
    # a folded name and a type are one entity. Repeat until no class joins another; the result
    # depends only on the facts, not on which input or node holds them.
    named = [(node, key) for node, ls in labels.items() if node in uf.parents
             for key in {fold(str(l)) for l in ls} if key]
    while True:
        class_types: dict = defaultdict(set)
        for node, ts in types.items():
            class_types[uf[node]] |= ts
        index: dict = defaultdict(set)  # (folded name, type) -> class roots
        for node, key in named:
            root = uf[node]
            for cls in class_types.get(root, ()):
                index[(key, cls)].add(root)
        joined = False
        for roots in index.values():
            if len(roots) > 1:
                first, *rest = sorted(roots, key=_rank)
                for other in rest:
                    uf.union(first, other)
                joined = True
        if not joined:
            break

    classes: dict = defaultdict(set)
    for node in nodes:
        classes[uf[node]].add(node)
    mapping, merged_types, merged_labels, identified, canonical_of = {}, {}, {}, {}, {}
    for root, members in classes.items():
        canonical = min(members, key=_rank)
        canonical_of[root] = canonical
        merged_types[canonical] = class_types.get(root, set())
        merged_labels[canonical] = set().union(*(labels.get(m, set()) for m in members))
        others = sorted((m for m in members if m != canonical), key=_rank)
        for m in others:
            mapping[m] = canonical
        if others:
            identified[canonical] = others

    conflicts = []
    for node in sorted(merged_types, key=_rank):
        if len(merged_types[node]) > 1:
            kinds = " and ".join(sorted(str(t).rsplit("#", 1)[-1] for t in merged_types[node]))
            conflicts.append(Conflict("types", f"{short_name(node)} ({_name_of(node, merged_labels)}) is typed both {kinds}"))
    by_name: dict = defaultdict(set)  # folded name -> canonical nodes of typed classes bearing it
    for node, key in named:
        root = uf[node]
        if root in canonical_of and class_types.get(root):
            by_name[key].add(canonical_of[root])
    for key in sorted(by_name):
        if len(by_name[key]) > 1:
            parts = "; ".join(f"{short_name(n)} is a {' and '.join(sorted(str(t).rsplit('#', 1)[-1] for t in merged_types[n]))}"
                              for n in sorted(by_name[key], key=_rank))
            some = min(by_name[key], key=_rank)
            conflicts.append(Conflict("name", f"the name {_name_of(some, merged_labels)!r} is given to entities of "
                                              f"different types (kept apart): {parts}"))
    return Identity(mapping, merged_types, merged_labels, conflicts, identified)


# ---------------------------------------------------------------- merge

def _quads(ds: Dataset) -> list[Quad]:
    return [(s, p, o, g if g is not None else DEFAULT_GRAPH) for s, p, o, g in ds.quads((None, None, None, None))]


def _rewrite(quads: list[Quad], mapping: dict) -> list[Quad]:
    """Replace every node by its canonical node (the ontology graph is left alone); drop the
    ``x owl:sameAs x`` this can leave (and any that were there), and the old identity records.

    A discovered entity that turns out to be a lexicon entity (the lexicon adopted it) loses its
    ``kg:discovered`` flag and discovery confidence: a lexicon IRI never carries them."""
    out = []
    for s, p, o, g in quads:
        if g == IDENTITY_GRAPH:
            continue
        if g != ONTOLOGY_GRAPH:
            s, o = mapping.get(s, s), mapping.get(o, o)
            if p == OWL.sameAs and s == o:
                continue
            if p in (KG.discovered, KG.confidence) and _is_lexicon_iri(s):
                continue
        out.append((s, p, o, g))
    return out


def _identity_records(mapping: dict) -> set:
    """The identity graph: ``canonical owl:sameAs other`` and ``other a kg:Entity`` for every IRI
    merged away, so that a later merge rewrites it again wherever it still appears."""
    records = set()
    for n, c in mapping.items():
        if isinstance(n, URIRef):
            records.add((c, OWL.sameAs, n, IDENTITY_GRAPH))
            records.add((n, RDF.type, KG.Entity, IDENTITY_GRAPH))
    return records


def _canonical_bnodes(quads: list[Quad]) -> list[Quad]:
    """Relabel blank nodes from what they describe, so that the same structure read from two files
    (or twice) is one structure, not two copies, and different structures never share a label.

    Each connected group of blank nodes (across all graphs of the input: a blank node may appear in
    several) is canonicalised on its own (rdflib.compare) and labelled with a hash of its canonical
    quads. A label depends only on its own group, so relabelling the union of two inputs gives the
    union of the relabelled inputs."""
    plain, blank = [], []
    for q in quads:
        (blank if isinstance(q[0], BNode) or isinstance(q[2], BNode) else plain).append(q)
    if not blank:
        return quads
    groups = UnionFind()
    for s, _, o, _ in blank:
        groups[s if isinstance(s, BNode) else o]
        if isinstance(s, BNode) and isinstance(o, BNode):
            groups.union(s, o)
    members: dict = defaultdict(list)
    for q in blank:
        members[groups[q[0] if isinstance(q[0], BNode) else q[2]]].append(q)
    out = plain
    for group in members.values():
        # canonicalise triples whose predicate also names the graph, then split them again
        where: dict = {}
        graph = Graph()
        for s, p, o, g in group:
            key = URIRef("urn:x-kg:" + hashlib.sha256(f"{p} {g}".encode("utf-8")).hexdigest()[:24])
            where[key] = (p, g)
            graph.add((s, key, o))
        canonical = list(to_canonical_graph(graph))
        digest = hashlib.sha256("\n".join(sorted(" ".join(t.n3() for t in triple) for triple in canonical))
                                .encode("utf-8")).hexdigest()[:16]

        def relabel(term, digest=digest):
            return BNode(f"b{digest}{term}") if isinstance(term, BNode) else term

        out.extend((relabel(s), *where[key][:1], relabel(o), where[key][1]) for s, key, o in canonical)
    return out


def merge(datasets: Sequence[Dataset], names: Sequence[str] | None = None) -> tuple[Dataset, MergeReport]:
    """Merge datasets (see the module doc). ``names`` label the inputs in the report."""
    names = list(names or [f"input {i + 1}" for i in range(len(datasets))])
    report = MergeReport(inputs=names)
    per_input = [_quads(ds) for ds in datasets]
    for name, quads in zip(names, per_input):
        report.warnings.extend(_input_warnings(name, quads))
    identity = resolve_identity(q for quads in per_input for q in quads)
    report.identified = identity.identified
    report.conflicts.extend(identity.conflicts)

    rewritten = [_rewrite(quads, identity.mapping) for quads in per_input]
    # blank nodes are relabelled on the union: a node may now be shared by several inputs
    union = set(_canonical_bnodes([q for quads in rewritten for q in quads]))
    union |= _identity_records(identity.mapping)
    report.conflicts.extend(_interview_conflicts(rewritten, names))
    report.conflicts.extend(_source_conflicts(union))
    union, value_conflicts = _resolve_functional(union)
    report.conflicts.extend(value_conflicts)

    out = Dataset()
    bind_prefixes(out)
    contexts: dict = {}
    for g in sorted({q[3] for q in union}, key=str):
        contexts[g] = out.graph(g) if g != DEFAULT_GRAPH else out.default_graph
    out.addN((s, p, o, contexts[g]) for s, p, o, g in union)
    _summarise(out, union, report)
    return out, report


def _input_warnings(name: str, quads: list[Quad]) -> list[str]:
    if any(g == DEFAULT_GRAPH and p == RDF.type and o == KG.Interview for s, p, o, g in quads):
        return [f"{name}: interviews outside named graphs (a Turtle file?): their triples go to the default "
                "graph; merge the .trig files to keep one named graph per interview"]
    return []


def _interview_conflicts(inputs: list[list[Quad]], names: list[str]) -> list[Conflict]:
    """An interview's named graph that two inputs hold with different content."""
    holders: dict = defaultdict(list)
    for i, quads in enumerate(inputs):
        for s, p, o, g in quads:
            if s == g and p == RDF.type and o == KG.Interview:
                holders[g].append(i)
    out = []
    for g, held_by in sorted(holders.items()):
        if len(held_by) < 2:
            continue
        versions = {frozenset(_canonical_bnodes([q for q in inputs[i] if q[3] == g])) for i in held_by}
        if len(versions) > 1:
            file_name = next((q[2] for q in inputs[held_by[0]] if q[0] == g and q[1] == KG.fileName), None)
            named = f" ({file_name})" if file_name else ""
            out.append(Conflict("interview", f"interview {short_name(g)}{named} differs between "
                                             f"{', '.join(names[i] for i in held_by)} (extracted by different versions?): "
                                             "kept the union of both; rebuild it with `kg build FILE --into DIR` to replace it"))
    return out


def _source_conflicts(union: set) -> list[Conflict]:
    """One file (``kg:sourcePath``) held as two or more interviews: versions of a file that
    changed, from builds made apart. Both are kept (a merge never drops what it was given)."""
    by_path: dict = defaultdict(set)
    for s, p, o, g in union:
        if p == KG.sourcePath and s == g:
            by_path[str(o)].add(s)
    return [Conflict("source", f"{path} is held as {len(docs)} interviews ({', '.join(short_name(d) for d in sorted(docs))}): "
                               "versions of a changed file? all kept; `kg build FILE --into DIR` keeps only its current one")
            for path, docs in sorted(by_path.items()) if len(docs) > 1]


def _resolve_functional(union: set) -> tuple[set, list[Conflict]]:
    values: dict = defaultdict(set)
    for s, p, o, g in union:
        if p in FUNCTIONAL:
            values[(s, p, g)].add(o)
    conflicts, drop = [], set()
    for (s, p, g), objs in sorted(values.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        if len(objs) < 2:
            continue
        try:
            keep = FUNCTIONAL[p](objs, key=lambda l: l.toPython() if isinstance(l, Literal) else str(l))
        except TypeError:
            keep = min(objs, key=str)
        drop.update((s, p, o, g) for o in objs if o != keep)
        listed = ", ".join(sorted(str(o) for o in objs))
        conflicts.append(Conflict("value", f"{short_name(s)} has {len(objs)} values of {str(p).rsplit('#', 1)[-1]} "
                                           f"({listed}): kept {keep}"))
    return union - drop, conflicts


def _summarise(ds: Dataset, union: set, report: MergeReport) -> None:
    interviews, entities, relations, evidence = set(), set(), set(), set()
    relation_props = {KG[r] for r in RELATIONS}
    symmetric = {KG[r] for r in SYMMETRIC}
    for s, p, o, g in union:
        if g == ONTOLOGY_GRAPH:
            continue
        if p == RDF.type:
            if o == KG.Interview:
                interviews.add(s)
            elif o in ENTITY_CLASSES:
                entities.add(s)
            elif o == KG.Evidence:
                evidence.add(s)
        elif p in relation_props:
            relations.add((min(s, o, key=str), p, max(s, o, key=str)) if p in symmetric else (s, p, o))
    report.interviews, report.entities = len(interviews), len(entities)
    report.relations, report.evidence = len(relations), len(evidence)


# ---------------------------------------------------------------- counts

@dataclass
class EntityCount:
    mentions: int = 0
    interviews: set = field(default_factory=set)


@dataclass
class RelationCount:
    sentences: set = field(default_factory=set)  # evidence nodes
    interviews: set = field(default_factory=set)


@dataclass
class Counts:
    entities: dict = field(default_factory=dict)  # entity -> EntityCount
    relations: dict = field(default_factory=dict)  # (s, p, o) -> RelationCount (symmetric: s <= o)

    def as_plain(self) -> dict:
        """Comparable numbers: {entity: (mentions, interviews)}, {(s, p, o): (sentences, interviews)}."""
        return {
            "entities": {str(e): (c.mentions, len(c.interviews)) for e, c in self.entities.items()},
            "relations": {tuple(map(str, k)): (len(c.sentences), len(c.interviews)) for k, c in self.relations.items()},
        }


def counts(ds: Dataset) -> Counts:
    """Mentions and interviews per entity, supporting sentences and interviews per relation,
    recomputed from the ``kg:Occurrence`` and ``kg:Evidence`` nodes of every graph."""
    by_node: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if p in (KG.entity, KG.document, KG.mentionCount, RDF.subject, RDF.predicate, RDF.object) or (
                p == RDF.type and o in (KG.Occurrence, KG.Evidence)):
            by_node[s][p].add(o)
    out = Counts()
    symmetric = {KG[r] for r in SYMMETRIC}
    for node, props in by_node.items():
        kinds = props.get(RDF.type, set())
        docs = props.get(KG.document, set())
        if KG.Occurrence in kinds:
            for entity in props.get(KG.entity, ()):
                c = out.entities.setdefault(entity, EntityCount())
                c.mentions += max((int(n) for n in props.get(KG.mentionCount, ())), default=0)
                c.interviews |= docs
        if KG.Evidence in kinds:
            for s in props.get(RDF.subject, ()):
                for p in props.get(RDF.predicate, ()):
                    for o in props.get(RDF.object, ()):
                        key = (min(s, o, key=str), p, max(s, o, key=str)) if p in symmetric else (s, p, o)
                        c = out.relations.setdefault(key, RelationCount())
                        c.sentences.add(node)
                        c.interviews |= docs
    return out


def canonical_quads(ds: Dataset) -> set:
    """The dataset's quads with blank nodes relabelled canonically per graph: two datasets are the
    same graph-for-graph exactly when these sets are equal."""
    return set(_canonical_bnodes(_quads(ds)))


# ---------------------------------------------------------------- files

def merge_files(paths: Sequence[Path | str]) -> tuple[Dataset, MergeReport]:
    """Load and merge graph files. Raises ``kg.rdfio.GraphFileError`` (file:line: reason) before
    anything is merged if one of them cannot be read."""
    datasets = [load_dataset([p]) for p in paths]
    return merge(datasets, [str(p) for p in paths])


def _output_names(out: Path, turtle_beside: bool, with_view: bool) -> list[str]:
    """The files a merge writes: ``out``, and beside a .trig its Turtle and its view."""
    names = [out.name]
    if out.suffix.lower() == ".trig":
        if turtle_beside:
            names.append(out.with_suffix(".ttl").name)
        if with_view:
            names.append(out.with_suffix(".html").name)
    return names


def write_merged(ds: Dataset, out: Path | str, turtle_beside: bool = True, view=None) -> list[Path]:
    """Write atomically; for a ``.trig`` output also the union as Turtle beside it (``kg.trig``
    -> ``kg.ttl``) and, given a ``view`` writer (``kg.export.html.write_html``), the view
    (``kg.html``), as ``kg build`` does. The files are replaced together or not at all
    (``kg.atomic.output_set``). Returns the paths written."""
    from .atomic import output_set

    out = Path(out)
    names = _output_names(out, turtle_beside, view is not None)
    with output_set(out.parent) as stage:
        for name in names:
            if name.endswith(".html"):
                view(ds, stage / name)
            else:
                write_dataset(ds, stage / name, relative_to=out.parent)
    from .analysis.load import prime

    prime(out)  # the analysis commands' cache, written with the graph
    return [out.parent / name for name in names]


def merge_into(existing: Path | str, new: Dataset, new_name: str = "new build", *,
               base: Dataset | None = None, drop: Iterable = ()) -> tuple[Dataset, MergeReport]:
    """``kg build --into``: merge a freshly built dataset into the graph file ``existing`` (TriG).
    An interview that both hold is taken from ``new`` (the newer extraction replaces the older one),
    and so is the ontology graph; the named graphs in ``drop`` (older versions of changed files)
    go. ``base`` is ``existing`` already loaded. A missing ``existing`` file is an empty graph."""
    existing = Path(existing)
    if base is None and not existing.exists():
        ds, report = merge([new], [new_name])
        return ds, report
    if base is None:
        base = load_dataset([existing])
    fresh = {c.identifier for c in new.graphs() if len(c) and c.identifier != DEFAULT_GRAPH}
    gone = set(drop) - fresh
    replaced = sorted(g for g in fresh | gone if g != ONTOLOGY_GRAPH and len(base.graph(g)))
    for g in fresh | gone:
        base.remove_graph(base.graph(g))
    ds, report = merge([base, new], [str(existing), new_name])
    report.replaced = replaced
    return ds, report


# ---------------------------------------------------------------- streaming: files in, files out

_unmarked = re.compile(r"_:i\d+x")
_OX_READ = {"turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nquads": "N_QUADS"}


def _rdflib(t):
    """An Oxigraph term (or graph name) as rdflib reads it from a file (xsd:string literals plain)."""
    return rdflib_term(t, plain_strings=True)


class QuadInput:
    """An input of the streaming merge (``merge_to_files``) already in memory: Oxigraph quads,
    ``kg:sourcePath`` values absolute, ``name`` for the report (``kg build --into`` merges the
    graph it read and the interviews it extracted so)."""

    def __init__(self, name: str, quads: Iterable, folder: Path | str):
        self.name, self.quads, self.parent = name, list(quads), Path(folder)

    def __str__(self) -> str:
        return self.name

    def read(self, index: int) -> tuple[list, bool]:
        """The quads, blank nodes labelled for input ``index`` as ``_read_quads`` labels a file's."""
        return _label_blank_nodes(self.quads, index)


class EditedInput:
    """A graph file as an input of the streaming merge, with edits: its named graphs in ``drop``
    left out, ``kg:sourcePath`` values made absolute, the quads in ``remove`` left out and those
    in ``add`` added (``kg build --into``'s view of the graph it merges into: read from the file at
    each of the merge's two readings, never held whole)."""

    def __init__(self, path: Path | str, drop: set = frozenset(), remove: set = frozenset(), add: Iterable = ()):
        self.path, self.drop, self.remove, self.add = Path(path), set(drop), set(remove), list(add)
        self.parent = self.path.parent

    def __str__(self) -> str:
        return str(self.path)

    def read(self, index: int, checked: bool = False, blank: bool | None = None) -> tuple[list, bool]:
        import pyoxigraph as ox

        from .rdfio import absolute_source

        quads, has_blank = _read_quads(self.path, index, checked, blank)
        source = ox.NamedNode(str(KG.sourcePath))
        drop, remove, folder = self.drop, self.remove, self.parent
        out = []
        for q in quads:
            if q.graph_name in drop:
                continue
            o = q.object
            if q.predicate == source and isinstance(o, ox.Literal) and not os.path.isabs(o.value):
                q = ox.Quad(q.subject, q.predicate, ox.Literal(absolute_source(o.value, folder)), q.graph_name)
            if q not in remove:
                out.append(q)
        del quads
        out += [q for q in self.add if q.graph_name not in drop]
        return out, has_blank


def _read_quads(path: Path, index: int, checked: bool = False, blank: bool | None = None) -> tuple[list, bool]:
    """The quads of one graph file as Oxigraph quads, as ``kg.rdfio.load_dataset`` reads it (the
    same one-line errors), and whether it has blank nodes. Blank nodes are labelled per input
    (``index``), numbered in order of appearance: the same labels every time the file is read,
    and two files' blank nodes are never one. (Relative ``kg:sourcePath`` values are made
    absolute by the caller.) ``checked``: the file was read once already, without error (its IRIs
    are not validated again); ``blank``: whether it has blank nodes, when that reading found out (not
    looked for again)."""
    import pyoxigraph as ox

    from .export.rdf import ox_quads
    from .rdfio import GraphFileError, rdf_format, syntax_error

    if isinstance(path, QuadInput):
        return path.read(index)
    if isinstance(path, EditedInput):
        return path.read(index, checked, blank)
    path = Path(path)
    fmt = rdf_format(path)
    if fmt not in _OX_READ:
        quads = ox_quads(load_dataset([path]))  # JSON-LD, RDF/XML, N3: rdflib's parsers, as before
        blank = True
    else:
        if not path.exists():
            raise GraphFileError(f"{path}: no such file")
        if path.is_dir():
            raise GraphFileError(f"{path}: is a folder, not a graph file")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise GraphFileError(f"{path}: cannot read: {err.strerror or err}") from err
        try:
            quads = list(ox.parse(data, format=getattr(ox.RdfFormat, _OX_READ[fmt]), base_iri=path.resolve().as_uri(),
                                  lenient=checked))
        except (SyntaxError, ValueError) as err:
            raise syntax_error(path, fmt, err) from err
        # no blank node unless the file has "_:", "[" or "(", and then its quads written as N-Quads have "_:"
        if blank is None:
            blank = any(m in data for m in (b"_:", b"[", b"(")) and b"_:" in ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        del data
    if not blank:
        return quads, False
    return _label_blank_nodes(quads, index)


def _label_blank_nodes(quads, index: int) -> tuple[list, bool]:
    """The quads with their blank nodes labelled for input ``index``, numbered in order of
    appearance (two inputs' blank nodes are never one), and whether there were any."""
    import pyoxigraph as ox

    bnodes: dict = {}

    def bnode(b):
        n = bnodes.get(b)
        if n is None:
            n = bnodes[b] = ox.BlankNode(f"i{index}x{len(bnodes)}")
        return n

    out = []
    for q in quads:
        s, o = q.subject, q.object
        if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
            q = ox.Quad(bnode(s) if isinstance(s, ox.BlankNode) else s, q.predicate,
                        bnode(o) if isinstance(o, ox.BlankNode) else o, q.graph_name)
        out.append(q)
    return out, bool(bnodes)


@dataclass
class _Stream:
    """What a streaming merge gathers while it writes, graph by graph."""

    writer: object
    viewer: object
    folder: Path
    sources: dict = field(default_factory=lambda: defaultdict(set))  # absolute path -> interview nodes
    values: list = field(default_factory=list)  # ((str(s), str(p)), Conflict)
    interviews: set = field(default_factory=set)
    entities: set = field(default_factory=set)
    relations: set = field(default_factory=set)
    evidence: set = field(default_factory=set)


class _Nodes:
    """Oxigraph nodes of the vocabulary the streaming merge looks at, made once."""

    def __init__(self):
        import pyoxigraph as ox

        n = ox.NamedNode
        self.type, self.source, self.same = n(str(RDF.type)), n(str(KG.sourcePath)), n(str(OWL.sameAs))
        self.interview, self.evidence = n(str(KG.Interview)), n(str(KG.Evidence))
        self.classes = frozenset(n(str(c)) for c in ENTITY_CLASSES)
        self.relations = frozenset(n(str(KG[r])) for r in RELATIONS)
        self.symmetric = frozenset(n(str(KG[r])) for r in SYMMETRIC)
        self.functional = {n(str(p)): p for p in FUNCTIONAL}
        self.dropped = frozenset((n(str(KG.discovered)), n(str(KG.confidence))))
        self.ontology, self.identity = n(str(ONTOLOGY_GRAPH)), n(str(IDENTITY_GRAPH))


def _finish_graph(st: _Stream, g, quads: set, N: _Nodes) -> None:
    """One graph of the merged dataset, complete: single values resolved, counted, written."""
    import pyoxigraph as ox

    from .export.rdf import portable_path

    values: dict = defaultdict(set)
    written = []
    onto = g == N.ontology
    for q in quads:
        p = q.predicate
        if p in N.functional:
            values[(q.subject, p)].add(q.object)
        elif p == N.type:
            if not onto:
                o = q.object
                if o == N.interview:
                    st.interviews.add(q.subject)
                elif o in N.classes:
                    st.entities.add(q.subject)
                elif o == N.evidence:
                    st.evidence.add(q.subject)
        elif p in N.relations:
            if not onto:
                a, b = str(q.subject), str(q.object)
                st.relations.add((min(a, b), p, max(a, b)) if p in N.symmetric else (a, p, b))
        elif p == N.source:
            o = q.object
            if isinstance(o, ox.Literal):
                if q.subject == g:
                    st.sources[o.value].add(q.subject)
                if os.path.isabs(o.value):
                    written.append(ox.Quad(q.subject, p, ox.Literal(portable_path(o.value, st.folder)), g))
                    continue
        written.append(q)
    for (s, p), objs in values.items():
        if len(objs) < 2:
            continue
        rs, rp = _rdflib(s), N.functional[p]
        by_rdflib = {_rdflib(o): o for o in objs}
        try:
            keep = FUNCTIONAL[rp](by_rdflib, key=lambda l: l.toPython() if isinstance(l, Literal) else str(l))
        except TypeError:
            keep = min(by_rdflib, key=str)
        gone = {ox.Quad(s, p, o, g) for r, o in by_rdflib.items() if r != keep}
        quads -= gone
        written = [q for q in written if q not in gone]
        listed = ", ".join(sorted(str(o) for o in by_rdflib))
        st.values.append(((str(rs), str(rp)), Conflict("value", f"{short_name(rs)} has {len(objs)} values of "
                                                                 f"{str(rp).rsplit('#', 1)[-1]} ({listed}): kept {keep}")))
    st.writer.add(g, written, distinct=True)  # from a set; a source path rewritten stays distinct
    st.viewer.add(quads)


def merge_to_files(paths: Sequence[Path | str], out: Path | str, turtle_beside: bool = True,
                   view=None) -> tuple[list[Path], MergeReport]:
    """``merge_files`` then ``write_merged``, streamed: the same files, the same report, without
    holding every input's quads at once. Each input is read twice with Oxigraph's parsers: first
    for who is who (types, names, ``owl:sameAs``: ``resolve_identity``; many files by several
    processes, ``_first_readings``), then to rewrite its
    quads and write each named graph as soon as it is complete (``kg.export.rdf.GraphWriter``;
    a graph that several inputs hold waits for the last of them). The view (``view``: a writer
    such as ``kg.export.html.write_html``) and the analysis cache come from the model gathered
    while writing (``kg.export.viewmodel``). Outputs other than .trig and .ttl take the rdflib
    way (``merge_files``, ``write_merged``). Raises ``GraphFileError`` before anything is written.

    Python's cyclic garbage collector runs less often meanwhile (``kg.gctune.fewer_collections``):
    with the default thresholds it walked the millions of Oxigraph terms the merge holds again and
    again, about a third of the merge's CPU on 1,000 interview graphs."""
    out = Path(out)
    paths = [Path(p) for p in paths]
    if out.suffix.lower() not in (".trig", ".ttl"):
        ds, report = merge_files(paths)
        return write_merged(ds, out, turtle_beside=turtle_beside, view=view), report
    written, report, _ = merge_stream(paths, out, turtle_beside, view)
    return written, report


@dataclass
class _FirstReading:
    """What the first reading of one input keeps (``_first_reading``): all a merge needs to know
    before it writes anything. ``facts`` travel between processes as N-Triples (``_facts``):
    pickling a quarter of a million Oxigraph terms one by one took longer than reading the files."""

    facts: bytes  # N-Triples of who is who: entity types, names, owl:sameAs, kg:wikidata
    graphs: list  # the graphs it holds
    interviews: list  # the interview graphs it holds (graph g with ``g a kg:Interview`` inside g)
    default_interview: bool  # an interview in the default graph (a warning)
    blank: bool  # it has blank nodes (its labels are this input's, as ``_read_quads`` gives them)


def _first_reading(path, index: int) -> _FirstReading:
    """Read input ``index`` for who is who (``resolve_identity``'s facts) and which graphs it holds."""
    import pyoxigraph as ox

    N = _Nodes()
    name_props = frozenset(ox.NamedNode(str(p)) for p in NAME_PROPERTIES)
    wikidata, entity = ox.NamedNode(str(KG.wikidata)), ox.NamedNode(str(KG.Entity))
    watched = name_props | {N.type, N.same, wikidata}
    onto_graph = N.ontology
    quads, blank = _read_quads(path, index)
    graphs = list(dict.fromkeys(q.graph_name for q in quads))
    interviews: dict = {}
    facts = []
    default_interview = False
    for q in quads:
        p = q.predicate
        if p not in watched:
            continue
        s, o, g = q.subject, q.object, q.graph_name
        if p == N.type and o == N.interview:
            if s == g:
                interviews[g] = None
            if isinstance(g, ox.DefaultGraph):
                default_interview = True
        if g == onto_graph:
            continue
        if (p == N.type and (o in N.classes or o == entity)) or (
                p in name_props and isinstance(o, ox.Literal)) or (
                p == N.same and not isinstance(o, ox.Literal) and s != o) or (
                p == wikidata and isinstance(o, ox.Literal)):
            facts.append(q.triple)
    del quads
    return _FirstReading(ox.serialize(facts, format=ox.RdfFormat.N_TRIPLES) if facts else b"", graphs,
                         list(interviews), default_interview, blank)


def _facts(reading: _FirstReading):
    """The (s, p, o) facts of a first reading, as Oxigraph terms."""
    import pyoxigraph as ox

    if not reading.facts:
        return ()
    return ((t.subject, t.predicate, t.object) for t in ox.parse(reading.facts, format=ox.RdfFormat.N_TRIPLES))


def _first_reading_task(args) -> _FirstReading:
    return _first_reading(*args)


POOL_INPUTS = 160
"""From this many graph files on, the first reading is shared among processes. Starting two
spawned processes costs about a quarter of a second: on interview graphs of the speed bench, two
processes read 64 files in 0.45 s against 0.33 s in one, 128 in the same time, 160 in 0.75 s
against 0.81 s, 256 in 1.0 s against 1.3 s (2 cores)."""


def _first_readings(paths: Sequence, jobs: int | None = None):
    """``_first_reading`` of every input, in order. Graph files are read by ``jobs`` processes
    (None: the CPUs this process may use, from ``POOL_INPUTS`` files on); inputs held in memory
    (``QuadInput``, ``EditedInput``) and small merges are read here. Parsing is most of a reading
    and a reading's result is small, so two processes take the first reading of the speed
    bench's 1,000 interview graphs in well under the time of one. A file's error is raised here,
    in input order, as a reading in this process raises it (``GraphFileError``, the same line)."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if len(paths) < POOL_INPUTS:
            jobs = 1
    jobs = min(jobs, len(paths))
    if jobs <= 1 or not all(isinstance(p, (str, Path)) for p in paths):
        yield from (_first_reading(p, i) for i, p in enumerate(paths))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")  # as kg.parallel: no fork of a process that may have threads
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield from pool.map(_first_reading_task, [(str(p), i) for i, p in enumerate(paths)],
                            chunksize=max(1, min(32, len(paths) // (4 * jobs))))


@fewer_collections()
def merge_stream(paths: Sequence[Path | QuadInput | EditedInput], out: Path, turtle_beside: bool = True,
                 view=None, jobs: int | None = None) -> tuple[list[Path], MergeReport, _Stream]:
    """``merge_to_files`` to a .trig or .ttl ``out``, of graph files or ``QuadInput``s; also returns
    what it gathered while writing: ``.viewer`` saw every quad written (counts for a summary),
    ``len(.writer)`` is the number of quads written. ``jobs``: processes for the first reading
    (``_first_readings``; None: the machine's, for many files)."""
    import pyoxigraph as ox

    from .atomic import output_set
    from .export.rdf import GraphWriter
    from .export.viewmodel import ViewBuilder

    out = Path(out)
    names = [str(p) for p in paths]
    report = MergeReport(inputs=names)

    # pass 1: who is who, and which input holds which graph
    N = _Nodes()
    onto_graph = N.ontology
    facts: set = set()
    holders: dict = defaultdict(list)  # graph name -> inputs that hold it
    interview_holders: dict = defaultdict(list)  # interview graph -> inputs that hold the interview
    has_blanks: list[bool] = []  # per input, for the second reading
    for i, seen in enumerate(_first_readings(paths, jobs)):
        facts.update(_facts(seen))
        has_blanks.append(seen.blank)
        if seen.default_interview:
            report.warnings.extend(_input_warnings(names[i], [(None, RDF.type, KG.Interview, DEFAULT_GRAPH)]))
        for g in seen.interviews:
            interview_holders[g].append(i)
        for g in seen.graphs:
            holders[g].append(i)
        del seen
    identity = resolve_identity([(_rdflib(s), URIRef(p.value), _rdflib(o), DEFAULT_GRAPH) for s, p, o in facts])
    del facts
    report.identified = identity.identified
    report.conflicts.extend(identity.conflicts)

    def ox_node(n):
        return ox.BlankNode(str(n)) if isinstance(n, BNode) else ox.NamedNode(str(n))

    mapping = {ox_node(n): ox_node(c) for n, c in identity.mapping.items()}
    identity_graph = ox.NamedNode(str(IDENTITY_GRAPH))
    lexicon_prefix, provisional = str(KGE), _PROVISIONAL

    st = _Stream(GraphWriter(), ViewBuilder(), out.parent)
    versions: dict = defaultdict(dict)  # interview held by several inputs -> {input: its graph}
    pending: dict = defaultdict(set)  # other graph held by several inputs (the ontology) -> quads so far
    canonical: dict = {}  # blank-node quads of an input (labels without the input's mark) -> relabelled
    from .rdfio import absolute_source

    special = N.dropped | {N.same, N.source}
    for i, path in enumerate(paths):
        by_graph: dict = defaultdict(set)
        blank: list = []
        quads, has_blank = _read_quads(path, i, checked=True, blank=has_blanks[i])
        folder = path.parent
        for q in quads:
            g = q.graph_name
            if g == identity_graph:
                continue
            p = q.predicate
            if p in special or has_blank or (mapping and g != onto_graph and (q.subject in mapping or q.object in mapping)):
                s, o = q.subject, q.object
                if g != onto_graph:
                    s, o = mapping.get(s, s), mapping.get(o, o)
                    if p == N.same and s == o:
                        continue
                    if p in N.dropped and isinstance(s, ox.NamedNode) and s.value.startswith(lexicon_prefix) \
                            and not s.value.startswith(provisional):
                        continue
                if p == N.source and isinstance(o, ox.Literal) and not os.path.isabs(o.value):
                    o = ox.Literal(absolute_source(o.value, folder))  # as kg.rdfio reads it
                q = ox.Quad(s, p, o, g)
                if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
                    blank.append(q)
                    continue
            by_graph[g].add(q)
        del quads
        if blank:  # a blank node belongs to one input: its structure is labelled from its content (as merge does)
            key = tuple(sorted(_unmarked.sub("_:", str(q)) for q in blank))  # the same ontology in every input: once
            if key not in canonical:
                from .export.rdf import ox_term

                rdf = [(_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object), _rdflib(q.graph_name))
                       for q in blank]
                canonical[key] = [ox.Quad(ox_term(s), ox_term(p), ox_term(o),
                                          ox.DefaultGraph() if g == DEFAULT_GRAPH else ox_node(g))
                                  for s, p, o, g in _canonical_bnodes(rdf)]
            for q in canonical[key]:
                by_graph[q.graph_name].add(q)
        for g, quads in by_graph.items():
            if len(interview_holders.get(g, ())) > 1:
                versions[g][i] = quads
            elif len(holders[g]) > 1:
                pending[g] |= quads
            else:
                _finish_graph(st, g, quads, N)
        del by_graph, blank

    for g in sorted(versions, key=str):
        if len({frozenset(versions[g].get(i, ())) for i in interview_holders[g]}) > 1:
            file_name = next((q.object.value for quads in versions[g].values() for q in quads
                              if q.subject == g and q.predicate.value == str(KG.fileName)), None)
            named = f" ({file_name})" if file_name else ""
            report.conflicts.append(Conflict(
                "interview", f"interview {short_name(_rdflib(g))}{named} differs between "
                             f"{', '.join(names[i] for i in interview_holders[g])} (extracted by different versions?): "
                             "kept the union of both; rebuild it with `kg build FILE --into DIR` to replace it"))
    for g in sorted(versions, key=str):
        pending[g] |= set().union(*versions.pop(g).values())
    for g in sorted(pending, key=str):
        _finish_graph(st, g, pending.pop(g), N)
    records = {ox.Quad(ox_node(a), ox.NamedNode(str(p)), ox_node(b), identity_graph)
               for a, p, b, _g in _identity_records(identity.mapping)}
    if records:
        _finish_graph(st, identity_graph, records, N)

    report.conflicts.extend(
        Conflict("source", f"{path} is held as {len(docs)} interviews "
                           f"({', '.join(short_name(_rdflib(d)) for d in sorted(docs, key=str))}): "
                           "versions of a changed file? all kept; `kg build FILE --into DIR` keeps only its current one")
        for path, docs in sorted(st.sources.items()) if len(docs) > 1)
    report.conflicts.extend(c for _, c in sorted(st.values, key=lambda kv: kv[0]))
    report.interviews, report.entities = len(st.interviews), len(st.entities)
    report.relations, report.evidence = len(st.relations), len(st.evidence)

    out_names = _output_names(out, turtle_beside, view is not None)
    model = None
    with output_set(out.parent) as stage:
        trig = stage / out.name if out.suffix.lower() == ".trig" else None
        ttl = stage / out.with_suffix(".ttl").name if (trig is None or turtle_beside) else None
        st.writer.write(trig, ttl)
        st.writer.close()
        if view is not None and trig is not None:
            model = None if st.viewer.general else st.viewer.view()
            if model is None:
                from .analysis.load import read_view

                model = read_view([trig], cache=False)
            view(model, stage / out.with_suffix(".html").name)
    from .analysis.load import prime

    prime(out, None if st.viewer.general else (model or st.viewer.view()))
    return [out.parent / name for name in out_names], report, st
