"""Candidate pairs of the relation model that a config switch adds (``speaker``: a speaker's "we";
``topic``: the interview's topic where a sentence leaves it unnamed), as a model trained with the switch
would enumerate them, and the candidate ceiling tool showing what they cover."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from .conftest import ROOT


@pytest.fixture(scope="module")
def switched(lexicon):
    """The pipeline without a model, enumerating candidates as a model trained with both switches on."""
    from kg.train import DEFAULT_CONFIG, base_extractor

    config = {**DEFAULT_CONFIG, "speaker": True, "topic": 3, "topic_lead": 1.5}
    extractor, _ = base_extractor(lexicon, config)
    return extractor


def _pairs(extractor, text):
    """(via, a, b, evidence text) of every candidate pair in ``text``."""
    from kg.corpus import document_from_text

    doc = document_from_text(text, "c.txt")
    sdoc = extractor.analyse(doc)
    scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
    return [(via, a.id_, b.id_, sdoc.text[span[0]:span[1]])
            for span, a, b, _state, _cue, _feats, via, _anchor in scorer.pair_features(sdoc)]


def test_a_speakers_we_is_paired_as_their_company(switched, extractor, by_name):
    """In a speaker's turn, "we" / "our" / "我们" is the company the interview ties the speaker to: paired
    with the companies of the sentence, as the rules read it; the label and the speaker's own "we" make
    no pair (that is the interview's affiliation, not the sentence's)."""
    amd, openai, lisa = by_name["AMD"], by_name["OpenAI"], by_name["Lisa Su"]
    text = "Host: Welcome Lisa Su, the CEO of AMD.\nLisa Su: Our biggest partner this year is OpenAI."
    said = "Lisa Su: Our biggest partner this year is OpenAI."
    pairs = _pairs(switched, text)
    assert ("", amd, openai, said) in pairs
    assert ("", lisa, amd, said) not in pairs and ("", amd, lisa, said) not in pairs
    assert ("", amd, openai, said) not in _pairs(extractor, text)  # the shipped model: switch off
    zh = "主持人：今天的嘉宾是百度创始人李彦宏。\n李彦宏：谢谢。我们今年的芯片大部分来自英伟达。"
    assert ("", by_name["Baidu"], by_name["Nvidia"], "我们今年的芯片大部分来自英伟达。") in _pairs(switched, zh)
    # no speaker label, or a speaker the interview ties to no company: "we" is no one's
    assert not _pairs(switched, "Thanks for having me. Our biggest partner this year is OpenAI.")
    assert not [p for p in _pairs(switched, "Host: Welcome.\nLisa Su: Our biggest partner this year is OpenAI.")
                if amd in p[1:3]]


def test_the_interviews_topic_is_paired_where_a_sentence_leaves_it_unnamed(switched, extractor, by_name):
    """The company an interview names most (at least 3 times, 1.5 times as often as the next) is what a
    later sentence with a trigger word may be about without naming it ("The new round was led by
    SoftBank."): paired with each entity of that sentence (``topic``), the evidence that sentence."""
    cerebras, softbank = by_name["Cerebras"], by_name["SoftBank"]
    text = ("Cerebras makes wafer-scale chips. It was founded in 2016. Cerebras is growing fast, and Cerebras hires.\n\n"
            "The new round was led by SoftBank. The weather in Sunnyvale is mild, says Intel.")
    topic = [p for p in _pairs(switched, text) if p[0] == "topic"]
    assert topic == [("topic", cerebras, softbank, "The new round was led by SoftBank.")]  # no trigger word: no Intel
    assert not [p for p in _pairs(extractor, text) if p[0] == "topic"]  # the shipped model: switch off
    zh = "寒武纪做AI芯片。寒武纪成立于2016年。寒武纪发展很快。\n\n本轮融资由红杉中国领投。"
    assert ("topic", by_name["Cambricon"], by_name["HongShan"], "本轮融资由红杉中国领投。") in _pairs(switched, zh)
    # no company leads: no topic
    even = "Cerebras makes chips. Groq makes chips. Cerebras and Groq are growing.\n\nThe new round was led by SoftBank."
    assert not [p for p in _pairs(switched, even) if p[0] == "topic"]


def test_the_ceiling_tool_shows_what_a_switch_covers(tmp_path):
    """CLI in, report out: bench/relation_ceiling.py --set speaker=true / topic=3 moves the gold relations
    these sentences state from "no-pair" to "candidate"."""
    base = tmp_path / "set"
    (base / "texts").mkdir(parents=True)
    (base / "gold").mkdir()
    (base / "texts" / "iv.txt").write_text(
        "Host: Welcome Lisa Su, the CEO of AMD.\nLisa Su: Our biggest partner this year is OpenAI.\n\n"
        "Cerebras makes wafer-scale chips. Cerebras is growing fast, and Cerebras hires. The market is hot.\n"
        "The new round was led by SoftBank.\n", encoding="utf-8")
    gold = {"document": "iv.txt",
            "entities": [{"name": n, "type": "Company"} for n in ("AMD", "OpenAI", "Cerebras", "SoftBank")],
            "relations": [
                {"subject": "AMD", "relation": "supplies", "object": "OpenAI", "evidence": "Our biggest partner this year is OpenAI"},
                {"subject": "SoftBank", "relation": "investsIn", "object": "Cerebras", "evidence": "The new round was led by SoftBank."},
            ]}
    (base / "gold" / "iv.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    splits = tmp_path / "splits.yaml"
    splits.write_text(yaml.safe_dump({"dev": [{"texts": "set/texts", "gold": "set/gold"}]}), encoding="utf-8")

    def run(*extra):
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "relation_ceiling.py"), str(splits), "dev",
                              "--show", "candidate,no-pair", *extra], capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert out.returncode == 0, out.stderr
        return out.stdout

    off = run()
    assert "  [no-pair] iv.txt: AMD supplies OpenAI | Our biggest partner this year is OpenAI" in off
    assert "  [no-pair] iv.txt: SoftBank investsIn Cerebras | The new round was led by SoftBank." in off
    on = run("--set", "speaker=true", "--set", "topic=3")
    assert "  [candidate] iv.txt: AMD supplies OpenAI | Our biggest partner this year is OpenAI" in on
    assert "  [candidate] iv.txt: SoftBank investsIn Cerebras | The new round was led by SoftBank." in on
    assert "  core 2: candidate 2 (100%)" in on


