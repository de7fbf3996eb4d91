"""The trained relation model: what it asserts, what it never asserts, how it aggregates, how it
saves, loads and trains, and the evaluation modes (totals only, per set, precision-recall curve)."""

from __future__ import annotations

import json
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
    # a sentence that opens with a condition is hypothetical in its main clause too
    "如果 SpaceX 的計畫成真，它將直接挑戰 Microsoft、Amazon、Google 等雲端巨頭。",
    "If the deal closes, Amazon will invest four billion dollars in Anthropic.",
    # a plan that was never carried out
    "Disney was going to put a billion dollars into OpenAI.",
    # a deal that fell through, said after its noun phrase
    "Snowflake 对 Databricks 的收购最终告吹。",
    "Nvidia's acquisition of Arm collapsed in 2022.",
    "Microsoft's investment in OpenAI never closed.",
])
def test_what_is_not_asserted_gives_nothing(extractor, by_name, text):
    found = relations_of(extractor, text)
    core = {t for t in found if t[1] in ("investsIn", "supplies", "hedgesAgainst", "competesWith")}
    assert not core, f"{text!r} gave {sorted(core)}"


def _cues(lang: str) -> dict:
    """The cue patterns of ontology/relations.yaml for ``lang``, compiled as the relation model compiles them."""
    import re

    import yaml

    from kg.lexicon import ontology_dir

    raw = yaml.safe_load((ontology_dir() / "relations.yaml").read_text(encoding="utf-8"))["cues"][lang]
    return {k: re.compile(p, re.IGNORECASE) for k, p in raw.items() if p}


@pytest.mark.parametrize("lang,between,after,state", [
    ("zh", "完成了新一轮融资。老股东", "这次没有跟投。", "negated"),
    ("zh", "完成了新一轮融资。老股东", "这次也跟投了。", "asserted"),
    ("zh", "和", "没多久就宣布合作。", "asserted"),  # 没多久: soon, no negation
    ("zh", "和", "，没有人想到。", "asserted"),  # another clause
    ("en", " closed a round; ", " did not join it.", "negated"),
    ("en", " closed a round; ", " also didn't take part.", "negated"),
    ("en", " invested in ", " not long ago.", "asserted"),
])
def test_a_negation_opening_the_predicate_after_the_second_mention_denies_the_pair(lang, between, after, state):
    # "老股东君联资本这次没有跟投": the predicate follows both mentions, and so does its negation
    # (relations.yaml, cues: negation_after)
    from kg.nlp.relmodel import status

    cues = _cues(lang)
    assert status(cues, False, between, "", after)[0] == state


@pytest.mark.parametrize("lang,before,between,state", [
    ("zh", "", " 前首席科学家 ", "past"),  # "OpenAI 前首席科学家 Ilya Sutskever"
    ("zh", "他曾在", "工作过。", "past"),  # the cue a few characters before the pair
    ("zh", "", "的首席科学家", "asserted"),
    ("en", "", ", the former chief executive of ", "past"),
    ("en", "", " left ", "past"),
    ("en", "", ", the chief executive of ", "asserted"),
])
def test_a_past_cue_of_the_ontology_marks_the_pair_past(lang, before, between, state):
    # relations.yaml, cues: past (a tie of the past is marked so, never asserted as of now)
    from kg.nlp.relmodel import status

    assert status(_cues(lang), False, between, before, "")[0] == state


@pytest.mark.parametrize("lang,before,between,state", [
    ("zh", "如果这个计划成真，", "将直接挑战", "hypothetical"),
    ("zh", "A：假如", "收购了", "hypothetical"),  # after a speaker's label
    ("zh", "他说，", "收购了", "asserted"),
    ("zh", "", "完成了融资，如果顺利", "hypothetical"),  # a condition in the pair's own clause, as before
    ("en", "If this plan comes true, ", " will challenge ", "hypothetical"),
    ("en", "3:50 But if ", " buys ", "hypothetical"),  # after a timestamp and a conjunction
    ("en", "If you look at the numbers, ", " supplies ", "asserted"),  # a way of speaking
    ("en", "Even so, ", " supplies ", "asserted"),
])
def test_a_condition_the_sentence_opens_with_makes_the_pair_hypothetical(lang, before, between, state):
    # relations.yaml, cues: hypothetical_opening ("If this plan comes true, it will challenge A")
    from kg.nlp.relmodel import status

    cues = _cues(lang)
    assert status(cues, False, between, before, "")[0] == state


def test_a_former_title_is_never_an_asserted_affiliation(extractor, by_name):
    # no rule reads a former title as an affiliation; the model may read the pair (ontology/known.yaml holds
    # it), and then marks it past (kg:assertionStatus "past"), never asserted
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text("OpenAI 前首席科学家 Ilya Sutskever 很少公开露面。", "p.txt"))
    ties = [r for r in ex.relations if r.predicate == "affiliatedWith"]
    assert all(r.status == "past" and r.rule.startswith("model") for r in ties), [(r.rule, r.status) for r in ties]


