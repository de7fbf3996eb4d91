"""SPARQL over graph files: check a query, run it, turn the answer into text.

- ``check(text)`` parses a query or update and returns what kind it is; a syntax error is a
  ``QuerySyntaxError`` (line, column, the line itself, a hint), and what ``kg`` does not run is a
  ``QueryRefused``: an update unless allowed, ``SERVICE`` (federation: it would reach the network)
  unless allowed, ``LOAD`` always.
- ``open_dataset(paths)`` loads graph files into an rdflib ``Dataset``, backed by Oxigraph
  (oxrdflib; fast) or by rdflib's own memory store; ``lean=True`` (what ``kg query`` uses) gives
  an ``OxDataset`` instead, a plain Oxigraph store with the few ``Dataset`` methods asking needs,
  so that a question never imports rdflib's SPARQL parser (oxrdflib imports and builds it). Its default graph is the union of all graphs,
  so a query without ``GRAPH`` sees everything; ``GRAPH ?g`` sees each interview's named graph.
  ``open_dataset(paths, for_update=True)`` keeps the files' own default graph instead (what
  SPARQL Update works on); ``run_update`` applies an update with either engine (``kg.update``).
- ``run(ds, checked)`` evaluates with SPARQL 1.1 dataset semantics: ``FROM`` graphs are merged
  into the default graph, ``FROM NAMED`` graphs are the only ones ``GRAPH`` sees (and either
  clause alone leaves the other part empty); ``dataset=DatasetSpec(...)`` (the protocol's
  default-graph-uri / named-graph-uri) overrides the query's own clauses; ``max_rows`` cuts the
  answer (``result.truncated`` says so). ``serialize(result, fmt)`` gives SPARQL 1.1 JSON/CSV/TSV/XML
  results or Turtle/N-Triples/JSON-LD for graphs; ``result_table(result, ds)`` gives a rich table
  for people, with labels instead of entity IRIs.

The prefixes of ``kg.vocab.PREFIXES`` (kg, kge, kgd, kgev, rdf, rdfs, skos, owl, prov, xsd,
dcterms, wd) are bound in every query; a query's own ``PREFIX`` lines take precedence.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.query import Result, ResultRow
from rich.table import Table

from .rdfio import load_dataset, ox_term, rdflib_term
from .vocab import KG, PREFIXES

ENGINES = ("oxigraph", "rdflib")
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("table", "turtle", "nt", "json", "jsonld", "xml")
FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld")

PREFIX_NS: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class QueryError(Exception):
    """A query that cannot be run; ``str(err)`` says why (one line, or a few for syntax errors)."""


class QueryRefused(QueryError):
    """A well-formed request that ``kg`` does not carry out (update, SERVICE, LOAD)."""


class QuerySyntaxError(QueryError):
    def __init__(self, reason: str, line: int | None = None, column: int | None = None,
                 source_line: str = "", hint: str = "", source: str = "query"):
        self.reason, self.line, self.column = reason, line, column
        self.source_line, self.hint, self.source = source_line, hint, source
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        parts = [f"{where}: syntax error: {self.reason}"]
        if self.source_line:
            parts.append("  " + self.source_line)
            if self.column:
                # the caret goes under the column, counting wide (CJK) characters twice
                from rich.cells import cell_len

                parts.append("  " + " " * cell_len(self.source_line[: self.column - 1]) + "^")
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


@dataclass(frozen=True)
class DatasetSpec:
    """An RDF dataset named by IRIs: the graphs merged into the default graph, and the named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    """A query that parsed: ``kind`` is SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE; ``dataset`` is
    its FROM / FROM NAMED clauses (None without any)."""

    text: str
    kind: str
    uses_service: bool = False
    dataset: DatasetSpec | None = None

    @property
    def is_update(self) -> bool:
        return self.kind == "UPDATE"


# ---------------------------------------------------------------- checking

_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_KEYWORDS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "PREFIX", "BASE", "WHERE", "FILTER", "OPTIONAL",
             "UNION", "GRAPH", "LIMIT", "OFFSET", "ORDER", "GROUP", "BY", "HAVING", "DISTINCT", "VALUES",
             "BIND", "MINUS", "INSERT", "DELETE", "DATA", "WITH", "CLEAR", "DROP", "CREATE", "SERVICE",
             "EXISTS", "NOT", "AS", "COUNT", "SAMPLE", "GROUP_CONCAT", "REDUCED", "FROM", "NAMED")