def test_a_product_stands_for_its_maker(extractor, lexicon, by_name):
    """``product`` (on in the shipped model): a model or chip stands for the one company that develops it
    (as the rules read it in the interview, else as ``developers.yaml`` and the lexicon's maker-led names
    have it), paired with the companies and the other products' makers of its sentence (``via``
    "product"): a comparison of two models is one of their makers, a chip in use is its maker's sale."""
    from kg.train import DEFAULT_CONFIG, base_extractor

    deepseek, meta, openai, nvidia = by_name["DeepSeek"], by_name["Meta"], by_name["OpenAI"], by_name["Nvidia"]
    en = "DeepSeek's training cost is about 7% of Llama 3's."
    assert ("product", deepseek, meta, en) in _pairs(extractor, en)
    zh = "DeepSeek-R1 的推理性能已经可以媲美 o1。"
    assert ("product", deepseek, openai, zh) in _pairs(extractor, zh)
    zht = "特斯拉用了上萬顆 H100 訓練自動駕駛模型。"
    # (the pipeline reads traditional characters in their simplified form)
    assert ("product", by_name["Tesla"], nvidia, "特斯拉用了上万颗 H100 训练自动驾驶模型。") in _pairs(extractor, zht)
    # the maker named in the sentence: its own mention pairs, no stand-in beside it
    named = "Meta says Llama 3 costs less than DeepSeek."
    assert ("", meta, deepseek, named) in _pairs(extractor, named)
    assert not [p for p in _pairs(extractor, named) if p[0] == "product"]
    # a product of two developers the interview does not tell apart (Gemini: Google DeepMind and Google) stands for none
    assert not [p for p in _pairs(extractor, "Gemini trails Claude on coding, says Cursor.") if by_name["Google"] in p[1:3]]
    # the switch off: no stand-ins
    off, _ = base_extractor(lexicon, {**DEFAULT_CONFIG, "product": False})
    assert not [p for p in _pairs(off, en) + _pairs(off, zh) if p[0] == "product"]


