"""``kg query``: reading graphs, pre-bound prefixes, output formats, safety rules, syntax errors."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef
from rich.console import Console

from kg import query as Q
from kg.cli import app
from kg.vocab import KGE

ENGINES = Q.ENGINES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def trig(corpus_build):
    return corpus_build / "kg.trig"


@pytest.fixture(scope="module")
def ttl(corpus_build):
    return corpus_build / "kg.ttl"


@pytest.fixture(scope="module", params=ENGINES)
def ds(request, trig):
    return Q.open_dataset([trig], engine=request.param)


def select(ds, text, **bindings):
    result = Q.run(ds, Q.check(text), bindings)
    return [{str(k): v for k, v in row.items() if v is not None} for row in result.bindings]


# ---------------------------------------------------------------- reading graphs

def test_named_graphs_are_queryable_with_graph(ds):
    rows = select(ds, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:Interview } }")
    assert len(rows) == 2
    assert all(str(r["g"]).startswith("https://w3id.org/ai-kg/doc/") for r in rows)
    # the default graph is the union: no GRAPH needed, and each triple counts once
    [row] = select(ds, "SELECT (COUNT(*) AS ?n) WHERE { ?x a kg:Company }")
    [row2] = select(ds, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kg:Company }")
    assert int(row["n"]) == int(row2["n"]) > 20


def test_every_syntax_and_several_files_at_once(tmp_path, trig, corpus_graph):
    nt, jsonld = tmp_path / "kg.nt", tmp_path / "kg.jsonld"
    corpus_graph.serialize(nt, format="nt")
    corpus_graph.serialize(jsonld, format="json-ld")
    q = Q.check("SELECT ?a ?b WHERE { ?a kg:supplies ?b }")
    answers = []
    for path in (trig, nt, jsonld):
        for engine in ENGINES:
            rows = select(Q.open_dataset([path], engine=engine), q.text)
            answers.append({(r["a"], r["b"]) for r in rows})
    assert all(a == answers[0] for a in answers) and (KGE.tsmc, KGE.apple) in answers[0]
    # the same graph split over two files answers the same
    half = Graph()
    for t in list(corpus_graph)[: len(corpus_graph) // 2]:
        half.add(t)
    rest = Graph()
    for t in list(corpus_graph)[len(corpus_graph) // 2:]:
        rest.add(t)
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    half.serialize(a, format="turtle")
    rest.serialize(b, format="nt")
    rows = select(Q.open_dataset([a, b]), q.text)
    assert {(r["a"], r["b"]) for r in rows} == answers[0]


def test_prefixes_are_bound_without_typing_them(ds):
    rows = select(ds, """
        SELECT ?label WHERE {
          ?e a kg:Company ; rdfs:label ?label ; owl:sameAs ?wd .
          kg:Company rdfs:subClassOf kg:Entity .
          kg:Interview rdfs:subClassOf prov:Entity .
          kg:sentence rdf:type owl:DatatypeProperty ; rdfs:range xsd:string .
          ?doc a kg:Interview ; dcterms:title ?t .
          FILTER (?e = kge:openai && STRSTARTS(STR(?wd), STR(wd:)))
          OPTIONAL { ?e skos:altLabel ?alt }
        }""")
    assert "OpenAI" in {str(r["label"]) for r in rows}


def test_bad_graph_file_is_file_line_reason(tmp_path, runner):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n', encoding="utf-8")
    r = runner.invoke(app, ["query", str(bad), "-q", "SELECT * WHERE { ?s ?p ?o }"])
    assert r.exit_code == 2
    assert f"{bad}:3:" in r.output
    r = runner.invoke(app, ["query", str(tmp_path / "missing.ttl"), "-q", "ASK {}"])
    assert r.exit_code == 2 and "no such file" in r.output


# ---------------------------------------------------------------- output

def test_table_shows_labels_and_handles_cjk_width(trig):
    ds = Q.open_dataset([trig])
    result = Q.run(ds, Q.check("SELECT ?supplier ?customer WHERE { ?supplier kg:supplies ?customer }"))
    for lang, expect in (("en", "TSMC"), ("zh", "台积电")):
        buf = io.StringIO()
        Console(file=buf, width=120, color_system=None).print(Q.result_table(result, ds, lang=lang))
        text = buf.getvalue()
        assert expect in text and "https://w3id.org" not in text
        lines = [l for l in text.splitlines() if l]
        widths = {sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) for l in lines}
        assert len(widths) == 1, text  # every row as wide as the header: CJK counted double
    buf = io.StringIO()
    Console(file=buf, width=120).print(Q.result_table(result, ds, iris=True))
    assert "kge:tsmc" in buf.getvalue()


def test_cli_table_and_answer_count(runner, trig):
    r = runner.invoke(app, ["query", str(trig), "-q", "SELECT ?a ?b WHERE { ?a kg:hedgesAgainst ?b }"])
    assert r.exit_code == 0, r.output
    assert "Microsoft" in r.output and "OpenAI" in r.output
    assert "answer" in r.output


def test_json_is_sparql_results_json(runner, trig):
    r = runner.invoke(app, ["query", str(trig), "--format", "json", "-q",
                            "SELECT ?e ?label ?n WHERE { ?e rdfs:label ?label . FILTER(?e = kge:nvidia) "
                            "OPTIONAL { ?o kg:entity ?e ; kg:mentionCount ?n } }"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["head"]["vars"] == ["e", "label", "n"]
    rows = doc["results"]["bindings"]
    assert {b["e"]["type"] for b in rows} == {"uri"}
    assert {"en", "zh"} <= {b["label"].get("xml:lang") for b in rows}
    assert all(b["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer" for b in rows if "n" in b)


def test_csv_tsv_xml(runner, trig):
    q = "SELECT ?supplier ?customer WHERE { ?supplier kg:supplies ?customer } ORDER BY ?customer"
    r = runner.invoke(app, ["query", str(trig), "-q", q, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["supplier", "customer"]
    assert [str(KGE.tsmc), str(KGE.apple)] in rows
    r = runner.invoke(app, ["query", str(trig), "-q", q, "--format", "tsv"])
    lines = r.stdout.splitlines()
    assert lines[0] == "?supplier\t?customer"
    assert f"<{KGE.tsmc}>\t<{KGE.nvidia}>" in lines
    r = runner.invoke(app, ["query", str(trig), "-q", q, "--format", "xml"])
    root = ET.fromstring(r.stdout_bytes)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["supplier", "customer"]
    assert str(KGE.apple) in {u.text for u in root.iter("{http://www.w3.org/2005/sparql-results#}uri")}


def test_tsv_literals_are_turtle_terms(trig):
    ds = Q.open_dataset([trig])
    result = Q.run(ds, Q.check('SELECT ?l ?n WHERE { kge:nvidia rdfs:label ?l . BIND(1 AS ?n) BIND("a\\tb" AS ?x) }'))
    text = Q.serialize(result, "tsv").decode()
    assert '"英伟达"@zh\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>' in text


def test_ask_and_construct(runner, trig):
    r = runner.invoke(app, ["query", str(trig), "-q", "ASK { kge:microsoft kg:investsIn kge:openai }"])
    assert r.exit_code == 0 and r.stdout.strip() == "yes"
    r = runner.invoke(app, ["query", str(trig), "-q", "ASK { kge:openai kg:investsIn kge:microsoft }"])
    assert r.stdout.strip() == "no"
    r = runner.invoke(app, ["query", str(trig), "--format", "json", "-q", "ASK { ?a kg:supplies ?b }"])
    assert json.loads(r.stdout) == {"head": {}, "boolean": True}
    r = runner.invoke(app, ["query", str(trig), "-q",
                            "CONSTRUCT { ?b kg:suppliedBy ?a } WHERE { ?a kg:supplies ?b }"])
    assert r.exit_code == 0, r.output
    g = Graph().parse(data=r.stdout, format="turtle")
    assert (KGE.apple, URIRef("https://w3id.org/ai-kg/ontology#suppliedBy"), KGE.tsmc) in g
    r = runner.invoke(app, ["query", str(trig), "--format", "csv", "-q", "CONSTRUCT WHERE { ?a kg:supplies ?b }"])
    assert r.exit_code == 2 and "turtle" in r.output


def test_answer_to_file(runner, trig, tmp_path):
    out = tmp_path / "answer.json"
    r = runner.invoke(app, ["query", str(trig), "-q", "SELECT ?a WHERE { ?a kg:supplies ?b }", "--format", "json", "-o", str(out)])
    assert r.exit_code == 0
    assert json.loads(out.read_text())["head"]["vars"] == ["a"]


# ---------------------------------------------------------------- read-only, no network

def test_update_is_refused_unless_allowed_with_output(runner, ttl, tmp_path):
    before = ttl.read_bytes()
    upd = "DELETE WHERE { ?a kg:supplies ?b }"
    r = runner.invoke(app, ["query", str(ttl), "-q", upd])
    assert r.exit_code == 2 and "read-only" in r.output and "--update" in r.output
    r = runner.invoke(app, ["query", str(ttl), "-q", upd, "--update"])
    assert r.exit_code == 2 and "-o" in r.output
    out = tmp_path / "changed.ttl"
    r = runner.invoke(app, ["query", str(ttl), "-q", upd, "--update", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert ttl.read_bytes() == before  # the input is never changed
    changed = Graph().parse(out)
    assert not list(changed.triples((None, URIRef("https://w3id.org/ai-kg/ontology#supplies"), None)))
    assert len(changed) > 1000


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a kg:supplies ?b OPTIONAL { SERVICE SILENT <http://example.org/s> { ?b ?p ?o } } }",
    "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
])
def test_service_is_refused(text, runner, trig, monkeypatch):
    import socket

    def no_network(*a, **k):
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    r = runner.invoke(app, ["query", str(trig), "-q", text, "--update", "-o", "/dev/null"] if text.startswith("INSERT")
                      else ["query", str(trig), "-q", text])
    assert r.exit_code == 2
    assert "SERVICE is refused" in r.output
    with pytest.raises(Q.QueryRefused):
        Q.check(text, allow_update=True)
    assert Q.check(text, allow_update=True, allow_service=True).uses_service


def test_load_is_refused():
    with pytest.raises(Q.QueryRefused, match="LOAD"):
        Q.check("LOAD <http://example.org/data.ttl>", allow_update=True)


def test_remote_from_graph_is_not_fetched(trig, monkeypatch):
    import socket

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(AssertionError("network")))
    ds = Q.open_dataset([trig], engine="rdflib")
    rows = Q.run(ds, Q.check("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }")).bindings
    assert rows == []


# ---------------------------------------------------------------- syntax errors

@pytest.mark.parametrize("text, line, col, hint", [
    ("SELECT ?a WHERE { ?a kg:competesWith ?b ", 1, 41, "braces"),
    ("SELEC ?a WHERE { ?a ?b ?c }", 1, 1, "SELECT"),
    ("SELECT ?a\nWHERE {\n  ?a kg:supplies ?b\n  ?b kg:develops ?c }", 4, 3, "'.' may be missing"),
    ("SELECT ?a WHERE {\n  ?a foo:bar ?b }", 2, 6, "PREFIX foo:"),
    ("SELECT a WHERE { ?a ?b ?c }", 1, 8, "?a"),
    ("SELECT ?a WHERE { ?a ?b ?c FILTER(?c > ) }", 1, None, "caret"),
])
def test_syntax_error_has_line_column_and_hint(text, line, col, hint):
    with pytest.raises(Q.QuerySyntaxError) as info:
        Q.check(text)
    e = info.value
    assert e.line == line
    if col is not None:
        assert e.column == col
    assert hint in e.hint
    assert f"query:{line}:" in str(e) and "^" in str(e)


def test_syntax_error_from_a_file_names_the_file(runner, trig, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# a broken question\nSELECT ?a WHERE {\n  ?a kg:supplies ?b\n  ?b kg:develops ?c }\n", encoding="utf-8")
    r = runner.invoke(app, ["query", str(trig), "-f", str(rq)])
    assert r.exit_code == 2
    assert f"{rq}:4:3: syntax error" in r.output and "hint:" in r.output


def test_empty_and_missing_query(runner, trig):
    r = runner.invoke(app, ["query", str(trig), "-q", "  "])
    assert r.exit_code == 2 and "empty" in r.output
    r = runner.invoke(app, ["query", str(trig)])
    assert r.exit_code == 2 and "-q" in r.output


def test_help_is_true(runner):
    r = runner.invoke(app, ["query", "--help"])
    for opt in ("--query", "--file", "--ask", "--format", "--update", "--allow-service", "--engine", "--list"):
        assert opt in r.output
    r = runner.invoke(app, ["--help"])
    assert "query" in r.output


@pytest.mark.parametrize("engine", ENGINES)
def test_unbound_variables_in_every_format(engine, trig):
    ds = Q.open_dataset([trig], engine=engine)
    result = Q.run(ds, Q.check("SELECT ?a ?b WHERE { BIND(1 AS ?a) OPTIONAL { ?a kg:supplies ?b } }"))
    assert json.loads(Q.serialize(result, "json"))["results"]["bindings"] == [
        {"a": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
    root = ET.fromstring(Q.serialize(result, "xml"))
    assert [b.get("name") for b in root.iter("{http://www.w3.org/2005/sparql-results#}binding")] == ["a"]
    assert Q.serialize(result, "csv").decode().splitlines() == ["a,b", "1,"]
    assert Q.serialize(result, "tsv").decode().splitlines()[1].endswith("\t")


def test_oxigraph_rows_are_rdflibs_rows(trig):
    """An Oxigraph SELECT's rows (made with one labels dict for all of them) are what rdflib's own
    ``Result`` gives for the same bindings: values, names, ``asdict``, attribute access, unbound as None."""
    from rdflib.query import Result

    ds = Q.open_dataset([trig], engine="oxigraph")
    result = Q.run(ds, Q.check("SELECT ?e ?label ?missing WHERE { ?e a kg:Company ; rdfs:label ?label "
                               "OPTIONAL { ?e kg:noSuchProperty ?missing } } ORDER BY ?e ?label"))
    plain = Result("SELECT")
    plain.vars, plain.bindings = result.vars, result.bindings
    ours, theirs = list(result), list(plain)
    assert len(ours) == len(theirs) > 20 and ours == theirs
    for a, b in zip(ours, theirs):
        assert type(a) is type(b) and a.labels == b.labels and a.asdict() == b.asdict()
        assert a.e == b["e"] and a["label"] == b.label and a.missing is None
    assert list(result) == ours  # read twice
