"""Start-up benchmark: whole-process wall time of short kg commands beside baselines run in the
same session, the heaviest imports, and the ready questions' times on a graph.

    python bench/bench_startup.py                          # build zh/en one-liners, kg query, baselines
    python bench/bench_startup.py --graph big/kg.trig      # and every ready question on that graph
    python bench/bench_startup.py --runs 5 --no-imports
    python bench/bench_startup.py --against /tmp/old   # also each kg row with the kg package in /tmp/old
                                                       # (e.g. git archive OLD_COMMIT | tar -x -C /tmp/old)

Each figure is the median of ``--runs`` fresh processes (wall time, process start to exit, outputs
written). Rows:

- ``python -c pass`` and ``python -c "import spacy"``: the baselines (the interpreter; the NLP
  library every build needs), measured in the same run, interleaved with the kg rows, so a
  figure can be read as a ratio on a shared, noisy machine;
- ``kg --help``: the CLI's own floor (Python, typer, rich);
- ``kg build`` of a one-line Chinese and a one-line English interview, with the start-up cache
  warm (``~/.cache/kg/startup`` filled by an earlier run; here a scratch ``KG_CACHE_DIR``) and
  cold (``KG_NO_CACHE=1``: everything read and computed again);
- ``kg query graphs/kg.trig --ask top-entities`` and a ``-q`` query;
- with ``--against DIR``, every kg row again with the ``kg`` package found in DIR (``PYTHONPATH``
  first, so an older checkout runs with the same Python and libraries), in the same rounds.

``--graph FILE`` then loads FILE once (Oxigraph, as ``kg query`` does) and times every question of
queries/ on it: check + run + rows, as ``bench/bench_scale.py`` times them (use a 1,000-interview
graph from ``bench/bench_scale.py --keep DIR`` or ``kg build`` of ``bench/gen_corpus.py``'s corpus).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZH = "英伟达向台积电采购芯片，OpenAI 与微软合作。\n"
EN = "Nvidia buys chips from TSMC, and OpenAI works with Microsoft.\n"


def kg_command() -> list[str]:
    """The installed ``kg`` entry point beside this Python, else ``python -m kg``."""
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


def wall(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {r.returncode}): {r.stderr.decode(errors='replace')[-500:]}")
    return dt


WATCHED = ("spacy", "rdflib", "rdflib.plugins.sparql", "oxrdflib", "pyoxigraph", "pyvis", "networkx", "numpy",
           "typer", "rich", "pydantic", "yaml", "jieba", "opencc", "sklearn", "kg.nlp.pipeline", "kg.build", "kg.query")


def importtime(cmd: list[str], env: dict, cwd: Path, top: int) -> list[tuple[float, str]]:
    """Cumulative import time (s) of the packages worth watching (``WATCHED``) that the command
    imports, largest first; a package nested in another is counted in both."""
    args = cmd[1:] if cmd[0] == sys.executable else ["-m", "kg", *cmd[1:]]
    r = subprocess.run([sys.executable, "-X", "importtime", *args], env=env, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = {}
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s*(\S+)", line)
        if m and m.group(3) in WATCHED:
            found[m.group(3)] = int(m.group(2)) / 1e6
    return sorted(((s, name) for name, s in found.items()), reverse=True)[:top]


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="processes per row (the median is shown)")
    ap.add_argument("--graph", type=Path, help="also time every ready question on this graph file")
    ap.add_argument("--queries", type=Path, default=ROOT / "queries", help="folder of ready questions")
    ap.add_argument("--no-imports", action="store_true", help="skip the -X importtime listing")
    ap.add_argument("--top", type=int, default=8, help="modules listed per command")
    ap.add_argument("--against", type=Path, help="a folder holding another kg package (an older checkout): "
                                                  "each kg row is timed with it too")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-startup-"))
    (work / "zh.txt").write_text(ZH, encoding="utf-8")
    (work / "en.txt").write_text(EN, encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if k not in ("KG_NO_CACHE", "KG_CACHE_DIR")}
    warm = dict(base_env, KG_CACHE_DIR=str(work / "cache"))
    cold = dict(base_env, KG_NO_CACHE="1")
    kg = kg_command()
    graph = ROOT / "graphs" / "kg.trig"
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"], base_env),
        ('python -c "import spacy"', [sys.executable, "-c", "import spacy"], base_env),
        ("kg --help", [*kg, "--help"], warm),
        ("kg build zh one-liner (cache warm)", [*kg, "build", "zh.txt", "-o", "out-zh", "-q"], warm),
        ("kg build en one-liner (cache warm)", [*kg, "build", "en.txt", "-o", "out-en", "-q"], warm),
        ("kg build zh one-liner (no cache)", [*kg, "build", "zh.txt", "-o", "out-zh", "-q"], cold),
        ("kg build en one-liner (no cache)", [*kg, "build", "en.txt", "-o", "out-en", "-q"], cold),
        ("kg query corpus --ask top-entities", [*kg, "query", str(graph), "--ask", "top-entities"], warm),
        ("kg query corpus -q (count evidence)", [*kg, "query", str(graph), "-q",
                                                 "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Evidence }"], warm),
    ]
    if args.against:
        old = str(args.against.resolve())
        rows += [(f"{name} [{args.against.name}]", [sys.executable, "-c", "import sys; from kg.cli import app; "
                                                    "sys.argv[0] = 'kg'; app()", *cmd[1:]],
                  dict(env, PYTHONPATH=old)) for name, cmd, env in rows if name.startswith("kg ")]
    # fill the warm cache once (not timed)
    for name, cmd, env in rows:
        if env.get("KG_CACHE_DIR") and "build" in cmd:
            wall(cmd, env, work)
    times: dict[str, list[float]] = {name: [] for name, _, _ in rows}
    for _ in range(args.runs):  # interleaved: a burst of load hits every row alike
        for name, cmd, env in rows:
            times[name].append(wall(cmd, env, work))
    print(f"# kg start-up, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()} "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load {load()} (before) ", end="")
    spacy_s = statistics.median(times['python -c "import spacy"'])
    print(f"-> {load()} (after)\n")
    print(f"| command (whole process, median of {args.runs}) | seconds | × import spacy |")
    print("|---|---|---|")
    for name, _, _ in rows:
        med = statistics.median(times[name])
        print(f"| {name} | {med:.2f} | {med / spacy_s:.2f} |")
    if not args.no_imports:
        for name, cmd, env in rows:
            if name.startswith("kg build en one-liner (cache warm)") or name.startswith("kg query corpus --ask"):
                found = importtime(cmd, env, work, len(WATCHED))
                print(f"\nimports of `{name}` (cumulative s, python -X importtime; not imported: "
                      f"{', '.join(m for m in WATCHED if m not in {n for _, n in found}) or 'none'}):")
                for sec, mod in found[:args.top]:
                    print(f"  {sec:6.3f}  {mod}")
    if args.graph:
        before = args.against / "queries" if args.against and (args.against / "queries").is_dir() else None
        questions(args.graph, args.queries, before)


def questions(path: Path, folder: Path, before: Path | None = None) -> None:
    """Every question of ``folder`` on ``path``; with ``before`` (another checkout's queries/),
    that folder's text of each question too, on the same store, and whether the rows agree."""
    from kg.query import check, open_dataset, run

    t0 = time.perf_counter()
    ds = open_dataset([path], lean=True)
    print(f"\nready questions on {path} ({path.stat().st_size / 1e6:.0f} MB; loaded in "
          f"{time.perf_counter() - t0:.1f} s, load {load()}): check + run + rows, Oxigraph")
    print("| question | seconds | rows |" + (f" seconds, {before.parent.name}'s text | same rows |" if before else ""))
    print("|---|---|---|" + ("---|---|" if before else ""))

    def ask(q: Path):
        t = time.perf_counter()
        result = run(ds, check(q.read_text(encoding="utf-8"), source=str(q)))
        rows = [tuple(row.get(v) for v in result.vars) for row in result.bindings] if result.type == "SELECT" else list(result)
        return time.perf_counter() - t, rows

    for q in sorted(folder.glob("*.rq")):
        dt, rows = ask(q)
        line = f"| {q.stem} | {dt:.2f} | {len(rows)} |"
        old = before / q.name if before else None
        if old is not None and old.exists():
            if old.read_bytes() == q.read_bytes():
                line += " (same text) | |"
            else:
                old_dt, old_rows = ask(old)
                line += f" {old_dt:.2f} | {'yes' if old_rows == rows else 'NO'} |"
        print(line, flush=True)


if __name__ == "__main__":
    main()
