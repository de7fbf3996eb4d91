"""Time the analysis commands (kg path, neighbours, rank, communities, diff, view --as-of) on a
1,000-interview merged graph, each as a user runs it: ``kg ...`` in a fresh process.

    python bench/bench_analysis.py                    # 1,000 interviews of ~100 KB (build: a few minutes)
    python bench/bench_analysis.py --keep bench/out   # keep the corpus and graphs; a second run reuses them
    python bench/bench_analysis.py -n 100 --size 20000

1. ``bench/gen_corpus.py`` writes N interviews (the corpus's sentences recombined, fixed seed, dated
   through 2024), ``kg build --jobs 2`` builds them into one TriG file (one named graph per
   interview: the graph a merge of the per-interview builds gives); then one more, one-line
   interview goes in with ``kg build --into`` a copy (timed: the build prints what it added) so
   that ``kg diff`` has an OLD and a NEW.
2. Each command runs twice in a fresh process: *cold* (an empty analysis cache: the graph is
   parsed by pyoxigraph and read with SPARQL) and *warm* (the file's model comes from the cache
   the cold run wrote, ``kg.analysis.load``). Wall time includes Python's start-up and imports.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import machine  # noqa: E402
from gen_corpus import generate  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]


def kg(args: list[str], env: dict, out: Path | None = None) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(KG + args, capture_output=True, text=True, env=env, cwd=ROOT)
    dt = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kg {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dt, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="interviews (default 1000)")
    ap.add_argument("--size", type=int, default=100_000, help="bytes per interview (default 100000)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--reuse-into", action="store_true",
                    help="with --keep: reuse the graph a previous run's build --into made (not timed again)")
    args = ap.parse_args()

    print(f"machine: {machine()}")
    print(f"date: {datetime.date.today().isoformat()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        graph = work / "graphs" / "kg.trig"
        env = dict(os.environ, KG_CACHE_DIR=str(work / "cache"))
        if not graph.exists():
            files = generate(work / "corpus", args.n, args.size)
            t = time.perf_counter()
            dt, _ = kg(["build", str(work / "corpus"), "-o", str(work / "graphs"), "--jobs", "2", "--quiet"], env)
            print(f"built {len(files)} interviews in {dt:.1f} s")
        grown = work / "grown"
        if args.reuse_into and (grown / "kg.trig").exists():
            dt_into, into_out = None, ""
        else:
            shutil.rmtree(grown, ignore_errors=True)
            shutil.copytree(work / "graphs", grown)
            new = work / "new" / "new-interview.txt"
            new.parent.mkdir(exist_ok=True)
            new.write_text("# 新访谈\n\n发布时间: 2025-01-15 08:00\n\n台积电为微软代工芯片。\n", encoding="utf-8")
            shutil.rmtree(work / "cache", ignore_errors=True)
            dt_into, into_out = kg(["build", str(new), "--into", str(grown)], env)
        size_mb = graph.stat().st_size / 1e6
        stats = subprocess.run(KG + ["query", str(graph), "-q",
                                     "SELECT (COUNT(DISTINCT ?d) AS ?i) WHERE { ?d a kg:Interview }", "--format", "csv"],
                               capture_output=True, text=True, cwd=ROOT).stdout.split()[-1]
        print(f"graph: {graph} ({size_mb:.1f} MB TriG, {stats} interviews)")
        if dt_into is not None:
            print(f"kg build --into (one one-line interview, with the summary of what it added): {dt_into:.1f} s")
            print("  " + (into_out.strip().splitlines() or ["?"])[-1])
        print()

        commands = [
            ("path 台积电 Apple", ["path", str(graph), "台积电", "Apple"]),
            ("path Apple Nvidia --max-hops 4", ["path", str(graph), "Apple", "Nvidia", "--max-hops", "4"]),
            ("path 台积电 Apple --as-of 2024-06-30", ["path", str(graph), "台积电", "Apple", "--as-of", "2024-06-30"]),
            ("neighbours 英伟达 --depth 2", ["neighbours", str(graph), "英伟达"]),
            ("neighbours 英伟达 -o nvidia.html", ["neighbours", str(graph), "英伟达", "-o", str(work / "nvidia.html")]),
            ("neighbours 英伟达 --as-of 2024-06", ["neighbours", str(graph), "英伟达", "--as-of", "2024-06"]),
            ("rank --by pagerank", ["rank", str(graph)]),
            ("rank --by degree --type Company", ["rank", str(graph), "--by", "degree", "--type", "Company"]),
            ("rank --by betweenness", ["rank", str(graph), "--by", "betweenness"]),
            ("rank --as-of 2024-03-31", ["rank", str(graph), "--as-of", "2024-03-31"]),
            ("communities", ["communities", str(graph)]),
            ("diff OLD NEW (one interview added)", ["diff", str(graph), str(grown / "kg.trig")]),
            ("diff OLD NEW --format json", ["diff", str(graph), str(grown / "kg.trig"), "--format", "json"]),
            ("view --as-of 2024-06-30 --communities", ["view", str(graph), "--as-of", "2024-06-30", "--communities",
                                                      "-o", str(work / "asof.html")]),
        ]
        shutil.rmtree(work / "cache", ignore_errors=True)
        print(f"{'seconds (fresh process each)':<42}{'cold':>8}{'warm':>8}  answer")
        worst = 0.0
        for what, cmd in commands:
            shutil.rmtree(work / "cache", ignore_errors=True)
            cold, _ = kg(cmd, env)
            warm, out = kg(cmd, env)
            worst = max(worst, warm)
            first = next((l.strip() for l in out.splitlines() if l.strip()), "")
            print(f"{what:<42}{cold:>8.2f}{warm:>8.2f}  {first[:60]}")
        print(f"slowest warm answer: {worst:.2f} s")


if __name__ == "__main__":
    main()
