"""The extraction hot path beside a baseline commit, in one run: pipeline construction, every
pipeline stage, and the whole build against ``jieba.cut`` on the same text.

    python bench/bench_nlp.py --baseline 107e262              # corpus x10 as one file (1.4 MB)
    python bench/bench_nlp.py --baseline 107e262 --scale 100 --split  # corpus x100 (14 MB), 300 files
    python bench/bench_nlp.py --baseline 107e262 --no-build   # construction and stages only
    python bench/bench_nlp.py --baseline de3e478 --warm       # also each stage warm (best of 5 in one process)

The baseline is checked out with ``git archive`` into a temporary folder and imported from there
(``PYTHONPATH``), so both versions read their own ``ontology/``. Every measurement runs in a fresh
process (lazily compiled rules are paid for in the stage that compiles them, as in a real build),
baseline and current alternately, ``--repeat`` times; the table shows medians. Times are CPU seconds
of the measuring process (``time.process_time``: on a shared machine wall time also counts the
other processes' turns) with wall seconds beside them; ratios are baseline / current (above 1:
faster now). The synthetic text recombines the corpus sentence by sentence (``bench_build.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import make_synthetic  # noqa: E402

CHILD = r"""
import json, sys, time
import gc
from pathlib import Path
mode, listing, out = sys.argv[1], sys.argv[2], sys.argv[3]
WARM_RUNS = 5
paths = [Path(p) for p in Path(listing).read_text().split("\n") if p]
clock = time.process_time
result = {}

def timed(cls, name, attr="__init__", acc=None):
    # accumulate the CPU time of cls.attr under ``name`` (the outermost call only)
    acc = result.setdefault("parts", {})
    orig = getattr(cls, attr)
    depth = [0]
    def wrapper(*a, **k):
        depth[0] += 1
        t = clock()
        try:
            return orig(*a, **k)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                acc[name] = acc.get(name, 0.0) + clock() - t
    setattr(cls, attr, wrapper)

if mode == "jieba":
    import jieba
    jieba.initialize()
    w, c = time.perf_counter(), clock()
    n = sum(1 for p in paths for _ in jieba.cut(p.read_text(encoding="utf-8")))
    result.update(wall=time.perf_counter() - w, cpu=clock() - c)
elif mode == "construct":
    from kg.lexicon import Lexicon
    from kg.extract import Extractor
    import kg.nlp.pipeline, kg.nlp.tokenizer, kg.nlp.relations, kg.nlp.discovery, kg.nlp.anaphora, kg.nlp.relmodel
    timed(kg.nlp.tokenizer.LexiconTokenizer, "tokenizer")
    try:
        from kg.nlp.mentions import LexiconMatcher
        timed(LexiconMatcher, "lexicon matching")
    except ImportError:  # the baseline: spaCy's SpanRuler
        from spacy.pipeline.span_ruler import SpanRuler
        timed(SpanRuler, "lexicon matching", "add_patterns")
    timed(kg.nlp.relations.RelationExtractor, "relation rules")
    timed(kg.nlp.discovery.Discovery, "discovery")
    timed(kg.nlp.anaphora.AnaphoraResolver, "anaphora")
    lex = Lexicon.load()
    w, c = time.perf_counter(), clock()
    ex = Extractor(lex)
    result.update(zh_wall=time.perf_counter() - w, zh_cpu=clock() - c)
    w, c = time.perf_counter(), clock()
    ex.nlp("en")
    result.update(en_wall=time.perf_counter() - w, en_cpu=clock() - c)
elif mode in ("stages", "warm"):
    # each component timed as the build runs it: Python's collector as kg/gctune.py sets it for
    # extraction, and a full collection before each component so that none pays for another's garbage;
    # "warm": the whole pipeline run WARM_RUNS times over the same input in this process, each
    # component's best run kept (the rules compiled, caches of the processor warm)
    from kg.corpus import load_document
    from kg.extract import Extractor
    from kg.gctune import fewer_collections
    from kg.lexicon import Lexicon
    from kg.textnorm import normalise
    ex = Extractor(Lexicon.load())
    stages = {}
    with fewer_collections():
        for path in paths:
            doc = load_document(path)
            text = doc.norm
            if doc.language != "en" and ex.respell:
                respelled = ex.respell(doc.clean)
                if respelled != doc.clean:
                    text = normalise(respelled)
            nlp = ex.nlp(doc.language)
            best = {}
            for _ in range(WARM_RUNS if mode == "warm" else 1):
                gc.collect()
                c = clock()
                sdoc = nlp.make_doc(text)
                best["tokenizer"] = min(best.get("tokenizer", float("inf")), clock() - c)
                for name, proc in nlp.pipeline:
                    gc.collect()
                    c = clock()
                    sdoc = proc(sdoc)
                    best[name] = min(best.get(name, float("inf")), clock() - c)
            for name, seconds in best.items():
                stages[name] = stages.get(name, 0.0) + seconds
    result["stages"] = stages
elif mode == "build":
    from kg.build import build
    from kg.lexicon import Lexicon
    lex = Lexicon.load()
    w, c = time.perf_counter(), clock()
    build(paths, Path(out), lexicon=lex)
    result.update(wall=time.perf_counter() - w, cpu=clock() - c)
