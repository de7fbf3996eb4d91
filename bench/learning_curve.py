"""Learning curve of the relation model: cross-validation by file (kg.train.crossval) where each fold's
model is fitted on only a fraction of the other folds' annotated texts (the same texts for every run: a
text is kept when a hash of its path falls below the fraction); the held-out folds are scored as always.
Does more annotated text still raise the model?

    python bench/learning_curve.py 0.5 0.75 1.0
    python bench/learning_curve.py --splits tests/realtext/splits-all.yaml 0.5

Prints kg.train.cv_table's "all" row per fraction. The single-sentence cases and the weakly labelled
texts are in every fold's training whatever the fraction. Nothing is written. About 3-7 minutes per
fraction on 2 cores (the pipeline's analysis of each text is shared by the fractions of one run)."""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

import kg.train as T
from kg.lexicon import Lexicon

ROOT = Path(__file__).resolve().parent.parent


def kept(items, fraction: float):
    """The annotated texts a fold's model is fitted on: those whose path hashes below ``fraction``."""
    return [it for it in items if (zlib.crc32(str(it[0]).encode("utf-8")) % 1000) / 1000 < fraction]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fractions", type=float, nargs="+", help="fractions of each fold's training texts, 0 < f <= 1")
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "realtext" / "splits-all.yaml")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    for f in args.fractions:
        if not 0 < f <= 1:
            ap.error(f"a fraction is in (0, 1], not {f}")
    fit_on = T.fit_on
    lexicon = Lexicon.load()
    for fraction in args.fractions:
        T.fit_on = lambda base, items, *a, _f=fraction, **k: fit_on(base, kept(items, _f), *a, **k)
        try:
            result = T.crossval(args.splits, args.folds, lexicon=lexicon, log=lambda *a: None)
        finally:
            T.fit_on = fit_on
        lines = T.cv_table(result)
        if fraction == args.fractions[0]:
            print("| fraction " + lines[0])
            print("|---" + lines[1])
        print(f"| {fraction} " + lines[2])


if __name__ == "__main__":
    main()
