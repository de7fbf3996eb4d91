"""Load test of ``kg serve`` over loopback: concurrent clients, a mix of good, malformed, update
and runaway queries; every good answer is checked, the server must stay up.

    python bench/bench_serve.py                          # 20 clients, 2,000 requests, graphs/kg.trig
    python bench/bench_serve.py --requests 300 --json    # smaller; machine-readable report

1. ``kg serve GRAPH --port 0 --timeout T`` starts in its own process (127.0.0.1 only).
2. The expected answer of every good query is computed here, in-process, with ``kg.query`` on
   the same file and engine.
3. ``--clients`` threads send ``--requests`` requests in all (a fixed, seeded list; each client
   one request at a time on its own keep-alive connection). Good queries (the ready questions
   of queries/, FROM and FROM NAMED, protocol default-graph-uri / named-graph-uri, ASK,
   CONSTRUCT, an answer cut at --max-rows) must give their expected answer (200); malformed
   ones 400; updates 403; runaway queries (a five-way cross product) 503 naming the timeout.
4. Latency per request, and the server's memory (the server process, its zygote and workers:
   summed RSS, and summed PSS, which counts pages shared copy-on-write once) sampled every
   0.2 s, are reported; the run fails (exit 1) if any answer is wrong or the server stops.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
MALFORMED = [
    "SELECT ?a WHERE { ?a kg:competesWith ?b ",
    "SELEC ?a WHERE { ?a ?b ?c }",
    "SELECT ?a WHERE { ?a foo:bar ?b }",
    "SELECT ?a\nWHERE {\n  ?a kg:supplies ?b\n  ?b kg:develops ?c }",
    "",
]
UPDATES = [
    "INSERT DATA { kge:x kg:competesWith kge:y }",
    "DELETE WHERE { ?a kg:supplies ?b }",
    "DROP ALL",
]


def good_queries(graph_path: Path, max_rows: int) -> list[dict]:
    """Each: name, query, params (protocol dataset), accept, and what to expect."""
    from kg.questions import library

    from rdflib import Dataset

    ds = Dataset()
    ds.parse(graph_path, format="trig" if graph_path.suffix == ".trig" else "turtle")
    interviews = sorted(str(g.identifier) for g in ds.graphs() if str(g.identifier).startswith("https://w3id.org/ai-kg/doc/"))
    cases = [{"name": f"ask:{name}", "query": q.text} for name, q in sorted(library(ROOT / "queries").items())]
    cases += [
        {"name": "companies", "query": "SELECT ?c ?l WHERE { ?c a kg:Company ; rdfs:label ?l }"},
        {"name": "count", "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        {"name": "ask-yes", "query": "ASK { ?a kg:competesWith ?b }"},
        {"name": "ask-no", "query": "ASK { kge:nobody kg:supplies ?b }"},
        {"name": "construct", "query": "CONSTRUCT { ?a kg:competesWith ?b } WHERE { ?a kg:competesWith ?b }",
         "accept": "application/n-triples"},
        {"name": "csv", "query": "SELECT ?a ?b WHERE { ?a kg:supplies ?b }", "accept": "text/csv"},
        {"name": "cut", "query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "cut": True},
    ]
    if interviews:
        g1 = interviews[0]
        cases += [
            {"name": "from", "query": f"SELECT ?s ?p ?o FROM <{g1}> WHERE {{ ?s ?p ?o }}"},
            {"name": "from-nothing", "query": "SELECT ?s WHERE { ?s ?p ?o }".replace("WHERE", "FROM <http://example.org/none> WHERE")},
            {"name": "from-named", "query": f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{g1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"},
            {"name": "default-graph-uri", "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
             "params": {"default-graph-uri": [g1]}},
        ]
        if len(interviews) > 1:
            g2 = interviews[1]
            cases += [
                {"name": "from-two", "query": f"SELECT (COUNT(*) AS ?n) FROM <{g1}> FROM <{g2}> WHERE {{ ?s ?p ?o }}"},
                {"name": "named-graph-uri", "query": f"SELECT DISTINCT ?g FROM NAMED <{g1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                 "params": {"named-graph-uri": [g2]}},
            ]
    return cases


def expected_answers(cases: list[dict], graph_path: Path, engine: str, max_rows: int) -> None:
    """Fill in each case's expected answer, computed in this process with kg.query."""
    from kg import query as Q

    ds = Q.open_dataset([graph_path], engine=engine)
    for case in cases:
        params = case.get("params") or {}
        spec = None
        if params:
            spec = Q.DatasetSpec(tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))
        result = Q.run(ds, Q.check(case["query"]), dataset=spec)
        fmt = {"text/csv": "csv", "application/n-triples": "nt"}.get(case.get("accept", ""), "json")
        case["expected"] = normalise(Q.serialize(result, fmt), fmt)
        case["rows"] = len(result.bindings) if result.type == "SELECT" else None