@pytest.mark.parametrize("text,a,b,state", [
    ("Mustafa Suleyman, formerly of Google DeepMind, now runs Microsoft AI.", "mustafa-suleyman", "google-deepmind", "past"),
    # a past cue before another name is that name's tie, not the pair's
    ("Mustafa Suleyman, formerly of Google DeepMind, now runs Microsoft AI.", "mustafa-suleyman", "microsoft", "asserted"),
    ("Anthropic hired former Google engineer Lena Moritz.", "google", "new:lena-moritz", "past"),
    ("Anthropic hired former Google engineer Lena Moritz.", "anthropic", "new:lena-moritz", "asserted"),
    ("Lena Moritz left Google to join Anthropic.", "new:lena-moritz", "google", "past"),
    ("Lena Moritz left Google to join Anthropic.", "new:lena-moritz", "anthropic", "asserted"),
    ("Ilya Sutskever 曾在谷歌工作，现在是 Anthropic 的首席科学家。", "ilya-sutskever", "google", "past"),
    ("Ilya Sutskever 曾在谷歌工作，现在是 Anthropic 的首席科学家。", "ilya-sutskever", "anthropic", "asserted"),
    # "ex-" before a name, and the names of a list the cue stands before
    ("Anthropic was founded by ex-Google engineers Lena Moritz and Tobias Feld.", "google", "new:tobias-feld", "past"),
    ("Anthropic was founded by ex-Google engineers Lena Moritz and Tobias Feld.", "anthropic", "new:lena-moritz", "asserted"),
    ("Lena Moritz, a former Google and Meta engineer, runs Anthropic.", "new:lena-moritz", "meta", "past"),
    ("Lena Moritz, a former Google and Meta engineer, runs Anthropic.", "new:lena-moritz", "anthropic", "asserted"),
])
def test_a_past_cue_marks_the_tie_it_speaks_of_past(extractor, text, a, b, state):
    # the status of each pair the model reads (relations.yaml, cues: past), whether or not a rule read it too
    from kg.corpus import document_from_text

    doc = extractor.analyse(document_from_text(text, "p.txt"))
    states = {(sp.a, sp.b): sp.status for sp in doc._.kg_scored}
    assert states.get((a, b)) == state, states


def test_every_relation_carries_the_model_probability(extractor):
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text(
        "Amazon invested four billion dollars in Anthropic. Anthropic trains its Claude models on Amazon's Trainium chips.",
        "m.txt"))
    assert ex.relations
    for rel in ex.relations:
        assert 0 < rel.confidence <= 1 and rel.doc_confidence is not None and 0 < rel.doc_confidence <= 1
        assert rel.doc_confidence >= (extractor.thresholds or {}).get(rel.predicate, extractor.min_confidence)
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



def test_a_relation_only_the_model_read_must_be_surer():
    # ``bare``: a relation no rule read in any of its sentences and that ontology/known.yaml does not hold
    # needs its own, higher threshold; a rule's vote or a known fact lets the ordinary threshold do
    from kg.nlp.relmodel import ScoredPair, aggregate

    sig = {"investsIn": {"domain": ["Company"], "range": ["Company"], "symmetric": False}}
    probs = (("none", 0.45), ("investsIn>", 0.55), ("investsIn<", 0.0))
    plain = ScoredPair("a", "b", "Company", "Company", 0, 10, probs, "asserted", "")
    known = ScoredPair("a", "b", "Company", "Company", 0, 10, probs, "asserted", "", known=("investsIn>",))
    assert [r.predicate for r in aggregate([plain], [], sig, threshold=0.35)] == ["investsIn"]
    assert aggregate([plain], [], sig, threshold=0.35, bare={"investsIn": 0.7}) == []
    assert [r.rule for r in aggregate([known], [], sig, threshold=0.35, bare={"investsIn": 0.7})] == ["model+known"]

    class Rule:  # a rule read it in the same sentence: a second vote, and no longer the model's alone
        subject, predicate, object, sent_start, sent_end, confidence, rule, trigger = \
            "a", "investsIn", "b", 0, 10, 0.5, "en.invest", "invested"

    voted = aggregate([plain], [Rule()], sig, threshold=0.35, bare={"investsIn": 0.95})
    assert [(r.rule, r.doc_confidence) for r in voted] == [("model|en.invest", 0.775)]
    # a relation the bare thresholds do not name keeps the ordinary one
    assert aggregate([plain], [], sig, threshold=0.35, bare={"supplies": 0.7})

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
    (data / "unlabelled").mkdir()
    for name in ("en_siliconrepublic-anthropic-valuation.txt", "zht_latepost-moonshot-b-round.txt"):
        shutil.copy(ROOT / "tests" / "realtext" / "unlabelled" / "texts" / name, data / "unlabelled")
    (data / "splits.yaml").write_text(yaml.safe_dump({
        "train": [{"texts": "train/texts", "gold": "train/gold"},
                  {"texts": "unlabelled", "weak": True, "weight": 0.3}],
        "dev": [{"texts": "dev/texts", "gold": "dev/gold"}]}), encoding="utf-8")
    runner = CliRunner()
    outs = []
    for n in (1, 2):
        out = tmp_path / f"model{n}"
        res = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "-o", str(out), "--group-thresholds"])
        assert res.exit_code == 0, res.output
        assert "threshold" in res.output and "weak: 2 unlabelled texts" in res.output
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]
    bad = runner.invoke(app, ["train", "--splits", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "m3")])
    assert bad.exit_code == 2 and "nope.yaml" in bad.output


