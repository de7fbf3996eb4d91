"""Known relations (ontology/known.yaml): written by `kg known` from gold files, read by the relation
model as a prior of each pair (K: features), hidden from the very text they were read in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from .conftest import ROOT

GOLD = """\
document: t.txt
language: en
entities:
- {name: Microsoft, type: Company, aliases: [Microsoft]}
- {name: OpenAI, type: Company, aliases: [OpenAI]}
- {name: Zorblax Labs, type: Company, aliases: [Zorblax]}
relations:
- {subject: Microsoft, relation: investsIn, object: OpenAI, evidence: "Microsoft put money into OpenAI"}
- {subject: Zorblax Labs, relation: competesWith, object: OpenAI, evidence: "Zorblax rivals OpenAI"}
"""


def test_kg_known_writes_the_facts_of_gold_files_between_lexicon_entities(tmp_path, by_name):
    from kg.cli import app

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "t.yaml").write_text(GOLD, encoding="utf-8")
    (gold / "u.yaml").write_text(GOLD.replace("t.txt", "u.txt"), encoding="utf-8")
    # traditional Chinese names resolve to the same lexicon entities
    (gold / "v.yaml").write_text(
        "document: v.txt\nlanguage: zh-Hant\nentities:\n- {name: 台積電, type: Company, aliases: [台積電]}\n"
        "- {name: 輝達, type: Company, aliases: [輝達, NVIDIA]}\nrelations:\n"
        "- {subject: 台積電, relation: supplies, object: 輝達, evidence: 台積電為輝達代工}\n", encoding="utf-8")
    out = tmp_path / "known.yaml"
    res = CliRunner().invoke(app, ["known", str(gold), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 known relations from 5 gold relations of 3 files (2 with an end the lexicon does not hold)" in res.output
    facts = yaml.safe_load(out.read_text(encoding="utf-8"))["facts"]
    assert facts == [{"subject": by_name["Microsoft"], "relation": "investsIn", "object": by_name["OpenAI"],
                      "sources": ["t.txt", "u.txt"]},
                     {"subject": by_name["TSMC"], "relation": "supplies", "object": by_name["Nvidia"], "sources": ["v.txt"]}]


def test_kg_known_refuses_a_broken_gold_file_in_one_line_and_writes_nothing(tmp_path):
    from kg.cli import app

    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n- {name: X, type: Planet}\n", encoding="utf-8")
    out = tmp_path / "known.yaml"
    res = CliRunner().invoke(app, ["known", str(bad), "-o", str(out)])
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "Planet" in res.output
    assert not out.exists()


def test_the_shipped_facts_name_lexicon_entities_and_no_locked_text(lexicon):
    from kg.lexicon import ontology_dir
    from kg.vocab import RELATIONS

    facts = yaml.safe_load((ontology_dir() / "known.yaml").read_text(encoding="utf-8"))["facts"]
    assert len(facts) > 300
    # the locked sets are the test entries of splits.yaml (test…test20 were locked until 2026-12-06 and are trained on)
    splits = ROOT / "tests" / "realtext" / "splits.yaml"
    locked = {p.name for entry in yaml.safe_load(splits.read_text(encoding="utf-8"))["test"]
              for p in (splits.parent / entry["texts"]).iterdir()}
    assert len(locked) >= 6  # the least: test21 and test22 hold 15 texts (test10…test20 are trained on too)
    for fact in facts:
        assert fact["subject"] in lexicon and fact["object"] in lexicon, fact
        assert fact["relation"] in RELATIONS, fact
        assert fact["sources"] and not set(fact["sources"]) & locked, fact


@pytest.mark.parametrize("body, problem", [
    ("facts:\n- {subject: nvidia, relation: likes, object: tsmc}\n", "unknown relation 'likes'"),
    ("facts:\n- just a string\n", "fact 1 is not a mapping"),
    ("facts: [\n", "known.yaml"),
])
def test_a_broken_known_file_is_one_line_naming_it(tmp_path, lexicon, body, problem):
    from kg.extract import load_known
    from kg.nlp.plain import RuleError
    from kg.vocab import RELATIONS

    path = tmp_path / "known.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_known(lexicon, RELATIONS, path)
    assert str(path) in str(err.value) and problem in str(err.value) and "\n" not in str(err.value)


def test_known_features_only_when_the_model_asks_and_never_from_the_text_itself():
    from kg.nlp.relations import Ref
    from kg.nlp.relmodel import RelationScorer, Unit, features

    text = "AcmeCloud and AcmeChips met."
    a, b = Ref("acme-cloud", "Company", 0, 9), Ref("acme-chips", "Company", 14, 23)
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), [a, b], "en", {}, None, None)
    signatures = {"supplies": {"domain": ["Company"], "range": ["Company"], "symmetric": False},
                  "competesWith": {"domain": ["Company"], "range": ["Company"], "symmetric": True}}
    scorer = RelationScorer({}, signatures, known=[["acme-chips", "supplies", "acme-cloud", ["one.txt"]],
                                                   ["acme-cloud", "competesWith", "acme-chips", ["one.txt", "two.txt"]]])
    off = features(unit, a, b, [], "asserted", {}, "", None, scorer.known)
    on = features(unit, a, b, [], "asserted", {"known": True}, "", None, scorer.known)
    assert not any(f.startswith("K:") for f in off)
    # the supplier is b, the second mention: the direction is the pair's
    assert set(on) - set(off) == {"K:supplies<", "K:competesWith=", "K:any"}
    scorer.hide_source("one.txt")  # read as one.txt: only what another text says is known
    hidden = features(unit, a, b, [], "asserted", {"known": True}, "", None, scorer.known)
    assert set(hidden) - set(off) == {"K:competesWith=", "K:any"}
    scorer.hide_source("")
    assert scorer.known[("acme-cloud", "acme-chips")] == ["competesWith=", "supplies<"]


def test_the_pipeline_hands_the_known_facts_to_the_model_and_keeps_them_on_disk(extractor, by_name, tmp_path):
    import spacy

    import kg.nlp.pipeline  # noqa: F401  (registers the components and the tokenizer)

    scorer = extractor.nlp("en").get_pipe("kg_relation_model")
    pair = (by_name["Microsoft"], by_name["OpenAI"])
    assert "investsIn>" in scorer.known.get(pair, [])
    nlp = extractor.nlp("en")
    nlp.to_disk(tmp_path / "en")
    loaded = spacy.load(tmp_path / "en").get_pipe("kg_relation_model")
    assert loaded.known == scorer.known


def test_kg_build_refuses_a_broken_known_file_in_one_line_and_writes_nothing(tmp_path, monkeypatch):
    import os
    import shutil

    from kg.cli import app
    from kg.lexicon import ontology_dir

    onto = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), onto)
    monkeypatch.setenv("KG_ONTOLOGY_DIR", os.environ.get("KG_ONTOLOGY_DIR", str(ontology_dir())))  # --ontology sets it
    (onto / "known.yaml").write_text("facts:\n- {subject: openai, relation: rivals, object: anthropic}\n",
                                     encoding="utf-8")
    text = tmp_path / "one.txt"
    text.write_text("OpenAI 与 Anthropic 竞争。\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["--ontology", str(onto), "build", str(text), "-o", str(out)])
    assert res.exit_code == 2
    assert "known.yaml: fact 1: unknown relation 'rivals'" in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not out.exists()


def test_evidence_says_when_the_pair_was_already_known(extractor, by_name):
    # "why does the graph say this?": an evidence node's kg:rule marks a relation known.yaml already held
    from kg.corpus import document_from_text

    found = {(r.subject, r.predicate, r.object): r.rule
             for r in extractor.extract(document_from_text("截至目前，微软已向 OpenAI 承诺投资 130 亿美元。", "k.txt")).relations}
    rule = found[(by_name["Microsoft"], "investsIn", by_name["OpenAI"])]
    assert rule.startswith("model+known"), rule
    unknown = {(r.subject, r.predicate, r.object): r.rule
               for r in extractor.extract(document_from_text("截至目前，微软已向 MiniMax 承诺投资 130 亿美元。", "u.txt")).relations}
    rule = unknown[(by_name["Microsoft"], "investsIn", by_name["MiniMax"])]
    assert rule.startswith("model") and "+known" not in rule, rule


@pytest.mark.parametrize("name, relations, subjects, objects", [
    ("affiliations.yaml", {"affiliatedWith"}, {"Person"}, {"Company"}),
    ("developers.yaml", {"develops"}, {"Company"}, {"Model", "Chip"}),
    ("industry.yaml", {"competesWith", "investsIn", "supplies", "hedgesAgainst"}, {"Company", "Person"}, {"Company"}),
])
def test_the_shipped_general_knowledge_facts_name_lexicon_entities_of_the_right_types(lexicon, name, relations,
                                                                                       subjects, objects):
    from kg.lexicon import ontology_dir

    facts = yaml.safe_load((ontology_dir() / name).read_text(encoding="utf-8"))["facts"]
    assert len(facts) > 200
    keys = set()
    for fact in facts:
        assert lexicon[fact["subject"]].type in subjects and lexicon[fact["object"]].type in objects, fact
        assert fact["relation"] in relations and fact["sources"] == ["general-knowledge"], fact
        assert fact["subject"] != fact["object"], fact
        if lexicon[fact["subject"]].type == "Person":
            assert fact["relation"] in ("investsIn", "affiliatedWith"), fact  # a person invests, never supplies
        key = (fact["subject"], fact["relation"], fact["object"])
        if fact["relation"] == "competesWith":  # symmetric: each pair once, the smaller id first
            assert fact["subject"] < fact["object"], fact
        assert key not in keys, fact
        keys.add(key)


def test_the_model_reads_the_affiliations_beside_known_yaml_and_never_hides_them(tmp_path, monkeypatch, lexicon):
    """A fact of ontology/affiliations.yaml is a K: prior like those of known.yaml; read in no text, no
    text's gold hides it while training."""
    import shutil

    from kg.extract import Extractor
    from kg.lexicon import ontology_dir

    onto = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), onto)
    (onto / "known.yaml").write_text("facts:\n- {subject: nvidia, relation: supplies, object: openai, sources: [t.txt]}\n",
                                     encoding="utf-8")
    (onto / "affiliations.yaml").write_text(
        "facts:\n- {subject: jensen-huang, relation: affiliatedWith, object: nvidia, sources: [general-knowledge]}\n",
        encoding="utf-8")
    (onto / "developers.yaml").write_text(
        "facts:\n- {subject: nvidia, relation: develops, object: h100, sources: [general-knowledge]}\n", encoding="utf-8")
    (onto / "industry.yaml").write_text(
        "facts:\n- {subject: tsmc, relation: supplies, object: nvidia, sources: [general-knowledge]}\n", encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(onto))
    ext = Extractor(lexicon, relation_model=None)
    assert sorted(ext.data.known) == [["jensen-huang", "affiliatedWith", "nvidia", ["general-knowledge"]],
                                      ["nvidia", "develops", "h100", ["general-knowledge"]],
                                      ["nvidia", "supplies", "openai", ["t.txt"]],
                                      ["tsmc", "supplies", "nvidia", ["general-knowledge"]]]
    assert ext.data.employers == {"jensen-huang": ["nvidia"]}
    scorer = ext.nlp("en").get_pipe("kg_relation_model")
    scorer.hide_source("t.txt")
    assert scorer.known == {("jensen-huang", "nvidia"): ["affiliatedWith>"], ("nvidia", "jensen-huang"): ["affiliatedWith<"],
                            ("nvidia", "h100"): ["develops>"], ("h100", "nvidia"): ["develops<"],
                            ("tsmc", "nvidia"): ["supplies>"], ("nvidia", "tsmc"): ["supplies<"]}
    scorer.hide_source("")
    assert ("nvidia", "openai") in scorer.known
