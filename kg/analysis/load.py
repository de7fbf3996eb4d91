"""Graph files -> the view model (``kg.graphview.GraphView``) -> a networkx ``MultiDiGraph``.

``read_view(paths)`` gives the same ``GraphView`` as ``graph_view(load_graph(paths))`` (tested on
the corpus graph), but loads the files into an in-memory Oxigraph store (pyoxigraph, Rust) and
asks it a few SPARQL questions, so that the bulky part of a graph (a triple per evidence property,
an occurrence per entity and interview, the labels repeated in every interview's named graph) is
grouped and deduplicated in Rust instead of being turned into Python objects one triple at a time.

Entities, names, relation kinds and evidence mean exactly what ``kg.graphview`` says they mean;
the entity model is built by the same function (``graphview.make_entity``).

Because a 1,000-interview graph still takes seconds to parse, the model of each file is kept in a
cache (``cache_dir()``: the model in Python's ``marshal`` format, mostly the evidence sentences:
14 MB for 1,000 interviews, read in about 0.3 s), one entry per file (or set of files read
together), valid while the file's size, modification time and inode and kg's and Python's
versions are those it was made with; a changed file is read again and replaces its entry. The
``CACHE_ENTRIES`` most recently used entries are kept. ``KG_CACHE_DIR`` moves the cache,
``KG_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections import defaultdict
from pathlib import Path

from .. import __version__
from ..graphview import (_NOT_ENTITIES, _NOT_RELATIONS, _ONTOLOGY_RELATIONS, OTHER, Entity, Evidence, GraphView,
                         Interview, Kind, Relation, _camel_words, _ontology_labels, assemble, local_name, make_entity,
                         relation_id)
from ..rdfio import GraphFileError, rdf_format, syntax_error
from ..vocab import ENTITY_TYPES, KG, PREFIXES, RELATIONS, SYMMETRIC

CACHE_VERSION = 2

_PREFIXES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"

_OX_FORMATS = {"turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES", "nquads": "N_QUADS", "json-ld": "JSON_LD",
               "xml": "RDF_XML", "n3": "N3"}


# ---------------------------------------------------------------- loading

def _store(paths: list[Path]):
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        if not path.exists():
            raise GraphFileError(f"{path}: no such file")
        if path.is_dir():
            raise GraphFileError(f"{path}: is a folder, not a graph file (give e.g. {path / 'kg.trig'})")
        fmt = rdf_format(path)
        if fmt == "xml":  # Oxigraph reads a cut-off RDF/XML file without a word: rdflib's parser checks it
            from rdflib import Graph

            try:
                Graph().parse(path, format="xml")
            except Exception as err:  # noqa: BLE001  (any parser error is the file's)
                raise syntax_error(path, fmt, err) from err
        try:
            store.load(path=str(path), format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]))
        except (SyntaxError, ValueError, OSError) as err:
            raise syntax_error(path, fmt, err) from err  # the one line every command gives
    return store


def _rows(store, query: str):
    return store.query(_PREFIXES + query, use_default_graph_as_union=True)


def _v(term) -> str | None:
    return None if term is None else term.value


def _lang(term) -> str:
    return getattr(term, "language", None) or ""


def _is_iri(term) -> bool:
    return type(term).__name__ == "NamedNode"


def _view_of_store(store) -> GraphView:
    types: dict[str, str] = {}
    for t in reversed(ENTITY_TYPES):  # a node with two types gets the first in ENTITY_TYPES
        for row in _rows(store, f"SELECT DISTINCT ?s WHERE {{ ?s a kg:{t} FILTER isIRI(?s) }}"):
            types[row["s"].value] = t

    not_entities = " ".join(f"<{t}>" for t in _NOT_ENTITIES)
    labelled = set()
    for row in _rows(store, "SELECT ?s WHERE { { SELECT DISTINCT ?s WHERE { ?s rdfs:label|skos:prefLabel ?l } } "
                            f"FILTER isIRI(?s) FILTER NOT EXISTS {{ ?s a ?t VALUES ?t {{ {not_entities} }} }} }}"):
        if not row["s"].value.startswith(_NOT_RELATIONS):
            labelled.add(row["s"].value)
    candidates = set(types) | labelled

    # relation kinds: the ontology's, declared sub-properties of kg:relation, then any other
    # property between two candidate entities outside the bookkeeping vocabularies
    ontology = [str(p) for p in _ONTOLOGY_RELATIONS]
    declared = sorted({r["p"].value for r in _rows(store, "SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf kg:relation FILTER isIRI(?p) }")}
                      - set(ontology))
    other = set()
    subjects = " ".join(f"<{c}>" for c in sorted(candidates))  # a relation starts at a candidate entity
    for row in _rows(store, f"SELECT DISTINCT ?p WHERE {{ VALUES ?s {{ {subjects} }} ?s ?p ?o FILTER isIRI(?o) }}"):
        p = row["p"].value
        if p not in ontology and p not in declared and not p.startswith(_NOT_RELATIONS):
            other.add(p)
    symmetric_declared = {r["p"].value for r in _rows(store, "SELECT DISTINCT ?p WHERE { ?p a owl:SymmetricProperty }")}
    kind_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _rows(store, "SELECT DISTINCT ?p ?l WHERE { ?p rdfs:label ?l FILTER isLiteral(?l) }"):
        kind_labels[row["p"].value].setdefault(_lang(row["l"]), row["l"].value)
    pairs: dict[tuple[str, str, str], None] = {}
    ends: set[str] = set()
    kinds: dict[str, Kind] = {}
    onto_labels = {str(k): v for k, v in _ontology_labels().items()}
    for p in ontology + declared + sorted(other):
        ours = p in ontology
        found = [(r["s"], r["o"]) for r in _rows(store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{p}> ?o }}")]
        if not found:
            continue
        labels = kind_labels.get(p) or onto_labels.get(p, {})
        name = local_name(p) if ours else _prefixed(p)
        kind = Kind(name=name, iri=p, label_en=labels.get("en") or labels.get("") or _camel_words(local_name(p)),
                    label_zh=labels.get("zh", ""),
                    directed=not (name in SYMMETRIC and ours or p in symmetric_declared))
        kinds[p] = kind
        kept = False
        for s, o in found:
            if not (_is_iri(s) and _is_iri(o)) or s.value == o.value:
                continue
            s, o = s.value, o.value
            if not ours and not (s in candidates and o in candidates):
                continue
            a, b = (s, o) if kind.directed else tuple(sorted((s, o)))
            pairs.setdefault((kind.name, a, b), None)
            ends.update((s, o))
            kept = True
        if not kept and not ours:
            del kinds[p]

    # names, aliases, Wikidata links and discovery flags of the entities
    wanted = set(types) | ends
    names: dict[str, list] = defaultdict(list)
    aliases: dict[str, list] = defaultdict(list)
    for row in _rows(store, "SELECT DISTINCT ?s ?p ?l WHERE { ?s ?p ?l VALUES ?p { rdfs:label skos:prefLabel skos:altLabel } "
                            "FILTER(isIRI(?s) && isLiteral(?l)) }"):
        s = row["s"].value
        if s in wanted:
            if row["p"].value.endswith("altLabel"):
                aliases[s].append(row["l"].value)
            else:
                names[s].append((row["l"].value, _lang(row["l"])))
    same: dict[str, list] = defaultdict(list)
    for row in _rows(store, "SELECT DISTINCT ?s ?o WHERE { ?s owl:sameAs ?o "
                            "FILTER(isIRI(?o) && REGEX(STR(?o), \"^https?://www[.]wikidata[.]org/\")) }"):
        same[row["s"].value].append(row["o"].value)
    wikidata: dict[str, str] = {}
    for row in _rows(store, "SELECT ?s (MIN(STR(?w)) AS ?q) WHERE { ?s kg:wikidata ?w } GROUP BY ?s"):
        wikidata[row["s"].value] = row["q"].value
    discovered = {r["s"].value for r in _rows(store, "SELECT DISTINCT ?s WHERE { ?s kg:discovered true }")}
    entities: dict[str, Entity] = {}
    for iri in sorted(wanted):
        entities[iri] = make_entity(iri, types.get(iri, OTHER), names.get(iri, []), aliases.get(iri, []),
                                    same.get(iri, []), wikidata.get(iri), iri in discovered)

    by_name = {k.name: k for k in kinds.values()}
    relations = {key: Relation(id=relation_id(*key), kind=key[0], source=key[1], target=key[2],
                               directed=by_name[key[0]].directed) for key in pairs}

    interviews: dict[str, Interview] = {}
    for row in _rows(store, """SELECT ?d (MIN(STR(?t)) AS ?title) (MIN(STR(?dt)) AS ?date) (MIN(STR(?src)) AS ?source)
                               (MIN(STR(?f)) AS ?file) WHERE { ?d a kg:Interview
                               OPTIONAL { ?d dcterms:title ?t } OPTIONAL { ?d dcterms:date ?dt }
                               OPTIONAL { ?d dcterms:source ?src } OPTIONAL { ?d kg:fileName ?f } } GROUP BY ?d"""):
        d = row["d"].value
        date = _v(row["date"]) or ""
        interviews[d] = Interview(id=d, title=_v(row["title"]) or _v(row["file"]) or local_name(d),
                                  date=date.replace("T", " ")[:16] if "T" in date else date,
                                  source=_v(row["source"]) or "", file=_v(row["file"]) or "")

    kind_of_iri = {k.iri: k for k in kinds.values()}
    rows: dict[str, dict] = {}  # one row per evidence node; of several values, the smallest (as graph_view)
    for row in _rows(store, """SELECT ?ev ?s ?p ?o ?d ?sentence ?start ?end ?rule ?trigger ?conf
                               WHERE { ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                                 OPTIONAL { ?ev kg:document ?d } OPTIONAL { ?ev kg:sentence ?sentence }
                                 OPTIONAL { ?ev kg:startOffset ?start } OPTIONAL { ?ev kg:endOffset ?end }
                                 OPTIONAL { ?ev kg:rule ?rule } OPTIONAL { ?ev kg:trigger ?trigger }
                                 OPTIONAL { ?ev kg:confidence ?conf } }"""):
        ev = row["ev"].value
        have = rows.get(ev)
        if have is None:
            rows[ev] = {k: row[k] for k in _EV_VARS}
            continue
        for k in _EV_VARS:  # several values (a merge of disagreeing inputs): keep the smallest, as text
            if row[k] is not None and (have[k] is None or row[k].value < have[k].value):
                have[k] = row[k]
    for ev, row in sorted(rows.items()):
        kind = kind_of_iri.get(_v(row["p"]))
        if kind is None or row["s"] is None or row["o"] is None:
            continue
        s, o = row["s"].value, row["o"].value
        a, b = (s, o) if kind.directed else tuple(sorted((s, o)))
        rel = relations.get((kind.name, a, b))
        if rel is None:
            continue
        doc = _v(row["d"])
        rel.evidence.append(Evidence(sentence=_v(row["sentence"]) or "", interview=doc, subject=s, object=o,
                                     start=_int(row["start"]), end=_int(row["end"]), rule=_v(row["rule"]) or "",
                                     trigger=_v(row["trigger"]) or "", confidence=_float(row["conf"]), id=ev))
        if doc is not None:
            for end in (a, b):
                if end in entities:
                    entities[end].interviews.add(doc)

    # DISTINCT: Oxigraph's union of the graphs is a bag (a triple both in the default graph and in a
    # named graph, as when a .ttl and its .trig are read together, comes twice; oxigraph issue #1919),
    # and each occurrence would be summed once per combination of its triples' copies
    for row in _rows(store, """SELECT ?e (SUM(?n) AS ?mentions) (GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR="\\n") AS ?docs)
                               WHERE { { SELECT DISTINCT ?occ ?e ?d ?n WHERE { ?occ a kg:Occurrence ; kg:entity ?e .
                                 OPTIONAL { ?occ kg:document ?d } OPTIONAL { ?occ kg:mentionCount ?n } } } } GROUP BY ?e"""):
        e = entities.get(_v(row["e"]))
        if e is None:
            continue
        e.mentions += _int(row["mentions"]) or 0
        e.interviews.update(d for d in (_v(row["docs"]) or "").split("\n") if d)
    return assemble(entities, list(relations.values()), interviews, kinds)


_EV_VARS = ("s", "p", "o", "d", "sentence", "start", "end", "rule", "trigger", "conf")


def _prefixed(p: str) -> str:
    for prefix, ns in PREFIXES.items():
        if p.startswith(str(ns)) and len(p) > len(str(ns)):
            return f"{prefix}:{p[len(str(ns)):]}"
    return p


def _int(term) -> int | None:
    try:
        return int(float(term.value)) if term is not None else None
    except (TypeError, ValueError):
        return None


def _float(term) -> float | None:
    try:
        return float(term.value) if term is not None else None
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- cache

def cache_dir() -> Path | None:
    if os.environ.get("KG_NO_CACHE"):
        return None
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "kg")
    return Path(base) / "analysis"


def _cache_file(paths: list[Path]) -> tuple[Path, str] | None:
    where = cache_dir()
    if where is None:
        return None
    stamp = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            return None
        stamp.append(f"{p.resolve()}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1f{st.st_ino}")
    key = "\x1e".join(stamp + [f"v{CACHE_VERSION}", __version__, sys.version])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    # one entry per set of files: a newer version of a file replaces the entry of the older one
    name = hashlib.sha256("\x1e".join(str(p.resolve()) for p in paths).encode("utf-8")).hexdigest()[:32]
    return where / f"{name}.marshal", digest


CACHE_ENTRIES = 16
"""At most this many graph files (or sets of files) are cached; the least recently used go."""


def _prune(where: Path) -> None:
    entries = []
    for f in where.glob("*.marshal"):
        try:
            entries.append((f.stat().st_mtime, f))
        except OSError:
            pass
    for _, f in sorted(entries, reverse=True)[CACHE_ENTRIES:]:
        try:
            f.unlink()
        except OSError:
            pass


_EVIDENCE = ("sentence", "interview", "subject", "object", "start", "end", "rule", "trigger", "confidence", "id")


_REPEATED = frozenset({"interview", "subject", "object", "rule", "trigger"})


def _intern(value):
    return sys.intern(value) if isinstance(value, str) else value


def _to_json(view: GraphView) -> dict:
    """The model as plain lists (``marshal``-able): evidence as rows in ``_EVIDENCE`` order (most of the data)."""
    return {
        "entities": [[e.id, e.type, e.names, e.aliases, e.wikidata, e.mentions, sorted(e.interviews), e.discovered]
                     for e in view.entities.values()],
        # repeated strings (interview and entity IRIs, rules, triggers) interned: marshal writes
        # each once and refers to it after, a smaller file read faster
        "relations": [[r.id, r.kind, r.source, r.target, r.directed,
                       [[_intern(getattr(ev, f)) if f in _REPEATED else getattr(ev, f) for f in _EVIDENCE]
                        for ev in r.evidence]] for r in view.relations],
        "interviews": [[i.id, i.title, i.date, i.source, i.file] for i in view.interviews.values()],
        "kinds": [[k.name, k.iri, k.label_en, k.label_zh, k.directed] for k in view.kinds.values()],
    }


def _from_json(data: dict) -> GraphView:
    entities = {e[0]: Entity(id=e[0], type=e[1], names=[tuple(n) for n in e[2]], aliases=e[3], wikidata=e[4],
                             mentions=e[5], interviews=set(e[6]), discovered=e[7]) for e in data["entities"]}
    relations = [Relation(id=r[0], kind=r[1], source=r[2], target=r[3], directed=r[4],
                          evidence=[Evidence(*ev) for ev in r[5]]) for r in data["relations"]]
    interviews = {i[0]: Interview(*i) for i in data["interviews"]}
    kinds = {k[0]: Kind(*k) for k in data["kinds"]}
    return GraphView(entities=entities, relations=relations, interviews=interviews, kinds=kinds)


def read_view(paths: list[Path | str], cache: bool = True) -> GraphView:
    """The view model of graph files read as one graph (Turtle, TriG, N-Triples, N-Quads,
    JSON-LD, RDF/XML; merged graphs). Raises ``GraphFileError`` (one line) for a bad file."""
    paths = [Path(p) for p in paths]
    keyed = _cache_file(paths) if cache else None
    if keyed is not None and keyed[0].exists():
        try:
            data = marshal.loads(keyed[0].read_bytes())
            if isinstance(data, dict) and data.get("key") == keyed[1]:
                os.utime(keyed[0])  # recently used
                return _from_json(data)
        except (OSError, ValueError, EOFError, KeyError, TypeError, IndexError):
            pass  # a damaged cache entry is read again from the files
    view = _view_of_store(_store(paths))
    if keyed is not None:
        _store_cache(paths, view)
    return view


def prime(path: Path | str, view: GraphView | None = None) -> None:
    """Put the model of a graph file kg has just written in the cache, so the first analysis
    command on it (``kg path``, ``neighbours``, ``rank``, ``communities``, ``diff``, ``view``) is
    as fast as the next ones. ``view``: the model of that file, gathered while writing it
    (``kg.export.viewmodel``), stored as it is; without one the file is read. Nothing when the
    cache is off (``KG_NO_CACHE``); a file that cannot be read now is read, and reported, by the
    command that needs it."""
    if cache_dir() is None:
        return
    if view is None:
        try:
            read_view([Path(path)])
        except (GraphFileError, OSError):
            pass
        return
    _store_cache([Path(path)], view)


def _store_cache(paths: list[Path], view: GraphView) -> None:
    keyed = _cache_file(paths)
    if keyed is None:
        return
    try:
        keyed[0].parent.mkdir(parents=True, exist_ok=True)
        tmp = keyed[0].with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(dict(_to_json(view), key=keyed[1])))
        os.replace(tmp, keyed[0])
        _prune(keyed[0].parent)
    except OSError:
        pass  # no cache: slower next time, nothing else


# ---------------------------------------------------------------- networkx

def to_multidigraph(view: GraphView) -> nx.MultiDiGraph:
    """One node per entity (label, English and Chinese names, aliases, type, mentions, interviews),
    one edge per relation keyed by its kind (``kind``, ``directed``, ``evidence``: the supporting
    sentences, each with its interview, date and confidence, ``dates``: the dates of the interviews
    that support it). A symmetric relation is one edge, from the smaller IRI, ``directed=False``."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for e in sorted(view.entities.values(), key=lambda e: e.id):
        g.add_node(e.id, label=e.label, label_en=e.label_en, label_zh=e.label_zh, names=e.all_names, aliases=e.aliases,
                   type=e.type, mentions=e.mentions, interviews=len(e.interviews), wikidata=e.wikidata or "")
    for r in view.relations:
        evidence = [{"sentence": ev.sentence, "interview": ev.interview,
                     "title": view.interviews[ev.interview].title if ev.interview in view.interviews else "",
                     "date": interview_date(view, ev.interview), "confidence": ev.confidence,
                     "subject": ev.subject, "object": ev.object, "id": ev.id} for ev in r.evidence]
        g.add_edge(r.source, r.target, key=r.kind, kind=r.kind, directed=r.directed, evidence=evidence,
                   dates=sorted({e["date"] for e in evidence if e["date"]}), id=r.id)
    return g


def interview_date(view: GraphView, interview: str | None) -> str:
    """The interview's date as YYYY-MM-DD (or the part of it the graph gives); '' if none."""
    iv = view.interviews.get(interview or "")
    return iv.date[:10] if iv and iv.date else ""
