"""The relation model's candidate ceiling: for each gold relation of a split, can the model see it?

    python bench/relation_ceiling.py tests/realtext/splits-all.yaml dev train [--show no-pair,pair-elsewhere]
                                     [--set cross_gap=300 ...]

The model scores candidate pairs only (``RelationScorer.pair_features``); a gold relation no candidate
covers cannot be found however good the classifier. Each gold relation (an annotated file of the split,
subject, object, evidence quote) falls in one class:

  candidate           a candidate pair of the two entities has an evidence span overlapping the quote
  pair-elsewhere      the two entities make a candidate pair, but only in other sentences
  no-pair             both entities found, no candidate pair of the two anywhere
  one-missing         the pipeline did not find one of the two entities (entity recall)
  both-missing        neither
  evidence-not-found  the quote is not in the text (an annotation to fix)

Printed per split for the core relations (competesWith, investsIn, supplies, hedgesAgainst) and for
develops + affiliatedWith, with the number of candidate pairs (the negatives the model must reject grow
with it) and the CPU seconds spent enumerating them and their features. ``--show`` prints the cases of
the classes named (file, relation, evidence), to read why. ``--set key=value`` overrides a setting of
the trainer's config (kg.train.DEFAULT_CONFIG), or adds a switch (speaker, topic, topic_lead, topic_unsaid),
and enumerates as a model trained with it would.

The locked test sets are never read: a split whose folders lie under a path containing ``realtext/test``
is refused, and so is any such file of another split.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from kg.lexicon import Lexicon
from kg.train import CORE, DEFAULT_CONFIG, analysed, base_extractor, entity_names, gold_pairs, read_splits

CLASSES = ("candidate", "pair-elsewhere", "no-pair", "one-missing", "both-missing", "evidence-not-found")


def locked(path) -> bool:
    return "realtext/test" in Path(path).resolve().as_posix()


def _value(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def classify(base, path: Path, gold) -> tuple[list[tuple[str, str, dict]], int, float]:
    """([(group, class, gold relation)], candidate pairs, CPU seconds of the enumeration) of one interview."""
    doc, sdoc = analysed(base, path)
    names = entity_names(base, sdoc)
    types = {e.id_: e.label_ for e in sdoc.ents}
    ids = {g.name: {i for i, k in names.items() if types.get(i) == g.type and k & g.keys} for g in gold.entities}
    raw = doc.raw
    scorer = base.nlp(doc.language).get_pipe("kg_relation_model")
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = {}
    t0 = time.process_time()
    n = 0
    for span, a, b, *_ in scorer.pair_features(sdoc):
        n += 1
        pairs.setdefault((a.id_, b.id_), []).append(doc.raw_span(*span))
    cpu = time.process_time() - t0
    out = []
    for item in yaml.safe_load(Path(gold.path).read_text(encoding="utf-8")).get("relations") or []:
        rel = item.get("relation", item.get("predicate"))
        group = "core" if rel in CORE else "devaff"
        quote = str(item.get("evidence") or "")
        spans, pos = [], raw.find(quote) if quote else -1
        while pos >= 0:
            spans.append((pos, pos + len(quote)))
            pos = raw.find(quote, pos + 1)
        s, o = ids.get(item["subject"], set()), ids.get(item["object"], set())
        if not s and not o:
            kind = "both-missing"
        elif not s or not o:
            kind = "one-missing"
        elif not spans:
            kind = "evidence-not-found"
        else:
            found = [r for x in s for y in o for r in pairs.get((x, y), []) + pairs.get((y, x), [])]
            covered = any(q0 < r1 and r0 < q1 for r0, r1 in found for q0, q1 in spans)
            kind = "candidate" if covered else ("pair-elsewhere" if found else "no-pair")
        out.append((group, kind, item))
    return out, n, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("splits", type=Path, help="a splits file (tests/realtext/splits-all.yaml)")
    ap.add_argument("split", nargs="+", help="splits to measure (train, dev); never a locked test split")
    ap.add_argument("--show", default="", help="print the cases of these classes (comma-separated)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config setting")
    args = ap.parse_args(argv)
    config = dict(DEFAULT_CONFIG)
    for kv in args.set:
        key, sep, val = kv.partition("=")
        if not sep or not key:
            print(f"--set {kv}: expected KEY=VALUE", file=sys.stderr)
            return 2
        config[key] = _value(val)
    try:
        splits = read_splits(args.splits)
    except Exception as err:  # noqa: BLE001 - one line naming the file
        print(err, file=sys.stderr)
        return 2
    show = {s for s in args.show.split(",") if s}
    for name in args.split:
        if name not in splits:
            print(f"{args.splits}: no split named {name!r}", file=sys.stderr)
            return 2
        if any(locked(e.get("texts", "")) or locked(e.get("gold", "")) for e in splits[name] if "cases" not in e):
            print(f"{args.splits}: split {name!r} reads a locked test set (realtext/test*); refused", file=sys.stderr)
            return 2
    base, _ = base_extractor(Lexicon.load(), config)
    for lang in ("zh", "en"):
        base.nlp(lang).get_pipe("kg_relation_model").train_config = config
    for name in args.split:
        items = [(p, g, w) for p, g, w in gold_pairs(splits[name]) if not locked(p) and not locked(g.path)]
        counts: Counter = Counter()
        n_pairs, cpu = 0, 0.0
        for path, gold, _w in items:
            cases, n, c = classify(base, path, gold)
            n_pairs += n
            cpu += c
            for group, kind, item in cases:
                counts[(group, kind)] += 1
                if kind in show:
                    rel = item.get("relation", item.get("predicate"))
                    ev = " ".join(str(item.get("evidence") or "").split())
                    print(f"  [{kind}] {Path(path).name}: {item['subject']} {rel} {item['object']} | {ev}")
        print(f"{name}: {len(items)} files, {n_pairs} candidate pairs, enumeration {cpu:.2f} s CPU")
        for group, label in (("core", "core"), ("devaff", "develops+affiliatedWith")):
            tot = sum(v for (g, _k), v in counts.items() if g == group)
            if not tot:
                continue
            parts = ", ".join(f"{k} {counts[(group, k)]} ({counts[(group, k)] / tot:.0%})"
                              for k in CLASSES if counts[(group, k)])
            print(f"  {label} {tot}: {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