print(json.dumps(result))
"""


def child(mode: str, code: Path, listing: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    res = subprocess.run([sys.executable, "-c", CHILD, mode, str(listing), str(out)], capture_output=True, text=True,
                         cwd=code, env=env)
    if res.returncode != 0:
        sys.exit(f"{mode} ({code}) failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict], *keys: str) -> float:
    vals = []
    for r in runs:
        v = r
        for k in keys:
            v = v.get(k, 0.0) if isinstance(v, dict) else 0.0
        vals.append(v)
    return statistics.median(vals)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="107e262", help="git revision to compare with (default: before issue 12)")
    ap.add_argument("--scale", type=int, default=10, help="synthetic text = SCALE x the corpus, as one file")
    ap.add_argument("--repeat", type=int, default=3, help="fresh processes per measurement (median)")
    ap.add_argument("--no-build", action="store_true", help="skip the whole build against jieba.cut")
    ap.add_argument("--warm", action="store_true", help="also every stage warm: the best of 5 runs over the "
                    "same input in one process (the rules compiled; less moved by other processes)")
    ap.add_argument("--split", action="store_true", help="the synthetic text as interview-sized files (one "
                    "process builds them all), not one file")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "baseline"
        old.mkdir()
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        files = make_synthetic(ROOT / "corpus", tmp / "synthetic", args.scale)
        if not args.split:
            one = tmp / f"corpus_x{args.scale}.txt"
            one.write_text("".join(f.read_text(encoding="utf-8") for f in files), encoding="utf-8")
            files = [one]
        text = tmp / "files.txt"
        text.write_text("\n".join(map(str, files)))
        mb = sum(f.stat().st_size for f in files) / 1e6
        shape = f"{len(files)} files" if args.split else "one file"
        print(f"input: corpus x{args.scale} as {shape}, {mb:.2f} MB; baseline {args.baseline}; "
              f"median of {args.repeat} fresh processes each; CPU seconds (wall)")
        runs: dict[tuple[str, str], list[dict]] = {}
        modes = ["construct", "stages"] + (["warm"] if args.warm else []) + ([] if args.no_build else ["jieba", "build"])
        for _ in range(args.repeat):
            for mode in modes:
                for name, code in (("baseline", old), ("current", ROOT)):
                    if mode == "jieba" and name == "baseline":
                        continue
                    runs.setdefault((mode, name), []).append(child(mode, code, text, tmp / f"out-{name}"))

        def row(what: str, before: float, after: float, wall: tuple[float, float] | None = None) -> None:
            extra = f"   (wall {wall[0]:.3f} -> {wall[1]:.3f})" if wall else ""
            ratio = f"{before / after:6.2f}x" if after > 0 else "     -"
            print(f"  {what:<34}{before:9.3f}{after:9.3f}{ratio}{extra}")

        print(f"  {'':<34}{'before':>9}{'after':>9}  ratio")
        print("construction (CPU s)")
        c_old, c_new = runs[("construct", "baseline")], runs[("construct", "current")]
        for part in ("tokenizer", "lexicon matching", "relation rules", "discovery", "anaphora"):
            row(part, median_of(c_old, "parts", part), median_of(c_new, "parts", part))
        row("zh pipeline (Extractor), whole", median_of(c_old, "zh_cpu"), median_of(c_new, "zh_cpu"),
            (median_of(c_old, "zh_wall"), median_of(c_new, "zh_wall")))
        row("en pipeline, whole", median_of(c_old, "en_cpu"), median_of(c_new, "en_cpu"),
            (median_of(c_old, "en_wall"), median_of(c_new, "en_wall")))
        print(f"stages on {mb:.2f} MB (CPU s)")
        s_old, s_new = runs[("stages", "baseline")], runs[("stages", "current")]
        names = list(dict.fromkeys([*s_old[0]["stages"], *s_new[0]["stages"]]))
        for name in names:
            row(name, median_of(s_old, "stages", name), median_of(s_new, "stages", name))
        row("all stages", statistics.median(sum(r["stages"].values()) for r in s_old),
            statistics.median(sum(r["stages"].values()) for r in s_new))
        if args.warm:
            print(f"stages warm: the best of 5 runs in one process, the best of {args.repeat} processes (CPU s)")
            w_old, w_new = runs[("warm", "baseline")], runs[("warm", "current")]
            for name in names:
                row(name, min(r["stages"].get(name, 0.0) for r in w_old), min(r["stages"].get(name, 0.0) for r in w_new))
            row("all stages", min(sum(r["stages"].values()) for r in w_old),
                min(sum(r["stages"].values()) for r in w_new))
        if not args.no_build:
            j = runs[("jieba", "current")]
            jc, jw = median_of(j, "cpu"), median_of(j, "wall")
            print(f"whole build vs jieba.cut on the same {mb:.2f} MB (speed = jieba's time / build's time)")
            print(f"  jieba.cut{'':<25}{jc:9.3f} CPU s (wall {jw:.3f})")
            for name in ("baseline", "current"):
                b = runs[("build", name)]
                bc, bw = median_of(b, "cpu"), median_of(b, "wall")
                print(f"  kg build, {name:<24}{bc:9.3f} CPU s (wall {bw:.3f})   {jc / bc:.2f}x jieba.cut by CPU, "
                      f"{jw / bw:.2f}x by wall")


if __name__ == "__main__":
    main()