def normalise(body: bytes, fmt: str):
    """An answer as a comparable value: a multiset of rows (blank nodes all alike)."""
    if fmt == "json":
        data = json.loads(body)
        if "boolean" in data:
            return data["boolean"]

        def term(t):
            if t["type"] == "bnode":
                return ("bnode",)
            value = t["value"]
            if t.get("datatype") == "http://www.w3.org/2001/XMLSchema#decimal":
                value = str(float(value))
            return (t["type"], value, t.get("datatype", "") if t.get("datatype") != "http://www.w3.org/2001/XMLSchema#string" else "",
                    t.get("xml:lang", ""))

        return collections.Counter(tuple(sorted((k, term(v)) for k, v in row.items())) for row in data["results"]["bindings"])
    lines = body.decode("utf-8").splitlines()
    if fmt == "csv":
        return lines[0], collections.Counter(lines[1:])
    return collections.Counter(re.sub(r"_:\S+", "_:b", l) for l in lines if l.strip())


# ---------------------------------------------------------------- the server and its memory

def start_server(graph: Path, engine: str, timeout: float, workers: int, max_rows: int, log) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="300")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph), "--port", "0", "--host", "127.0.0.1",
                             "--engine", engine, "--timeout", str(timeout), "--workers", str(workers),
                             "--max-rows", str(max_rows)],
                            stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT, env=env)
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", line)
    if not m:
        proc.kill()
        raise SystemExit(f"kg serve did not start: {line}")
    return proc, m.group(1)


