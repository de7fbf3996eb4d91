"""Cross-validation scored on the published texts no rule was written from: which training texts, known facts
or settings help on text like the locked sets, without scoring a locked set.

    python bench/unfitted_cv.py                                          # the shipped splits.yaml
    python bench/unfitted_cv.py --splits tests/realtext/splits-v2.yaml   # another choice of training texts
    KG_ONTOLOGY_DIR=/tmp/ont python bench/unfitted_cv.py                 # other known facts (ontology/known.yaml)
    python bench/unfitted_cv.py --set top_k=2                            # a setting of the model's config changed
    python bench/unfitted_cv.py --read cv.json --sets 'test1\d/gold|test20/gold'   # a saved result, other sets pooled

``kg.train.crossval`` (5 folds by file over every annotated text of the splits file's train split: each text
is scored by a model fitted on the other folds, its own facts hidden from ``known.yaml``), then the held-out
scores of the sets named by ``--sets`` (gold folders, a regular expression; default ``test…test9``: published
texts annotated before any rule saw them, whose misses nobody read) pooled at each threshold: relations, core
and develops+affiliatedWith F1 with right / wrong / missed. Text the rules were fitted to (train…train6,
dev) reads far better than such text, so only these sets tell what carries over. About 5 minutes (8 with
train2…train6 in the split) on 2 cores; deterministic (fixed seeds). Nothing is written unless ``--json``.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import yaml

import kg.train as T
from kg.eval import Score

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("all", "core", "develops+affiliatedWith")


def pooled(result: dict, pattern: str, threshold: float) -> dict[str, Score]:
    """Group -> right, wrong and missed summed over the sets whose name matches ``pattern`` at ``threshold``."""
    out = {g: Score() for g in GROUPS}
    for name, s in result["sets"].items():
        if name == "all" or not re.fullmatch(pattern, name):
            continue
        c = next(c for c in s["curve"] if c["threshold"] == threshold)
        for g in GROUPS:
            out[g].add(Score(c[g]["tp"], c[g]["fp"], c[g]["fn"]))
    return out


def f1_line(s: Score) -> str:
    return f"{s.f1:.3f} (P {s.precision:.3f} R {s.recall:.3f}; {s.tp}/{s.fp}/{s.fn})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "realtext" / "splits.yaml")
    ap.add_argument("--sets", default=r"test\d?/gold", help="gold folders to pool (regular expression)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--thresholds", default="0.25,0.3,0.35,0.4")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting of the model's config (VALUE read as YAML)")
    ap.add_argument("--json", type=Path, help="also write the whole cross-validation result here")
    ap.add_argument("--read", type=Path, help="score a result written by --json instead of cross-validating again")
    args = ap.parse_args()
    config = {}
    for kv in args.set:
        key, _, value = kv.partition("=")
        config[key] = yaml.safe_load(value)
    if args.read:
        result = json.loads(args.read.read_text(encoding="utf-8"))
    else:
        result = T.crossval(args.splits, folds=args.folds, config=config, log=lambda line: None)
    if args.json:
        args.json.write_text(json.dumps(result), encoding="utf-8")
    names = [n for n in result["sets"] if n != "all" and re.fullmatch(args.sets, n)]
    if not names:
        raise SystemExit(f"no set of {args.splits} matches {args.sets!r} (sets: {', '.join(sorted(result['sets']))})")
    files = sum(result["sets"][n]["files"] for n in names)
    print(f"{args.splits.name}: {result['files']} annotated texts in {result['folds']} folds; pooled over "
          f"{len(names)} sets ({files} texts): {', '.join(sorted(names))}")
    for t in (float(x) for x in args.thresholds.split(",")):
        p = pooled(result, args.sets, t)
        print(f"  threshold {t}: relations {f1_line(p['all'])} | core {f1_line(p['core'])} | "
              f"develops+affiliatedWith {f1_line(p['develops+affiliatedWith'])}")
    print(f"  kg train's rule (best F1 at precision >= 0.7) on these readings picks {picked(result, args.sets)}")


def picked(result: dict, pattern: str) -> float:
    """The threshold ``kg train``'s rule (``kg.train.choose_threshold``) picks on the out-of-fold readings of
    the sets matching ``pattern``, pooled."""
    curve = []
    for t in T.THRESHOLDS:
        p = pooled(result, pattern, t)
        curve.append({"threshold": t, **{g: {"f1": p[g].f1, "precision": p[g].precision} for g in ("all", "core")}})
    return T.choose_threshold(curve)


if __name__ == "__main__":
    main()
