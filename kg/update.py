"""SPARQL 1.1 Update on rdflib's own store (``kg query --update --engine rdflib``).

rdflib's update evaluator does not follow the standard in places (CREATE is not implemented,
USING NAMED leaves every graph visible, DELETE/INSERT interleaves the two per solution, a union
default graph cannot be written to), so ``kg`` applies the parsed operations itself and uses
rdflib only to parse and to evaluate WHERE patterns. The behaviour follows the W3C
recommendation, and Oxigraph (the default engine) where the recommendation leaves a choice:

- the operations of one request run in order; the first failure stops the request (the caller
  writes nothing then);
- a named graph exists once created, inserted into or loaded, until DROP/MOVE removes it;
  CLEAR/DROP of a graph that does not exist and CREATE of one that does fail unless SILENT;
- ADD from a graph that does not exist adds nothing; COPY from one empties and removes the
  target; MOVE from one fails unless SILENT;
- DELETE/INSERT computes every solution of WHERE first, then deletes, then inserts; a template
  triple with an unbound variable or an invalid term (a literal subject) is skipped; blank nodes
  in an INSERT template are new for each solution.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Mapping

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import algebra as sparql_algebra
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import QueryContext


class UpdateFailed(Exception):
    """One line: which operation failed and why."""


def apply_update(ds: Dataset, text: str, prefixes: Mapping[str, str] | None = None) -> None:
    """Apply every operation of ``text`` to ``ds`` (an rdflib-store Dataset whose default graph is
    its own, ``default_union`` off)."""
    parsed = sparql_parser.parseUpdate(text)
    update = sparql_algebra.translateUpdate(parsed, initNs=dict(prefixes or {}))
    for op in update.algebra:
        handler = _HANDLERS.get(op.name)
        if handler is None:
            raise UpdateFailed(f"{op.name} is not supported")
        handler(ds, op)


# ---------------------------------------------------------------- graphs

def _default(ds: Dataset) -> Graph:
    return ds.graph(DATASET_DEFAULT_GRAPH_ID)


def _view(ds: Dataset, iri) -> Graph:
    """A named graph to read or delete from, without creating it."""
    return Graph(store=ds.store, identifier=URIRef(iri))


def _exists(ds: Dataset, iri) -> bool:
    return any(g.identifier == iri for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID)


def _named(ds: Dataset) -> list[Graph]:
    return [g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]


def _graph(ds: Dataset, ref) -> Graph:
    """'DEFAULT' or an IRI: the graph (created if named and new)."""
    return _default(ds) if ref == "DEFAULT" else ds.graph(URIRef(ref))


def _present(ds: Dataset, ref) -> bool:
    return ref == "DEFAULT" or _exists(ds, URIRef(ref))


def _targets(ds: Dataset, ref) -> list[Graph]:
    if ref == "DEFAULT":
        return [_default(ds)]
    if ref == "NAMED":
        return _named(ds)
    if ref == "ALL":
        return [_default(ds), *_named(ds)]
    return [ds.graph(URIRef(ref))]


def _name(ref) -> str:
    return ref if ref in ("DEFAULT", "NAMED", "ALL") else f"<{ref}>"


def _missing(op: CompValue, ref) -> None:
    if not op.silent:
        raise UpdateFailed(f"{op.name.upper()}: the graph {_name(ref)} does not exist (SILENT ignores this)")


# ---------------------------------------------------------------- graph management

def _clear(ds: Dataset, op: CompValue) -> None:
    ref = op.graphiri
    if ref not in ("DEFAULT", "NAMED", "ALL") and not _exists(ds, ref):
        return _missing(op, ref)
    for g in _targets(ds, ref):
        g.remove((None, None, None))


def _drop(ds: Dataset, op: CompValue) -> None:
    ref = op.graphiri
    if ref not in ("DEFAULT", "NAMED", "ALL") and not _exists(ds, ref):
        return _missing(op, ref)
    for g in _targets(ds, ref):
        if g.identifier == DATASET_DEFAULT_GRAPH_ID:
            g.remove((None, None, None))  # the default graph always exists: DROP empties it
        else:
            ds.remove_graph(g)


def _create(ds: Dataset, op: CompValue) -> None:
    if _exists(ds, op.graphiri):
        if not op.silent:
            raise UpdateFailed(f"CREATE: the graph <{op.graphiri}> already exists (SILENT ignores this)")
        return
    ds.add_graph(URIRef(op.graphiri))


def _transfer(ds: Dataset, op: CompValue) -> None:
    src, dst = op.graph
    if src == dst:
        return
    if not _present(ds, src):
        if op.name == "Move":
            return _missing(op, src)
        if op.name == "Copy":  # copying nothing: the target ends as the source, absent
            if _present(ds, dst):
                _drop(ds, CompValue("Drop", graphiri=dst, silent=True))
        return
    triples = list(_graph(ds, src).triples((None, None, None)))
    target = _graph(ds, dst)
    if op.name in ("Copy", "Move"):
        target.remove((None, None, None))
    for t in triples:
        target.add(t)
    if op.name == "Move":
        _drop(ds, CompValue("Drop", graphiri=src, silent=True))


# ---------------------------------------------------------------- data

def _insert_data(ds: Dataset, op: CompValue) -> None:
    for t in op.triples or []:
        _default(ds).add(t)
    for g, triples in (op.quads or {}).items():
        graph = ds.graph(URIRef(g))
        for t in triples:
            graph.add(t)


def _delete_data(ds: Dataset, op: CompValue) -> None:
    for t in op.triples or []:
        _default(ds).remove(t)
    for g, triples in (op.quads or {}).items():
        graph = _view(ds, g)
        for t in triples:
            graph.remove(t)


def _delete_where(ds: Dataset, op: CompValue) -> None:
    where = sparql_algebra.BGP(list(op.triples or []))
    for g, triples in (op.quads or {}).items():
        where = sparql_algebra.Join(where, sparql_algebra.Graph(g, sparql_algebra.BGP(list(triples))))
    template = CompValue("DeleteClause", triples=list(op.triples or []), quads=op.quads or {})
    _modify(ds, CompValue("Modify", where=where, delete=template, insert=None, using=None, withClause=None))


def _modify(ds: Dataset, op: CompValue) -> None:
    with_graph = URIRef(op.withClause) if op.withClause else None
    if op.using:
        # USING / USING NAMED replace the dataset of WHERE (and WITH does not apply to it)
        scope = Dataset()
        default = scope.graph(DATASET_DEFAULT_GRAPH_ID)
        for clause in op.using:
            if clause.default is not None:
                for t in _view(ds, clause.default).triples((None, None, None)):
                    default.add(t)
            elif clause.named is not None and _exists(ds, clause.named):
                named = scope.graph(URIRef(clause.named))
                for t in _view(ds, clause.named).triples((None, None, None)):
                    named.add(t)
        ctx = QueryContext(scope).pushGraph(default)
    else:
        ctx = QueryContext(ds).pushGraph(_view(ds, with_graph) if with_graph is not None else _default(ds))
    ctx.prologue = op.prologue
    solutions = list(evalPart(ctx, op.where))
    # a graph is created by inserting into it, never by deleting from it
    deletes = list(_instances(op.delete, solutions, ds, with_graph, _view)) if op.delete else []
    inserts = list(_instances(op.insert, solutions, ds, with_graph, lambda d, g: d.graph(URIRef(g)))) if op.insert else []
    for graph, triple in deletes:
        graph.remove(triple)
    for graph, triple in inserts:
        graph.add(triple)


def _instances(template: CompValue, solutions: list, ds: Dataset, with_graph, graph_of) -> Iterator[tuple[Graph, tuple]]:
    target = graph_of(ds, with_graph) if with_graph is not None else _default(ds)
    for solution in solutions:
        bnodes: dict = collections.defaultdict(BNode)  # new blank nodes for each solution
        for triple in _fill(template.triples or [], solution, bnodes):
            yield target, triple
        for g, triples in (template.quads or {}).items():
            name = solution.get(g) if isinstance(g, Variable) else g
            if not isinstance(name, URIRef):
                continue
            graph = graph_of(ds, name)
            for triple in _fill(triples, solution, bnodes):
                yield graph, triple


def _fill(template: Iterable[tuple], solution, bnodes: dict) -> Iterator[tuple]:
    for pattern in template:
        terms = []
        for term in pattern:
            if isinstance(term, Variable):
                term = solution.get(term)
            elif isinstance(term, BNode):
                term = bnodes[term]
            terms.append(term)
        s, p, o = terms
        if s is None or p is None or o is None or isinstance(s, Literal) or not isinstance(p, URIRef):
            continue
        yield s, p, o


_HANDLERS = {
    "InsertData": _insert_data,
    "DeleteData": _delete_data,
    "DeleteWhere": _delete_where,
    "Modify": _modify,
    "Clear": _clear,
    "Drop": _drop,
    "Create": _create,
    "Add": _transfer,
    "Move": _transfer,
    "Copy": _transfer,
}
