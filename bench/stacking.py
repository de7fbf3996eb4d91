"""A second stage over the relation model's interview-level relations, tried (2026-12-05): does what an
interview says of a pair as a whole (how many sentences, how central each end is, whether a rule read it,
how strong the pair's other relations are) rank its relations better than the model's noisy-OR alone?

Cross-validation by file over the train split of --splits: each fold's texts are extracted by a model
fitted on the other folds (kg.train.crossval's way) at the lowest threshold; every (subject, relation,
object) an interview gives is a row, labelled right when the interview's gold has it (kg eval's
matching); a logistic regression (or boosted trees) over the rows' features is fitted and scored by the
same folds. Both rankings are scored at their best threshold with precision >= 0.7, against every gold
relation (those no candidate reaches count as misses for both).

    python bench/stacking.py                     # logistic regression and boosted trees
    python bench/stacking.py --splits tests/realtext/splits-all.yaml

Nothing is written. About 2-6 minutes on 2 cores."""

from __future__ import annotations

import argparse
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy

import kg.train as T
from kg.eval import _doc_for_file, _graph_entities, _graph_relations, entity_mapping, lexicon_aliases, match_relations
from kg.graph import _discovered, add_extraction, discovered_iri, entity_iri, new_dataset, union_graph
from kg.lexicon import Lexicon

ROOT = Path(__file__).resolve().parent.parent
CORE = {"competesWith", "investsIn", "supplies", "hedgesAgainst"}


def cv_extractions(splits: Path, folds: int, lexicon: Lexicon):
    config = dict(T.DEFAULT_CONFIG)
    entries = T.read_splits(splits).get("train", [])
    base, triggers = T.base_extractor(lexicon, config)
    items = T.gold_pairs(entries)
    classes = T.class_names(base.data.signatures)
    assign = T.fold_of(items, folds)
    exts = [None] * len(items)
    for f in range(folds):
        model = T.fit_on(base, [it for i, it in enumerate(items) if assign[i] != f], entries, classes, config,
                         triggers).model
        for i, (path, _g, _w) in enumerate(items):
            if assign[i] == f:
                exts[i] = T.extract_with(base, model, path, min(T.THRESHOLDS))
    return exts, [g for _p, g, _w in items], assign


def gold_triples(ext, gold, lexicon, aliases):
    """The graph's (subject IRI, relation, object IRI) that this interview's gold has, by kg eval's matching."""
    ds = new_dataset(with_ontology=False)
    add_extraction(ds, ext, lexicon)
    graph = union_graph(ds)
    doc = _doc_for_file(graph, gold.document)
    mapping = entity_mapping(gold, _graph_entities(graph, doc, aliases))
    return match_relations(gold.relations, mapping, _graph_relations(graph, doc, 0.0))[1]


def rows_of(ext, right: set):
    """(features, right?, the shipped ranking's score, rule-read?, relation) per relation of an interview."""
    found = _discovered(ext, 0.6)
    iris = {k: discovered_iri(k, v[0]) for k, v in found.items()}
    counts = ext.mention_counts()
    total = sum(counts.values()) or 1
    rank = {e: i for i, (e, _n) in enumerate(counts.most_common())}
    groups, sentences = defaultdict(list), defaultdict(set)
    for rel in ext.relations:
        if any(i.startswith("new:") and i not in iris for i in (rel.subject, rel.object)):
            continue
        groups[(rel.subject, rel.predicate, rel.object)].append(rel)
        sentences[frozenset((rel.subject, rel.object))].add(rel.start)
    strength = defaultdict(float)
    for (s, p, o), rels in groups.items():
        strength[(frozenset((s, o)), p)] = max(strength[(frozenset((s, o)), p)],
                                               max(r.doc_confidence or r.confidence for r in rels))
    out = []
    for (s, p, o), rels in groups.items():
        pair = frozenset((s, o))
        conf = max(r.doc_confidence or r.confidence for r in rels)
        ruled = any(not r.rule.startswith("model") for r in rels)
        feats = {
            "p=" + p: 1.0, "conf": conf, "conf*p=" + p: conf,
            "logit": math.log(max(conf, 1e-4) / max(1 - conf, 1e-4)) / 5,
            "best sentence": max(r.confidence for r in rels),
            "sentences": math.log1p(len({r.start for r in rels})),
            "pair sentences": math.log1p(len(sentences[pair])),
            "rule": float(ruled),
            "other relation": max([v for (k, q), v in strength.items() if k == pair and q != p] or [0.0]),
            "s share": counts[s] / total, "o share": counts[o] / total,
            "s first": float(rank.get(s, 99) == 0), "o first": float(rank.get(o, 99) == 0),
            "s top3": float(rank.get(s, 99) < 3), "o top3": float(rank.get(o, 99) < 3),
            "s new": float(s.startswith("new:")), "o new": float(o.startswith("new:")),
            "entities": math.log1p(len(counts)),
            "past": float(any(r.status == "past" for r in rels)),
        }
        triple = (iris.get(s) or entity_iri(s), p, iris.get(o) or entity_iri(o))
        out.append((feats, triple in right, 1.0 if ruled else conf, ruled, p))
    return out