def test_the_threshold_is_tuned_on_unfitted_texts_read_out_of_fold(tmp_path):
    """splits.yaml ``tune: {texts: unfitted, folds: K}``: kg train picks the threshold on the train texts marked
    ``unfitted``, each read by a model fitted on the other folds, says so, and keeps that curve with the model;
    a splits file that asks for it and marks none is refused with one line naming the file."""
    pytest.importorskip("sklearn")
    from typer.testing import CliRunner

    from kg.cli import app

    data = tmp_path / "data"
    fitted = ["en_acquired-tsmc", "zht_bnext-amd-ai-pc-chips"]
    unfitted = ["zht_singtao-deepseek-pan-zizheng-nvidia", "zht_hkej-morning-digest-musk-openai-bid"]
    for folder, stems in (("fitted", fitted), ("unfitted", unfitted)):
        for sub, ext in (("texts", ".txt"), ("gold", ".yaml")):
            (data / folder / sub).mkdir(parents=True)
            for stem in stems:
                shutil.copy(ROOT / "tests" / "realtext" / "train" / sub / (stem + ext), data / folder / sub)
    splits = {"tune": {"texts": "unfitted", "folds": 2},
              "train": [{"texts": "fitted/texts", "gold": "fitted/gold"},
                        {"texts": "unfitted/texts", "gold": "unfitted/gold", "unfitted": True}]}
    (data / "splits.yaml").write_text(yaml.safe_dump(splits), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert "2 unfitted train texts, 2-fold cross-validated" in res.output
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    trained = meta["config"]["trained_on"]
    assert trained["tuned_on"] == "2 unfitted train texts, 2-fold cross-validated"
    curve = trained["tune_curve"]
    assert [c["threshold"] for c in curve] == sorted(c["threshold"] for c in curve)
    assert meta["threshold"] in [c["threshold"] for c in curve]
    # the two unfitted texts' gold relations, every one counted once (found or missed) at every threshold
    gold = sum(len(yaml.safe_load((data / "unfitted" / "gold" / (s + ".yaml")).read_text(encoding="utf-8"))["relations"])
               for s in unfitted)
    assert all(c["all"]["tp"] + c["all"]["fn"] == gold for c in curve)
    splits["train"][1].pop("unfitted")
    (data / "splits.yaml").write_text(yaml.safe_dump(splits), encoding="utf-8")
    bad = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "-o", str(tmp_path / "m2")])
    assert bad.exit_code != 0 and "no train entry is marked unfitted" in bad.output
    assert not (tmp_path / "m2" / "model.json").exists()


def test_cross_validation_by_file(tmp_path):
    """kg train --cv K: K folds by file over the annotated interviews of the train split, a table of
    scores per set; an interview added to the train folders is picked up with no other change; dev
    is not read and nothing is written."""
    pytest.importorskip("sklearn")
    from typer.testing import CliRunner

    from kg.cli import app

    data = tmp_path / "data"
    stems = ["en_acquired-tsmc", "zht_bnext-amd-ai-pc-chips", "zht_singtao-deepseek-pan-zizheng-nvidia"]
    for sub, ext in (("texts", ".txt"), ("gold", ".yaml")):
        (data / "train" / sub).mkdir(parents=True)
        for stem in stems[:2]:
            shutil.copy(ROOT / "tests" / "realtext" / "train" / sub / (stem + ext), data / "train" / sub)
    (data / "splits.yaml").write_text(yaml.safe_dump({
        "train": [{"texts": "train/texts", "gold": "train/gold"}],
        "dev": [{"texts": "dev/texts", "gold": "dev/gold"}]}), encoding="utf-8")  # no dev folder: not read
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "--cv", "2"])
    assert res.exit_code == 0, res.output
    assert "2 interviews, 2 folds by file" in res.output
    rows = {line.split("|")[1].strip(): line for line in res.output.splitlines() if line.startswith("| ")}
    assert set(rows) == {"set", "all", "train/gold"} and rows["all"].split("|")[2].strip() == "2"
    f1 = float(rows["all"].split("|")[6])
    assert 0.0 < f1 <= 1.0
    for sub, ext in (("texts", ".txt"), ("gold", ".yaml")):  # an annotator adds an interview
        shutil.copy(ROOT / "tests" / "realtext" / "train" / sub / (stems[2] + ext), data / "train" / sub)
    res = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "--cv", "3"])
    assert res.exit_code == 0, res.output
    assert "3 interviews, 3 folds by file" in res.output
    assert sorted(p.name for p in data.iterdir()) == ["splits.yaml", "train"]
    too_many = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "--cv", "5"])
    assert too_many.exit_code == 2 and "too few for 5 folds" in too_many.output
    one = runner.invoke(app, ["train", "--splits", str(data / "splits.yaml"), "--cv", "1"])
    assert one.exit_code == 2 and "2 folds or more" in one.output


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


