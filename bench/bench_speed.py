"""Issue 12's table in one command: kg's speed and memory beside ``jieba.cut`` measured in the same run.

    python bench/bench_speed.py                  # every row (the 1,000-interview rows take several minutes)
    python bench/bench_speed.py --quick          # no 1,000-interview rows (build, merge, ready questions)
    python bench/bench_speed.py --repeat 1       # one run per figure instead of the median of 3
    python bench/bench_speed.py --keep DIR       # keep the generated corpora and graphs in DIR
    python bench/bench_speed.py --rows one-line,query            # only those rows
    python bench/bench_speed.py --rows merge --merge-inputs DIR  # merge DIR/*.trig (no 1,000-interview build)

Every kg figure is a whole ``kg`` process as a user runs it (start-up, reading, extraction, writing every
output), except the ready questions, which are timed one by one in a process that has opened the graph
(its opening time is printed beside them). The baseline ``jieba.cut`` runs in its own process over the
same text; its figure is the cutting alone (after ``jieba.initialize()``), the stricter comparison.
"speed vs jieba" is (jieba seconds) / (kg seconds): above 1, kg is faster.

Peak memory is the largest sum of the resident set sizes of a command's whole process tree (the kg
process and its workers), sampled every 20 ms from /proc. Figures are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import make_synthetic  # noqa: E402
from gen_corpus import generate  # noqa: E402

ZH_LINE = "英伟达与AMD在数据中心AI芯片市场正面竞争。\n"
EN_LINE = "Nvidia competes with AMD in data-centre AI chips.\n"

JIEBA = r"""
import sys, time
t0 = time.perf_counter()
import jieba
jieba.setLogLevel(60)
jieba.initialize()
from pathlib import Path
files = [Path(p) for p in Path(sys.argv[1]).read_text(encoding="utf-8").split("\n") if p]
texts = [p.read_text(encoding="utf-8") for p in files]
t1 = time.perf_counter()
n = sum(1 for t in texts for _ in jieba.cut(t))
t2 = time.perf_counter()
print(t2 - t1, t2 - t0, n)
"""

QUESTIONS = r"""
import json, sys, time
t0 = time.perf_counter()
from kg.query import check, open_dataset, run
from kg.questions import library
ds = open_dataset([sys.argv[1]])
opened = time.perf_counter() - t0
out = {"open": opened, "questions": {}}
for name, q in sorted(library().items()):
    t = time.perf_counter()
    rows = sum(1 for _ in run(ds, check(q.text)))
    out["questions"][name] = [time.perf_counter() - t, rows]
print(json.dumps(out))
"""


def kg_command() -> list[str]:
    exe = Path(sys.executable).parent / "kg"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg.cli"]


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(stat[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(stat[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the process tree, stdout. Exits with the command's error if it fails."""
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    dt = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.strip()[-2000:]}")
    return dt, peak[0] / 2**20, out


def compile_kg() -> str:
    """Write the bytecode of the kg package that will run (``compileall``, as ``pip install`` does),
    where it is missing; says what it did, or "" when it was there already."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("kg")
    if spec is None or not spec.submodule_search_locations:
        return ""
    folder = Path(list(spec.submodule_search_locations)[0])
    missing = [p for p in folder.rglob("*.py") if not Path(importlib.util.cache_from_source(str(p))).exists()]
    if not missing:
        return ""
    ok = compileall.compile_dir(str(folder), quiet=1)
    return f"compiled {len(missing)} modules of {folder} ({'ok' if ok else 'with errors'})"


def median_of(n: int, fn) -> tuple[float, float, str]:
    runs = [fn() for _ in range(n)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][2])


def jieba_seconds(files: list[Path], work: Path, repeat: int) -> float:
    listing = work / "jieba-files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    cut = []
    for _ in range(repeat):
        _, _, out = measure([sys.executable, "-c", JIEBA, str(listing)])
        cut.append(float(out.split()[0]))
    return statistics.median(cut)


def mb(files: list[Path]) -> float:
    return sum(p.stat().st_size for p in files) / 1e6


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what: str, figure: str, ratio: str, peak: str, target: str, ok: bool | None):
        mark = "" if ok is None else ("yes" if ok else "NO")
        self.rows.append((what, figure, ratio, peak, target, mark))
        print(f"  {what:<68}{figure:>12}{ratio:>12}{peak:>10}  {target:<26}{mark}", flush=True)

    @staticmethod
    def header():
        print(f"  {'':<68}{'figure':>12}{'vs jieba':>12}{'peak MiB':>10}  {'target':<26}met")


def split_per_interview(trig: Path, out: Path) -> list[Path]:
    """The per-interview graphs a merge takes: one TriG file per interview graph of ``trig``."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for g in store.named_graphs():
        if "/doc/" not in g.value:
            continue
        path = out / (g.value.rsplit("/", 1)[1] + ".trig")
        ox.serialize(store.quads_for_pattern(None, None, None, g), str(path), format=ox.RdfFormat.TRIG)
        paths.append(path)
    return sorted(paths)


