"""Every gold file is well formed: the scores of `kg eval` are only as good as the gold they use.
Checks the things a hand-written annotation gets wrong: an entity or relation name mistyped, a
relation whose subject or object is not among the entities or does not fit the relation's domain
and range, evidence that is not a quote of the interview, a relation annotated twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = [  # (gold directory, interviews directory)
    (ROOT / "tests" / "gold", ROOT / "corpus"),
    (ROOT / "tests" / "gold" / "interviews", ROOT / "tests" / "interviews"),
    *[(d / "gold", d / "interviews") for d in sorted((ROOT / "tests" / "heldout").iterdir()) if (d / "gold").is_dir()],
]
GOLD = [(g, interviews) for gold, interviews in SETS for g in sorted(gold.glob("*.yaml"))]
TYPES = {"Person", "Company", "Model", "Chip"}
SIGNATURES = {
    "competesWith": ({"Company"}, {"Company"}),
    "investsIn": ({"Company", "Person"}, {"Company"}),
    "supplies": ({"Company"}, {"Company"}),
    "hedgesAgainst": ({"Company"}, {"Company"}),
    "develops": ({"Company"}, {"Model", "Chip"}),
    "affiliatedWith": ({"Person"}, {"Company"}),
}


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path, interviews", GOLD, ids=[f"{g.parent.parent.name}/{g.name}" for g, _ in GOLD])
def test_gold_file_is_well_formed(path, interviews):
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = _squash((interviews / gold["document"]).read_text(encoding="utf-8"))
    types = {}
    for ent in gold["entities"]:
        assert ent["type"] in TYPES, ent
        assert ent["name"] not in types, f"{ent['name']} annotated twice"
        types[ent["name"]] = ent["type"]
    seen = set()
    for rel in gold.get("relations") or []:
        s, p, o = rel["subject"], rel.get("relation") or rel.get("predicate"), rel["object"]
        assert p in SIGNATURES, rel
        assert s in types and o in types, f"{s} / {o} not among the entities"
        domain, range_ = SIGNATURES[p]
        assert types[s] in domain and types[o] in range_, f"{s} {p} {o}: types {types[s]} -> {types[o]}"
        key = frozenset((s, o)) if p == "competesWith" else (s, o)
        assert (p, key) not in seen, f"{s} {p} {o} annotated twice"
        seen.add((p, key))
        assert _squash(rel["evidence"]) in text, f"evidence is no quote of {gold['document']}: {rel['evidence']!r}"
