"""The questions analysts ask of the entity graph, answered with networkx's own algorithms.

All functions take a ``GraphView`` (``kg.analysis.load.read_view``) and return plain rows
(dicts) that the CLI prints as a table, JSON or CSV.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import replace

import networkx as nx

from ..graphview import Entity, GraphView, Relation
from ..questions import _as_iri
from ..textnorm import fold
from .load import interview_date, to_multidigraph

SEED = 42
"""Louvain's random seed: the same graph always gives the same communities."""


class AnalysisError(Exception):
    """A question that cannot be answered as asked; ``str(err)`` is one line."""


# ---------------------------------------------------------------- names

def resolve(view: GraphView, name: str) -> Entity:
    """The entity ``name`` denotes: an IRI (``kge:tsmc``, full or prefixed) or any of its names
    or aliases in any script, compared after ``textnorm.fold`` (台积电, 臺積電, TSMC, tsmc)."""
    iri = _as_iri(name)
    if iri is not None:
        if str(iri) in view.entities:
            return view.entities[str(iri)]
        raise AnalysisError(f"no entity {name} in the graph")
    key = fold(name)
    index: dict[str, set[str]] = {}
    for e in view.entities.values():
        for n in e.all_names + [e.label]:
            index.setdefault(fold(n), set()).add(e.id)
    hits = index.get(key, set())
    if len(hits) == 1:
        return view.entities[next(iter(hits))]
    if len(hits) > 1:
        listed = ", ".join(f"{view.entities[h].label} ({_short(h)}, {view.entities[h].type})" for h in sorted(hits))
        raise AnalysisError(f"{name!r} names more than one entity: {listed}; give the IRI instead")
    close = difflib.get_close_matches(key, list(index), n=4, cutoff=0.6)
    if not close:  # a name that contains what was typed, or is contained in it
        close = sorted((k for k in index if key and (key in k or k in key) and len(k) > 1), key=len)[:4]
    labels = list(dict.fromkeys(view.entities[i].label for c in close for i in sorted(index[c])))
    also = f"; did you mean {' or '.join(labels)}?" if labels else ""
    raise AnalysisError(f"no entity named {name!r} in the graph{also}")


def _short(iri: str) -> str:
    from ..questions import _short as short

    return short(iri)


# ---------------------------------------------------------------- time and filters

