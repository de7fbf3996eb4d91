"""Build throughput and peak memory against ``jieba.cut`` over the same text, in one run.

    python bench/bench_build.py                 # corpus/ and a 100x synthetic corpus
    python bench/bench_build.py --scale 20      # a smaller synthetic corpus
    python bench/bench_build.py --stages        # also each pipeline component (rules vs relation model)

Each measurement runs in a fresh process so peak memory (ru_maxrss) is its own. The synthetic
corpus recombines the corpus sentence by sentence (deterministic seed), so its text has the
corpus's mix of names, relations and markup. Figures: MB of UTF-8 input per second of wall time.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_synthetic(corpus: Path, out: Path, scale: int, seed: int = 7, one_file: bool = False) -> list[Path]:
    """``scale`` times the corpus volume, as files the size of an average interview (or as one file)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    sentences = [s for t in texts for s in re.split(r"(?<=[。！？\n])", t) if s.strip()]
    target = sum(len(t.encode("utf-8")) for t in texts) * scale
    per_file = target if one_file else max(1, sum(len(t.encode("utf-8")) for t in texts) // max(1, len(texts)))
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, written, i = [], 0, 0
    while written < target:
        buf, size = [], 0
        while size < per_file:
            s = rng.choice(sentences)
            buf.append(s)
            size += len(s.encode("utf-8"))
        path = out / f"synthetic_{i:05d}.txt"
        path.write_text("".join(buf), encoding="utf-8")
        files.append(path)
        written += size
        i += 1
    return files


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, listing, out = sys.argv[1], sys.argv[2], sys.argv[3]
files = [Path(p) for p in Path(listing).read_text().split("\n") if p]
mb = sum(p.stat().st_size for p in files) / 1e6
if mode == "jieba":
    import jieba
    jieba.initialize()
    t0 = time.perf_counter()
    n = 0
    for p in files:
        n += sum(1 for _ in jieba.cut(p.read_text(encoding="utf-8")))
    dt = time.perf_counter() - t0
elif mode == "build":
    from kg.build import build
    from kg.lexicon import Lexicon
    lex = Lexicon.load()
    t0 = time.perf_counter()
    build(files, Path(out), lexicon=lex)
    dt = time.perf_counter() - t0
elif mode == "extract":
    from kg.corpus import load_document
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    ex = Extractor(Lexicon.load())
    ex.nlp("zh"); ex.nlp("en")
    t0 = time.perf_counter()
    for p in files:
        ex.extract(load_document(p))
    dt = time.perf_counter() - t0
elif mode in ("stages", "stages-rules"):
    # the pipeline component by component, each timed (the relation stage: kg_relations, kg_relation_model)
    from kg.corpus import load_document
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    ex = Extractor(Lexicon.load(), **({"relation_model": None} if mode == "stages-rules" else {}))
    ex.nlp("zh"); ex.nlp("en")
    stages = {}
    t0 = time.perf_counter()
    for p in files:
        doc = load_document(p)
        text = ex.pipeline_text(doc)
        nlp = ex.nlp(doc.language)
        t = time.perf_counter()
        sdoc = nlp.make_doc(text)
        stages["tokenizer"] = stages.get("tokenizer", 0.0) + time.perf_counter() - t
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            sdoc = proc(sdoc)
            stages[name] = stages.get(name, 0.0) + time.perf_counter() - t
    dt = time.perf_counter() - t0
    extra = {"stages": stages}
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"mode": mode, "mb": mb, "seconds": dt, "mb_per_s": mb / dt, "peak_mib": rss, **(extra if mode.startswith("stages") else {})}))
"""


def run(mode: str, files: list[Path], workdir: Path) -> dict:
    listing = workdir / f"{mode}-files.txt"
    listing.write_text("\n".join(map(str, files)))
    res = subprocess.run([sys.executable, "-c", CHILD, mode, str(listing), str(workdir / f"out-{mode}")],
                         capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        sys.exit(f"{mode} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=100, help="synthetic corpus = SCALE x corpus volume")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--stages", action="store_true", help="also time the pipeline component by component "
                    "(the relation stage: rules against the relation model)")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sets = {
            "corpus": sorted(args.corpus.glob("*.txt")),
            f"synthetic x{args.scale}": make_synthetic(args.corpus, tmp / "synthetic", args.scale),
        }
        print(f"{'input':<16}{'MB':>8}  {'what':<26}{'seconds':>9}{'MB/s':>8}{'peak MiB':>10}{'vs jieba':>10}")
        for name, files in sets.items():
            base = run("jieba", files, tmp)
            rows = [("jieba.cut (baseline)", base), ("kg extract (no RDF)", run("extract", files, tmp)),
                    ("kg build (all outputs)", run("build", files, tmp))]
            for what, r in rows:
                ratio = r["mb_per_s"] / base["mb_per_s"]
                print(f"{name:<16}{r['mb']:>8.2f}  {what:<26}{r['seconds']:>9.2f}{r['mb_per_s']:>8.2f}{r['peak_mib']:>10.0f}{ratio:>9.2f}x")
            if args.stages:
                model, rules = run("stages", files, tmp), run("stages-rules", files, tmp)
                rel = model["stages"]["kg_relations"]
                print(f"{name:<16}  relation stage: rules (kg_relations) {rel:.2f} s, model (kg_relation_model) "
                      f"{model['stages']['kg_relation_model']:.2f} s = {model['stages']['kg_relation_model'] / rel:.2f}x the rules; "
                      f"rules alone, same run: {rules['stages']['kg_relations']:.2f} s")
                print(f"{name:<16}  every stage, seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in model["stages"].items()))


if __name__ == "__main__":
    main()
