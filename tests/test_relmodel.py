"""The trained relation model: what it asserts, what it never asserts, how it aggregates, how it
saves, loads and trains, and the evaluation modes (totals only, per set, precision-recall curve)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, relations_of


def test_the_shipped_model_is_used(extractor):
    from kg.nlp.relmodel import MODEL_DIR

    assert (MODEL_DIR / "model.json").exists() and (MODEL_DIR / "weights.npz").exists()
    assert extractor.model_meta is not None
    assert 0 < extractor.min_confidence < 1  # the threshold tuned on dev
    assert sum(f.stat().st_size for f in MODEL_DIR.iterdir()) < 5_000_000


def test_trainium_hedge_and_developer(extractor, by_name):
    found = relations_of(extractor, "To reduce its dependence on Nvidia, Amazon built its own Trainium chips.")
    assert (by_name["Amazon"], "develops", by_name["Trainium"]) in found
    assert (by_name["Amazon"], "hedgesAgainst", by_name["Nvidia"]) in found
    assert (by_name["Nvidia"], "develops", by_name["Trainium"]) not in found


@pytest.mark.parametrize("text", [
    "Did Microsoft invest in Mistral AI?",
    "微软投资了 Mistral AI 吗？",
    "Microsoft never invested in Anthropic.",
    "微软没有投资 Anthropic。",
    "Nvidia denied that it would supply chips to xAI.",
    "If Apple bought Mistral AI, Google would be worried.",
    "如果苹果收购了 Mistral AI，谷歌会很紧张。",
    "Bridgewater is a hedge fund that holds Nvidia shares.",
    "對沖基金 Citadel 最近加倉了輝達。",
    "據傳蘋果正在考慮收購 Mistral AI，但雙方都否認了。",
])
def test_what_is_not_asserted_gives_nothing(extractor, by_name, text):
    found = relations_of(extractor, text)
    core = {t for t in found if t[1] in ("investsIn", "supplies", "hedgesAgainst", "competesWith")}
    assert not core, f"{text!r} gave {sorted(core)}"


def test_a_past_tie_is_marked_past(extractor):
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text("Mustafa Suleyman, formerly of Google DeepMind, now runs Microsoft AI.", "p.txt"))
    states = {(r.object, r.status) for r in ex.relations if r.predicate == "affiliatedWith"}
    assert all(state in ("asserted", "past") for _, state in states)


def test_every_relation_carries_the_model_probability(extractor):
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text(
        "Amazon invested four billion dollars in Anthropic. Anthropic trains its Claude models on Amazon's Trainium chips.",
        "m.txt"))
    assert ex.relations
    for rel in ex.relations:
        assert 0 < rel.confidence <= 1 and rel.doc_confidence is not None and 0 < rel.doc_confidence <= 1
        assert rel.doc_confidence >= extractor.min_confidence
        assert rel.sentence and rel.end > rel.start


def test_weak_sentences_add_up_to_one_relation():
    from kg.nlp.relmodel import ScoredPair, aggregate

    sig = {"investsIn": {"domain": ["Company"], "range": ["Company"], "symmetric": False}}

    def pair(start, p):
        return ScoredPair("a", "b", "Company", "Company", start, start + 10,
                          (("none", 1 - p), ("investsIn>", p), ("investsIn<", 0.0)), "asserted", "")

    one = aggregate([pair(0, 0.4)], [], sig, threshold=0.6)
    assert one == []
    three = aggregate([pair(0, 0.4), pair(20, 0.4), pair(40, 0.4)], [], sig, threshold=0.6)
    assert {(r.subject, r.predicate, r.object) for r in three} == {("a", "investsIn", "b")}
    assert all(abs(r.doc_confidence - (1 - 0.6 ** 3)) < 1e-6 for r in three)
    asked = [ScoredPair("a", "b", "Company", "Company", 0, 10, (("none", 0.0), ("investsIn>", 0.99), ("investsIn<", 0.0)),
                        "question", "?")]
    assert aggregate(asked, [], sig, threshold=0.5) == []


def test_the_component_saves_and_loads(extractor, tmp_path):
    from kg.corpus import document_from_text
    from kg.nlp.relmodel import RelationScorer

    nlp = extractor.nlp("en")
    scorer = nlp.get_pipe("kg_relation_model")
    scorer.to_disk(tmp_path / "rm")
    again = RelationScorer({}, {}).from_disk(tmp_path / "rm")
    doc = document_from_text("Amazon invested four billion dollars in Anthropic, a rival of OpenAI.", "s.txt")
    sdoc = extractor.analyse(doc)
    before = list(sdoc._.kg_scored)
    again(sdoc)
    assert sdoc._.kg_scored == before and before


def test_training_is_deterministic(tmp_path):
    """kg train on a small split, twice: the same model files, byte for byte."""
    pytest.importorskip("sklearn")
    from typer.testing import CliRunner

    from kg.cli import app

    data = tmp_path / "data"
    for split, stems in (("train", ["en_acquired-tsmc", "zht_bnext-amd-ai-pc-chips"]),
                         ("dev", ["zht_singtao-chip-curbs-deepseek-rise"])):
        src = "train" if split == "train" else "dev"
        for sub, ext in (("texts", ".txt"), ("gold", ".yaml")):
            (data / split / sub).mkdir(parents=True, exist_ok=True)
            for stem in stems:
                shutil.copy(ROOT / "tests" / "realtext" / src / sub / (stem + ext), data / split / sub)
    (data / "splits.yaml").write_text(yaml.safe_dump({
        "train": [{"texts": "train/texts", "gold": "train/gold"}],
        "dev": [{"texts": "dev/texts", "gold": "dev/gold"}]}), encoding="utf-8")
    runner = CliRunner()
    outs = []
    for n in (1, 2):
        out = tmp_path / f"model{n}"
        res = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert "threshold" in res.output
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]
    bad = runner.invoke(app, ["train", "--splits", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "m3")])
    assert bad.exit_code == 2 and "nope.yaml" in bad.output


@pytest.fixture(scope="module")
def dev_graph(tmp_path_factory):
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path_factory.mktemp("dev")
    res = CliRunner().invoke(app, ["build", str(ROOT / "tests" / "realtext" / "dev" / "texts"), "-o", str(out),
                                   "--min-confidence", "0.05"])
    assert res.exit_code == 0, res.output
    return out / "kg.trig"


def test_eval_totals_only(runner, dev_graph):
    from kg.cli import app

    gold = sorted(str(p) for p in (ROOT / "tests" / "realtext" / "dev" / "gold").glob("*.yaml"))
    res = runner.invoke(app, ["eval", *gold, str(dev_graph), "--totals"])
    assert res.exit_code == 0, res.output
    for row in ("entities", "relations", "core", "develops+affiliatedWith"):
        assert row in res.output
    for hidden in ("competesWith", "missed", "spurious", ".yaml"):
        assert hidden not in res.output
    refused = runner.invoke(app, ["eval", *gold, str(dev_graph), "--totals", "--errors"])
    assert refused.exit_code == 2


def test_eval_by_set_and_curve(runner, dev_graph, tmp_path):
    pytest.importorskip("matplotlib")
    from kg.cli import app

    gold = sorted(str(p) for p in (ROOT / "tests" / "realtext" / "dev" / "gold").glob("*.yaml"))
    gold += [str(ROOT / "tests" / "realtext" / "train" / "gold" / "en_acquired-tsmc.yaml")]
    png = tmp_path / "pr.png"
    res = runner.invoke(app, ["eval", *gold, str(dev_graph), "--by-set", "--curve", str(png)])
    assert res.exit_code == 0, res.output
    assert "by set" in res.output and "dev" in res.output and "train" in res.output
    assert "core" in res.output and "0.50" in res.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


@pytest.mark.parametrize("lang,path", [("zh", "corpus/000_9947a042a113937a.txt"),
                                       ("en", "tests/realtext/dev/texts/en_decoder-matt-garman-aws-trainium.txt")])
def test_pipeline_saves_and_loads_with_spacy(extractor, tmp_path, lang, path):
    """nlp.to_disk, then spacy.load: the same mentions, rule relations and model scores."""
    import spacy

    import kg.nlp.pipeline  # noqa: F401  (registers the components and the tokenizer)
    from kg.corpus import load_document

    nlp = extractor.nlp(lang)
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    assert again.pipe_names == nlp.pipe_names and "kg_relation_model" in again.pipe_names
    text = load_document(ROOT / path).norm
    a, b = nlp(text), again(text)
    assert [(e.start_char, e.end_char, e.id_, e.label_) for e in a.ents] == \
           [(e.start_char, e.end_char, e.id_, e.label_) for e in b.ents]
    assert a._.kg_relations == b._.kg_relations
    assert a._.kg_scored == b._.kg_scored and a._.kg_scored
