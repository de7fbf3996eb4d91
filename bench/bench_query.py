"""Load and query time on a merged graph of a million triples: Oxigraph (oxrdflib) against plain
rdflib, in one run.

    python bench/bench_query.py                       # >= 1,000,000 triples (takes a while: rdflib)
    python bench/bench_query.py --triples 100000      # smaller
    python bench/bench_query.py --engines oxigraph    # skip the slow one

1. The corpus is built (``kg build``); its interviews are copied with fresh interview, evidence and
   occurrence IRIs, and with 40 variants of every entity (own IRI, name and Wikidata id), until the
   copies hold the requested number of distinct triples.
2. The copies are merged with ``kg.merge.merge`` (timed) and written as one TriG file.
3. Each engine runs in a fresh process: load the TriG (``kg.query.open_dataset``), then every
   question of ``queries/`` and a few plain patterns, each timed; answers are counted so the two
   engines can be checked against each other. A query slower than ``--timeout`` is stopped (and
   recorded as such); the engine goes on with the others in a new process.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = 40

EXTRA_QUERIES = {
    "count-triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "one-entity": "SELECT ?p ?o WHERE { kge:openai--v0 ?p ?o }",
    "path-2-hops": "SELECT (COUNT(*) AS ?n) WHERE { ?a kg:competesWith ?b . ?b kg:competesWith ?c }",
}


def synthetic_merged_graph(target: int, out: Path) -> dict:
    """Build the corpus, copy its interviews until ``target`` distinct triples, merge, write TriG."""
    from rdflib import Dataset, Literal, URIRef

    from kg.build import build
    from kg.merge import merge
    from kg.rdfio import write_dataset
    from kg.vocab import KG, KGD, KGE, KGEV, ONTOLOGY_GRAPH, WD

    with tempfile.TemporaryDirectory() as tmp:
        corpus_ds = build(sorted((ROOT / "corpus").glob("*.txt")), Path(tmp))[0].dataset()
    docs = [c.identifier for c in corpus_ds.graphs() if str(c.identifier).startswith(str(KGD))]
    quads = {d: list(corpus_ds.graph(d)) for d in docs}
    onto = list(corpus_ds.graph(ONTOLOGY_GRAPH))

    def term(t, k: int):
        s = str(t)
        if isinstance(t, URIRef):
            if s.startswith(str(KGE)):
                return KGE[f"{s[len(str(KGE)):]}--v{k % VARIANTS}"]
            if s.startswith(str(KGEV)) or s.startswith(str(KGD)):
                return URIRef(f"{s}-{k:05d}")
            if s.startswith(str(WD)):
                return URIRef(f"{s}v{k % VARIANTS}")
        return t

    def literal(p, o, k: int):
        if p in (KG.fileName, KG.contentHash):
            return Literal(f"{o}-{k:05d}")
        if isinstance(o, Literal) and o.language and p.endswith(("label", "altLabel", "prefLabel")):
            return Literal(f"{o} v{k % VARIANTS}", lang=o.language)
        return o

    t0 = time.perf_counter()
    datasets, seen, k = [], set(), 0
    while len(seen) < target:
        ds = Dataset()
        if k == 0:
            g = ds.graph(ONTOLOGY_GRAPH)
            for t in onto:
                g.add(t)
                seen.add(t)
        for d in docs:
            g = ds.graph(term(d, k))
            for s, p, o in quads[d]:
                t = (term(s, k), p, literal(p, term(o, k), k))
                g.add(t)
                seen.add(t)
        datasets.append(ds)
        k += 1
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    merged, report = merge(datasets)
    merge_s = time.perf_counter() - t0
    quad_count = sum(1 for _ in merged.quads((None, None, None, None)))
    t0 = time.perf_counter()
    write_dataset(merged, out)
    write_s = time.perf_counter() - t0
    return {"copies": k, "interviews": report.interviews, "entities": report.entities, "triples": len(seen),
            "quads": quad_count, "conflicts": len(report.conflicts), "make_s": round(made, 1),
            "merge_s": round(merge_s, 1), "write_s": round(write_s, 1), "trig_mb": round(out.stat().st_size / 1e6, 1)}


CHILD = r"""
import json, re, sys, time
sys.path.insert(0, sys.argv[3])
engine, graph = sys.argv[1], sys.argv[2]
extra, skip = json.loads(sys.argv[4]), set(json.loads(sys.argv[5]))
from kg import query as Q
from kg.questions import library

def peak_mb():  # this process's own high-water mark (ru_maxrss would include the parent's, from fork)
    text = open("/proc/self/status").read()
    return round(int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024)

