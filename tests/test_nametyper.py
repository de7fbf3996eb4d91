"""The learned typer of Latin names standing alone in Chinese text (kg/nlp/nametyper.py, kg_discovery)."""

from __future__ import annotations

import json

import pytest

from kg.corpus import document_from_text
from kg.nlp.nametyper import NAMES_FILE, NameTyper, name_features, title_before

# a typer written by hand: a name after 模型 is a model; a name alone is nothing (its bias)
TYPER = {"classes": ["Company", "Model", "NONE"], "features": ["bias", "p2=模型"],
         "coef": [[0.0, -3.0, 2.0], [0.0, 8.0, -4.0]], "intercept": [0.0, 0.0, 0.0], "threshold": 0.4}


def _found(extractor, text):
    sdoc = extractor.analyse(document_from_text(text, "t.txt"))
    return sdoc._.kg_discovered or {}


@pytest.fixture(scope="module")
def typed(lexicon):
    """A pipeline without the relation model, with the hand-written typer."""
    from kg.extract import Extractor
    from kg.train import set_typer

    ex = Extractor(lexicon, relation_model=None)
    set_typer(ex, TYPER)
    return ex


def test_the_typer_gives_a_latin_name_its_type_from_the_words_around_it(lexicon, typed):
    from kg.extract import Extractor

    plain = Extractor(lexicon, relation_model=None)
    text = "他们发布了语言模型Zorvex，效果很好。我们也试了Zorvex。\n"
    # the rule alone: a company, below the assert threshold
    assert _found(plain, text)["new:zorvex"]["type"] == "Company"
    assert _found(plain, text)["new:zorvex"]["confidence"] < 0.6
    # the typer: after 模型 it is a model, asserted
    found = _found(typed, text)["new:zorvex"]
    assert found["type"] == "Model" and found["confidence"] >= 0.6 and found["rule"] == "zh.latin-name"
    # a name with nothing around it to tell it is a name: the typer asserts nothing
    assert _found(typed, "我们和Zorvex聊过，Zorvex的人很好。\n")["new:zorvex"]["confidence"] < 0.6
    # names other rules find keep those rules' types
    assert _found(typed, "英伟达的Quorra芯片很快。\n")["new:quorra"]["type"] == "Chip"


def test_the_typers_threshold_falls_on_the_assert_threshold():
    typer = NameTyper({"classes": ["Model", "NONE"], "features": ["x"], "coef": [[1.0, -1.0]],
                       "intercept": [0.0, 0.0], "threshold": 0.4})
    for feats in ([], ["x"]):
        p = typer.predict(feats)
        typ, conf = typer.judge(feats, 0.6)
        assert typ == "Model" and abs(sum(p.values()) - 1) < 1e-9
        assert (conf >= 0.6) == (p["Model"] >= 0.4)


def test_name_features_read_every_occurrence_and_the_name():
    text = "语言模型Zorvex很强, Zorvex 的团队在北京。"
    first = text.find("Zorvex")
    second = text.find("Zorvex", first + 1)
    feats = name_features(text, "Zorvex", "Company", [(first, first + 6), (second, second + 6)])
    assert feats == sorted(set(feats))
    assert {"p2=模型", "n2=很强", "pp=,", "n1=的", "w=zorvex", "rt=Company", "cnt=2", "shape=Xx", "len=1"} <= set(feats)


def test_a_title_before_a_name_is_one_feature_whichever_title_it_is():
    titles = title_before(["创办人", "联合创始人", "执行长", "CEO"])
    for text in ("HubSpot创办人Zorvex的比喻", "他是联合创始人 Zorvex", "Mercury执行长Zorvex说"):
        a = text.find("Zorvex")
        assert "title:before" in name_features(text, "Zorvex", "Company", [(a, a + 6)], titles=titles), text
    text = "金融科技公司Zorvex主办的会议"  # a kind of firm is no title
    a = text.find("Zorvex")
    assert "title:before" not in name_features(text, "Zorvex", "Company", [(a, a + 6)], titles=titles)


def test_kg_train_writes_the_typer_beside_the_model_and_the_pipeline_reads_it(tmp_path, lexicon):
    """The typer a model folder holds is the one its pipeline uses; a folder without one: the rule's types."""
    from kg.extract import Extractor

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / NAMES_FILE).write_text(json.dumps(TYPER), encoding="utf-8")
    assert NameTyper.load(folder) == TYPER and NameTyper.load(tmp_path) is None
    # a folder without model.json is no relation model: the pipeline reads no typer from it either
    ex = Extractor(lexicon, relation_model=folder)
    assert _found(ex, "他们发布了语言模型Zorvex，效果很好。\n")["new:zorvex"]["type"] == "Company"


def test_the_shipped_typer_is_read_by_the_shipped_pipeline(extractor):
    from kg.nlp.relmodel import MODEL_DIR

    shipped = NameTyper.load(MODEL_DIR)
    assert shipped is not None and "NONE" in shipped["classes"] and shipped["threshold"] > 0
    pipe = extractor.nlp("zh").get_pipe("kg_discovery")
    assert pipe.typer is not None and pipe.typer.data == shipped


def test_name_features_tell_a_given_name_and_a_pinyin_surname():
    # a person's name by its words' kind, where the words themselves were never seen in training
    text = "今天的嘉宾Kenny Zhang来自一家基金。"
    at = text.find("Kenny")
    given, surnames = frozenset({"kenny", "derek"}), frozenset({"zhang", "wang"})
    feats = set(name_features(text, "Kenny Zhang", "Company", [(at, at + 11)], given, surnames))
    assert {"given:first", "surname:last"} <= feats
    feats = set(name_features(text, "Zhang Kenny", "Company", [(at, at + 11)], given, surnames))
    assert "surname:first" in feats and "given:first" not in feats
    assert not {f for f in name_features(text, "Kenny", "Company", [(at, at + 5)], given, surnames)
                if f.startswith("surname:")}
    assert "given:alone" in name_features(text, "Kenny", "Company", [(at, at + 5)], given, surnames)


def test_the_pipeline_gives_the_typer_the_ontologys_given_names_and_surnames(lexicon):
    # names.yaml: given_name_people (its names file too) and pinyin_people's surnames reach the typer's features
    from kg.extract import Extractor

    ex = Extractor(lexicon, relation_model=None)
    pipe = ex.nlp("zh").get_pipe("kg_discovery")
    pipe.typer_log = []
    try:  # names no other rule reads (a given name alone; a name after a title's acronym)
        ex.analyse(document_from_text("我们聊了很久，Derek说Quorvath值得一看，CIO Kenny Zhang也同意。\n", "t.txt"))
        log = dict(pipe.typer_log)
    finally:
        pipe.typer_log = None
    # (the title's acronym is stripped: ontology/discovery-stoplist.txt)
    assert "given:alone" in log.get("Derek", ()) and {"given:first", "surname:last"} <= set(log.get("Kenny Zhang", ())), log
    assert not {f for f in log.get("Quorvath", ()) if f.startswith(("given:", "surname:"))}