def _tree(root: int) -> list[int]:
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    stat = fh.read()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children[ppid].append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _kib(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemoryWatch(threading.Thread):
    """Peak of the summed RSS and PSS (KiB) of a process tree, sampled every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_pss, self.peak_procs = pid, 0, 0, 0
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            pids = _tree(self.pid)
            rss = sum(_kib(f"/proc/{p}/status", "VmRSS") for p in pids)
            pss = sum(_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._done.wait(0.2)

    def stop(self):
        self._done.set()
        self.join()


# ---------------------------------------------------------------- clients

def plan(cases: list[dict], n: int, seed: int, mix: dict[str, float]) -> list[tuple[str, object]]:
    rng = random.Random(seed)
    kinds = rng.choices(list(mix), weights=list(mix.values()), k=n)
    # at least one of each kind
    for i, kind in enumerate(mix):
        if kind not in kinds and n > i:
            kinds[i * 7 % n] = kind
    work = []
    for kind in kinds:
        if kind == "good":
            work.append((kind, rng.choice(cases)))
        elif kind == "malformed":
            work.append((kind, rng.choice(MALFORMED)))
        elif kind == "update":
            work.append((kind, rng.choice(UPDATES)))
        else:
            work.append((kind, RUNAWAY))
    return work


def request(conn: http.client.HTTPConnection, kind: str, item) -> tuple[int, dict, bytes]:
    if kind == "good":
        params = {"query": [item["query"]], **(item.get("params") or {})}
        body = urllib.parse.urlencode(params, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": item.get("accept", "application/sparql-results+json")}
        conn.request("POST", "/sparql", body=body, headers=headers)
    elif kind == "update":
        conn.request("POST", "/sparql", body=item.encode(), headers={"Content-Type": "application/sparql-update"})
    else:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": item}))
    resp = conn.getresponse()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()


def check(kind: str, item, status: int, headers: dict, body: bytes, timeout: float, seconds: float, max_rows: int) -> str | None:
    """None if the answer is right, else what is wrong."""
    if kind == "good":
        if status != 200:
            return f"{item['name']}: HTTP {status}: {body[:200]!r}"
        fmt = {"text/csv": "csv", "application/n-triples": "nt"}.get(item.get("accept", ""), "json")
        got, want = normalise(body, fmt), item["expected"]
        if item["rows"] is not None and item["rows"] > max_rows:
            # the server keeps max_rows of the rows, and says so
            if "x-kg-truncated" not in headers:
                return f"{item['name']}: {item['rows']} rows answered without X-KG-Truncated"
            if sum(got.values()) != max_rows or got - want:
                return f"{item['name']}: the cut answer is not {max_rows} rows of the full answer"
            return None
        if "x-kg-truncated" in headers:
            return f"{item['name']}: cut although it has {item['rows']} rows"
        if got != want:
            return f"{item['name']}: a different answer"
        return None
    if kind == "malformed":
        return None if status == 400 else f"malformed query: HTTP {status}"
    if kind == "update":
        return None if status == 403 else f"update: HTTP {status}"
    if status != 503 or b"timeout" not in body:
        return f"runaway: HTTP {status} {body[:100]!r}"
    return None


def load(graph: Path, *, requests: int = 2000, clients: int = 20, timeout: float = 5.0, workers: int = 4,
         engine: str = "oxigraph", max_rows: int = 1000, seed: int = 13,
         mix: dict[str, float] | None = None) -> dict:
    mix = mix or {"good": 0.885, "malformed": 0.05, "update": 0.05, "runaway": 0.015}
    cases = good_queries(graph, max_rows)
    expected_answers(cases, graph, engine, max_rows)
    log = tempfile.TemporaryFile(mode="w+")
    proc, port = start_server(graph, engine, timeout, workers, max_rows, log)
    watch = MemoryWatch(proc.pid)
    watch.start()  # stopped, with the server, in the finally below
    work = plan(cases, requests, seed, mix)
    lock = threading.Lock()
    records: list[tuple[str, int, float]] = []
    errors: list[str] = []
    position = iter(range(len(work)))

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout * 3 + 30)
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                break
            kind, item = work[i]
            start = time.perf_counter()
            try:
                status, headers, body = request(conn, kind, item)
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout * 3 + 30)
                status, headers, body = 0, {}, repr(e).encode()
            seconds = time.perf_counter() - start
            wrong = check(kind, item, status, headers, body, timeout, seconds, max_rows)
            with lock:
                records.append((kind, status, seconds))
                if wrong:
                    errors.append(wrong)
            if headers.get("connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout * 3 + 30)
        conn.close()

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        # still up, still right?
        alive = proc.poll() is None
        if alive:
            conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
            final = next(c for c in cases if c["name"] == "count")
            status, headers, body = request(conn, "good", final)
            conn.close()
            wrong = check("good", final, status, headers, body, timeout, 0, max_rows)
            if wrong:
                errors.append("after the run: " + wrong)
    finally:  # the server never outlives the run
        watch.stop()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    log.seek(0)
    server_errors = log.read().strip()
    log.close()
    if server_errors:
        errors.append("the server wrote to stderr: " + server_errors[-2000:])

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0

    by_kind = collections.defaultdict(list)
    statuses = collections.Counter()
    for kind, status, seconds in records:
        by_kind[kind].append(seconds)
        statuses[f"{kind} {status}"] += 1
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "graph": str(graph), "engine": engine, "requests": len(records), "clients": clients, "workers": workers,
        "timeout_s": timeout, "max_rows": max_rows, "wall_s": round(wall, 2),
        "statuses": dict(sorted(statuses.items())),
        "latency_ms": {kind: {"n": len(v), "p50": round(pct(v, 50) * 1000, 1), "p99": round(pct(v, 99) * 1000, 1),
                              "max": round(max(v) * 1000, 1)} for kind, v in sorted(by_kind.items())},
        "peak_rss_mib": round(watch.peak_rss / 1024, 1), "peak_pss_mib": round(watch.peak_pss / 1024, 1),
        "peak_processes": watch.peak_procs, "server_alive": alive, "errors": errors,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, default=ROOT / "graphs" / "kg.trig")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=5.0, help="kg serve --timeout for the run (runaways wait this long)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--max-rows", type=int, default=1000)
    ap.add_argument("--engine", default="oxigraph")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args()
    report = load(args.graph, requests=args.requests, clients=args.clients, timeout=args.timeout, workers=args.workers,
                  engine=args.engine, max_rows=args.max_rows, seed=args.seed)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(f"{report['date']}  {report['machine']}")
        print(f"kg serve {report['graph']} --engine {report['engine']} --workers {report['workers']} "
              f"--timeout {report['timeout_s']:g} --max-rows {report['max_rows']}")
        print(f"{report['requests']} requests from {report['clients']} clients in {report['wall_s']} s")
        for kind, lat in report["latency_ms"].items():
            print(f"  {kind:10} n={lat['n']:5}  p50 {lat['p50']:8.1f} ms  p99 {lat['p99']:8.1f} ms  max {lat['max']:8.1f} ms")
        print("  statuses: " + ", ".join(f"{k}: {v}" for k, v in report["statuses"].items()))
        print(f"peak memory of the server's processes ({report['peak_processes']}): RSS {report['peak_rss_mib']} MiB, "
              f"PSS {report['peak_pss_mib']} MiB")
        print(f"server alive at the end: {report['server_alive']}; wrong answers: {len(report['errors'])}")
        for e in report["errors"][:20]:
            print("  " + e)
    return 0 if report["server_alive"] and not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