def _walk(node) -> Iterator:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)


def check(text: str, *, allow_update: bool = False, allow_service: bool = False,
          source: str = "query", engine: str = "oxigraph") -> Checked:
    """Parse ``text`` (a query or an update) and apply the safety rules. Raises ``QueryError``.

    A query for Oxigraph (``engine``) with no ``SERVICE``, ``FROM`` or ``LOAD`` in it is parsed by
    Oxigraph alone (``_quick_check``: no rdflib SPARQL parser to import, build and run, about 0.2 s);
    everything else, and every query Oxigraph rejects, goes through rdflib's parser, which gives the
    line, column and hint of a syntax error and the details the safety rules need."""
    if not text.strip() or not _strip_comments(text).strip():
        raise QuerySyntaxError("the query is empty", source=source,
                               hint="write e.g. SELECT ?a ?b WHERE { ?a kg:competesWith ?b }")
    if engine == "oxigraph":
        quick = _quick_check(text)
        if quick is not None:
            return quick
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import algebra as sparql_algebra
    from rdflib.plugins.sparql import parser as sparql_parser

    try:
        parsed = sparql_parser.parseQuery(text)
    except ParseBaseException as query_err:
        try:
            parsed_update = sparql_parser.parseUpdate(text)
        except ParseBaseException as update_err:
            # report the reading that got further into the text
            raise _syntax_error(text, query_err if query_err.loc >= update_err.loc else update_err, source) from None
        tree = _translate(text, lambda: sparql_algebra.translateUpdate(parsed_update, initNs=PREFIX_NS), source)
        nodes = list(_walk(tree.algebra))
        if any(n.name == "Load" for n in nodes):
            raise QueryRefused("LOAD is refused: kg never fetches data from elsewhere; use `kg merge` to add graph files")
        service = any(n.name == "ServiceGraphPattern" for n in nodes)
        if service and not allow_service:
            raise _service_refused()
        if not allow_update:
            ops = ", ".join(sorted({_op_name(op.name) for op in tree.algebra})) or "update"
            raise QueryRefused(f"this is an update ({ops}), and kg query is read-only: "
                               "give --update and -o OUT to write the changed graph to OUT")
        return Checked(text, "UPDATE", service)
    tree = _translate(text, lambda: sparql_algebra.translateQuery(parsed, initNs=PREFIX_NS), source)
    service = any(n.name == "ServiceGraphPattern" for n in _walk(tree.algebra))
    if service and not allow_service:
        raise _service_refused()
    clauses = tree.algebra.get("datasetClause") or []
    dataset = DatasetSpec(tuple(str(c.default) for c in clauses if c.default is not None),
                          tuple(str(c.named) for c in clauses if c.named is not None)) if clauses else None
    return Checked(text, _KINDS.get(tree.algebra.name, tree.algebra.name), service, dataset)


