"""Relation rules on single sentences: direction, type constraints, non-assertions, scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import relations_of

CASES = yaml.safe_load((Path(__file__).parent / "data" / "relation_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_name(lexicon):
    names = {}
    for ent in lexicon.entities.values():
        names.setdefault(ent.name, ent.id)
    return names


def _ids(by_name, triples):
    out = set()
    for s, p, o in triples or []:
        assert s in by_name and o in by_name, f"{s!r} or {o!r} is not an English name in the lexicon"
        out.add((by_name[s], p, by_name[o]))
    return out


def _has(found, triple):
    s, p, o = triple
    return triple in found or (p == "competesWith" and (o, p, s) in found)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_relation_case(extractor, by_name, case):
    found = relations_of(extractor, case["text"])
    for triple in _ids(by_name, case.get("expect")):
        assert _has(found, triple), f"missing {triple}; found {sorted(found)}"
    for triple in _ids(by_name, case.get("reject")):
        assert not _has(found, triple), f"unexpected {triple}"
    if case.get("none"):
        assert not found, f"expected no relation, found {sorted(found)}"


def test_every_relation_carries_its_evidence(extractor):
    from kg.corpus import document_from_text

    raw = "# 标题\n\n**主持人：** 你好。\n\n我认为这显然是**微软对 OpenAI 的对冲策略**。后面还有一句。\n"
    doc = document_from_text(raw, "e.md")
    ex = extractor.extract(doc)
    [rel] = [r for r in ex.relations if r.predicate == "hedgesAgainst"]
    span = raw[rel.start:rel.end]
    assert span.startswith("我认为") and span.endswith("。")
    assert "**" not in rel.sentence and rel.sentence == "我认为这显然是微软对 OpenAI 的对冲策略。"
    assert rel.rule and rel.trigger == "对冲" and 0 < rel.confidence <= 1


def test_mixed_document_uses_rules_per_sentence(extractor, by_name):
    text = "微软对OpenAI投资了130亿美元。\n\nAnthropic competes with OpenAI.\n"
    found = relations_of(extractor, text)
    assert (by_name["Microsoft"], "investsIn", by_name["OpenAI"]) in found
    assert _has(found, (by_name["Anthropic"], "competesWith", by_name["OpenAI"]))


def test_type_constraints(extractor, by_name):
    # develops needs a Company subject and a Model/Chip object: a person "releasing" a model is not develops
    found = relations_of(extractor, "Sam Altman released GPT-4o on stage.")
    assert not any(p == "develops" for _, p, _ in found)
