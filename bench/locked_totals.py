"""The locked test sets scored as totals only, each on its own and pooled: the figures the README gives.

    python bench/locked_totals.py                          # every test entry of tests/realtext/splits.yaml
    python bench/locked_totals.py --sets test17,test18     # some of them
    python bench/locked_totals.py --json totals.json       # also the numbers, per set and pooled

Each set is built as a user would build it (``kg build TEXTS -o DIR -q``, the shipped ontology, lexicon and
model) and scored with ``kg eval GOLD/*.yaml DIR/kg.trig --totals --json``: entities, relations, the core four
(competesWith, investsIn, supplies, hedgesAgainst) and develops+affiliatedWith, right / wrong / missed and
precision, recall, F1. Pooled figures sum each set's right, wrong and missed before computing precision,
recall and F1 (every set weighs by its gold, not one set one vote). Nothing here prints or writes a miss:
scoring a locked set is a sight of it (the README keeps their history), reading its misses would make it seen.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("entities", "relations", "core", "develops+affiliatedWith")


def locked_sets(splits: Path) -> dict[str, tuple[Path, Path]]:
    """Set name (the texts folder's parent) -> (texts folder, gold folder), for the splits file's test entries."""
    data = yaml.safe_load(splits.read_text(encoding="utf-8")) or {}
    base = splits.resolve().parent
    out = {}
    for entry in data.get("test") or []:
        texts, gold = base / entry["texts"], base / entry["gold"]
        out[texts.parent.name] = (texts, gold)
    return out


def score(texts: Path, gold: Path, work: Path) -> dict:
    """``kg build`` then ``kg eval --totals --json`` of one set: the totals of each group."""
    kg = [sys.executable, "-m", "kg"]
    out = work / texts.parent.name
    subprocess.run(kg + ["build", str(texts), "-o", str(out), "-q"], check=True, cwd=ROOT)
    golds = sorted(str(p) for p in gold.glob("*.yaml"))
    done = subprocess.run(kg + ["eval", *golds, str(out / "kg.trig"), "--totals", "--json"], check=True,
                          cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout)


def line(name: str, totals: dict) -> str:
    from kg.eval import Score

    parts = []
    for g in GROUPS:
        s = Score(*(totals[g][k] for k in ("tp", "fp", "fn")))
        parts.append(f"{g} {s.f1:.3f} ({s.tp}/{s.fp}/{s.fn}, P {s.precision:.3f} R {s.recall:.3f})")
    return f"{name:8s} " + " | ".join(parts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "realtext" / "splits.yaml")
    ap.add_argument("--sets", default="", help="comma-separated set names (default: every test entry)")
    ap.add_argument("--json", type=Path, help="write the totals, per set and pooled, to this file")
    args = ap.parse_args(argv)
    sets = locked_sets(args.splits)
    names = [s for s in args.sets.split(",") if s] or list(sets)
    unknown = [s for s in names if s not in sets]
    if unknown:
        print(f"{args.splits}: no test set named {', '.join(unknown)} (there are: {', '.join(sets)})", file=sys.stderr)
        return 2
    per_set = {}
    print("set      group F1 (right/wrong/missed, P R), totals only")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            per_set[name] = score(*sets[name], Path(tmp))
            print(line(name, per_set[name]), flush=True)
    pooled = {g: {k: sum(per_set[s][g][k] for s in names) for k in ("tp", "fp", "fn")} for g in GROUPS}
    print(line("pooled", pooled))
    if args.json:
        args.json.write_text(json.dumps({"sets": per_set, "pooled": pooled}, indent=1, sort_keys=True) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