def parse_date(text: str) -> str:
    """``--as-of`` as an inclusive upper bound: 2024 -> 2024-12-31, 2024-06 -> 2024-06-30."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.strip())
    if not m:
        raise AnalysisError(f"--as-of {text!r}: give a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m.group(1)), int(m.group(2) or 12), m.group(3)
    if not 1 <= month <= 12:
        raise AnalysisError(f"--as-of {text!r}: no month {month}")
    last = calendar.monthrange(year, month)[1]
    day = int(day) if day else last
    if not 1 <= day <= last:
        raise AnalysisError(f"--as-of {text!r}: no day {day} in {year}-{month:02d}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def as_of(view: GraphView, date: str) -> GraphView:
    """The graph as it stood on ``date`` (YYYY-MM-DD, inclusive): only what interviews dated on or
    before it say. A relation keeps the evidence of those interviews and is gone if none is left;
    an entity is there if such an interview names it or it has a relation left. Undated interviews
    cannot be placed in time and are left out."""
    dated = {i for i in view.interviews if (d := interview_date(view, i)) and d <= date}
    relations = []
    for r in view.relations:
        evidence = [ev for ev in r.evidence if ev.interview in dated]
        if evidence:
            relations.append(replace(r, evidence=evidence))
    ends = {x for r in relations for x in (r.source, r.target)}
    entities = {}
    for k, e in view.entities.items():
        seen = e.interviews & dated
        if seen or k in ends:
            entities[k] = replace(e, interviews=set(seen))
    used = {r.kind for r in relations}
    return replace(view, entities=entities, relations=relations,
                   interviews={k: v for k, v in view.interviews.items() if k in dated},
                   kinds={k: v for k, v in view.kinds.items() if k in used})


def undated(view: GraphView) -> int:
    return sum(1 for i in view.interviews if not interview_date(view, i))


def kinds_of(view: GraphView, value: str | None) -> list[str] | None:
    """``--relation a,b`` -> kind names (case-insensitive); an unknown one is an error naming the known."""
    if value is None:
        return None
    from ..vocab import RELATIONS

    known = list(dict.fromkeys([*RELATIONS, *view.kinds]))
    by_fold = {k.casefold(): k for k in known}
    out = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if part.casefold() not in by_fold:
            close = difflib.get_close_matches(part, known, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]}? " if close else ""
            raise AnalysisError(f"unknown relation {part!r} ({hint}choose from {', '.join(known)})")
        out.append(by_fold[part.casefold()])
    return out


def prepare(view: GraphView, relations: list[str] | None = None, date: str | None = None) -> GraphView:
    if date is not None:
        view = as_of(view, date)
    if relations is not None:
        view = view.restrict(None, relations)
        view = replace(view, entities=dict(view.entities))
    return view


# ---------------------------------------------------------------- evidence

def best_evidence(view: GraphView, r: Relation):
    """The evidence to show for a relation: the most confident sentence, the latest among equals."""
    if not r.evidence:
        return None
    return max(r.evidence, key=lambda ev: (ev.confidence or 0.0, interview_date(view, ev.interview), -(ev.start or 0)))


def _evidence_fields(view: GraphView, r: Relation) -> dict:
    ev = best_evidence(view, r)
    iv = view.interviews.get(ev.interview or "") if ev else None
    return {"sentence": ev.sentence if ev else "", "interview": iv.title if iv else "",
            "file": iv.file if iv else "", "date": interview_date(view, ev.interview) if ev else "",
            "confidence": ev.confidence if ev else None}


def _undirected(view: GraphView) -> nx.Graph:
    """Pairs of entities joined by any relation; the edge carries the relations between them."""
    g = nx.Graph()
    g.add_nodes_from(sorted(view.entities))
    for r in view.relations:
        if g.has_edge(r.source, r.target):
            g[r.source][r.target]["relations"].append(r)
            g[r.source][r.target]["weight"] += max(1, len(r.evidence))
        else:
            g.add_edge(r.source, r.target, relations=[r], weight=max(1, len(r.evidence)))
    return g


def _direction(r: Relation, frm: str) -> str:
    if not r.directed:
        return "↔"
    return "→" if r.source == frm else "←"


# ---------------------------------------------------------------- path

# paths of one length read before the best are kept (a bound for graphs where thousands tie)
_PATH_CANDIDATES = 200


def _hop_confidence(g: nx.Graph, frm: str, to: str) -> float:
    """How well a hop is told: the best evidence confidence of any relation between its two entities."""
    return max((ev.confidence if ev.confidence is not None else 0.5
                for r in g[frm][to]["relations"] for ev in r.evidence), default=0.5)


def paths(view: GraphView, a: Entity, b: Entity, max_hops: int = 4, limit: int = 5) -> list[dict]:
    """The shortest paths from ``a`` to ``b`` (at most ``max_hops`` relations, at most ``limit``
    paths, shortest first; among paths of one length, the best told first: the product of each hop's
    best evidence confidence, then the labels), following relations either way. Each hop lists every
    relation between its two entities, its direction as stated (→ from this hop's start, ← towards it,
    ↔ symmetric) and its best evidence sentence."""
    if a.id == b.id:
        raise AnalysisError(f"{a.label} and {b.label} are the same entity")
    g = _undirected(view)
    out = []
    try:
        candidates: list[list[str]] = []
        for nodes in nx.shortest_simple_paths(g, a.id, b.id):
            if len(nodes) - 1 > max_hops or len(candidates) >= _PATH_CANDIDATES:
                break
            if len(candidates) >= limit and len(nodes) > len(candidates[-1]):
                break  # the last length needed is complete
            candidates.append(nodes)

        def told(nodes: list[str]) -> tuple:
            score = 1.0
            for frm, to in zip(nodes, nodes[1:]):
                score *= _hop_confidence(g, frm, to)
            return (len(nodes), -score, [view.entities[n].label.casefold() for n in nodes], nodes)

        for nodes in sorted(candidates, key=told)[:limit]:
            hops = []
            for frm, to in zip(nodes, nodes[1:]):
                rels = sorted(g[frm][to]["relations"], key=lambda r: (-len(r.evidence), r.kind))
                hops.append({
                    "from": view.entities[frm].label, "from_id": frm, "to": view.entities[to].label, "to_id": to,
                    "relations": [{"relation": r.kind, "direction": _direction(r, frm),
                                   "evidence_count": len(r.evidence), **_evidence_fields(view, r)} for r in rels],
                })
            out.append({"hops": len(hops), "path": [view.entities[n].label for n in nodes], "steps": hops})
    except nx.NetworkXNoPath:
        pass
    return out


# ---------------------------------------------------------------- neighbours

def neighbours(view: GraphView, x: Entity, depth: int = 2) -> tuple[list[dict], set[str]]:
    """The entities within ``depth`` relations of ``x`` (networkx ego_graph), one row per relation
    that reaches them from the ring inside, grouped by relation kind; and the ids of the
    neighbourhood (for ``-o``)."""
    g = _undirected(view)
    ego = nx.ego_graph(g, x.id, radius=depth)
    dist = nx.single_source_shortest_path_length(ego, x.id)
    rows = []
    for u, v, data in ego.edges(data=True):
        if dist[u] == dist[v]:
            continue
        near, far = (u, v) if dist[u] < dist[v] else (v, u)
        for r in data["relations"]:
            e = view.entities[far]
            rows.append({
                "relation": r.kind, "depth": dist[far], "via": "" if near == x.id else view.entities[near].label,
                "direction": _direction(r, near), "entity": e.label, "id": e.id, "type": e.type,
                "evidence_count": len(r.evidence),
                "interviews": len({ev.interview for ev in r.evidence if ev.interview}),
                "dates": sorted({d for ev in r.evidence if (d := interview_date(view, ev.interview))}),
            })
    order = {k: i for i, k in enumerate(view.kinds)}
    rows.sort(key=lambda row: (row["depth"], order.get(row["relation"], 99), row["relation"], -row["evidence_count"],
                               row["entity"].casefold(), row["via"].casefold()))
    return rows, set(ego.nodes)


def subview(view: GraphView, ids: set[str]) -> GraphView:
    """Only the entities ``ids`` and the relations among them."""
    entities = {k: e for k, e in view.entities.items() if k in ids}
    relations = [r for r in view.relations if r.source in ids and r.target in ids]
    used = {r.kind for r in relations}
    return replace(view, entities=entities, relations=relations,
                   kinds={k: v for k, v in view.kinds.items() if k in used})


# ---------------------------------------------------------------- rank

MEASURES = ("pagerank", "degree", "betweenness")


def rank(view: GraphView, by: str = "pagerank", types: list[str] | None = None, limit: int = 20) -> list[dict]:
    """Who is central. ``pagerank``: on the directed graph (a symmetric relation counts both ways),
    edges weighted by their evidence sentences; ``degree``: the number of distinct entities related
    to; ``betweenness``: how many shortest paths between others pass through (normalised, on the
    graph of pairs). Computed on the whole graph (after ``--relation``/``--as-of``); ``types`` keeps
    only the rows of those entity types."""
    if by not in MEASURES:
        raise AnalysisError(f"--by must be one of {', '.join(MEASURES)}, not {by!r}")
    g = _undirected(view)
    if by == "pagerank":
        d = nx.DiGraph()
        d.add_nodes_from(sorted(view.entities))
        for r in view.relations:
            w = max(1, len(r.evidence))
            for s, t in ((r.source, r.target),) if r.directed else ((r.source, r.target), (r.target, r.source)):
                d.add_edge(s, t, weight=d[s][t]["weight"] + w if d.has_edge(s, t) else w)
        scores = _pagerank(d) if d.number_of_nodes() else {}
    elif by == "degree":
        scores = dict(g.degree())
    else:
        scores = nx.betweenness_centrality(g, normalized=True)
    rows = []
    for node, score in scores.items():
        e = view.entities[node]
        if types is not None and e.type not in types:
            continue
        if g.degree(node) == 0:
            continue
        rels = [data["relations"] for _, _, data in g.edges(node, data=True)]
        rows.append({"entity": e.label, "id": e.id, "type": e.type,
                     "score": int(score) if by == "degree" else round(float(score), 6),
                     "degree": g.degree(node), "evidence": sum(len(r.evidence) for rs in rels for r in rs)})
    rows.sort(key=lambda r: (-r["score"], -r["evidence"], r["entity"].casefold(), r["id"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows[:limit] if limit else rows


def _pagerank(d: nx.DiGraph) -> dict:
    """networkx's PageRank; its pure-Python implementation where SciPy (which ``nx.pagerank``
    needs) is not installed: the same algorithm and answer."""
    try:
        import scipy  # noqa: F401
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(d, weight="weight")
    return nx.pagerank(d, weight="weight")


# ---------------------------------------------------------------- communities

def communities(view: GraphView, types: list[str] | None = ("Company",), seed: int = SEED,
                names: int = 3) -> list[dict]:
    """Clusters (networkx ``louvain_communities``, fixed seed, edges weighted by evidence) of the
    entities of ``types`` (default: companies) and the relations among them; each community is
    named by its ``names`` most central members (weighted degree inside it), largest first."""
    keep = {k for k, e in view.entities.items() if types is None or e.type in types}
    g = _undirected(subview(view, keep))
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    if not g.number_of_nodes():
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    out = []
    for members in found:
        inner = g.subgraph(members)
        ranked = sorted(members, key=lambda n: (-inner.degree(n, weight="weight"), view.entities[n].label.casefold(), n))
        out.append({"members": [view.entities[n].label for n in ranked], "ids": ranked,
                    "size": len(members), "relations": inner.number_of_edges(),
                    "name": " · ".join(view.entities[n].label for n in ranked[:names])})
    out.sort(key=lambda c: (-c["size"], -c["relations"], c["name"].casefold()))
    for i, c in enumerate(out, 1):
        c["community"] = i
    return out


def community_of(view: GraphView, types: list[str] | None = ("Company",)) -> tuple[dict[str, int], list[dict]]:
    """Entity id -> community number (1 = largest), and the communities."""
    found = communities(view, types)
    return {n: c["community"] for c in found for n in c["ids"]}, found


__all__ = ["AnalysisError", "MEASURES", "as_of", "best_evidence", "communities", "community_of", "kinds_of",
           "neighbours", "parse_date", "paths", "prepare", "rank", "resolve", "subview", "to_multidigraph", "undated"]