def _pairs(extractor, text):
    """(via, a, b, evidence text) of every candidate pair the model scores in ``text``."""
    from kg.corpus import document_from_text

    doc = document_from_text(text, "c.txt")
    sdoc = extractor.analyse(doc)
    scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
    assert scorer.config.get("cross"), "the shipped model reads pairs across sentences"
    return [(via, a.id_, b.id_, sdoc.text[span[0]:span[1]])
            for span, a, b, _state, _cue, _feats, via, _anchor in scorer.pair_features(sdoc)]


def test_pairs_across_adjacent_sentences_of_one_turn(extractor, by_name):
    nvidia, amazon, anthropic = by_name["Nvidia"], by_name["Amazon"], by_name["Anthropic"]
    text = "Nvidia makes the best training chips. Amazon buys most of them."
    cross = [p for p in _pairs(extractor, text) if p[0] == "cross"]
    assert cross == [("cross", nvidia, amazon, text)]  # the evidence is both sentences
    # a new speaker turn is not the same train of thought
    assert not [p for p in _pairs(extractor, "Ben: Nvidia makes the best chips.\nDavid: Amazon buys them.")
                if p[0]]
    # a pair each sentence holds on its own is read there, not across
    assert not [p for p in _pairs(extractor, "Amazon and Nvidia met. Amazon buys Nvidia chips.") if p[0]]
    # a sentence that leaves its subject unsaid before its trigger word takes the salient entity of the one before
    text = "Amazon had a record year. Invested four billion dollars in Anthropic, too."
    assert ("drop", amazon, anthropic, text) in _pairs(extractor, text)
    zh = "英伟达发布了新一代芯片。同时还投资了 CoreWeave。"
    assert ("drop", nvidia, by_name["CoreWeave"], zh) in _pairs(extractor, zh)
    # a sentence that names its own subject has none unsaid
    assert not [p for p in _pairs(extractor, "Amazon had a record year. Google invested in Anthropic.") if p[0] == "drop"]


def test_a_round_told_before_pairs_its_company_with_the_names_of_a_sentence_about_it(extractor, by_name):
    """A sentence that speaks of a funding round without naming whose ("Sequoia Capital led the round")
    pairs the company the text last said raised one with each of its names (``via`` "round")."""
    etched, sequoia, jane = by_name["Etched"], by_name["Sequoia Capital"], by_name["Jane Street"]
    first = "Etched raised $500 million at a $5 billion valuation."
    second = "Sequoia Capital led the round, with Jane Street joining as a new investor."
    pairs = _pairs(extractor, f"{first} {second}")
    assert ("round", etched, sequoia, second) in pairs and ("round", etched, jane, second) in pairs
    # a raise told after a comma and an adverbial, and the company after its round as a relative clause
    anthropic, thrive, mistral, gc = (by_name[n] for n in ("Anthropic", "Thrive Capital", "Mistral AI", "General Catalyst"))
    zh = "Anthropic，近日正式宣布完成了 40 亿美元的新一轮融资。此次融资由 Thrive Capital 领投。"
    assert ("round", anthropic, thrive, "此次融资由 Thrive Capital 领投。") in _pairs(extractor, zh)
    zh = "第一个是完成 6 亿欧元融资的 Mistral AI。此次融资由 General Catalyst 领投。"
    assert ("round", mistral, gc, "此次融资由 General Catalyst 领投。") in _pairs(extractor, zh)
    # the sentence names the company itself: its own pairs, no round pair; another company's raise moves the round on
    assert not [p for p in _pairs(extractor, f"{first} Sequoia Capital led Etched's round.") if p[0] == "round"]
    moved = _pairs(extractor, f"{first} Mistral AI raised $600 million. Sequoia Capital led the round.")
    assert [p[1] for p in moved if p[0] == "round"] == [mistral]


def test_the_round_talk_turns_back_to_a_company_whose_raise_was_told_before(extractor, by_name):
    """A sentence about funding that names a company whose own raise the text told earlier makes the round its
    again ("Now, Etched joins the club with more funding" after a rival's seed round); a company named in an aside
    before the raise ("Etched, the start-up two Google engineers founded, has raised …") is not who raised it."""
    etched, mistral, sequoia, jane = (by_name[n] for n in ("Etched", "Mistral AI", "Sequoia Capital", "Jane Street"))
    last = "Sequoia Capital led the round, with Jane Street joining."

    def rounds(text):
        return [(p[1], p[2]) for p in _pairs(extractor, text) if p[0] == "round"]

    text = ("Etched raised $500 million at a $5 billion valuation. Mistral AI raised a $20 million seed round last "
            f"year. Now, Etched joins the club with more funding than rumoured. {last}")
    assert rounds(text) == [(etched, sequoia), (etched, jane)]
    # without the turn back, the round stays the last one told
    text = "Etched raised $500 million at a $5 billion valuation. Mistral AI raised a $20 million seed round. " + last
    assert rounds(text) == [(mistral, sequoia), (mistral, jane)]
    # a company named where the talk is of funding, whose raise the text never told, takes no round
    text = "Mistral AI raised a $20 million seed round. Etched says funding is scarce in Europe. " + last
    assert {a for a, _b in rounds(text)} == {mistral} and (mistral, jane) in rounds(text)
    # the company in an aside is not the one that raised
    text = f"Etched, the start-up two former Mistral AI engineers founded, has raised $500 million. {last}"
    assert rounds(text) == [(etched, sequoia), (etched, jane)]
    # a company's named round, "this" before its letter, tells a raise as "the B round" does
    thrive = by_name["Thrive Capital"]
    for said in ("Mistral AI 此次 B 轮 5 亿美元融资由红杉领投。", "Mistral AI 的 B 轮融资由红杉领投。"):
        zh = f"Etched 完成了 5 亿美元融资。{said}此次融资 Thrive Capital 也跟投了。"
        assert rounds(zh) == [(mistral, thrive)], said


