"""Where the gold core relations of read sets go: how many the build outputs, and for the others whether an end was
not found, the model had no candidate pair for the two ends, or read the pair with what probability.

    python bench/core_misses.py tests/realtext/dev4 tests/realtext/dev5 tests/realtext/dev6 tests/realtext/dev7

Each argument is a folder with texts/ and gold/ (same stems). A gold entity is found where a mention's surface or a
lexicon name of its entity folds to one of the gold names; a pair's probability is the largest the relation model gave
that relation between the two ends (either way round for competesWith) in any sentence (``doc._.kg_scored``).
Prints totals only: never run it on a locked set (its misses would be read). Nothing is written.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.corpus import load_document  # noqa: E402
from kg.eval import load_gold  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.lexicon import Lexicon  # noqa: E402
from kg.textnorm import fold  # noqa: E402

CORE = ("competesWith", "investsIn", "supplies", "hedgesAgainst")
BANDS = ("output", "end not found", "no candidate pair", "p < 0.1", "0.1 <= p < 0.3", "0.3 <= p < 0.5", "p >= 0.5")


def band(p: float) -> str:
    return "p < 0.1" if p < 0.1 else "0.1 <= p < 0.3" if p < 0.3 else "0.3 <= p < 0.5" if p < 0.5 else "p >= 0.5"


def main(folders: list[str]) -> None:
    locked = [f for f in folders if Path(f).name.startswith("test")]
    if locked:
        sys.exit(f"{locked[0]}: a test set is locked; its misses are not read")
    lexicon = Lexicon.load()
    extractor = Extractor(lexicon)
    names = {e.id: {fold(x) for x in [*e.pref.values(), *(label for label, _ in e.alt)]} for e in lexicon.entities.values()}
    counts: Counter = Counter()
    by_relation: dict[str, Counter] = defaultdict(Counter)
    for folder in folders:
        for text in sorted((Path(folder) / "texts").glob("*.txt")):
            gold_path = Path(folder) / "gold" / (text.stem + ".yaml")
            if not gold_path.exists():
                continue
            gold = load_gold(gold_path)
            doc = load_document(text)
            sdoc = extractor.analyse(doc)
            found = extractor.extract(doc)
            out = {(r.subject, r.predicate, r.object) for r in found.relations}
            keys: dict[str, set[str]] = defaultdict(set)
            for m in found.mentions:
                keys[m.entity].add(fold(m.surface))
                keys[m.entity] |= names.get(m.entity, set())
            best: dict[tuple, float] = defaultdict(float)
            for pair in sdoc._.kg_scored or []:
                for s, rel, o, p in pair.relations():
                    best[(s, rel, o)] = max(best[(s, rel, o)], p)
                    if rel == "competesWith":
                        best[(o, rel, s)] = max(best[(o, rel, s)], p)
            entities = {g.name: g for g in gold.entities}
            for subject, relation, obj in gold.relations:
                if relation not in CORE:
                    continue
                ends = [{e for e, ks in keys.items() if ks & entities[n].keys} for n in (subject, obj)]
                if not ends[0] or not ends[1]:
                    kind = "end not found"
                elif any((s, relation, o) in out or (relation == "competesWith" and (o, relation, s) in out)
                         for s in ends[0] for o in ends[1]):
                    kind = "output"
                else:
                    p = max(best.get((s, relation, o), 0.0) for s in ends[0] for o in ends[1])
                    kind = "no candidate pair" if p == 0 else band(p)
                counts[kind] += 1
                by_relation[relation][kind] += 1
    total = sum(counts.values())
    print(f"gold core relations of {', '.join(folders)}: {total}")
    print("| where | all | " + " | ".join(CORE) + " |")
    print("|---|---|" + "---|" * len(CORE))
    for kind in BANDS:
        print(f"| {kind} | {counts[kind]} | " + " | ".join(str(by_relation[r][kind]) for r in CORE) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
