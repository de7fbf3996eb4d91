"""``kg serve`` under load and with runaway queries (issue 13, item 8), and the protocol's dataset
parameters (item 4): a runaway query is cancelled after --timeout while other clients are
answered; answers are cut at --max-rows and say so; default-graph-uri / named-graph-uri replace
FROM / FROM NAMED; a small run of bench/bench_serve.py checks every answer under load."""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg import query as Q
from kg.serve import make_server

from .conftest import ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def trig(corpus_build):
    return corpus_build / "kg.trig"


@pytest.fixture(scope="module")
def server(trig):
    ds = Q.open_dataset([trig])
    srv = make_server(ds, "127.0.0.1", 0, timeout=3.0, max_rows=50, workers=2)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}/sparql", srv
    srv.shutdown()
    srv.server_close()


def get(url, params, headers=None, data=None):
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode(params, doseq=True), data=data, headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read(), time.perf_counter() - start
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), time.perf_counter() - start


def rows(body):
    return json.loads(body)["results"]["bindings"]


def test_a_runaway_query_is_cancelled_while_others_are_answered(server):
    url, srv = server
    slow = {}

    def runaway():
        slow["result"] = get(url, {"query": RUNAWAY})
        slow["done"] = time.perf_counter()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    # meanwhile another client is answered, while the runaway still runs
    status, _, body, seconds = get(url, {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Company }"})
    answered = time.perf_counter()
    assert status == 200 and int(rows(body)[0]["n"]["value"]) > 20
    thread.join(60)
    assert answered < slow["done"]
    status, headers, body, seconds = slow["result"]
    assert status == 503
    assert body.decode().strip() == "query cancelled: it ran longer than the 3 s limit (kg serve --timeout)"
    assert 2.9 < seconds < 20
    # the killed worker was replaced: both workers answer again
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(get(url, {"query": "ASK { ?a kg:supplies ?b }"})[0]))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert answers == [200] * 6
    assert srv.endpoint.pool.spawned >= 3


def test_two_runaways_at_once_do_not_stop_the_server(server):
    url, _ = server
    results = []
    threads = [threading.Thread(target=lambda: results.append(get(url, {"query": RUNAWAY})[0])) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [503, 503, 503]
    status, _, body, _ = get(url, {"query": "ASK { ?a kg:competesWith ?b }"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_answers_are_cut_at_max_rows_and_say_so(server):
    url, _ = server
    status, headers, body, _ = get(url, {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert status == 200 and len(rows(body)) == 50
    assert "50 rows" in headers["X-KG-Truncated"]
    status, headers, body, _ = get(url, {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, {"Accept": "application/n-triples"})
    assert status == 200 and len(body.decode().strip().splitlines()) == 50 and "triples" in headers["X-KG-Truncated"]
    # a short answer is whole, and not marked
    status, headers, body, _ = get(url, {"query": "SELECT ?c WHERE { ?c a kg:Company } LIMIT 3"})
    assert status == 200 and len(rows(body)) == 3 and "X-KG-Truncated" not in headers


def _interviews(url):
    status, _, body, _ = get(url, {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a kg:Interview } } ORDER BY ?g"})
    return [r["g"]["value"] for r in rows(body)]


def test_protocol_dataset_replaces_from(server):
    url, _ = server
    g1, g2 = _interviews(url)[:2]
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"

    def n(query, **params):
        status, _, body, _ = get(url, {"query": query, **params})
        assert status == 200, body
        return int(rows(body)[0]["n"]["value"])

    only_g1, only_g2 = n(count.format(f"FROM <{g1}>")), n(count.format(f"FROM <{g2}>"))
    assert 0 < only_g1 and 0 < only_g2
    assert n(count.format(""), **{"default-graph-uri": g1}) == only_g1
    assert n(count.format(f"FROM <{g1}>"), **{"default-graph-uri": g2}) == only_g2  # the protocol wins
    assert n(count.format(""), **{"default-graph-uri": "http://example.org/none"}) == 0
    both = n(count.format(""), **{"default-graph-uri": [g1, g2]})
    assert max(only_g1, only_g2) < both < only_g1 + only_g2  # a merge: shared triples once
    status, _, body, _ = get(url, {"query": f"SELECT DISTINCT ?g FROM NAMED <{g1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                                   "named-graph-uri": g2})
    assert [r["g"]["value"] for r in rows(body)] == [g2]
    # named-graph-uri alone: the default graph is empty
    assert n(count.format(""), **{"named-graph-uri": g2}) == 0
    # a POSTed form carries them too
    form = urllib.parse.urlencode({"query": count.format(""), "default-graph-uri": g1}).encode()
    status, _, body, _ = get(url, {}, {"Content-Type": "application/x-www-form-urlencoded"}, data=form)
    assert status == 200 and int(rows(body)[0]["n"]["value"]) == only_g1


def test_a_query_that_needs_too_much_memory_fails_alone(trig):
    ds = Q.open_dataset([trig])
    srv = make_server(ds, "127.0.0.1", 0, timeout=30.0, workers=2, worker_memory=100 << 20)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = "http://%s:%d/sparql" % srv.server_address[:2]
    try:
        hog = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c"
        status, _, body, seconds = get(url, {"query": hog})
        assert status == 503 and b"--worker-memory" in body and seconds < 20
        status, _, body, _ = get(url, {"query": "ASK { ?a kg:competesWith ?b }"})
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        srv.shutdown()
        srv.server_close()


def test_oversized_and_malformed_requests(server):
    url, _ = server
    big = b"query=" + b"a" * (2 << 20)
    status, _, body, _ = get(url, {}, {"Content-Type": "application/x-www-form-urlencoded"}, data=big)
    assert status == 413 and b"at most" in body
    status, _, body, _ = get(url, {"query": "SELECT ?a WHERE { ?a kg:competesWith ?b "})
    assert status == 400 and b"syntax error" in body


def test_load_small(trig):
    """bench/bench_serve.py, smaller: 20 clients, 240 requests of every kind; every answer right."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_serve import load
    finally:
        sys.path.remove(str(ROOT / "bench"))
    # a generous timeout: a good query must never be cut, even on a busy machine
    report = load(trig, requests=240, clients=20, timeout=5.0, workers=4, max_rows=1000, seed=7,
                  mix={"good": 0.88, "malformed": 0.05, "update": 0.06, "runaway": 0.01})
    assert not report["errors"], "\n".join(report["errors"])
    assert report["server_alive"]
    assert report["requests"] == 240
    kinds = {key.split()[0] for key in report["statuses"]}
    assert kinds == {"good", "malformed", "update", "runaway"}
    assert report["statuses"]["runaway 503"] >= 1
    assert report["peak_pss_mib"] > 0