def test_a_version_the_lexicon_does_not_hold_stands_for_its_family_s_maker(extractor, by_name):
    """A found version or variant of a lexicon product ("GPT-5.5" of GPT-5, "Llama 3.9" of Llama 3) or of a
    company's name ("DeepSeek-V9") is made by the same company: it stands for it as the product it extends
    would."""
    anthropic, openai, meta, deepseek = by_name["Anthropic"], by_name["OpenAI"], by_name["Meta"], by_name["DeepSeek"]
    en = "Anthropic says its coding scores now beat GPT-5.5 on every test."
    assert ("product", anthropic, openai, en) in _pairs(extractor, en)
    zh = "DeepSeek-V9 的训练成本只有 Llama 3.9 的一半。"
    assert ("product", deepseek, meta, zh) in _pairs(extractor, zh)


def test_a_product_comparison_reaches_the_graph_with_its_reading(runner, tmp_path):
    """CLI in, graph out: two models compared make their makers rivals, and the evidence says the model read
    them through the products (``kg:rule`` "model+product…"); the sentence is the evidence."""
    from kg.cli import app

    text = tmp_path / "r1.txt"
    text.write_text("DeepSeek-R1 的推理性能已经可以媲美 o1，而训练成本只有后者的一小部分。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(text), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["query", str(out / "kg.trig"), "--format", "tsv", "-q",
                                 "SELECT ?rule ?sentence WHERE { ?e a kg:Evidence ; rdf:subject kge:deepseek ; "
                                 "rdf:predicate kg:competesWith ; rdf:object kge:openai ; kg:rule ?rule ; kg:sentence ?sentence }"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.strip().splitlines()[1:]]
    assert len(rows) == 1, result.output
    rule, sentence = rows[0]
    assert rule.strip('"').startswith("model+product")
    assert "媲美 o1" in sentence


def test_the_model_reads_taiwan_words_as_the_mainlands(extractor, by_name):
    """``regional`` (relations.yaml; on in the shipped model): the model's words are read in the mainland's
    spelling (晶片 as 芯片), as long as the word they stand for, so the evidence offsets hold; the names the
    lexicon matches and the text of the evidence stay as written."""
    from kg.corpus import document_from_text

    doc = document_from_text("台積電為輝達代工晶片，並替伺服器廠商供貨。", "t.txt")
    sdoc = extractor.analyse(doc)
    scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
    read = scorer._text(sdoc)
    assert "晶片" in sdoc.text and "芯片" in read and "服务器" in read
    assert len(read) == len(sdoc.text)
    assert {e.id_ for e in sdoc.ents} >= {by_name["TSMC"], by_name["Nvidia"]}
    # a name that holds such a word is the lexicon's, as written ("人工智慧" in 上海人工智慧實驗室)
    lab = extractor.analyse(document_from_text("上海人工智慧實驗室與輝達合作。", "l.txt"))
    assert by_name["Shanghai AI Laboratory"] in {e.id_ for e in lab.ents}
    # the same sentence in simplified script and mainland words: the same relations
    simplified = relations_of_text(extractor, "台积电为英伟达代工芯片，并替服务器厂商供货。")
    assert simplified == relations_of_text(extractor, "台積電為輝達代工晶片，並替伺服器廠商供貨。")
    assert (by_name["TSMC"], "supplies", by_name["Nvidia"]) in simplified


def relations_of_text(extractor, text):
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text(text, "t.txt"))
    return {(r.subject, r.predicate, r.object) for r in ex.relations}