def test_a_relation_across_sentences_cites_both(extractor, by_name):
    """The evidence of a relation read across two sentences is both sentences (raw offsets covering
    them), once: the rules' reading of the same unsaid subject is the same evidence, not a second."""
    from kg.corpus import document_from_text

    text = "英伟达发布了新一代芯片。同时还投资了 CoreWeave。"
    ex = extractor.extract(document_from_text(text, "x.txt"))
    found = [r for r in ex.relations if (r.subject, r.predicate, r.object) ==
             (by_name["Nvidia"], "investsIn", by_name["CoreWeave"])]
    assert len(found) == 1, found
    rel = found[0]
    assert rel.rule.startswith("model+drop") and (rel.start, rel.end) == (0, len(text))
    assert rel.sentence == text


def test_cross_sentence_scores_aggregate_by_the_later_sentence():
    from kg.nlp.relmodel import ScoredPair, aggregate

    sig = {"investsIn": {"domain": ["Company"], "range": ["Company"], "symmetric": False}}
    cross = ScoredPair("a", "b", "Company", "Company", 0, 40, (("none", 0.2), ("investsIn>", 0.8), ("investsIn<", 0.0)),
                       "asserted", "", "cross", 20)
    out = aggregate([cross], [], sig, threshold=0.5)
    assert [(r.subject, r.predicate, r.object, r.sent_start, r.sent_end, r.rule) for r in out] == \
        [("a", "investsIn", "b", 0, 40, "model+cross")]

    class Rule:  # what the rules found in the first sentence alone stays theirs
        subject, predicate, object, sent_start, sent_end, confidence, rule, trigger = \
            "a", "investsIn", "b", 0, 19, 0.7, "en.invest", "invested"

    both = aggregate([cross], [Rule()], sig, threshold=0.5)
    assert {(r.sent_start, r.rule) for r in both} == {(0, "model+cross"), (0, "en.invest")}


def test_weak_labels_from_rules_and_cues():
    from kg.train import weak_label

    assert weak_label(["T:Company>Company", "RULE:investsIn>", "RULEID:en.invest|>", "TW:investsIn:B"],
                      "asserted") == "investsIn>"
    assert weak_label(["RULE:investsIn>", "RULE:investsIn<"], "asserted") is None  # the rules disagree
    assert weak_label(["RULE:investsIn>", "TW:investsIn:B"], "question") is None
    assert weak_label(["T:Company>Company", "TW:investsIn:B"], "negated") == "none"
    assert weak_label(["T:Company>Company", "B:and"], "asserted") == "none"  # no trigger word near
    assert weak_label(["T:Company>Company", "TW:investsIn:B"], "asserted") is None  # nobody knows


def test_weak_examples_weigh_less_and_hide_the_rules(extractor, tmp_path):
    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    from kg.train import DEFAULT_CONFIG, WEAK_WEIGHT, weak_examples

    base = Extractor(Lexicon.load(), relation_model=None)
    for lang in ("zh", "en"):
        base.nlp(lang).get_pipe("kg_relation_model").train_config = DEFAULT_CONFIG
    (tmp_path / "t.txt").write_text("Amazon invested four billion dollars in Anthropic. Nvidia and AMD met.",
                                    encoding="utf-8")
    out, files = weak_examples(base, [{"weak": tmp_path, "weight": WEAK_WEIGHT}])
    assert files == [tmp_path / "t.txt"]
    labels = {ex.label for ex in out}
    assert "investsIn>" in labels and "none" in labels
    assert all(ex.weight == WEAK_WEIGHT < 1 for ex in out)
    assert not any(f.startswith("RULE") or "|RULE" in f for ex in out for f in ex.feats)