_NEEDS_FULL_CHECK = re.compile(r"\b(?:SERVICE|FROM|LOAD)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"\s*(?:(?:PREFIX\s*[^\s:]*:\s*<>|BASE\s*<>)\s*)*([A-Za-z]+)", re.IGNORECASE)
_QUERY_WORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _quick_check(text: str) -> Checked | None:
    """``Checked`` for a query Oxigraph reads, with no SERVICE, FROM or LOAD (outside strings,
    IRIs and comments: the word anywhere else sends the query to the full check); None otherwise.
    The query is prepared on an empty store: its answer's type is the query form, and nothing is
    evaluated or read."""
    import pyoxigraph as ox

    code = _code_only(text)
    if _NEEDS_FULL_CHECK.search(code):
        return None
    first = _FIRST_WORD.match(code)
    kind = first.group(1).upper() if first else ""
    if kind not in _QUERY_WORDS:
        return None
    try:
        answer = ox.Store().query(text, prefixes=PREFIX_NS)
    except Exception:  # SyntaxError mostly: the full check says what is wrong, and where
        return None
    expected = {"SELECT": ox.QuerySolutions, "ASK": ox.QueryBoolean}.get(kind, ox.QueryTriples)
    if not isinstance(answer, expected):
        return None
    return Checked(text, kind)


def _op_name(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).upper()


def _service_refused() -> QueryRefused:
    return QueryRefused("SERVICE is refused: it sends part of the query to another endpoint over the network; "
                        "kg answers from local files only (kg query --allow-service lifts this)")


def _translate(text: str, fn, source: str):
    try:
        return fn()
    except QueryError:
        raise
    except Exception as err:  # rdflib raises plain Exception for unknown prefixes and similar
        msg = " ".join(str(err).split())
        m = re.match(r"Unknown namespace prefix : (\S*)", msg)
        if m:
            prefix = m.group(1)
            line, col = _find_prefix_use(text, prefix)
            lines = text.splitlines()
            bound = ", ".join(sorted(PREFIX_NS))
            raise QuerySyntaxError(
                f"unknown prefix {prefix}:", line, col, lines[line - 1].rstrip() if line else "",
                f"declare it (PREFIX {prefix}: <...>) or use a bound one: {bound}", source) from None
        raise QuerySyntaxError(msg or type(err).__name__, source=source) from None


def _find_prefix_use(text: str, prefix: str) -> tuple[int | None, int | None]:
    pattern = re.compile(rf"(?<![\w<\"'?$:]){re.escape(prefix)}:")
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if "#" in line and "<" not in line else line
        m = pattern.search(code)
        if m:
            return number, m.start() + 1
    return None, None


def _strip_comments(text: str) -> str:
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))


def _syntax_error(text: str, err, source: str) -> QuerySyntaxError:
    """``err``: pyparsing's ParseBaseException."""
    line, col = err.lineno, err.col
    lines = text.splitlines() or [""]
    source_line = lines[line - 1].rstrip() if 0 < line <= len(lines) else ""
    reason = _reason(err.msg, err.loc, text)
    return QuerySyntaxError(reason, line, col, source_line, _hint(text, err.loc, line, col), source)


def _reason(msg: str, loc: int, text: str) -> str:
    if "SelectQuery | ConstructQuery" in msg or msg.startswith("Expected {SelectQuery"):
        return "expected SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX lines)"
    if loc >= len(text.rstrip()):
        return "the query ends too early"
    token = re.match(r"\S{1,30}", text[loc:])
    near = f" near {token.group(0)!r}" if token else ""
    if msg in ("Expected SelectQuery", "Expected ConstructQuery", "Expected AskQuery", "Expected DescribeQuery"):
        return f"cannot read the query{near}"
    return f"{msg[0].lower() + msg[1:] if msg else 'cannot read the query'}{near}"


