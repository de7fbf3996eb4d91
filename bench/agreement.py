"""Agreement between two annotators: the gold files of one folder scored against those of another for the
same texts, with kg eval's matching (an entity is the same when its type agrees and a name or alias is
shared, the lexicon's aliases of a name included; a relation when its kind and both ends agree, either
direction for competesWith). What a second reading of the same texts finds is the ceiling of what any
extraction can be scored at against one reading.

    python bench/agreement.py tests/realtext/dev/gold tests/realtext/agreement/dev \
                              tests/realtext/dev3/gold tests/realtext/agreement/dev3

Prints, per pair of folders and over all of them, per part (entities, relations, core, develops+affiliatedWith): the first folder as the
reference, the second as the "prediction": precision, recall, F1 (F1 is symmetric), and the counts.
Files are paired by name; a file in one folder only is named and skipped."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from kg.eval import GROUPS, SYMMETRIC, Score, fold, load_gold, match_relations

RELATION_KINDS = ("competesWith", "investsIn", "supplies", "hedgesAgainst", "develops", "affiliatedWith")
from kg.lexicon import Lexicon


def lexicon_keys(lexicon: Lexicon) -> dict[str, set[str]]:
    """Folded form -> the folded forms of every lexicon entity that has it (its aliases)."""
    out: dict[str, set[str]] = defaultdict(set)
    for ent in lexicon.entities.values():
        forms = {fold(lbl) for lbl in ent.labels()} - {""}
        for f in forms:
            out[f] |= forms
    return out


def widen(keys: set[str], lex: dict[str, set[str]]) -> set[str]:
    return keys.union(*(lex.get(k, set()) for k in keys))


def compare(ref, other, lex) -> dict[str, Score]:
    """``other`` scored against ``ref`` (two Gold objects of one text), as kg eval scores a graph
    against a gold file: a reference entity or relation found is a hit, one not found a miss; an entity
    or relation of ``other`` that matches none of the reference is spurious."""
    parts = {"entities": Score(), **{r: Score() for r in RELATION_KINDS}}
    rkeys = {e.name: (e.type, widen(e.keys, lex)) for e in ref.entities}
    okeys = {e.name: (e.type, widen(e.keys, lex)) for e in other.entities}
    mapping = {r: {o for o, (ot, ok) in okeys.items() if ot == rt and ok & rk} for r, (rt, rk) in rkeys.items()}
    matched = set().union(*mapping.values()) if mapping else set()
    parts["entities"].tp = sum(1 for r in rkeys if mapping[r])
    parts["entities"].fn = sum(1 for r in rkeys if not mapping[r])
    parts["entities"].fp = sum(1 for o in okeys if o not in matched)
    found = set(other.relations) | {(o, r, s) for s, r, o in other.relations if r in SYMMETRIC}
    hits, used = match_relations(ref.relations, mapping, found)
    for (_s, r, _o), hit in hits:
        if hit:
            parts[r].tp += 1
        else:
            parts[r].fn += 1
    spurious = {(min(s, o), r, max(s, o)) if r in SYMMETRIC else (s, r, o) for s, r, o in found - used}
    for _s, r, _o in spurious:
        parts[r].fp += 1
    return parts


def table(totals: dict[str, Score]) -> list[str]:
    rows = {"entities": totals["entities"], "relations": Score()}
    for r in RELATION_KINDS:
        rows["relations"].add(totals[r])
    for name, rels in GROUPS.items():
        s = Score()
        for r in rels:
            s.add(totals[r])
        rows[name] = s
    out = [f"{'':26s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'both':>5s} {'ref only':>8s} {'other only':>10s}"]
    for name, s in rows.items():
        out.append(f"{name:26s} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.tp:5d} {s.fn:8d} {s.fp:10d}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", type=Path, nargs="+",
                    help="REFERENCE OTHER [REFERENCE OTHER ...]: folders of gold files, the first reading then the "
                         "second reading of the same texts (files paired by name)")
    args = ap.parse_args()
    if len(args.folders) % 2:
        ap.error("folders come in pairs: the first reading, then the second")
    lex = lexicon_keys(Lexicon.load())
    overall: dict[str, Score] = defaultdict(Score)
    n_all = 0
    pairs = list(zip(args.folders[::2], args.folders[1::2]))
    for reference, other in pairs:
        totals: dict[str, Score] = defaultdict(Score)
        n = 0
        for path in sorted(other.glob("*.yaml")):
            ref_path = reference / path.name
            if not ref_path.is_file():
                print(f"{path.name}: not in {reference}, skipped", file=sys.stderr)
                continue
            n += 1
            for part, sc in compare(load_gold(ref_path), load_gold(path), lex).items():
                totals[part].add(sc)
                overall[part].add(sc)
        if not n:
            sys.exit(f"no gold file of {other} has a namesake in {reference}")
        n_all += n
        print(f"{n} texts read twice: {reference} (reference) against {other}")
        print("\n".join(table(totals)))
    if len(pairs) > 1:
        print(f"all {n_all} texts")
        print("\n".join(table(overall)))


if __name__ == "__main__":
    main()