def test_adding_a_rule_does_not_shift_the_models_features(lexicon, tmp_path):
    """The model reads the trigger words it was trained with (stored with it), not the rules of the
    day: a rule added with a new trigger word leaves the model's features of a sentence unchanged
    where the rule itself does not fire (before the fix, every pair near the word gained ``TW:``)."""
    import copy

    from kg.corpus import document_from_text
    from kg.extract import Extractor, load_rules
    from kg.nlp.relmodel import MODEL_DIR, RelationModel

    stored = RelationModel.from_disk(MODEL_DIR).triggers
    assert stored and all(words for words in stored.values())
    rules = load_rules()
    more = copy.deepcopy(rules)
    more["rules"].append({"id": "en.test.zorble", "lang": "en", "relation": "supplies", "confidence": 0.8,
                          "pattern": "{S} (?P<T>zorbles with) {O}"})
    text = "Amazon zorbles with care every day, and it said Anthropic trains on Trainium chips."

    def feats(rule_set, model=MODEL_DIR):
        ex = Extractor(lexicon, rules=rule_set, relation_model=model)
        sdoc = ex.analyse(document_from_text(text, "z.txt"))
        scorer = ex.nlp("en").get_pipe("kg_relation_model")
        return [(a.id_, b.id_, tuple(f)) for _s, a, b, _st, _c, f, _v, _an in scorer.pair_features(sdoc)]

    before, after = feats(rules), feats(more)
    assert before and before == after
    # a model saved without its trigger words (as before 2026-12-03) reads the rules' and shifts
    old = tmp_path / "old"
    shutil.copytree(MODEL_DIR, old)
    meta = json.loads((old / "model.json").read_text(encoding="utf-8"))
    del meta["triggers"]
    (old / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    assert feats(rules, old) == before and feats(more, old) != before
    # the rule is read by the rules (a rule change still counts there); only the model's vocabulary is fixed
    assert "zorbles with" in Extractor(lexicon, rules=more).nlp("en").get_pipe("kg_relation_model").trigger_source["supplies"]


def test_thresholds_per_group_are_read_from_the_model_and_applied(lexicon, tmp_path):
    """A model that stores a threshold per relation (tuned on dev per group) has each relation kept
    at its own threshold by kg build; --min-confidence given by hand is one threshold for all."""
    from kg.extract import Extractor
    from kg.nlp.relmodel import MODEL_DIR, RelationModel, ScoredPair, aggregate

    sig = {"investsIn": {"domain": ["Company"], "range": ["Company"], "symmetric": False},
           "develops": {"domain": ["Company"], "range": ["Product"], "symmetric": False}}
    pairs = [ScoredPair("a", "b", "Company", "Company", 0, 10, (("none", 0.65), ("investsIn>", 0.35), ("investsIn<", 0.0)),
                        "asserted", ""),
             ScoredPair("a", "p", "Company", "Product", 0, 10, (("none", 0.65), ("develops>", 0.35)), "asserted", "")]
    kept = lambda rels: {r.predicate for r in rels}
    assert kept(aggregate(pairs, [], sig, threshold=0.4)) == set()
    assert kept(aggregate(pairs, [], sig, threshold=0.4, thresholds={"develops": 0.3, "investsIn": 0.5})) == {"develops"}
    assert kept(aggregate(pairs, [], sig, threshold=0.3, thresholds={"investsIn": 0.5})) == {"develops"}

    model = RelationModel.from_disk(MODEL_DIR)
    model.threshold, model.thresholds = 0.45, {"competesWith": 0.6, "develops": 0.25}
    model.to_disk(tmp_path / "m")
    again = RelationModel.from_disk(tmp_path / "m")
    assert again.thresholds == {"competesWith": 0.6, "develops": 0.25} and again.threshold == 0.45
    ext = Extractor(lexicon, relation_model=tmp_path / "m")
    assert ext.thresholds == {"competesWith": 0.6, "develops": 0.25} and ext.min_confidence == 0.45
    by_hand = Extractor(lexicon, relation_model=tmp_path / "m", min_confidence=0.5)
    assert by_hand.thresholds is None and by_hand.min_confidence == 0.5


def test_the_one_threshold_holds_the_precision_floor_of_all_and_of_the_core_relations():
    """The best relation F1 where precision >= 0.7 for all relations and for the core four; where no
    threshold holds the core floor, all relations' floor alone; a tie within 0.002 goes to the higher."""
    from kg.train import choose_threshold

    def score(p, f):
        return {"precision": p, "recall": 0.0, "f1": f}

    curve = [{"threshold": 0.3, "all": score(0.76, 0.513), "core": score(0.66, 0.333)},
             {"threshold": 0.35, "all": score(0.80, 0.507), "core": score(0.71, 0.319)},
             {"threshold": 0.4, "all": score(0.83, 0.506), "core": score(0.77, 0.314)},
             {"threshold": 0.5, "all": score(0.85, 0.480), "core": score(0.85, 0.280)}]
    assert choose_threshold(curve) == 0.4  # 0.3 misses the core floor; 0.35 and 0.4 tie
    for c in curve:
        c["core"]["precision"] = 0.5
    assert choose_threshold(curve) == 0.3  # no threshold holds the core floor: all relations' alone
    assert choose_threshold(curve, allowed={0.4, 0.5}) == 0.4


def test_group_thresholds_are_chosen_per_group():
    """Core: the best core F1 at core precision >= 0.7; develops+affiliatedWith: its best F1; neither
    at a threshold that takes the guard set (the corpus gold) below its relation F1 floor."""
    from kg.train import CORE, DEV_AFF, choose_group_thresholds

    def score(p, r):
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "tp": 1 if r else 0}

    curve = [{"threshold": 0.2, "core": score(0.5, 0.5), "develops+affiliatedWith": score(0.6, 0.6)},
             {"threshold": 0.3, "core": score(0.72, 0.2), "develops+affiliatedWith": score(0.7, 0.5)},
             {"threshold": 0.4, "core": score(0.9, 0.1), "develops+affiliatedWith": score(0.8, 0.3)}]
    got = choose_group_thresholds(curve, 0.35)
    assert {got[r] for r in CORE} == {0.3} and {got[r] for r in DEV_AFF} == {0.2}
    for c in curve:  # core never reaches its floor: the single threshold
        c["core"] = score(0.5, 0.1)
    assert {choose_group_thresholds(curve, 0.35)[r] for r in CORE} == {0.35}

    def rel_counts(t, lost_at):  # a guard set: one false develops below ``lost_at``
        return {r: {"tp": 5, "fp": 1 if (r == "develops" and t < lost_at) else 0, "fn": 1} for r in (*CORE, *DEV_AFF)}

    curve = [{"threshold": t, "core": score(0.9, 0.2), "develops+affiliatedWith": score(0.7, 0.6 - t)}
             for t in (0.2, 0.3, 0.4)]
    guard = ([{"threshold": t, "relations": rel_counts(t, 0.3)} for t in (0.2, 0.3, 0.4)], 0.9)
    assert {choose_group_thresholds(curve, 0.4)[r] for r in DEV_AFF} == {0.2}
    assert {choose_group_thresholds(curve, 0.4, guard)[r] for r in DEV_AFF} == {0.3}  # 0.2 costs the guard



