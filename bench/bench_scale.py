"""Scale benchmark, in one run: a 1,000-interview synthetic corpus (about 100 MB) through
extraction (1 process and --jobs 2) beside jieba.cut, the whole build, merging 1,000
per-interview graphs, kg push of the graph into Virtuoso (where virtuoso-t is installed), and
the queries/ library on the merged graph with rdflib's memory store and with Oxigraph.

    python bench/bench_scale.py                       # 1,000 x 100 KB (about 100 MB)
    python bench/bench_scale.py -n 100 --size 20000   # a quick run (2 MB)
    python bench/bench_scale.py --keep bench/out      # keep the corpus and graphs there
    python bench/bench_scale.py --query-limit 60      # give up a query after 60 s (default 300)

Every measurement runs in a fresh process, so its peak memory (ru_maxrss; for --jobs also the
largest worker) is its own. MB are MB of input files; MB/s is per second of wall time.
Uses ``kg.merge.merge`` and ``kg.query`` where the installed kg has them; otherwise says so and
measures a plain union / direct rdflib and Oxigraph queries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gen_corpus import generate  # noqa: E402

CHILD = r'''
import json, resource, sys, time
from pathlib import Path
mode, listing, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
files = [Path(p) for p in listing.read_text().split("\n") if p]
mb = sum(p.stat().st_size for p in files) / 1e6
extra = {}

def peak_mib():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids

if mode == "jieba":
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    from kg.corpus import decode
    t0 = time.perf_counter()
    tokens = 0
    for p in files:
        text, _ = decode(p.read_bytes(), p)
        tokens += sum(1 for _ in jieba.cut(text))
    dt = time.perf_counter() - t0
    extra["tokens"] = tokens
elif mode in ("extract1", "extract2"):
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    from kg.parallel import pool_results, serial_results
    ex = Extractor(Lexicon.load())
    ex.nlp("zh"); ex.nlp("en")
    t0 = time.perf_counter()
    it = serial_results(files, ex) if mode == "extract1" else pool_results(files, ex, 2)
    n = sum(len(r.extraction.relations) for r in it if r.extraction)
    dt = time.perf_counter() - t0
    extra["relations"] = n
elif mode == "build2":
    # what `kg build --jobs 2 -o graphs` does: kg.ttl, kg.trig, kg.html and the analysis cache
    import os
    os.environ["KG_CACHE_DIR"] = str(work / "cache")
    from kg.build import build
    from kg.export.html import build_writer
    from kg.lexicon import Lexicon
    lex = Lexicon.load()
    out = Path(sys.argv[4]) if len(sys.argv) > 4 else work / "graphs"
    t0 = time.perf_counter()
    ds, report = build(files, out, lexicon=lex, jobs=2, extra_writers=[build_writer])
    dt = time.perf_counter() - t0
    extra["quads"] = len(ds) if not hasattr(ds, "graphs") else sum(1 for _ in ds.quads((None, None, None, None)))
    extra["failed"] = len(report.failed)
elif mode == "split":
    # the per-interview graphs that a merge takes: one TriG file per interview
    import pyoxigraph as ox
    t0 = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(work / "graphs" / "kg.trig"), format=ox.RdfFormat.TRIG)
    out = work / "per-interview"
    out.mkdir(exist_ok=True)
    n = 0
    for g in store.named_graphs():
        if "/doc/" not in g.value:
            continue
        quads = list(store.quads_for_pattern(None, None, None, g))
        ox.serialize(quads, str(out / (g.value.rsplit("/", 1)[1] + ".trig")), format=ox.RdfFormat.TRIG)
        n += 1
    dt = time.perf_counter() - t0
    extra["graphs"] = n
    mb = sum(p.stat().st_size for p in out.glob("*.trig")) / 1e6
elif mode in ("kg-merge", "kg-merge-old"):
    # what `kg merge per-interview/*.trig -o merged.trig` does: merged.trig, .ttl, .html, the cache;
    # "kg-merge-old": the rdflib way (merge_files, write_merged), where the installed kg has both
    import os
    os.environ["KG_CACHE_DIR"] = str(work / "cache")
    from kg.export.html import write_html
    paths = sorted((work / "per-interview").glob("*.trig"))
    mb = sum(p.stat().st_size for p in paths) / 1e6
    out = work / ("merged.trig" if mode == "kg-merge" else "merged-old.trig")
    t0 = time.perf_counter()
    try:
        from kg.merge import merge_to_files
    except ImportError:
        merge_to_files = None
    if mode == "kg-merge" and merge_to_files is not None:
        _, report = merge_to_files(paths, out, view=write_html)
        extra["how"] = "merge_to_files"
    else:
        from kg.merge import merge_files, write_merged
        ds, report = merge_files(paths)
        write_merged(ds, out, view=write_html)
        extra["how"] = "merge_files + write_merged"
    dt = time.perf_counter() - t0
    extra.update(interviews=report.interviews, evidence=report.evidence, conflicts=len(report.conflicts))
elif mode == "merge":
    from kg.rdfio import load_dataset
    paths = sorted((work / "per-interview").glob("*.trig"))
    mb = sum(p.stat().st_size for p in paths) / 1e6
    t0 = time.perf_counter()
    datasets = [load_dataset([p]) for p in paths]
    t_parse = time.perf_counter() - t0
    try:
        from kg.merge import merge
    except ImportError:
        merge = None
    t1 = time.perf_counter()
    if merge is not None:
        merged, _ = merge(datasets, [p.name for p in paths])
        extra["how"] = "kg.merge.merge"
    else:
        from rdflib import Dataset
        merged = Dataset()
        for ds in datasets:
            for q in ds.quads((None, None, None, None)):
                merged.add(q)
        extra["how"] = "union of quads (no kg.merge here)"
    t_merge = time.perf_counter() - t1
    from kg.export.rdf import write_trig
    t2 = time.perf_counter()
    write_trig(merged, work / "merged.trig")
    t_write = time.perf_counter() - t2
    dt = time.perf_counter() - t0
    extra.update(parse_s=round(t_parse, 2), merge_s=round(t_merge, 2), write_s=round(t_write, 2), quads=len(merged))
elif mode == "push":
    from kg.endpoint import Endpoint, query
    from kg.push import push
    t0 = time.perf_counter()
    report = push([work / "graphs" / "kg.trig"], Endpoint(sys.argv[4], timeout=600))
    dt = time.perf_counter() - t0
    mb = (work / "graphs" / "kg.trig").stat().st_size / 1e6
    t1 = time.perf_counter()
    answer = query(Endpoint(sys.argv[5], timeout=600), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                   "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/ai-kg/')) }")
    extra.update(triples=report.triples, graphs=len(report.graphs), requests=report.requests,
                 stored=int(list(answer)[0][0]), count_s=round(time.perf_counter() - t1, 2))
elif mode.startswith("queries-"):
    engine = mode.split("-", 1)[1]
    qdir = Path(sys.argv[4])
    t0 = time.perf_counter()
    try:
        from kg.query import check, open_dataset, run
        ds = open_dataset([work / "merged.trig"], engine=engine)
        ask = lambda text: len(list(run(ds, check(text))))
        extra["how"] = "kg.query"
    except ImportError:
        from rdflib import Dataset
        from kg.vocab import PREFIXES
        ds = Dataset(store="Oxigraph") if engine == "oxigraph" else Dataset()
        ds.parse(str(work / "merged.trig"), format="trig")
        ds.default_union = True
        ns = {k: str(v) for k, v in PREFIXES.items()}
        ask = lambda text: len(list(ds.query(text, initNs=ns)))
        extra["how"] = "rdflib Dataset.query (no kg.query here)"
    t_load = time.perf_counter() - t0
    limit = int(sys.argv[5])
    import signal
    fired = []
    def late(*_):
        fired.append(True)
        raise TimeoutError()
    signal.signal(signal.SIGALRM, late)
    per = {}
    for q in sorted(qdir.glob("*.rq")):
        t = time.perf_counter()
        signal.alarm(limit)
        try:
            rows = ask(q.read_text(encoding="utf-8"))
        except Exception:
            if not fired:
                raise
            rows = f"> {limit} s"  # kg.query wraps the alarm's exception: the flag tells
            fired.clear()
        finally:
            signal.alarm(0)
        per[q.stem] = [round(time.perf_counter() - t, 3), rows]
    dt = time.perf_counter() - t0
    extra.update(load_s=round(t_load, 2), queries=per, queries_s=round(sum(v[0] for v in per.values()), 2))
own, kids = peak_mib()
cpu = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for f in ("ru_utime", "ru_stime"))  # CPU seconds of this process and its workers (start-up included)
print(json.dumps({"mode": mode, "mb": mb, "seconds": dt, "mb_per_s": mb / dt if dt else 0,
                  "peak_mib": own, "worker_peak_mib": kids, "cpu_s": cpu, **extra}))
'''


def run(mode: str, files: list[Path], work: Path, *args: str, timeout: float = 3600, tree: Path | None = None) -> dict:
    """``mode`` in a fresh process; ``tree``: with the kg package of that checkout (an older
    commit, for a before/after in the same run) instead of the installed one."""
    listing = work / "files.txt"
    listing.write_text("\n".join(map(str, files)))
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    try:
        res = subprocess.run([sys.executable, "-c", CHILD, mode, str(listing), str(work), *args],
                             capture_output=True, text=True, cwd=tree or ROOT, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "error": f"over {timeout:.0f} s"}
    if res.returncode != 0:
        return {"mode": mode, "error": (res.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def push_to_virtuoso(files: list[Path], work: Path) -> None:
    """kg push of the whole graph into a Virtuoso started here (if installed): time, peak memory."""
    sys.path.insert(0, str(ROOT))
    from tests import virtuoso

    why = virtuoso.missing()
    if why:
        print(f"push: skipped, {why}")
        return
    folder = work / "virtuoso"
    folder.mkdir(exist_ok=True)
    server = virtuoso.start(folder)
    try:
        r = run("push", files, work, server.graph_store, server.sparql)
    finally:
        server.stop()
    if "error" in r:
        print(f"push: failed: {r['error']}")
        return
    print(f"kg push kg.trig ({r['mb']:.1f} MB) to Virtuoso (Graph Store Protocol): {r['seconds']:.1f} s, "
          f"{r['triples']} triples in {r['graphs']} graphs, {r['requests']} requests, peak {r['peak_mib']:.0f} MiB; "
          f"the store counts {r['stored']} ({r['count_s']} s)")


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def write_only(files: list[Path], work: Path, old_tree: Path | None) -> None:
    """kg build --jobs 2 and kg merge of the per-interview graphs: seconds and peak memory, the
    installed kg and (``old_tree``) an older one, in this order, on the same files; and whether
    they wrote the same bytes."""
    import filecmp

    trees = [("new", None)] + ([("old", old_tree)] if old_tree else [])
    print(f"{'':<34}{'seconds':>9}{'peak MiB':>10}{'worker MiB':>12}{'CPU s':>8}")
    for name, tree in trees:
        r = run("build2", files, work, str(work / f"graphs-{name}"), tree=tree)
        if "error" in r:
            print(f"kg build --jobs 2 ({name}): failed: {r['error']}")
            continue
        print(f"{'kg build --jobs 2 (' + name + ')':<34}{r['seconds']:>9.1f}{r['peak_mib']:>10.0f}{r['worker_peak_mib']:>12.0f}"
              f"{r['cpu_s']:>8.1f}   {r['quads']} quads")
    if old_tree:
        same = all(filecmp.cmp(work / "graphs-new" / n, work / "graphs-old" / n, shallow=False)
                   for n in ("kg.ttl", "kg.trig", "kg.html"))
        print(f"build outputs identical (kg.ttl, kg.trig, kg.html): {same}")
    (work / "graphs").mkdir(exist_ok=True)
    import shutil
    shutil.copy(work / "graphs-new" / "kg.trig", work / "graphs" / "kg.trig")
    split = run("split", files, work)
    print(f"per-interview graphs: {split.get('graphs')} TriG files, {split.get('mb', 0):.1f} MB")
    for name, mode in (("new", "kg-merge"), ("old", "kg-merge-old")):
        r = run(mode, files, work, tree=dict(trees).get(name) if name == "old" and old_tree else None)
        if "error" in r:
            print(f"kg merge ({name}): failed: {r['error']}")
            continue
        print(f"{'kg merge (' + name + ')':<34}{r['seconds']:>9.1f}{r['peak_mib']:>10.0f}{'':>12}{r['cpu_s']:>8.1f}"
              f"   {r['how']}: {r['interviews']} interviews, {r['evidence']} evidence, {r['conflicts']} conflicts")
    if (work / "merged-old.trig").exists():
        same = all(filecmp.cmp(work / f"merged.{s}", work / f"merged-old.{s}", shallow=False) for s in ("trig", "ttl", "html"))
        print(f"merge outputs identical (.trig, .ttl, .html): {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="interviews (default 1000)")
    ap.add_argument("--size", type=int, default=100_000, help="bytes per interview (default 100000)")
    ap.add_argument("--queries", type=Path, default=ROOT / "queries", help="folder of .rq files")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--query-limit", type=int, default=300, help="seconds one query may take before it is given up")
    ap.add_argument("--write-only", action="store_true",
                    help="only the build (--jobs 2) and kg merge of the per-interview graphs, each also with --old-tree")
    ap.add_argument("--old-tree", type=Path,
                    help="a checkout of an older commit (git worktree add DIR COMMIT): --write-only runs it beside")
    args = ap.parse_args()

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        files = generate(work / "corpus", args.n, args.size)
        mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus: {len(files)} interviews, {mb:.1f} MB, generated in {time.perf_counter() - t:.1f} s")
        print()
        if args.write_only:
            write_only(files, work, args.old_tree)
            return
        base = run("jieba", files, work)
        rows = [("jieba.cut (baseline)", base), ("kg extract, 1 process", run("extract1", files, work)),
                ("kg extract, --jobs 2", run("extract2", files, work)),
                ("kg build --jobs 2 (all)", run("build2", files, work))]
        print(f"{'':<26}{'seconds':>9}{'MB/s':>8}{'vs jieba':>10}{'peak MiB':>10}{'worker MiB':>12}")
        for what, r in rows:
            if "error" in r:
                print(f"{what:<26}  failed: {r['error']}")
                continue
            ratio = r["mb_per_s"] / base["mb_per_s"] if "mb_per_s" in base else float("nan")
            kids = f"{r['worker_peak_mib']:>12.0f}" if r["mode"] in ("extract2", "build2") else f"{'':>12}"
            print(f"{what:<26}{r['seconds']:>9.1f}{r['mb_per_s']:>8.2f}{ratio:>9.2f}x{r['peak_mib']:>10.0f}{kids}")
        build = rows[-1][1]
        if "error" in build:
            return
        print(f"graph: {build['quads']} quads, {build['failed']} failed files")
        print()
        split = run("split", files, work)
        print(f"per-interview graphs: {split.get('graphs')} TriG files, {split.get('mb', 0):.1f} MB")
        merge = run("merge", files, work)
        if "error" in merge:
            print(f"merge failed: {merge['error']}")
            return
        print(f"merge of {split.get('graphs')} graphs ({merge['how']}): {merge['seconds']:.1f} s "
              f"(parse {merge['parse_s']} s, merge {merge['merge_s']} s, write {merge['write_s']} s), "
              f"{merge['quads']} quads, peak {merge['peak_mib']:.0f} MiB")
        push_to_virtuoso(files, work)
        if not args.queries.is_dir() or not list(args.queries.glob("*.rq")):
            print(f"queries: no .rq files in {args.queries}, skipped")
            return
        print()
        results = {e: run(f"queries-{e}", files, work, str(args.queries), str(args.query_limit),
                          timeout=3600 + 12 * args.query_limit) for e in ("rdflib", "oxigraph")}
        names = sorted(q.stem for q in args.queries.glob("*.rq"))
        print(f"queries/ on the merged graph{'':<10}{'rdflib s':>10}{'oxigraph s':>12}{'rows':>8}")
        for e, r in results.items():
            if "error" in r:
                print(f"  {e}: failed: {r['error']}")
        load = {e: r.get("load_s", float("nan")) for e, r in results.items()}
        print(f"  {'(load the graph)':<36}{load['rdflib']:>10}{load['oxigraph']:>12}")
        for name in names:
            cells = [results[e].get("queries", {}).get(name, [float("nan"), ""]) for e in ("rdflib", "oxigraph")]
            shown = [c[1] if isinstance(c[1], str) else c[0] for c in cells]  # "> N s" for a query given up
            rows = next((c[1] for c in cells if isinstance(c[1], int)), "")
            print(f"  {name:<36}{shown[0]:>10}{shown[1]:>12}{rows:>8}")
        total = {e: r.get("queries_s", float("nan")) for e, r in results.items()}
        print(f"  {'all queries':<36}{total['rdflib']:>10}{total['oxigraph']:>12}")
        print(f"  peak MiB{'':<28}{results['rdflib'].get('peak_mib', 0):>10.0f}{results['oxigraph'].get('peak_mib', 0):>12.0f}")


if __name__ == "__main__":
    main()
