"""Cross-validation of a non-linear ranker (a one-hidden-layer perceptron, scikit-learn's MLPClassifier) over
the relation model's own candidate pairs and features, beside the shipped linear model: is the ranking of
the pairs, not the features, what bounds recall? (Measured 2026-12-05: no; README, "Relations".)

    python bench/ranker_cv.py                                  # hidden 64, alpha 0.1, 15 epochs
    python bench/ranker_cv.py --hidden 32 --alpha 0.01 --epochs 15 --seed 0
    python bench/ranker_cv.py --linear                         # the shipped linear model, for the baseline
    python bench/ranker_cv.py --linear --set possessive=true   # with a setting of the model's config changed

Prints kg.train.cv_table's "all" row (5 folds by file over the train split of --splits). Nothing is written.
About 7 minutes per run on 2 cores. Deterministic (fixed seeds)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy
import yaml

import kg.train as T
from kg.lexicon import Lexicon
from kg.nlp.relmodel import RelationModel

ROOT = Path(__file__).resolve().parent.parent


class PerceptronModel(RelationModel):
    """The linear model's interface (``predict_many``) over a perceptron's two layers."""

    def predict_many(self, pairs):
        if not pairs:
            return []
        from scipy.sparse import csr_matrix

        vals, get = self._values(), self.vocab.get
        rows, cols = [], []
        for r, (feats, _allowed) in enumerate(pairs):
            seen = set(map(get, feats))
            seen.discard(None)
            rows += [r] * len(seen)
            cols += seen
        x = csr_matrix((vals[cols] if cols else numpy.zeros(0, numpy.float32), (rows, cols)),
                       shape=(len(pairs), len(self.vocab)))
        scores = numpy.maximum(x @ self.w1 + self.b1, 0) @ self.w2 + self.b2
        full = numpy.full((len(pairs), len(self.classes)), -numpy.inf)
        for r, (_feats, allowed) in enumerate(pairs):  # only the classes the pair's types allow
            full[r, allowed] = scores[r, [self.present_col[i] for i in allowed]]
        e = numpy.exp(full - full.max(axis=1, keepdims=True))
        probs = numpy.round(e / e.sum(axis=1, keepdims=True), 6).tolist()
        return [[(self.classes[i], row[i]) for i in allowed] for row, (_f, allowed) in zip(probs, pairs)]


def perceptron_fit(hidden: int, alpha: float, epochs: int, seed: int):
    def fit(train, classes, config, triggers=None):
        from sklearn.neural_network import MLPClassifier

        d = T.design(train, classes, config)  # the linear model's own matrix: only the learner differs
        vocab, x, present, y, w = d.vocab, d.x, d.present, d.y, d.w
        clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=epochs, batch_size=64,
                            random_state=seed, early_stopping=False)
        clf.fit(x, y, sample_weight=w)
        model = PerceptronModel(classes, vocab, numpy.zeros((len(vocab), len(classes)), numpy.float32),
                                numpy.zeros(len(classes)), 0.5, config, triggers)
        model.w1, model.b1 = clf.coefs_[0].astype(numpy.float32), clf.intercepts_[0]
        w2, b2 = clf.coefs_[1], clf.intercepts_[1]
        if len(present) == 2:  # binary: one output unit
            w2, b2 = numpy.hstack([-w2 / 2, w2 / 2]), numpy.array([-b2[0] / 2, b2[0] / 2])
        # and one more column: a class absent from training keeps a score far below the others
        model.w2, model.b2 = numpy.hstack([w2, numpy.zeros((hidden, 1))]), numpy.append(b2, -30.0)
        model.present_col = [present.index(c) if c in present else len(present) for c in classes]
        return model
    return fit


def main() -> None:
    import warnings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "realtext" / "splits-all.yaml")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=T.SEED, help="the perceptron's initial weights and batches")
    ap.add_argument("--linear", action="store_true", help="the shipped linear model instead")
    ap.add_argument("--curve", action="store_true",
                    help="also print the pooled precision, recall and F1 at every threshold (core and all relations), "
                         "to compare two runs at the same threshold rather than at the one each picks")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a setting of the model's config (kg.train.DEFAULT_CONFIG), e.g. --set possessive=true")
    args = ap.parse_args()
    config = {}
    for kv in args.set:
        key, sep, val = kv.partition("=")
        if not sep or not key:
            ap.error(f"--set {kv}: expected KEY=VALUE")
        config[key] = yaml.safe_load(val)
    warnings.filterwarnings("ignore")  # MLPClassifier's "not converged" after --epochs
    if not args.linear:
        T.fit = perceptron_fit(args.hidden, args.alpha, args.epochs, args.seed)
    result = T.crossval(args.splits, 5, lexicon=Lexicon.load(), config=config, log=lambda *a: None)
    name = "linear (shipped)" if args.linear else f"perceptron, {args.hidden} hidden, alpha {args.alpha}, {args.epochs} epochs, seed {args.seed}"
    print(name + "".join(f", {k}={v}" for k, v in config.items()))
    for line in T.cv_table(result)[:3]:
        print(line)
    if args.curve:
        print("| threshold | relations P | R | F1 | core P | core R | core F1 |")
        print("|---|---|---|---|---|---|---|")
        for c in result["sets"]["all"]["curve"]:
            a, k = c["all"], c["core"]
            print(f"| {c['threshold']:.2f} | {a['precision']:.3f} | {a['recall']:.3f} | {a['f1']:.3f} | "
                  f"{k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} |")


if __name__ == "__main__":
    main()