def test_the_model_reads_what_the_lexicon_knows_of_each_company(extractor, lexicon, by_name):
    # the sector features (kg:sector of each company in the lexicon; a person or a product is its type):
    # the shipped model is trained with them, the pipeline hands the sectors to the component, and a
    # saved and loaded component keeps them
    from kg.corpus import document_from_text

    text = "Nvidia sells its chips to Microsoft, and Jensen Huang says so."
    sdoc = extractor.analyse(document_from_text(text, "s.txt"))
    scorer = extractor.nlp("en").get_pipe("kg_relation_model")
    assert scorer.config.get("sectors"), "the shipped model is trained with the sector features"
    feats = {(a.id_, b.id_): f for _s, a, b, _st, _c, f, _v, _an in scorer.pair_features(sdoc)}
    nvidia, microsoft, huang = by_name["Nvidia"], by_name["Microsoft"], by_name["Jensen Huang"]
    s_nv, s_ms = lexicon.entities[nvidia].sector, lexicon.entities[microsoft].sector
    assert s_nv and s_ms
    assert f"S:{s_nv}>{s_ms}" in feats[(nvidia, microsoft)]
    pair = feats.get((microsoft, huang)) or feats[(huang, microsoft)]
    assert any(f in pair for f in (f"S:{s_ms}>Person", f"S:Person>{s_ms}"))
    assert scorer.sectors.get(nvidia) == s_nv


def test_sector_features_only_when_the_model_asks():
    from kg.nlp.relations import Ref
    from kg.nlp.relmodel import Unit, features

    text = "AcmeChips supplies AcmeCloud."
    a, b = Ref("acme-chips", "Company", 0, 9), Ref("acme-cloud", "Company", 19, 28)
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), [a, b], "en", {}, None, None)
    sectors = {"acme-chips": "chip-designer", "acme-cloud": "cloud"}
    off = features(unit, a, b, [], "asserted", {}, "", sectors)
    on = features(unit, a, b, [], "asserted", {"sectors": True}, "", sectors)
    assert not any(f.startswith("S:") for f in off)
    assert set(on) - set(off) == {"S:chip-designer>cloud"}
    same = features(unit, a, b, [], "asserted", {"sectors": True}, "", {"acme-chips": "cloud", "acme-cloud": "cloud"})
    assert "S:cloud>cloud" in same and "S:same" in same
    unknown = features(unit, a, b, [], "asserted", {"sectors": True}, "", {})
    assert "S:Company>Company" in unknown and "S:same" not in unknown


def test_list_features_only_when_the_model_asks():
    # a switch measured and not shipped (README): both ends items of one list of three or more, or one end in a list
    from kg.nlp.relations import Ref
    from kg.nlp.relmodel import Unit, features

    text = "Acme, Bolt and Cirro reported earnings. Dyna competes with Acme, Bolt and Cirro."
    refs = [Ref(n.lower(), "Company", text.index(n, start), text.index(n, start) + len(n))
            for n, start in (("Acme", 0), ("Bolt", 0), ("Cirro", 0), ("Dyna", 0), ("Acme", 40), ("Bolt", 40), ("Cirro", 40))]
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), refs, "en", {}, None, None)
    a, b, d, a2 = refs[0], refs[2], refs[3], refs[4]
    assert not any(f.startswith("E:") for f in features(unit, a, b, [], "asserted", {}, ""))
    listed = features(unit, a, b, [], "asserted", {"enum": True}, "")
    assert {"E:in", "E:in:bare", "T:Company>Company|E:in"} <= set(listed)  # no trigger word in this unit
    outside = features(unit, d, a2, [], "asserted", {"enum": True}, "")
    assert "E:b" in outside and "E:in" not in outside and "E:a" not in outside