def _hint(text: str, loc: int, line: int, col: int) -> str:
    code = _code_only(text)
    opened, closed = code.count("{"), code.count("}")
    if opened != closed:
        return f"the braces do not balance: {opened} '{{' but {closed} '}}'"
    if code.count("(") != code.count(")"):
        return f"the parentheses do not balance: {code.count('(')} '(' but {code.count(')')} ')'"
    words = re.findall(r"[A-Za-z_]+", text[loc:loc + 40])
    first = words[0] if words else ""
    if first and first.upper() not in _KEYWORDS and re.fullmatch(r"[A-Za-z]{3,}", first):
        close = difflib.get_close_matches(first.upper(), _KEYWORDS, n=1, cutoff=0.75)
        if close:
            return f"did you mean {close[0]}?"
    head = re.match(r"\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*)*(\w+)", text, re.I)
    if head and head.group(1).upper() not in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "PREFIX", "BASE"):
        close = difflib.get_close_matches(head.group(1).upper(), ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"), n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]}?"
    m = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([A-Za-z_]\w*)\b", text, re.I)
    if m and m.group(1).upper() not in ("WHERE", "FROM", "DISTINCT", "REDUCED"):
        return f"variables start with ? (write ?{m.group(1)})"
    if loc >= len(text.rstrip()):
        return "something is missing at the end: a closing '}' or the rest of a triple pattern"
    lines = text.splitlines()
    if line > 1:
        prev = next((l.strip() for l in reversed(lines[: line - 1]) if l.strip() and not l.strip().startswith("#")), "")
        if prev and not prev.endswith((".", ";", ",", "{", "}", "(")) and col <= len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1:
            return "a '.' may be missing at the end of the line before"
    if _code_only(text[:loc]).count("{") > _code_only(text[:loc]).count("}"):
        return "look at the caret: inside { } a triple is subject predicate object, ending in '.'"
    return "look at the caret: a keyword, variable or term there is misspelt or out of place"


def _code_only(text: str) -> str:
    """The query without comments, strings and IRIs (for counting braces)."""
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return "\n".join(l.split("#", 1)[0] for l in text.splitlines())


# ---------------------------------------------------------------- loading and running

def open_dataset(paths: list[Path | str], engine: str = "oxigraph", *, for_update: bool = False,
                 lean: bool = False) -> Dataset:
    """Load graph files for querying (default graph: the union of all graphs) or, ``for_update``,
    as they are (default graph: the triples outside named graphs, as SPARQL Update means it).
    ``lean`` (Oxigraph, not for update): an ``OxDataset`` instead of an rdflib ``Dataset``: what
    ``kg query`` needs of one, without oxrdflib, which imports and builds rdflib's SPARQL parser.
    Raises ``kg.rdfio.GraphFileError`` for a bad file."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    if engine == "rdflib":
        ds = load_dataset(paths)
        ds.default_union = not for_update
        return ds
    if lean and not for_update:
        return OxDataset(paths)
    ds = load_dataset(paths, store="Oxigraph")
    if not for_update:
        _union_default_graph(ds.store._inner)
    return ds


def _union_default_graph(store) -> None:
    """Oxigraph's own union default graph repeats a triple once per graph that holds it (oxigraph
    issue #1919), which inflates COUNT and duplicates rows. Copy the RDF merge of the named graphs
    into the default graph instead: a set, as SPARQL means it. (Oxigraph's own SPARQL: rdflib's
    would import and build its parser.)"""
    if store.query("ASK { GRAPH ?g { ?s ?p ?o } }"):
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


class OxDataset:
    """Graph files in an in-memory Oxigraph store, read-only, default graph the RDF merge of all
    graphs (as ``open_dataset`` makes it): the parts of rdflib's ``Dataset`` that asking a question
    uses (``value``, ``objects``, ``subject_objects``, ``in``, ``namespace_manager``), with rdflib
    terms, loaded as ``kg.rdfio.load_dataset`` loads files (same errors, ``kg:sourcePath`` made
    absolute)."""

    def __init__(self, paths: list[Path | str]):
        import pyoxigraph as ox

        from .rdfio import _OX_FORMATS, absolute_source, check_graph_path, rdf_format, syntax_error
        from .vocab import bind_prefixes

        self.ox_store = store = ox.Store()
        source_path = ox.NamedNode(str(KG.sourcePath))
        for path in map(Path, paths):
            check_graph_path(path)
            fmt = rdf_format(path)
            try:
                store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]),
                                base_iri=path.absolute().as_uri(), to_graph=ox.DefaultGraph())
            except Exception as err:
                raise syntax_error(path, fmt, err) from err
            relative = [q for q in store.quads_for_pattern(None, source_path, None, None)
                        if isinstance(q.object, ox.Literal) and not Path(q.object.value).is_absolute()]
            for q in relative:
                store.remove(q)
                store.add(ox.Quad(q.subject, q.predicate, ox.Literal(absolute_source(q.object.value, path.parent)),
                                  q.graph_name))
        _union_default_graph(store)
        names = Graph()
        bind_prefixes(names)
        self.namespace_manager = names.namespace_manager
        self._default = ox.DefaultGraph()

    def _quads(self, s=None, p=None, o=None):
        return self.ox_store.quads_for_pattern(ox_term(s), ox_term(p), ox_term(o), self._default)

    def __contains__(self, triple) -> bool:
        return next(iter(self._quads(*triple)), None) is not None

    def value(self, subject, predicate):
        for q in self._quads(subject, predicate):
            return rdflib_term(q.object)
        return None

    def objects(self, subject, predicate):
        return (rdflib_term(q.object) for q in self._quads(subject, predicate))

    def subject_objects(self, predicate):
        return ((rdflib_term(q.subject), rdflib_term(q.object)) for q in self._quads(None, predicate))


def engine_of(ds: Dataset) -> str:
    return "oxigraph" if isinstance(ds, OxDataset) or type(ds.store).__name__ == "OxigraphStore" else "rdflib"


def run(ds: Dataset, checked: Checked, bindings: Mapping[str, object] | None = None, *,
        dataset: DatasetSpec | None = None, max_rows: int | None = None) -> Result:
    """Evaluate a checked query (not an update) on ``ds``. ``dataset`` replaces the query's
    FROM / FROM NAMED (as the protocol's default-graph-uri / named-graph-uri do); ``max_rows``
    keeps at most that many rows (triples for CONSTRUCT/DESCRIBE) and sets ``result.truncated``."""
    if checked.is_update:
        raise QueryError("run() evaluates queries; use run_update() for an update")
    init = {k: v for k, v in (bindings or {}).items() if v is not None}
    spec = dataset if dataset is not None else checked.dataset
    oxigraph = engine_of(ds) == "oxigraph"
    try:
        with _no_remote_graphs(not oxigraph):  # Oxigraph never fetches a graph
            if oxigraph:
                result = _run_oxigraph(ds, checked, init, spec, max_rows)
            else:
                result = _run_rdflib(ds, checked, init, dataset, max_rows)
            return result
    except QueryError:
        raise
    except MemoryError:
        raise
    except Exception as err:
        raise QueryError(f"the query failed: {' '.join(str(err).split())}") from err


def _run_rdflib(ds: Dataset, checked: Checked, init: dict, override: DatasetSpec | None,
                max_rows: int | None) -> Result:
    query: object = checked.text
    if override is not None:
        from rdflib.plugins.sparql import algebra as sparql_algebra
        from rdflib.plugins.sparql import parser as sparql_parser
        from rdflib.plugins.sparql.parserutils import CompValue

        # the protocol's dataset replaces the query's FROM / FROM NAMED
        query = sparql_algebra.translateQuery(sparql_parser.parseQuery(checked.text), initNs=PREFIX_NS)
        query.algebra["datasetClause"] = (
            [CompValue("DatasetClause", default=URIRef(g)) for g in override.default]
            + [CompValue("DatasetClause", named=URIRef(g)) for g in override.named])
        if not query.algebra["datasetClause"]:
            # an empty dataset: nothing to match
            query.algebra["datasetClause"] = [CompValue("DatasetClause", named=URIRef("urn:kg:no-graph"))]
    result = ds.query(query, initNs=PREFIX_NS, initBindings=init)
    result.truncated = False
    if result.type == "SELECT":
        # evaluate now (errors surface here; the answer can be read twice), and leave unbound
        # variables out of each row
        rows = []
        for row in result:
            if max_rows is not None and len(rows) >= max_rows:
                result.truncated = True
                break
            rows.append({Variable(k): v for k, v in row.asdict().items()})
        result.bindings = rows
    elif result.type in ("CONSTRUCT", "DESCRIBE") and max_rows is not None and len(result.graph) > max_rows:
        result.graph = _first_triples(result.graph, max_rows)
        result.truncated = True
    return result


def _first_triples(triples, n: int) -> Graph:
    graph = Graph()
    for i, t in enumerate(triples):
        if i >= n:
            break
        graph.add(t)
    return graph


class _Solutions(Result):
    """A SELECT answer from Oxigraph: the rows rdflib's ``Result`` gives, each made with one labels
    dict shared by all rows (rdflib's ``ResultRow`` builds its own per row: a third of the time of
    reading 40,000 rows of ``relations-with-evidence``)."""

    def __iter__(self):
        if self.type != "SELECT" or self._genbindings:
            yield from super().__iter__()
            return
        variables = self.vars
        labels = {str(v): i for i, v in enumerate(variables)}
        new = tuple.__new__
        for b in self._bindings:
            if b:  # as rdflib: an empty binding is no row
                row = new(ResultRow, [b.get(v) for v in variables])
                row.labels = labels
                yield row


def _run_oxigraph(ds: Dataset, checked: Checked, init: dict, spec: DatasetSpec | None,
                  max_rows: int | None) -> Result:
    """pyoxigraph directly: oxrdflib would pass the store's default graph and so drop FROM."""
    import pyoxigraph as ox

    from_ox, to_ox = rdflib_term, ox_term
    store = ds.ox_store if isinstance(ds, OxDataset) else ds.store._inner
    kwargs: dict = {}
    merged = None
    if spec is not None:
        present = [g for g in dict.fromkeys(spec.default) if store.contains_named_graph(ox.NamedNode(g))]
        if len(present) > 1:
            # Oxigraph joins several FROM graphs as a bag (a triple in two graphs twice; #1919):
            # merge them into a scratch graph, a set, and use that as the default graph
            merged = ox.NamedNode(f"urn:kg:from:{uuid.uuid4().hex}")
            values = " ".join(f"<{g}>" for g in present)
            store.update(f"INSERT {{ GRAPH {merged} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {values} }} }}")
            kwargs["default_graph"] = [merged]
        else:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in present]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in dict.fromkeys(spec.named)]
    try:
        answer = store.query(checked.text, prefixes=PREFIX_NS,
                             substitutions={ox.Variable(k): to_ox(v) for k, v in init.items()}, **kwargs)
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
            result.truncated = False
        elif isinstance(answer, ox.QuerySolutions):
            result = _Solutions("SELECT")
            result.vars = variables = [Variable(v.value) for v in answer.variables]
            rows, truncated = [], False
            seen: dict = {}  # each term converted once: IRIs and numbers repeat down the columns
            get = seen.get
            for solution in answer:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                row = {}
                for v, val in zip(variables, solution):
                    if val is not None:
                        term = get(val)
                        if term is None:
                            term = seen[val] = from_ox(val)
                        row[v] = term
                rows.append(row)
            result.bindings = rows
            result.truncated = truncated
        else:
            result = Result(checked.kind if checked.kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT")
            graph, truncated = Graph(), False
            for i, triple in enumerate(answer):
                if max_rows is not None and i >= max_rows:
                    truncated = True
                    break
                graph.add(from_ox(triple))
            result.graph = graph
            result.truncated = truncated
        return result
    finally:
        if merged is not None:
            store.remove_graph(merged)


def run_update(ds: Dataset, checked: Checked) -> None:
    """Apply an update (checked with ``allow_update=True``) to a dataset opened ``for_update``:
    Oxigraph's own SPARQL Update, or ``kg.update`` on rdflib's store."""
    if not checked.is_update:
        raise QueryError("run_update() applies updates; use run() for a query")
    try:
        with _no_remote_graphs():
            if engine_of(ds) == "oxigraph":
                ds.store._inner.update(checked.text, prefixes=PREFIX_NS)
            else:
                from .update import apply_update

                apply_update(ds, checked.text, PREFIX_NS)
    except QueryError:
        raise
    except Exception as err:
        raise QueryError(f"the update failed: {' '.join(str(err).split())}") from err


@contextlib.contextmanager
def _no_remote_graphs(rdflib_runs: bool = True):
    """rdflib would fetch a ``FROM <http://...>`` graph from the web; never let it. (Nothing to do
    when rdflib does not run the query: its SPARQL package is then not even imported.)"""
    if not rdflib_runs:
        yield
        return
    import rdflib.plugins.sparql as sparql

    before = sparql.SPARQL_LOAD_GRAPHS
    sparql.SPARQL_LOAD_GRAPHS = False
    try:
        yield
    finally:
        sparql.SPARQL_LOAD_GRAPHS = before


# ---------------------------------------------------------------- answers as text

def formats_for(kind: str) -> tuple[str, ...]:
    return GRAPH_FORMATS if kind in ("CONSTRUCT", "DESCRIBE") else SELECT_FORMATS


def serialize(result: Result, fmt: str) -> bytes:
    """The answer in ``fmt``: json/xml/csv/tsv (SPARQL 1.1 results) for SELECT and ASK;
    turtle/nt/jsonld/xml (RDF/XML) for CONSTRUCT and DESCRIBE (json means JSON-LD there)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        from .vocab import bind_prefixes

        bind_prefixes(graph)
        rdf_fmt = {"table": "turtle", "turtle": "turtle", "nt": "nt", "json": "json-ld", "jsonld": "json-ld",
                   "xml": "xml"}.get(fmt)
        if rdf_fmt is None:
            raise QueryError(f"{result.type} gives a graph: use --format turtle, nt, jsonld or xml, not {fmt}")
        out = graph.serialize(format=rdf_fmt, encoding="utf-8")
        return out if out.endswith(b"\n") else out + b"\n"
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    if fmt in ("csv",) and result.type == "ASK":
        return f"{str(bool(result.askAnswer)).lower()}\n".encode()
    if fmt in ("json", "xml", "csv"):
        out = result.serialize(format=fmt, encoding="utf-8")
        return out if out.endswith(b"\n") else out + b"\n"
    raise QueryError(f"{result.type} answers come as table, csv, tsv, json or xml, not {fmt}")


def _tsv(result: Result) -> str:
    """SPARQL 1.1 TSV results: a ?var header, then terms in Turtle syntax, tab-separated."""
    if result.type == "ASK":
        return f"{str(bool(result.askAnswer)).lower()}\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.bindings:
        lines.append("\t".join(_tsv_term(row.get(v)) for v in result.vars))
    return "\n".join(lines) + "\n"


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        value = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                 .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{value}"@{term.language}'
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{value}"^^<{term.datatype}>'
        return f'"{value}"'
    return str(term)


_VOCAB_NAMESPACES = tuple(str(PREFIXES[p]) for p in ("kg", "rdf", "rdfs", "skos", "owl", "prov", "xsd", "dcterms"))


class Labeler:
    """Display text for terms: an entity's label, an interview's file name, else a prefixed name."""

    def __init__(self, ds: Dataset | None, lang: str = "en", iris: bool = False):
        self.ds, self.lang, self.iris = ds, lang, iris
        self._cache: dict = {}
        self._nm = ds.namespace_manager if ds is not None else None

    def __call__(self, term) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal):
            return str(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        if term not in self._cache:
            self._cache[term] = self._label(term)
        return self._cache[term]

    def qname(self, iri: URIRef) -> str:
        if self._nm is None:
            return f"<{iri}>"
        try:
            return iri.n3(self._nm)
        except Exception:  # IRIs that cannot be split into namespace + name
            return f"<{iri}>"

    def _label(self, iri: URIRef) -> str:
        if self.iris or self.ds is None or str(iri).startswith(_VOCAB_NAMESPACES):
            return self.qname(iri)
        if (iri, RDF.type, KG.Interview) in self.ds:
            name = self.ds.value(iri, KG.fileName) or self.ds.value(iri, DCTERMS.title)
            if name is not None:
                return str(name)
        labels = [l for p in (RDFS.label, SKOS.prefLabel) for l in self.ds.objects(iri, p) if isinstance(l, Literal)]
        if not labels:
            return self.qname(iri)

        def rank(l: Literal):
            tag = (l.language or "").lower()
            order = [self.lang, "en", "zh"]
            hit = next((i for i, want in enumerate(order) if tag == want or tag.startswith(want + "-")), len(order))
            return hit, str(l)

        return str(min(labels, key=rank))


def result_table(result: Result, ds: Dataset | None = None, *, iris: bool = False, lang: str = "en") -> Table:
    """A rich table of a SELECT answer (labels instead of entity IRIs unless ``iris``)."""
    label = Labeler(ds, lang=lang, iris=iris)
    table = Table(show_header=True, header_style="bold", show_lines=False)
    rows = list(result.bindings)
    for var in result.vars:
        values = [r.get(var) for r in rows if r.get(var) is not None]
        numeric = bool(values) and all(isinstance(v, Literal) and isinstance(v.toPython(), (int, float)) for v in values)
        table.add_column(str(var), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(label(row.get(v)) for v in result.vars))
    return table


def ask_text(result: Result) -> str:
    return "yes" if result.askAnswer else "no"


def count_rows(result: Result) -> int:
    return len(result.bindings) if result.type == "SELECT" else 0
