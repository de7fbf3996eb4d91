"""Audit of the relation rules (ontology/relations.yaml): in how many distinct sentences and files
each rule fires across all the text of the repository except the locked test set.

    python bench/audit_rules.py                 # summary and the rules that fire on at most one sentence
    python bench/audit_rules.py --all           # every rule, most used first
    python bench/audit_rules.py --json out.json # the counts as JSON (rule -> sentences, files, sets)
    python bench/audit_rules.py --rules other.yaml

"Fires" means the rules component asserts a relation through the rule (after its own negation,
question and hypothetical checks, with the relation model switched off: ``kg build --rules-only``);
a relation read through a topic, a product or the speaker counts for the rule it came from
(``zh.x.y+topic`` -> ``zh.x.y``). The text read: ``corpus/``, ``tests/interviews``,
``tests/heldout/*/interviews`` and every published text of ``tests/realtext`` but the locked sets (train…train4,
dev…dev3, unlabelled, unlabelled2); never ``tests/realtext/test*`` (the locked sets) and not the single-sentence cases of ``tests/data``
(each rule's own example: a rule that fires there only fires on the sentence it was written from).
Beside each rule: ``cases``, the sentences of ``tests/data/relation_cases.yaml`` that name it with
``rule:`` and expect a relation (tests/test_relations.py checks that the rule alone reads them): new
sentences of the rule's construction, written to tell a construction from the memory of one sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "corpus": "corpus",
    "interviews": "tests/interviews",
    "heldout-a": "tests/heldout/a/interviews",
    "heldout-b": "tests/heldout/b/interviews",
    "heldout-c": "tests/heldout/c/interviews",
    "heldout-d": "tests/heldout/d/interviews",
    "realtext-train": "tests/realtext/train/texts",
    "realtext-train2": "tests/realtext/train2/texts",
    "realtext-train3": "tests/realtext/train3/texts",
    "realtext-train4": "tests/realtext/train4/texts",
    "realtext-dev": "tests/realtext/dev/texts",
    "realtext-dev2": "tests/realtext/dev2/texts",
    "realtext-dev3": "tests/realtext/dev3/texts",
    "realtext-unlabelled": "tests/realtext/unlabelled/texts",
    "realtext-unlabelled2": "tests/realtext/unlabelled2/texts",
}


def audit(rules_path: Path | None = None) -> dict[str, dict]:
    """rule id -> {"sentences": n, "files": n, "sets": [names], "examples": [sentence, ...]} for every rule."""
    sys.path.insert(0, str(ROOT))
    from kg.corpus import EmptyInput, load_document
    from kg.extract import Extractor, load_rules
    from kg.lexicon import Lexicon

    rules = load_rules(rules_path) if rules_path else load_rules()
    extractor = Extractor(Lexicon.load(), rules=rules, relation_model=None)
    sentences: dict[str, set] = defaultdict(set)
    files: dict[str, set] = defaultdict(set)
    sets: dict[str, set] = defaultdict(set)
    examples: dict[str, list[str]] = defaultdict(list)
    for name, folder in SETS.items():
        for path in sorted((ROOT / folder).glob("*")):
            if not path.is_file() or "realtext/test" in path.as_posix():
                continue
            try:
                doc = extractor.analyse(load_document(path))
            except EmptyInput:
                continue
            text = doc.text
            for rel in doc._.kg_relations:
                rid = rel.rule.split("+", 1)[0]
                key = (str(path), rel.sent_start)
                if key not in sentences[rid] and len(examples[rid]) < 2:
                    examples[rid].append(" ".join(text[rel.sent_start:rel.sent_end].split())[:160])
                sentences[rid].add(key)
                files[rid].add(str(path))
                sets[rid].add(name)
    out = {}
    for rule in rules.get("rules", []):
        rid = rule["id"]
        out[rid] = {"sentences": len(sentences[rid]), "files": len(files[rid]), "sets": sorted(sets[rid]),
                    "examples": examples[rid]}
    return out


def stated_cases(path: Path = ROOT / "tests" / "data" / "relation_cases.yaml") -> dict[str, int]:
    """rule id -> the cases of ``path`` that name it (``rule:``) and expect a relation."""
    import yaml

    out: dict[str, int] = defaultdict(int)
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        if case.get("rule") and case.get("expect"):
            out[case["rule"]] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rules", type=Path, help="rules file (default: ontology/relations.yaml)")
    ap.add_argument("--all", action="store_true", help="list every rule, not only those on at most one sentence")
    ap.add_argument("--json", type=Path, help="write the counts to this JSON file")
    args = ap.parse_args(argv)
    counts = audit(args.rules)
    cases = stated_cases()
    for rid, c in counts.items():
        c["cases"] = cases.get(rid, 0)
    none = [r for r, c in counts.items() if c["sentences"] == 0]
    one = [r for r, c in counts.items() if c["sentences"] == 1]
    more = [r for r, c in counts.items() if c["sentences"] >= 2]
    one_file = [r for r, c in counts.items() if c["files"] == 1]
    print(f"{len(counts)} rules: {len(none)} fire on no sentence, {len(one)} on exactly one, "
          f"{len(more)} on two or more ({len(one_file)} in exactly one file)")
    rare = none + one
    print(f"of the {len(rare)} on at most one sentence, {sum(counts[r]['cases'] >= 3 for r in rare)} are read on 3 or "
          f"more new sentences of their construction (tests/data/relation_cases.yaml, rule:), "
          f"{sum(0 < counts[r]['cases'] < 3 for r in rare)} on 1-2, {sum(counts[r]['cases'] == 0 for r in rare)} on none")
    shown = sorted(counts, key=lambda r: (-counts[r]["sentences"], r)) if args.all else sorted(none + one)
    for rid in shown:
        c = counts[rid]
        example = f"  | {c['examples'][0]}" if c["examples"] else ""
        print(f"{c['sentences']:4d} sentences {c['files']:3d} files {c['cases']:3d} cases  {rid:40s} "
              f"{','.join(c['sets'])}{example}")
    if args.json:
        args.json.write_text(json.dumps(counts, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