ROWS = ("one-line", "x10", "x100", "c100", "c1000", "merge", "query")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="leave out the 1,000-interview rows")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    ap.add_argument("-n", type=int, default=1000, help="interviews in the large corpus (default 1000)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--rows", default=",".join(ROWS),
                    help=f"only these rows, comma-separated, of: {', '.join(ROWS)} (default: all; c1000 is the "
                         "1,000-interview build, merge its merge and the ready questions)")
    ap.add_argument("--merge-inputs", type=Path,
                    help="merge the per-interview graphs (*.trig) of this folder instead of splitting the "
                         "1,000-interview build's (the merge row without the c1000 row)")
    args = ap.parse_args()
    rows = {r.strip() for r in args.rows.split(",") if r.strip()}
    if rows - set(ROWS):
        ap.error(f"unknown rows: {', '.join(sorted(rows - set(ROWS)))} (known: {', '.join(ROWS)})")
    if args.quick:
        rows -= {"c1000", "merge"}
    kg = kg_command()
    r = args.repeat
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        if work.exists() and args.keep:
            shutil.rmtree(work)
        work.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, KG_CACHE_DIR=str(work / "cache"))
        # kg's own bytecode, as an installed kg has it (pip compiles it; a checkout's first run writes
        # it): with PYTHONDONTWRITEBYTECODE set and no __pycache__, every run would compile kg's source
        # again, about a fifth of a one-line build
        compiled = compile_kg()
        if compiled:
            print(f"kg's bytecode: {compiled}")
        t_py, _, _ = median_of(r, lambda: measure([sys.executable, "-c", "pass"]))
        t_spacy, _, _ = median_of(r, lambda: measure([sys.executable, "-c", "import spacy"]))
        print(f"baselines: python -c pass {t_py:.2f} s; python -c 'import spacy' {t_spacy:.2f} s")
        print()
        Table.header()
        table = Table()

        # 1. one-line interviews, whole process (the first run fills kg's start-up cache; the median is warm)
        for lang, line in (("zh", ZH_LINE), ("en", EN_LINE)) if "one-line" in rows else ():
            src = work / f"one-{lang}.txt"
            src.write_text(line, encoding="utf-8")
            measure(kg + ["build", str(src), "-o", str(work / f"one-{lang}")], env=env)  # cache filled
            t, peak, _ = median_of(r, lambda: measure(kg + ["build", str(src), "-o", str(work / f"one-{lang}")], env=env))
            table.add(f"kg build, one-line interview ({lang}), whole process", f"{t:.2f} s", "", f"{peak:.0f}",
                      "<= 1.0 s", t <= 1.0)

        # 2-3. corpus x10 as one file, corpus x100 as interview-sized files; one process
        for scale, one_file, target in ((10, True, 1.5), (100, False, 2.0)):
            if f"x{scale}" not in rows:
                continue
            files = make_synthetic(args.corpus, work / f"x{scale}", scale, one_file=one_file)
            base = jieba_seconds(files, work, r)
            t, peak, _ = median_of(r, lambda: measure(kg + ["build", str(work / f"x{scale}"), "-o",
                                                                    str(work / f"out-x{scale}")], env=env))
            shape = "one file" if one_file else f"{len(files)} files"
            table.add(f"kg build, corpus x{scale} ({mb(files):.1f} MB, {shape}), 1 process", f"{t:.2f} s",
                      f"{base / t:.2f}x", f"{peak:.0f}", f">= {target}x jieba.cut", base / t >= target)

        # 4. 100 interviews (5 MB), --jobs 2, vs jieba.cut in one process
        if "c100" in rows:
            files = generate(work / "c100", 100, 50_000)
            base = jieba_seconds(files, work, r)
            t, peak, _ = median_of(r, lambda: measure(kg + ["build", str(work / "c100"), "--jobs", "2", "-o",
                                                            str(work / "out-c100")], env=env))
            table.add(f"kg build, 100 interviews ({mb(files):.1f} MB), --jobs 2", f"{t:.2f} s", f"{base / t:.2f}x",
                      f"{peak:.0f}", ">= 1.5x jieba.cut", base / t >= 1.5)

        # 5 - 8. 1,000 interviews: build --jobs 2, merge of the per-interview graphs, ready questions
        parts = None
        if "c1000" in rows:
            files = generate(work / "c1000", args.n, 100_000)
            base = jieba_seconds(files, work, 1)
            out = work / "out-c1000"
            t, peak, _ = measure(kg + ["build", str(work / "c1000"), "--jobs", "2", "-o", str(out)], env=env)
            table.add(f"kg build, {len(files)} interviews ({mb(files):.0f} MB), --jobs 2", f"{t:.1f} s",
                      f"{base / t:.2f}x", f"{peak:.0f}", "<= 45 s, <= 1024 MiB", t <= 45 and peak <= 1024)
            if "merge" in rows and not args.merge_inputs:
                parts = split_per_interview(out / "kg.trig", work / "per-interview")
        if "merge" in rows and args.merge_inputs:
            parts = sorted(args.merge_inputs.glob("*.trig"))
        if parts:
            merged = work / "merged" / "kg.trig"
            merged.parent.mkdir()
            t, peak, _ = measure(kg + ["merge", *map(str, parts), "-o", str(merged), "--quiet"], env=env)
            table.add(f"kg merge of {len(parts)} interview graphs ({mb(parts):.0f} MB)", f"{t:.1f} s", "",
                      f"{peak:.0f}", "<= 20 s, <= 1024 MiB", t <= 20 and peak <= 1024)
            _, qpeak, qout = measure([sys.executable, "-c", QUESTIONS, str(merged)], env=env)
            answers = json.loads(qout.strip().splitlines()[-1])
            slowest = max(answers["questions"].items(), key=lambda kv: kv[1][0])
            table.add(f"slowest ready question ({slowest[0]}), {len(parts)}-interview graph",
                      f"{slowest[1][0]:.2f} s", "", f"{qpeak:.0f}", "<= 1 s each", slowest[1][0] <= 1.0)

        # 9. kg query on the corpus graph, whole process
        if "query" in rows:
            corpus_graph = ROOT / "graphs" / "kg.trig"
            t, peak, _ = median_of(r, lambda: measure(kg + ["query", str(corpus_graph), "--ask", "who-supplies-whom"],
                                                       env=env))
            table.add("kg query --ask who-supplies-whom on graphs/kg.trig, whole process", f"{t:.2f} s", "",
                      f"{peak:.0f}", "<= 0.5 s", t <= 0.5)

        if parts:
            print()
            print(f"ready questions on the {len(parts)}-interview graph (opened in {answers['open']:.1f} s):")
            for name, (sec, n_rows) in sorted(answers["questions"].items()):
                print(f"  {name:<32}{sec:>8.2f} s{n_rows:>8} rows")
        met = sum(1 for row in table.rows if row[-1] == "yes")
        print()
        print(f"targets met: {met} of {len(table.rows)}")


if __name__ == "__main__":
    main()