def test_the_words_before_a_list_are_each_item_s_when_the_model_asks():
    """list_between: "BTV has backed the likes of AngelList, Charlie, Coast, and Unit" gives BTV and Unit the
    words up to AngelList ("LB:"), as BTV and AngelList have them; after a list, the words from its last item."""
    from kg.nlp.relations import Ref
    from kg.nlp.relmodel import Unit, features

    text = "BTV has backed the likes of AngelList, Charlie, Coast, and Unit. Acme, Bolt and Cirro beat Dyna."
    names = ("BTV", "AngelList", "Charlie", "Coast", "Unit", "Acme", "Bolt", "Cirro", "Dyna")
    refs = [Ref(n.lower(), "Company", text.index(n), text.index(n) + len(n)) for n in names]
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), refs, "en", {}, None, None)
    btv, angel, unit_co = refs[0], refs[1], refs[4]
    assert not any(f.startswith("LB") for f in features(unit, btv, unit_co, [], "asserted", {}, ""))
    last = set(features(unit, btv, unit_co, [], "asserted", {"list_between": True}, ""))
    assert {"LB:list", "LB:backed", "LB:likes", "LB2:the_likes"} <= last and "LB:charlie" not in last
    first = set(features(unit, btv, angel, [], "asserted", {"list_between": True}, ""))
    assert {f for f in first if f.startswith("LB")} == {f for f in last if f.startswith("LB")}  # every item alike
    acme, cirro, dyna = refs[5], refs[7], refs[8]
    after = set(features(unit, acme, dyna, [], "asserted", {"list_between": True}, ""))
    assert "LB:beat" in after and "LB:bolt" not in after
    assert {f for f in after if f.startswith("LB")} == \
        {f for f in features(unit, cirro, dyna, [], "asserted", {"list_between": True}, "") if f.startswith("LB")}
    pair = [Ref("btv", "Company", 0, 3), Ref("unit", "Company", 11, 15)]  # no list: no such features
    alone = Unit.of_sentence("BTV backed Unit.", "btv backed unit.", (0, 16), pair, "en", {}, None, None)
    assert not any(f.startswith("LB") for f in features(alone, *pair, [], "asserted", {"list_between": True}, ""))


def test_the_frame_of_a_list_is_every_pair_of_its_items_when_the_model_asks():
    """list_context (a switch measured and not shipped, README): the words before a list's first item and after its
    last ("EC:L:", "EC:R:") are the same for every pair of its items, whichever two they are; a pair that is not two
    items of one list has none."""
    from kg.nlp.relations import Ref
    from kg.nlp.relmodel import Unit, features

    text = "Its rivals such as Acme, Bolt, Cirro and Dyna are racing to ship chips, says Echo."
    names = ("Acme", "Bolt", "Cirro", "Dyna", "Echo")
    refs = [Ref(n.lower(), "Company", text.index(n), text.index(n) + len(n)) for n in names]
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), refs, "en", {}, None, None)
    acme, bolt, cirro, dyna, echo = refs
    cfg = {"list_context": True, "list_context_window": 3}
    assert not any(f.startswith("EC:") for f in features(unit, acme, dyna, [], "asserted", {}, ""))
    edge = {f for f in features(unit, acme, dyna, [], "asserted", cfg, "") if f.startswith("EC:")}
    assert {"EC:list", "EC:n4", "EC:L:rivals", "EC:L:such", "EC:L:as", "EC:R:are", "EC:R:racing", "EC:R:to"} <= edge
    assert not {"EC:L:its", "EC:R:ship", "EC:L:acme", "EC:R:dyna"} & edge  # the window; never the items
    inner = {f for f in features(unit, bolt, cirro, [], "asserted", cfg, "") if f.startswith("EC:")}
    assert inner == edge  # the middle two have the frame the outer two have
    assert not any(f.startswith("EC:") for f in features(unit, cirro, echo, [], "asserted", cfg, ""))


def test_cue_words_are_features_never_triggers(lexicon):
    # relations.yaml cue_words, read by a model trained with the cue_words switch (measured, not shipped)
    import kg.train as T
    from kg.nlp.relmodel import CUE_PREFIX, Unit, _trigger_in

    _base, plain = T.base_extractor(lexicon, dict(T.DEFAULT_CONFIG))
    base, cued = T.base_extractor(lexicon, {**T.DEFAULT_CONFIG, "cue_words": True})
    assert not any(k.startswith(CUE_PREFIX) for k in plain)
    assert "partnered" in cued[CUE_PREFIX + "partnership"] and set(plain) < set(cued)
    T.set_triggers(base, cued)
    scorer = base.nlp("zh").get_pipe("kg_relation_model")
    text = "苹果与谷歌携手。"
    unit = Unit.of_sentence(text, text.lower(), (0, len(text)), [], "zh", scorer.triggers, None, scorer.any_trigger)
    assert set(unit.trig) == {CUE_PREFIX + "partnership"}  # a cue word, and no relation's trigger word
    # so no pair across sentences, no unsaid subject, no topic is read from it
    assert not _trigger_in(unit.trig, 0, len(text)) and unit.first_trigger(0) is None
    # a cue word is no trigger word: a pair with only a cue word near it is "none" to the labelling functions
    assert T.weak_label(["T:Company>Company", "TW:cue:partnership:B"], "asserted") == "none"
