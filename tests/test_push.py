"""kg push / kg query --endpoint against a real SPARQL store (Virtuoso on loopback), and the
parts that need no store."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pytest
from rdflib import Graph, Literal, URIRef

from kg.cli import app
from kg.endpoint import Endpoint, EndpointError, query, query_form, with_prefixes
from kg.push import push
from kg.rdfio import GraphFileError, load_dataset

from . import virtuoso as vt

# ---------------------------------------------------------------- no store needed


class Recorder(Endpoint):
    """An endpoint that records requests instead of sending them."""

    def __init__(self):
        super().__init__("http://127.0.0.1:9/store")
        self.sent = []

    def request(self, method, url=None, body=None, headers=None):
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(url or self.url).query).get("graph", [""])[0]
        lines = [l for l in (body or b"").decode("utf-8").splitlines() if l.strip()]
        self.sent.append((method, graph, lines))
        return 200, "", b""


def test_push_streams_in_batches_and_keeps_blank_nodes_together(tmp_path):
    lines = []
    for g in range(3):  # interleaved graphs, as a file sorted by subject has them
        for i in range(25):
            lines.append(f"<urn:s{i}> <urn:p> \"{g}-{i}\" <urn:g{g}> .")
    lines += ["<urn:x> <urn:q> _:b <urn:g1> .", "_:b <urn:r> \"v\" <urn:g1> .", "<urn:d> <urn:p> \"default\" ."]
    path = tmp_path / "many.nq"
    path.write_text("\n".join(sorted(lines)) + "\n")
    rec = Recorder()
    report = push([path], rec, batch_size=10, max_buffered=15)
    assert report.triples == len(lines) and report.graphs["urn:g1"] == 27 and report.graphs[""] == 1
    assert all(len(body) <= 10 for _, _, body in rec.sent if not any("_:" in l for l in body))
    for g in ("urn:g0", "urn:g1", "urn:g2", ""):
        methods = [m for m, graph, _ in rec.sent if graph == g]
        assert methods[0] == "PUT" and set(methods[1:]) <= {"POST"}, (g, methods)
    with_bnode = [body for _, _, body in rec.sent if any("_:" in l for l in body)]
    assert len(with_bnode) == 1 and sum("_:" in l for l in with_bnode[0]) == 2
    rec = Recorder()
    push([path], rec, append=True, batch_size=10)
    assert {m for m, _, _ in rec.sent} == {"POST"}


def test_push_refuses_bad_graph_files(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    with pytest.raises(GraphFileError, match=r"bad.ttl:1: not valid Turtle: Parser error at line 1"):
        push([bad], Recorder())
    with pytest.raises(GraphFileError, match="no such file"):
        push([tmp_path / "missing.trig"], Recorder())


def test_prefixes_added_only_where_used_and_undeclared():
    q = "PREFIX kg: <urn:mine#>\nSELECT ?a WHERE { ?a kg:x ?b ; rdfs:label ?l }"
    out = with_prefixes(q)
    assert "PREFIX rdfs:" in out and out.count("PREFIX kg:") == 1 and "PREFIX skos:" not in out
    assert query_form("# SELECT in a comment\nASK { <urn:SELECT> ?p 'CONSTRUCT' }") == "ASK"
    with pytest.raises(EndpointError):
        query_form("INSERT DATA { <a> <b> <c> }")


def test_bad_endpoint_url_and_unreachable_store(runner, corpus_build):
    with pytest.raises(EndpointError, match="not an http"):
        Endpoint("ftp://example.org/sparql")
    result = runner.invoke(app, ["push", str(corpus_build / "kg.trig"), "-e", "http://127.0.0.1:9/store"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: http://127.0.0.1:9/store: cannot connect")


# ---------------------------------------------------------------- against Virtuoso


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    why = vt.missing()
    if why:
        pytest.skip(why)
    server = vt.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def _value(o):
    # stores may write typed literals in canonical form ("0.850" -> "0.85"): compare values
    if isinstance(o, Literal) and o.datatype is not None and o.value is not None:
        return ("literal", o.value, str(o.datatype))
    return o


def _comparable(triples) -> set:
    g = Graph()
    for t in triples:
        g.add(t)
    from rdflib.compare import to_canonical_graph

    return {(s, p, _value(o)) for s, p, o in to_canonical_graph(g)}


def named_graphs(path):
    ds = load_dataset([path])
    return {str(c.identifier): list(c) for c in ds.graphs() if isinstance(c.identifier, URIRef) and len(c)}


def remote_graph(store, name: str) -> list:
    res = query(Endpoint(store.sparql), f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    return list(res.graph)


def remote_count(store, name: str) -> int:
    res = query(Endpoint(store.sparql), f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    return int(list(res)[0][0])


def test_push_named_graphs_through_the_graph_store_protocol(store, corpus_build, runner):
    trig = corpus_build / "kg.trig"
    local = named_graphs(trig)
    assert len(local) >= 3  # two interviews and the ontology
    result = runner.invoke(app, ["push", str(trig), "--endpoint", store.graph_store, "--batch", "500"])
    assert result.exit_code == 0, result.output
    assert f"{sum(map(len, local.values()))} triples in {len(local)} graph(s)" in result.stdout
    for name, triples in local.items():
        assert _comparable(remote_graph(store, name)) == _comparable(triples), name
    # pushing again replaces, never duplicates
    result = runner.invoke(app, ["push", str(trig), "-e", store.graph_store, "-q"])
    assert result.exit_code == 0
    assert {name: remote_count(store, name) for name in local} == {n: len(t) for n, t in local.items()}


def test_push_through_sparql_update(store, corpus_build):
    local = named_graphs(corpus_build / "kg.trig")
    for name in local:
        store.sql(f"SPARQL CLEAR GRAPH <{name}>;")
    report = push([corpus_build / "kg.trig"], Endpoint(store.sparql), protocol="update", batch_size=400)
    assert report.requests > len(local)
    for name, triples in local.items():
        assert _comparable(remote_graph(store, name)) == _comparable(triples), name


def test_push_turtle_into_a_named_graph_and_append(store, tmp_path, runner):
    ttl = tmp_path / "extra.ttl"
    ttl.write_text('<urn:kg-test:a> <urn:kg-test:p> "一"@zh .\n', encoding="utf-8")
    ttl2 = tmp_path / "more.ttl"
    ttl2.write_text('<urn:kg-test:b> <urn:kg-test:p> "二"@zh .\n', encoding="utf-8")
    g = "urn:kg-test:graph"
    assert runner.invoke(app, ["push", str(ttl), "-e", store.graph_store, "--graph", g]).exit_code == 0
    assert runner.invoke(app, ["push", str(ttl2), "-e", store.graph_store, "--graph", g, "--append"]).exit_code == 0
    assert {str(o) for _, _, o in remote_graph(store, g)} == {"一", "二"}
    assert runner.invoke(app, ["push", str(ttl2), "-e", store.graph_store, "--graph", g]).exit_code == 0
    assert {str(o) for _, _, o in remote_graph(store, g)} == {"二"}


def test_push_needs_credentials_where_the_store_asks(store, corpus_build, runner, monkeypatch):
    trig = str(corpus_build / "kg.trig")
    result = runner.invoke(app, ["push", trig, "-e", store.graph_store_auth])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "HTTP 401" in line
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "dba")  # Virtuoso's default dba password, Digest auth
    result = runner.invoke(app, ["push", trig, "-e", store.graph_store_auth, "--user", "dba", "-q"])
    assert result.exit_code == 0, result.output


def test_query_endpoint(store, corpus_build, runner):
    push([corpus_build / "kg.trig"], Endpoint(store.graph_store))
    select = "SELECT DISTINCT ?title WHERE { ?d a kg:Interview ; dcterms:title ?title } ORDER BY ?title"
    result = runner.invoke(app, ["query", "-q", select, "--endpoint", store.sparql])
    assert result.exit_code == 0, result.output
    assert "三万字深度对谈" in result.stdout and "2 answers" in result.stderr
    result = runner.invoke(app, ["query", "-q", select, "-e", store.sparql, "--format", "json"])
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert len(rows) == 2 and rows[0]["title"]["value"].startswith("三万字")
    result = runner.invoke(app, ["query", "-q", "ASK { ?a kg:supplies ?b }", "-e", store.sparql])
    assert result.stdout.strip() == "yes"
    rq = corpus_build.parent / "suppliers.rq"
    rq.write_text("CONSTRUCT { ?a kg:supplies ?b } WHERE { ?a kg:supplies ?b }", encoding="utf-8")
    result = runner.invoke(app, ["query", "-f", str(rq), "-e", store.sparql, "--format", "turtle"])
    assert result.exit_code == 0 and "kg:supplies" in result.stdout
    assert len(Graph().parse(data=result.stdout, format="turtle")) >= 2
    # a ready question by name: the argument is resolved against the lexicon and sent as VALUES
    result = runner.invoke(app, ["query", "--ask", "who-supplies-whom", "TSMC", "-e", store.sparql, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["supplier"].endswith("/tsmc") for r in rows)
    assert any(r["customer"].endswith("/nvidia") for r in rows)


def test_query_endpoint_error_is_one_line(store, runner):
    # a syntax error is caught here, before anything is sent: line, column and a hint
    result = runner.invoke(app, ["query", "-q", "SELECT ?x WHERE { ?x kg:nope }", "-e", store.sparql])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: query:1:19: syntax error") and "hint:" in result.stderr
    # a query the store itself refuses (a function it does not know): its answer, on one line
    result = runner.invoke(app, ["query", "-q", "SELECT (<http://example.org/no-such-function>(?s) AS ?x) WHERE { ?s ?p ?o }",
                                 "-e", store.sparql])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {store.sparql}: POST refused: HTTP ")