def best(scores, right, kinds, gold_total, keep=None):
    """Best F1 at precision >= 0.7 over thresholds: (F1, P, R, threshold)."""
    top = None
    for t in numpy.arange(0.05, 0.951, 0.025):
        sel = kinds & ((scores >= t) | (keep if keep is not None else False))
        tp = int((right & sel).sum())
        n = int(sel.sum())
        p, r = (tp / n if n else 0.0), tp / gold_total
        f = 2 * p * r / (p + r) if p + r else 0.0
        if p >= 0.7 and (top is None or f > top[0]):
            top = (round(f, 3), round(p, 3), round(r, 3), round(float(t), 3))
    return top


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", type=Path, default=ROOT / "tests" / "realtext" / "splits-all.yaml")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    lexicon = Lexicon.load()
    aliases = lexicon_aliases(lexicon)
    exts, golds, assign = cv_extractions(args.splits, args.folds, lexicon)
    rows, fold, gold_all, gold_core = [], [], 0, 0
    for i, (ext, gold) in enumerate(zip(exts, golds)):
        kinds = Counter(r for _s, r, _o in dict.fromkeys(gold.relations))
        gold_all += sum(kinds.values())
        gold_core += sum(n for k, n in kinds.items() if k in CORE)
        for row in rows_of(ext, gold_triples(ext, gold, lexicon, aliases)):
            rows.append(row)
            fold.append(assign[i])
    fold = numpy.array(fold)
    x = DictVectorizer().fit_transform([r[0] for r in rows])
    right = numpy.array([r[1] for r in rows])
    shipped = numpy.array([r[2] for r in rows])
    ruled = numpy.array([r[3] for r in rows])
    core = numpy.array([r[4] in CORE for r in rows])
    every = numpy.ones(len(rows), bool)
    print(f"{len(golds)} texts, {len(rows)} relations given at threshold {min(T.THRESHOLDS)}, {int(right.sum())} right; "
          f"gold {gold_all} ({gold_core} core)")
    print("| ranking | relations F1 (P, R, threshold) | core F1 (P, R, threshold) |")
    print("|---|---|---|")
    print(f"| the model's noisy-OR (shipped) | {best(shipped, right, every, gold_all, ruled)} | "
          f"{best(shipped, right, core, gold_core, ruled)} |")
    for name, make, dense in (("logistic regression", lambda: LogisticRegression(C=1.0, max_iter=2000), False),
                              ("boosted trees", lambda: HistGradientBoostingClassifier(
                                  max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0), True)):
        scores = numpy.zeros(len(rows))
        for f in range(args.folds):
            train, held = fold != f, fold == f
            clf = make()
            clf.fit(x[train].toarray() if dense else x[train], right[train])
            scores[held] = clf.predict_proba(x[held].toarray() if dense else x[held])[:, 1]
        print(f"| second stage, {name} | {best(scores, right, every, gold_all)} | {best(scores, right, core, gold_core)} |")


if __name__ == "__main__":
    main()
