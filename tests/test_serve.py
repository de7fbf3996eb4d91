"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, tested with a real client (SPARQLWrapper)
over loopback, and with plain HTTP for content negotiation and refusals."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg import query as Q
from kg.serve import make_server, negotiate
from kg.vocab import KG, KGE

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SUPPLIES = "SELECT ?supplier ?customer WHERE { ?supplier kg:supplies ?customer }"


@pytest.fixture(scope="module")
def endpoint(corpus_build):
    ds = Q.open_dataset([corpus_build / "kg.trig"])
    server = make_server(ds, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/sparql"
    server.shutdown()
    server.server_close()


def client(url, query, fmt=JSON, method=None, direct=False):
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    if direct:
        sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def http(url, params=None, data=None, headers=None, method=None):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


@pytest.mark.parametrize("method, direct", [(None, False), (POST, False), (POST, True)],
                         ids=["GET", "POST form", "POST sparql-query"])
def test_select_json_with_sparqlwrapper(endpoint, method, direct):
    results = client(endpoint, SUPPLIES, JSON, method, direct).queryAndConvert()
    assert results["head"]["vars"] == ["supplier", "customer"]
    pairs = {(b["supplier"]["value"], b["customer"]["value"]) for b in results["results"]["bindings"]}
    assert {(str(KGE.tsmc), str(KGE.apple)), (str(KGE.tsmc), str(KGE.nvidia))} <= pairs


def test_prefixes_and_named_graphs(endpoint):
    q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a kg:Interview } }"
    results = client(endpoint, q).queryAndConvert()
    assert results["results"]["bindings"][0]["n"]["value"] == "2"


def test_csv_tsv_xml_with_sparqlwrapper(endpoint):
    text = client(endpoint, SUPPLIES, CSV).queryAndConvert().decode("utf-8")
    assert text.splitlines()[0] == "supplier,customer" and f"{KGE.tsmc},{KGE.apple}" in text
    text = client(endpoint, SUPPLIES, TSV).queryAndConvert().decode("utf-8")
    assert text.splitlines()[0] == "?supplier\t?customer" and f"<{KGE.tsmc}>\t<{KGE.apple}>" in text
    doc = client(endpoint, SUPPLIES, XML).queryAndConvert()  # xml.dom.minidom
    uris = {n.firstChild.data for n in doc.getElementsByTagName("uri")}
    assert str(KGE.apple) in uris


def test_ask_and_construct(endpoint):
    assert client(endpoint, "ASK { kge:microsoft kg:investsIn kge:openai }").queryAndConvert()["boolean"] is True
    assert client(endpoint, "ASK { kge:openai kg:investsIn kge:microsoft }").queryAndConvert()["boolean"] is False
    construct = "CONSTRUCT { ?a kg:supplies ?b } WHERE { ?a kg:supplies ?b }"
    turtle = client(endpoint, construct, TURTLE).queryAndConvert()
    g = Graph().parse(data=turtle, format="turtle")
    assert (KGE.tsmc, KG.supplies, KGE.apple) in g
    g = client(endpoint, construct, XML).queryAndConvert()  # RDF/XML, parsed by SPARQLWrapper into a Graph
    assert (KGE.tsmc, KG.supplies, KGE.nvidia) in g


def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    with pytest.raises(urllib.error.HTTPError) as info:
        client(endpoint, update, JSON, POST).query()
    assert info.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as info:
        client(endpoint, update, JSON, POST, direct=True).query()
    assert info.value.code == 403
    assert http(endpoint, {"update": update})[0] == 403
    # a query that is really an update is refused too, whichever way it comes
    status, ctype, body = http(endpoint, {"query": update})
    assert status == 403 and ctype.startswith("text/plain") and b"read-only" in body
    assert http(endpoint, method="PUT", data=b"x")[0] == 405
    ask = "ASK { <http://example.org/a> ?p ?o }"
    assert client(endpoint, ask).queryAndConvert()["boolean"] is False


def test_service_is_refused(endpoint):
    status, _, body = http(endpoint, {"query": "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }"})
    assert status == 403 and b"SERVICE" in body


def test_syntax_error_is_400_with_position(endpoint):
    with pytest.raises(QueryBadFormed):
        client(endpoint, "SELECT ?a WHERE { ?a kg:supplies ?b").queryAndConvert()
    status, _, body = http(endpoint, {"query": "SELECT ?a\nWHERE {\n  ?a kg:supplies ?b\n  ?b kg:x ?c }"})
    assert status == 400
    assert b"query:4:3: syntax error" in body and b"hint:" in body


@pytest.mark.parametrize("accept, expect", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/html, */*;q=0.1", "application/sparql-results+json"),
])
def test_content_negotiation(endpoint, accept, expect):
    headers = {"Accept": accept} if accept else {}
    status, ctype, body = http(endpoint, {"query": SUPPLIES}, headers=headers)
    assert status == 200 and ctype.startswith(expect)
    if expect.endswith("json"):
        assert json.loads(body)["head"]["vars"] == ["supplier", "customer"]


def test_not_acceptable_and_not_found(endpoint):
    assert http(endpoint, {"query": SUPPLIES}, headers={"Accept": "text/html"})[0] == 406
    construct = "CONSTRUCT WHERE { ?a kg:supplies ?b }"
    status, ctype, _ = http(endpoint, {"query": construct}, headers={"Accept": "application/n-triples"})
    assert status == 200 and ctype.startswith("application/n-triples")
    status, ctype, body = http(endpoint, {"query": construct})
    assert status == 200 and ctype.startswith("text/turtle") and b"kg:supplies" in body
    assert http(endpoint.replace("/sparql", "/elsewhere"), {"query": SUPPLIES})[0] == 404
    status, _, body = http(endpoint, method="POST", data=b"query=ASK{}", headers={"Content-Type": "text/html"})
    assert status == 415


def test_negotiate():
    assert negotiate("application/json", "SELECT") == "json"
    assert negotiate("application/json", "CONSTRUCT") == "jsonld"
    assert negotiate(None, "CONSTRUCT", ["xml"]) == "xml"
    assert negotiate("text/turtle", "SELECT") is None
    assert negotiate("text/*", "SELECT") in ("xml", "csv", "tsv")  # text/xml, text/csv, ...
    assert negotiate("image/png", "SELECT") is None


def test_kg_serve_command(corpus_build):
    """The real command in a subprocess: it prints where it listens; a client asks; Ctrl-C-like stop."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(corpus_build / "kg.ttl"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        results = client(m.group(1), SUPPLIES).queryAndConvert()
        assert len(results["results"]["bindings"]) >= 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_rejects_a_bad_graph(runner, tmp_path):
    from kg.cli import app

    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    r = runner.invoke(app, ["serve", str(bad), "--port", "0"])
    assert r.exit_code == 2 and f"{bad}:1:" in r.output