out = {"engine": engine, "queries": {}}
print(json.dumps(dict(out, running="load")), flush=True)
t0 = time.perf_counter()
ds = Q.open_dataset([graph], engine=engine)
out["load_s"] = round(time.perf_counter() - t0, 2)
questions = {name: q.text for name, q in library().items()}
questions.update(extra)
for name, text in questions.items():
    if name in skip:
        continue
    print(json.dumps(dict(out, running=name)), flush=True)
    t0 = time.perf_counter()
    result = Q.run(ds, Q.check(text))
    n = len(result.bindings) if result.type == "SELECT" else int(bool(result.askAnswer))
    first = [str(v) for v in result.bindings[0].values()] if result.type == "SELECT" and result.bindings and name.startswith("count") else None
    out["queries"][name] = {"s": round(time.perf_counter() - t0, 3), "rows": n, "first": first}
    out["max_rss_mb"] = peak_mb()
out["max_rss_mb"] = peak_mb()
print(json.dumps(out), flush=True)
"""


def run_engine(engine: str, graph: Path, timeout: float) -> dict:
    """One engine in a fresh process. A query slower than ``timeout`` seconds is stopped and
    recorded, and a new process (loading the graph again) goes on with the queries left."""
    import queue
    import threading

    result: dict = {"engine": engine, "queries": {}}
    skip: list[str] = []
    while True:
        extra = dict(EXTRA_QUERIES)
        cmd = [sys.executable, "-c", CHILD, engine, str(graph), str(ROOT), json.dumps(extra), json.dumps(skip)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout] + [lines.put(None)], daemon=True).start()
        last: dict = {}
        stopped = None
        while True:
            try:  # loading is never stopped: every query needs it
                line = lines.get(timeout=None if last.get("running", "load") == "load" else timeout)
            except queue.Empty:
                proc.kill()
                stopped = last.get("running")
                break
            if line is None:
                break
            last = json.loads(line)
        proc.wait()
        result.setdefault("load_s", last.get("load_s"))
        result["queries"].update(last.get("queries", {}))
        if "max_rss_mb" in last:
            result["max_rss_mb"] = max(result.get("max_rss_mb", 0), last["max_rss_mb"])
        if stopped is None:
            if proc.returncode:
                result["error"] = proc.stderr.read()[-2000:]
            return result
        result["queries"][stopped] = {"s": None, "rows": None, "first": None, "stopped": f"> {timeout:.0f}"}
        skip = list(result["queries"])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="distinct triples in the merged graph")
    ap.add_argument("--engines", default="oxigraph,rdflib")
    ap.add_argument("--timeout", type=float, default=600, help="seconds one query may take before it is stopped")
    ap.add_argument("--keep", type=Path, help="write the merged TriG here (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        graph = args.keep or Path(tmp) / "merged.trig"
        print(f"building a merged graph of >= {args.triples:,} triples ...", flush=True)
        made = synthetic_merged_graph(args.triples, graph)
        print(f"  {made['triples']:,} distinct triples, {made['quads']:,} quads, {made['interviews']} interviews, "
              f"{made['entities']:,} entities, {made['trig_mb']} MB TriG; merge {made['merge_s']} s, write {made['write_s']} s",
              flush=True)
        results = {}
        for engine in args.engines.split(","):
            print(f"{engine}: loading and querying ...", flush=True)
            results[engine] = run_engine(engine, graph, args.timeout)
    figures = {"machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
               "graph": made, "engines": results}
    print_table(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


def print_table(figures: dict) -> None:
    engines = list(figures["engines"])
    rows = [("load", *(f"{figures['engines'][e].get('load_s', '-')}" for e in engines))]
    names = []
    for e in engines:
        for name in figures["engines"][e].get("queries", {}):
            if name not in names:
                names.append(name)
    for name in names:
        cells = []
        for e in engines:
            q = figures["engines"][e].get("queries", {}).get(name)
            if q is None:
                cells.append("not run")
            elif q.get("stopped"):
                cells.append(f"{q['stopped']} (stopped)")
            else:
                cells.append(f"{q['s']} ({q['rows']} rows)")
        rows.append((name, *cells))
    rows.append(("peak memory MB", *(str(figures["engines"][e].get("max_rss_mb", "-")) for e in engines)))
    rows.append(("all queries, total", *(_sum(figures["engines"][e]) for e in engines)))
    widths = [max(len(str(r[i])) for r in rows + [("seconds", *engines)]) for i in range(len(engines) + 1)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(("seconds", *engines), widths)))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for e in engines:
        for key in ("stopped", "error"):
            if key in figures["engines"][e]:
                print(f"{e}: {key}: {figures['engines'][e][key]}")
    if len(engines) == 2:
        a, b = (figures["engines"][e] for e in engines)
        both = [n for n in names if a.get("queries", {}).get(n, {}).get("s") is not None
                and b.get("queries", {}).get(n, {}).get("s") is not None]
        same = [n for n in both if a["queries"][n]["rows"] == b["queries"][n]["rows"]
                and a["queries"][n].get("first") == b["queries"][n].get("first")]
        print(f"answers agree on {len(same)} of {len(both)} queries run by both engines")


def _sum(result: dict) -> str:
    times = [q["s"] for q in result.get("queries", {}).values() if q.get("s") is not None]
    return f"{sum(times):.1f} s for {len(times)}" if times else "-"


if __name__ == "__main__":
    main()
