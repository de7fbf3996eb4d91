"""Relation rules on single sentences: direction, type constraints, non-assertions, scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import relations_of

CASES = yaml.safe_load((Path(__file__).parent / "data" / "relation_cases.yaml").read_text(encoding="utf-8"))


def _ids(by_name, triples):
    """Lexicon entities by their English name; any other name is a discovered entity (new:<slug>)."""
    from kg.nlp.discovery import new_id

    out = set()
    for s, p, o in triples or []:
        out.add((by_name.get(s) or new_id(s), p, by_name.get(o) or new_id(o)))
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


def test_engine_constructs_compile():
    """``…*`` crosses model/chip mentions but not companies; ``^`` reads past a speaker label;
    ``object: speaker`` takes no {O}."""
    from kg.nlp.relations import RuleError, compile_rule, placeholder

    settings = yaml.safe_load((Path(__file__).parent.parent / "ontology" / "relations.yaml").read_text(
        encoding="utf-8"))["settings"]
    rule = compile_rule({"id": "t", "lang": "zh", "relation": "supplies",
                         "pattern": "^{O}…*交给{S}(?P<T>代工)"}, settings)
    co, co2, chip, person = (placeholder("Company", 0), placeholder("Company", 1), placeholder("Chip", 0),
                             placeholder("Person", 0))
    assert rule.regex.search(f"{co}设计了{chip},再交给{co2}代工")
    assert rule.regex.search(f"{person}:{co}设计了{chip},再交给{co2}代工")
    assert not rule.regex.search(f"{co}说{placeholder('Company', 2)}设计了,再交给{co2}代工")
    with pytest.raises(RuleError):
        compile_rule({"id": "t", "lang": "zh", "relation": "investsIn", "object": "speaker",
                      "pattern": "{S}领投了{O}"}, settings)
    assert compile_rule({"id": "t", "lang": "zh", "relation": "investsIn", "object": "speaker",
                         "pattern": "{S}(?P<T>领投)"}, settings).speaker_object


def test_word_lists_are_one_vocabulary_per_language():
    """``{ROLE}`` in a pattern is the language's ``words: ROLE`` list (settings of relations.yaml), longest
    entry first, each entry a piece of regular expression; the trigger words the model reads come from the
    expanded pattern; an unknown list or a list that is no list of words is one clear error."""
    from kg.nlp.relations import RuleError, compile_rule, placeholder
    from kg.nlp.relmodel import trigger_words
    from kg.nlp.rulewords import expand, word_lists

    settings = {"zh": {"gap": 12, "wide_gap": 30, "separator": "(?:、|和)",
                       "words": {"ROLE": ["主管", "研究主管", "首席[^\\s,]{1,3}?官"]}},
                "en": {"gap": 40, "wide_gap": 90, "separator": "(?:\\s+and\\s+)",
                       "words": {"ROLE": ["analyst", "board director", "director"]}}}
    # longest entry first, so that the trigger shown is the whole title (研究主管, not 主管)
    assert word_lists(settings, "zh")["ROLE"] == "(?:首席[^\\s,]{1,3}?官|研究主管|主管)"
    assert expand("x{ROLE}{S}{0,3}", word_lists(settings, "zh")) == "x(?:首席[^\\s,]{1,3}?官|研究主管|主管){S}{0,3}"
    zh = compile_rule({"id": "t", "lang": "zh", "relation": "affiliatedWith",
                       "pattern": "{O:Company}…(?P<T>{ROLE}){S:Person}"}, settings)
    en = compile_rule({"id": "t", "lang": "en", "relation": "affiliatedWith",
                       "pattern": "{O:Company} (?P<T>{ROLE}) {S:Person}"}, settings)
    co, person = placeholder("Company", 0), placeholder("Person", 0)
    assert zh.regex.search(f"{co}全球研究主管{person}") and zh.regex.search(f"{co}首席投资官{person}")
    assert not zh.regex.search(f"{co}的员工{person}")
    assert en.regex.search(f"{co} board director {person}") and en.regex.search(f"{co} Analyst {person}")
    words = trigger_words({"settings": settings, "rules": [
        {"id": "t", "lang": "en", "relation": "affiliatedWith", "pattern": "{O} (?P<T>{ROLE}) {S}"}]})
    assert {"analyst", "director"} <= set(words["affiliatedWith"])
    with pytest.raises(RuleError, match="relation rule t2: no word list {TITLE}"):
        compile_rule({"id": "t2", "lang": "en", "relation": "affiliatedWith",
                      "pattern": "{O} (?P<T>{TITLE}) {S}"}, settings)
    with pytest.raises(RuleError, match="settings.en.words.ROLE must be a list of words"):
        compile_rule({"id": "t3", "lang": "en", "relation": "affiliatedWith", "pattern": "{O} (?P<T>x) {S}"},
                     {"en": dict(settings["en"], words={"ROLE": "analyst"})})


def test_second_person_is_the_addressee_of_two_parties_only(extractor, by_name):
    two = "主持人：欢迎 Arthur Mensch。你是 Mistral AI 的联合创始人。\nArthur Mensch：对。"
    assert (by_name["Arthur Mensch"], "affiliatedWith", by_name["Mistral AI"]) in relations_of(extractor, two)
    three = ("Sam Altman：欢迎 Arthur Mensch。\nDario Amodei：你好。\nArthur Mensch：谢谢。\n"
             "Sam Altman：你是 Mistral AI 的联合创始人。")
    assert not any(p == "affiliatedWith" and o == by_name["Mistral AI"]
                   for _, p, o in relations_of(extractor, three))


@pytest.mark.parametrize("text", [
    # English: a past employer, then the company founded after it
    "Host: Welcome, Arthur Mensch. You spent a few years at Google before co-founding Mistral AI.\n"
    "Arthur Mensch: We compete with OpenAI every day.",
    # the step told first
    "Host: After leaving Google, Arthur Mensch, you started Mistral AI.\n"
    "Arthur Mensch: We compete with OpenAI every day.",
])
def test_we_is_the_company_founded_not_the_one_worked_at_before(extractor, by_name, text):
    found = relations_of(extractor, text)
    assert (by_name["Arthur Mensch"], "affiliatedWith", by_name["Mistral AI"]) in found
    assert _has(found, (by_name["Mistral AI"], "competesWith", by_name["OpenAI"]))
    assert not _has(found, (by_name["Google"], "competesWith", by_name["OpenAI"]))


@pytest.mark.parametrize("text", [
    "Host: Welcome, Arthur Mensch. You worked at Google for a decade.\nArthur Mensch: Today we compete with OpenAI.",
    "主持人：欢迎 Arthur Mensch。你以前在谷歌工作。\nArthur Mensch：我们现在和 OpenAI 竞争。",
    "主持人：欢迎 Arthur Mensch。你在谷歌待过五年。\nArthur Mensch：我们现在和 OpenAI 竞争。",
])
def test_a_former_employer_is_never_we(extractor, by_name, text):
    """A past tie is still an affiliation, but "we" of today is not the company the speaker left."""
    found = relations_of(extractor, text)
    assert (by_name["Arthur Mensch"], "affiliatedWith", by_name["Google"]) in found
    assert not any(s == by_name["Google"] and p == "competesWith" for s, p, _ in found)
    assert not _has(found, (by_name["Google"], "competesWith", by_name["OpenAI"]))


def test_a_present_tie_still_gives_we(extractor, by_name):
    found = relations_of(extractor, "主持人：欢迎 Arthur Mensch。你在谷歌工作。\nArthur Mensch：我们和 OpenAI 竞争。")
    assert _has(found, (by_name["Google"], "competesWith", by_name["OpenAI"]))


def test_our_customer_and_an_unnamed_stake_are_the_speakers_company(extractor, by_name):
    text = ("Host: Arthur Mensch, you co-founded Mistral AI.\n"
            "Arthur Mensch: Yes. Oracle is our biggest customer, and Nvidia itself took a minority stake.\n"
            "Arthur Mensch: Did Intel take a stake? No.")
    found = relations_of(extractor, text)
    assert (by_name["Mistral AI"], "supplies", by_name["Oracle"]) in found
    assert (by_name["Nvidia"], "investsIn", by_name["Mistral AI"]) in found
    assert (by_name["Intel"], "investsIn", by_name["Mistral AI"]) not in found
    assert (by_name["Nvidia"], "investsIn", by_name["Oracle"]) not in found


def test_a_verb_phrase_with_a_product_before_competes(extractor, by_name):
    found = relations_of(extractor, "Google trains its Gemini models on TPU chips and competes with OpenAI for developers.")
    assert _has(found, (by_name["Google"], "competesWith", by_name["OpenAI"]))
    assert not relations_of(extractor, "Does Google train Gemini on TPU chips and compete with OpenAI?") & {
        (by_name["Google"], "competesWith", by_name["OpenAI"])}


@pytest.mark.parametrize("text, asserted", [
    # a statement, then a question in a clause of its own: the statement holds
    ("主持人：微软投资了 OpenAI，你怎么看这笔交易？", True),
    ("主持人：亚马逊去年投资了 Anthropic，能给我们讲讲吗？", True),
    ("Host: Microsoft invested in OpenAI early, so what did it get for the money?", True),
    # a tag question, an alternative, a question word before: all of it is asked
    ("主持人：微软投资了 OpenAI，是吗？", False),
    ("主持人：微软投资了 OpenAI，还是只是借钱给它？", False),
    ("主持人：微软是否投资了 OpenAI，你怎么看？", False),
    ("Host: Microsoft invested in OpenAI, right?", False),
    ("Host: Did Microsoft invest in OpenAI, and how much?", False),
    ("Host: Microsoft invested in OpenAI?", False),
])
def test_only_the_asked_clause_of_a_question_is_not_asserted(extractor, by_name, text, asserted):
    found = relations_of(extractor, text)
    assert ((by_name["Microsoft"] if "icrosoft" in text or "微软" in text else by_name["Amazon"]), "investsIn",
            by_name["OpenAI" if "OpenAI" in text else "Anthropic"]) in found if asserted else not found


def test_a_company_using_our_compute_is_our_customer(extractor, by_name):
    text = "主持人：你是 Mistral AI 的联合创始人。\nArthur Mensch：对。其实 Oracle 一直在用我们的算力。"
    found = relations_of(extractor, text)
    assert (by_name["Mistral AI"], "supplies", by_name["Oracle"]) in found
    assert (by_name["Mistral AI"], "supplies", by_name["Oracle"]) not in relations_of(
        extractor, "主持人：你是 Mistral AI 的联合创始人。\nArthur Mensch：对。Oracle 没有在用我们的算力。")


def test_the_company_talked_with_is_not_the_hedger(extractor, by_name):
    found = relations_of(extractor, "苹果正在跟三星洽谈第二货源，算是对台积电的一种避险。")
    assert (by_name["Apple"], "hedgesAgainst", by_name["TSMC"]) in found
    assert (by_name["Samsung"], "hedgesAgainst", by_name["TSMC"]) not in found


def test_a_first_big_customer(extractor, by_name):
    found = relations_of(extractor, "OpenAI 是甲骨文第一个大客户。")
    assert (by_name["Oracle"], "supplies", by_name["OpenAI"]) in found


def test_a_chip_named_after_a_comma_and_a_short_form_inside_it(extractor):
    """"栖川科技" is "栖川" later, but "栖川 T3" is the chip's own name, and the company designed it."""
    found = relations_of(extractor, "栖川科技的创始人吴砚说，他们设计了一款推理芯片，叫「栖川 T3」。栖川明年上市。")
    assert ("new:栖川科技", "develops", "new:栖川-t3") in {
        (s.replace("new-company-", "new:"), p, o.replace("new-chip-", "new:")) for s, p, o in found}


@pytest.mark.parametrize("text, triples", [
    ("xAI 呢輪由紅杉領投，AMD 都有份。", {("Sequoia Capital", "investsIn", "xAI"), ("AMD", "investsIn", "xAI")}),
    ("Cohere 好低調。佢哋早就拎咗甲骨文嘅錢。", {("Oracle", "investsIn", "Cohere")}),
    ("Perplexity 係亞馬遜嘅大客戶。", {("Amazon", "supplies", "Perplexity")}),
    ("英偉達冇投資 Cohere。", set()),
    ("甲骨文唔係 Cohere 嘅股東。", set()),
])
def test_cantonese_is_read_as_standard_chinese(extractor, by_name, text, triples):
    """Hong Kong interviews quote Cantonese (佢哋, 嘅, 咗, 係, 冇, 唔): it is respelled, same length,
    before matching; evidence is still the sentence as written."""
    found = relations_of(extractor, text)
    assert {(by_name[s], p, by_name[o]) for s, p, o in triples} <= found
    if not triples:
        assert not found


def test_respelling_keeps_offsets_and_leaves_standard_words_alone():
    from kg.textnorm import Respelling

    respell = Respelling([["佢哋", "他们"], ["(?<![關关])係", "是"], ["嘅", "的"], ["兩字", "一"]])
    text = "佢哋嘅關係係好。兩字"
    out = respell(text)
    assert out == "他们的關係是好。兩字" and len(out) == len(text)  # a pair of unequal length changes nothing


def test_a_speaker_label_with_a_first_name_only(extractor, by_name):
    """Transcripts give the full name once, then label turns by first name ("**Ines:**")."""
    text = ("Ines Marchetti is the chief operating officer of Corvid Labs.\n\n"
            "**Host:** Ines, welcome.\n\n"
            "**Ines:** Thanks. For memory we buy from Micron, and Oracle is our biggest customer.\n")
    found = relations_of(extractor, text)
    corvid = "new:corvid-labs"
    assert ("new:ines-marchetti", "affiliatedWith", corvid) in found
    assert (by_name["Micron"], "supplies", corvid) in found
    assert (corvid, "supplies", by_name["Oracle"]) in found
    # ", and" after a single name is two clauses, not a list: Micron is no customer, Oracle no supplier
    assert not any(s == by_name["Oracle"] and p == "supplies" for s, p, o in found)
    assert not any(p == "supplies" and o == by_name["Micron"] for s, p, o in found)


_EN_ANSWER = "Our chips are made by TSMC, and we compete with Nvidia for every inference deal."
_ZH_ANSWER = "我们的芯片由台积电代工，我们和英伟达竞争每一笔推理订单。"


@pytest.mark.parametrize("host, guest, answer", [
    ("Q", "A", _EN_ANSWER), ("Host", "Guest", _EN_ANSWER), ("SPEAKER_00", "SPEAKER_01", _EN_ANSWER),
    ("Speaker 1", "Speaker 2", _EN_ANSWER), ("主持人", "嘉宾", _ZH_ANSWER), ("问", "答", _ZH_ANSWER)])
def test_a_guests_label_that_names_no_one_is_the_guests(extractor, by_name, host, guest, answer):
    """A question-and-answer interview, a guest's label and a machine transcript's anonymous speakers: the answerer's
    "we" is the company of the guest the title names (the anonymous speaker who says the most is the guest)."""
    text = (f"Interview: Zentrix founder Mira Chen on inference chips\n\n"
            f"{host}: Who makes your chips?\n\n{guest}: {answer}\n\n{host}: Thanks.\n")
    found = relations_of(extractor, text)
    assert (by_name["TSMC"], "supplies", "new:zentrix") in found, found
    assert _has(found, ("new:zentrix", "competesWith", by_name["Nvidia"])), found


@pytest.mark.parametrize("text, expected", [
    ("Zentrix CEO Mira Chen on inference chips\n\n"
     "Mira Chen: We designed our own chip, Orion. My co-founder, Sam Reyes, ran infrastructure at a bank. "
     "Nvidia is both our supplier and our competitor.\n",
     [("new:zentrix", "develops", "new:orion"), ("new:sam-reyes", "affiliatedWith", "new:zentrix"),
      ("Nvidia", "supplies", "new:zentrix")]),
    ("Zentrix 创始人 Mira Chen 接受了采访。\n\n"
     "Mira Chen：我们自己设计了一款芯片，叫Orion。我的联合创始人张伟之前在一家银行工作。为了不被英伟达卡脖子，我们自研了芯片。\n",
     [("new:zentrix", "develops", "new:orion"), ("new:张伟", "affiliatedWith", "new:zentrix"),
      ("new:zentrix", "hedgesAgainst", "Nvidia")]),
])
def test_a_founder_speaks_of_their_own_chip_colleague_and_suppliers(extractor, by_name, text, expected):
    found = relations_of(extractor, text)
    for s, p, o in expected:
        triple = (by_name.get(s, s), p, by_name.get(o, o))
        assert triple in found, (triple, found)


def test_a_hosts_label_is_not_the_guests(extractor, by_name):
    # the host's "we" (the show, the fund) is no company of the guest's
    text = ("Interview: Zentrix founder Mira Chen on inference chips\n\n"
            "Q: We buy our chips from Nvidia at the fund, so tell us who makes yours.\n\n"
            "A: Thanks for having me.\n")
    found = relations_of(extractor, text)
    assert not any(o == "new:zentrix" and p == "supplies" for s, p, o in found), found


@pytest.mark.parametrize("text, triple, asserted", [
    ("Mistral AI is backed by Lightspeed, Accel, and Nvidia.", ("Nvidia", "investsIn", "Mistral AI"), True),
    ("Mistral AI is backed by Lightspeed, Accel, and Nvidia.", ("Mistral AI", "investsIn", "Nvidia"), False),
    ("Microsoft is invested in OpenAI.", ("Microsoft", "investsIn", "OpenAI"), True),
    ("Anthropic committed to buy $30 billion of compute from Google.", ("Anthropic", "investsIn", "Google"), False),
    ("Meta buys Samsung memory for its servers.", ("Meta", "investsIn", "Samsung"), False),
    ("Apple qualified Samsung as a second source, as insurance against TSMC.", ("Samsung", "hedgesAgainst", "TSMC"), False),
    ("Apple qualified Samsung as a second source, as insurance against TSMC.", ("Apple", "hedgesAgainst", "TSMC"), True),
])
def test_english_voice_and_objects(extractor, by_name, text, triple, asserted):
    s, p, o = triple
    assert ((by_name[s], p, by_name[o]) in relations_of(extractor, text)) is asserted


def test_a_model_named_after_a_company_of_the_interview(extractor, by_name):
    """"Tallgrass-R2" of "Tallgrass AI", "DeepSeek-V9" of DeepSeek: the name says who develops it."""
    found = relations_of(extractor, "Tallgrass AI builds small models. Their main model, Tallgrass-R2, is cheap. "
                                    "DeepSeek shipped DeepSeek-V9 too.")
    assert ("new:tallgrass-ai", "develops", "new:tallgrass-r2") in found
    assert (by_name["DeepSeek"], "develops", "new:deepseek-v9") in found
    assert not any(p == "develops" for _, p, _ in relations_of(extractor, "Llama 9 is good, and Meta knows it."))


def test_a_new_version_of_a_maker_led_name_is_that_maker_s(extractor, by_name):
    """"Google TPU v9" continues the lexicon's "Google TPU", "谷歌TPU v9" its "谷歌TPU": Google develops it, though
    the text names Google nowhere else; a version the lexicon holds ("TPU v6", Trillium) is that chip, its maker
    read before it."""
    for text in ("Demand for Google TPU v9 keeps rising.", "谷歌TPU v9 的需求还在上升。"):
        found = relations_of(extractor, text)
        assert any(s == by_name["Google"] and p == "develops" and o.startswith("new:") for s, p, o in found), found
    for text in ("Demand for Google TPU v6 keeps rising.", "谷歌TPU v6 的需求还在上升。"):
        assert (by_name["Google"], "develops", by_name["Trillium"]) in relations_of(extractor, text), text


# Phrasing families: each case is a sentence of our own and what it must say (an empty set: nothing).
# Read off held-out set c's misses (Chinese, English) and off interviews we wrote to probe (English, Chinese).
FAMILIES_ZH_SET_C = [
    ("Lambda 的 GPU 几乎全部买自英伟达。", {("Nvidia", "supplies", "Lambda")}),
    ("软银本身也持有 Arm 的大部分股份。", {("SoftBank", "investsIn", "Arm")}),
    ("Perplexity 的推理主要跑在亚马逊的云上。", {("Amazon", "supplies", "Perplexity")}),
    ("Cohere 在企业市场交锋最多的，其实就是 Anthropic。", {("Cohere", "competesWith", "Anthropic")}),
    ("Gemini 是谷歌最新的大模型。", {("Google", "develops", "Gemini")}),
    ("英伟达、苹果都是台积电的大客户。", {("TSMC", "supplies", "Nvidia"), ("TSMC", "supplies", "Apple")}),
    ("AMD 现在是英伟达唯一像样的老对手。", {("AMD", "competesWith", "Nvidia")}),
    ("上个月微软宣布入股 Mistral AI。", {("Microsoft", "investsIn", "Mistral AI")}),
    ("Cohere 的客户长期是甲骨文。", {("Cohere", "supplies", "Oracle")}),
    # non-assertions of the same families
    ("Lambda 的 GPU 是不是都买自英伟达？", set()),
    ("软银没有持有 Arm 的股份。", set()),
    ("如果 Perplexity 跑在亚马逊的云上会怎样？", set()),
]
FAMILIES_EN_SET_C = [
    ("Qualcomm's modem chips mostly come from Samsung these days.", {("Samsung", "supplies", "Qualcomm")}),
    ("Meta signed with Google for several gigawatts of TPUs.", {("Google", "supplies", "Meta")}),
    ("Apple pays Broadcom a fortune every year for those radio chips.", {("Broadcom", "supplies", "Apple")}),
    ("Gemini is Google's flagship model.", {("Google", "develops", "Gemini")}),
    ("Apple is by a wide margin TSMC's largest advanced-node customer.", {("TSMC", "supplies", "Apple")}),
    ("Samsung has been the main memory supplier to Apple for years.", {("Samsung", "supplies", "Apple")}),
    ("AMD is still Nvidia's only real merchant rival.", {("AMD", "competesWith", "Nvidia")}),
    ("Broadcom and Marvell, the two design houses, are fighting each other for every socket.", {("Broadcom", "competesWith", "Marvell")}),
    ("Intel took five billion dollars from Nvidia.", {("Nvidia", "investsIn", "Intel")}),
    ("Anthropic keeps growing. Their biggest cloud supplier is Google.", {("Google", "supplies", "Anthropic")}),
    # non-assertions of the same families
    ("Do Qualcomm's modem chips come from Samsung?", set()),
    ("If Apple paid Broadcom more for those chips, margins would fall.", set()),
]
FAMILIES_EN_PROBE = [
    ("Host: Arthur Mensch, you co-founded Mistral AI.\nArthur Mensch: Yes. Our anchor customer is Meta, and Amkor handles packaging.",
     {("Mistral AI", "supplies", "Meta"), ("Amkor", "supplies", "Mistral AI")}),
    ("Host: Arthur Mensch, you co-founded Mistral AI.\nArthur Mensch: Our seed came from Sequoia, and we fab at TSMC.",
     {("Sequoia Capital", "investsIn", "Mistral AI"), ("TSMC", "supplies", "Mistral AI")}),
    ("Groq and Etched are chasing the same customers.", {("Groq", "competesWith", "Etched")}),
    ("Groq itself raised from BlackRock and Samsung.", {("BlackRock", "investsIn", "Groq"), ("Samsung", "investsIn", "Groq")}),
    ("Anthropic and Google are locked in a fight over enterprise coding.", {("Anthropic", "competesWith", "Google")}),
    ("Google also owns a chunk of Anthropic.", {("Google", "investsIn", "Anthropic")}),
    ("Microsoft trains its own models, so it doesn't have to lean on OpenAI.", {("Microsoft", "hedgesAgainst", "OpenAI")}),
    ("Mistral AI is growing fast. Their main model, Mistral Large, runs entirely on Nvidia hardware.",
     {("Nvidia", "supplies", "Mistral AI")}),
    ("Did Groq raise from BlackRock?", set()),
    ("Google does not own a chunk of Anthropic.", set()),
]
FAMILIES_ZH_PROBE = [
    ("纬创帮英伟达做 GPU 基板。", {("Wistron", "supplies", "Nvidia")}),
    ("广达也拿下了不少谷歌和 Meta 的订单。", {("Quanta Computer", "supplies", "Google"), ("Quanta Computer", "supplies", "Meta")}),
    ("美光也打进了英伟达的供应链。", {("Micron", "supplies", "Nvidia")}),
    ("台积电把部分封测外包给日月光。", {("ASE Technology", "supplies", "TSMC")}),
    ("鸿海是英伟达最大的机柜代工伙伴。", {("Foxconn", "supplies", "Nvidia")}),
    ("美光还没有打进英伟达的供应链。", set()),
    ("如果台积电把封测外包给日月光，会怎样？", set()),
    ("主持人：Cohere 是做什么的？\nAidan Gomez：他们主要向甲骨文租算力。", {("Oracle", "supplies", "Cohere")}),
    ("Host: What does Cohere do?\nAidan Gomez: They rent most of their compute from Oracle.", {("Oracle", "supplies", "Cohere")}),
    ("OpenAI 跟 AMD 签了长期协议，这是在给自己留后路，不想被英伟达一家卡住。", {("OpenAI", "hedgesAgainst", "Nvidia")}),
    ("三星一直想抢台积电的单。", {("Samsung", "competesWith", "TSMC")}),
    ("主持人：你是 Mistral AI 的联合创始人。\nArthur Mensch：对。我们的机器人大脑用的是英伟达的 Jetson。",
     {("Nvidia", "supplies", "Mistral AI")}),
    ("Host: Arthur Mensch, you co-founded Mistral AI.\nArthur Mensch: Yes, and Foxconn joined as a strategic investor.",
     {("Foxconn", "investsIn", "Mistral AI")}),
    ("主持人：你是 Mistral AI 的联合创始人。\nArthur Mensch：对。我们的端侧模型叫 Ministral。", {("Mistral AI", "develops", "Ministral")}),
    ("主持人：你是 Mistral AI 的联合创始人。\nArthur Mensch：对。去年小米给了我们第一个大订单。", {("Mistral AI", "supplies", "Xiaomi")}),
    ("淡马锡和软银的打法比较保守，很少领投。", set()),  # 打法 is a style of play, not a fight
    ("腾讯和阿里巴巴打造了各自的生态。", set()),
]


@pytest.mark.parametrize("text, triples", FAMILIES_ZH_SET_C + FAMILIES_EN_SET_C + FAMILIES_EN_PROBE + FAMILIES_ZH_PROBE)
def test_phrasing_family(extractor, by_name, text, triples):
    found = relations_of(extractor, text)
    for s, p, o in triples:
        assert _has(found, (by_name[s], p, by_name[o])), (text, found)
    if not triples:
        assert not found, found


def test_a_denied_deal_denies_the_deal_not_who_makes_the_product(extractor, by_name):
    # "never signed" denies Google supplying Meta; that the TPUs are Google's stands (the guidelines'
    # "X's Y"), and since the model reads the known relations (ontology/known.yaml) it may say so
    found = relations_of(extractor, "Meta never signed with Google for TPUs.")
    meta, google = by_name["Meta"], by_name["Google"]
    assert not any({s, o} == {meta, google} for s, _p, o in found), found
    assert found <= {(google, "develops", by_name["TPU"])}, found


def test_work_for_the_speaker_denied_is_no_supply(extractor, by_name):
    found = relations_of(extractor, "Host: Arthur Mensch, you co-founded Mistral AI.\n"
                                    "Arthur Mensch: No, Amkor doesn't handle our packaging.")
    assert found == {(by_name["Arthur Mensch"], "affiliatedWith", by_name["Mistral AI"])}


def test_our_product_is_ours_but_a_cloud_before_a_chip_is_no_maker(extractor, by_name):
    found = relations_of(extractor, "Host: Arthur Mensch, you co-founded Mistral AI.\n"
                                    "Arthur Mensch: Yes. Meta deployed our Q7 accelerator last year.")
    assert (by_name["Mistral AI"], "develops", "new:q7") in found
    assert not any(p == "develops" for _, p, _ in relations_of(extractor, "CoreWeave H100 GPUs are everywhere."))


def test_the_company_signed_with_is_not_the_hedger(extractor, by_name):
    found = relations_of(extractor, "OpenAI 跟 AMD 签了长期协议，这是在给自己留后路，不想被英伟达一家卡住。")
    assert (by_name["AMD"], "hedgesAgainst", by_name["Nvidia"]) not in found


def test_a_comma_joins_a_chinese_list_only_where_a_conjunction_ends_it(extractor, by_name):
    """"A,B 和 C" is a list; "供应给英伟达,美光也…" is two clauses (美光 is no customer)."""
    found = relations_of(extractor, "HBM 主要由 SK 海力士供应给英伟达，美光也在送样。")
    assert (by_name["SK Hynix"], "supplies", by_name["Nvidia"]) in found
    assert (by_name["SK Hynix"], "supplies", by_name["Micron"]) not in found
    listed = relations_of(extractor, "台积电的客户有苹果，英伟达和 AMD。")
    assert {(by_name["TSMC"], "supplies", by_name[c]) for c in ("Apple", "Nvidia", "AMD")} <= listed


def test_a_weak_tie_gives_way_for_we(extractor, by_name):
    text = ("主持人：欢迎 Arthur Mensch。你在谷歌工作了三年，后来出来创办了 Mistral AI。\n"
            "Arthur Mensch：我们一直在和 OpenAI 竞争。")
    found = relations_of(extractor, text)
    assert _has(found, (by_name["Mistral AI"], "competesWith", by_name["OpenAI"]))
    assert not _has(found, (by_name["Google"], "competesWith", by_name["OpenAI"]))


# Families added for writers the rules were not written for (own sentences, not from any test set).
FAMILY_CASES = [
    # unsaid subject: the sentence's topic carried into a later clause, and into the next sentence
    ("谷歌向博通采购了一批定制芯片，随后又给 Anthropic 提供算力。",
     [("Google", "supplies", "Anthropic"), ("Broadcom", "supplies", "Google")], []),
    ("亚马逊去年发布了 Trainium2。同时还向 Anthropic 投资了四十亿美元。",
     [("Amazon", "investsIn", "Anthropic")], []),
    ("Google designs the TPU, and also rents capacity to Anthropic.",
     [("Google", "supplies", "Anthropic")], []),
    ("谷歌向博通采购了一批定制芯片，但并没有给 Anthropic 提供算力。", [], [("Google", "supplies", "Anthropic")]),
    ("谷歌发布了 Gemini，会不会也给 Anthropic 提供算力？", [], [("Google", "supplies", "Anthropic")]),
    ("谷歌发布了 Gemini，如果再给 Anthropic 提供算力就更强了。", [], [("Google", "supplies", "Anthropic")]),
    ("Google designs the TPU, and never rents capacity to Anthropic.", [], [("Google", "supplies", "Anthropic")]),
    ("英伟达发布了 H200，对冲基金也在做空美光。", [], [("Nvidia", "hedgesAgainst", "Micron")]),
    # a product in a company's seat stands for its developer
    ("华为推出了昇腾 910B，910B 的晶圆由中芯国际代工。", [("SMIC", "supplies", "Huawei")], []),
    ("OpenAI launched ChatGPT in 2022. Is ChatGPT's main rival Gemini?", [], [("OpenAI", "competesWith", "Google")]),
    ("腾讯在2024年3月没有投资月之暗面。", [], [("Tencent", "investsIn", "Moonshot AI")]),
    # a company's pronoun with its verb contracted, as the rules read it spelled out; a person's "I'm" is not
    ("Host: Today we talk with Arthur Mensch, the CEO of Mistral AI.\nArthur Mensch: We're backed by Lightspeed "
     "Venture Partners, and we've been an Nvidia customer since 2020.",
     [("Lightspeed Venture Partners", "investsIn", "Mistral AI"), ("Nvidia", "supplies", "Mistral AI")], []),
    ("Host: Today we talk with Arthur Mensch, the CEO of Mistral AI.\nArthur Mensch: We're not backed by Lightspeed "
     "Venture Partners.", [], [("Lightspeed Venture Partners", "investsIn", "Mistral AI")]),
    # a speaker's "our" and "we" in those constructions: their company
    ("Host: Today we talk with Arthur Mensch, the CEO of Mistral AI.\nArthur Mensch: Our investors include "
     "Lightspeed and Andreessen Horowitz. And we train our models on CoreWeave.",
     [("Lightspeed Venture Partners", "investsIn", "Mistral AI"), ("Andreessen Horowitz", "investsIn", "Mistral AI"),
      ("CoreWeave", "supplies", "Mistral AI")], []),
    ("Amazon designs Trainium in-house. Anthropic trains on Trainium.", [("Amazon", "supplies", "Anthropic")], []),
    ("华为推出了昇腾 910B，910B 的晶圆并不由台积电代工。", [], [("TSMC", "supplies", "Huawei")]),
    ("Amazon designs Trainium in-house. Does Anthropic train on Trainium?", [], [("Amazon", "supplies", "Anthropic")]),
    # possession of a named chip or model
    ("亚马逊有 Trainium2，微软也有自研的 Maia 100。",
     [("Amazon", "develops", "Trainium2"), ("Microsoft", "develops", "Maia 100")], []),
    ("Amazon has Trainium, and Google has the TPU.",
     [("Amazon", "develops", "Trainium"), ("Google", "develops", "TPU")], []),
    ("Meta has H100s.", [], [("Meta", "develops", "H100")]),
    ("Does Amazon have Trainium?", [], [("Amazon", "develops", "Trainium")]),
    # investor lists after "took money from" / "拿了…的钱"
    ("Mistral AI took money from Andreessen Horowitz and Nvidia.",
     [("Andreessen Horowitz", "investsIn", "Mistral AI"), ("Nvidia", "investsIn", "Mistral AI")], []),
    ("Anthropic 拿了亚马逊和谷歌两边的钱。",
     [("Amazon", "investsIn", "Anthropic"), ("Google", "investsIn", "Anthropic")], []),
    ("Mistral AI never took money from Nvidia.", [], [("Nvidia", "investsIn", "Mistral AI")]),
    ("Anthropic 没有拿过微软的钱。", [], [("Microsoft", "investsIn", "Anthropic")]),
    # 是…创办的, versus, sells to
    ("DeepSeek 是梁文锋创办的。", [("Liang Wenfeng", "affiliatedWith", "DeepSeek")], []),
    ("DeepSeek 是梁文锋创办的吗？", [], [("Liang Wenfeng", "affiliatedWith", "DeepSeek")]),
    ("The rivalry that matters is Nvidia versus AMD.", [("Nvidia", "competesWith", "AMD")], []),
    ("Is the real rivalry Nvidia versus AMD?", [], [("Nvidia", "competesWith", "AMD")]),
    ("三星的 HBM 主要卖给 AMD。", [("Samsung", "supplies", "AMD")], []),
    ("三星的 HBM 并不卖给英伟达。", [], [("Samsung", "supplies", "Nvidia")]),
    # a false friend ("投资人" holds the trigger "投资") vetoes a trigger it reaches beyond, not a rule's
    # trigger that is the word itself
    ("谷歌作为 Anthropic 的早期投资者，也在和它合作。", [("Google", "investsIn", "Anthropic")], []),
    ("英特尔是 Groq 的投资人之一。", [("Intel", "investsIn", "Groq")], []),
    ("英特尔投资人看好 Groq。", [], [("Intel", "investsIn", "Groq")]),
]


@pytest.mark.parametrize("text,expect,reject", FAMILY_CASES, ids=[c[0][:40] for c in FAMILY_CASES])
def test_phrasing_families(extractor, by_name, text, expect, reject):
    found = relations_of(extractor, text)
    for triple in _ids(by_name, expect):
        assert _has(found, triple), f"missing {triple}; found {sorted(found)}"
    for triple in _ids(by_name, reject):
        assert not _has(found, triple), f"unexpected {triple}"


def test_unsaid_subject_keeps_its_own_sentence_and_a_lower_confidence(extractor):
    from kg.corpus import document_from_text

    raw = "亚马逊去年发布了 Trainium2。同时还向 Anthropic 投资了四十亿美元。"
    ex = extractor.extract(document_from_text(raw, "t.txt"))
    # the rule's reading: its own sentence; the model may read the pair across the two sentences too,
    # and then its evidence is both sentences (README, "across sentences")
    [rel] = [r for r in ex.relations if r.predicate == "investsIn" and "+topic" in r.rule]
    assert rel.rule.endswith("+topic") and rel.confidence < 0.85
    assert raw[rel.start:rel.end] == "同时还向 Anthropic 投资了四十亿美元。"
    for other in (r for r in ex.relations if r.predicate == "investsIn" and r is not rel):
        assert (other.subject, other.object) == ("amazon", "anthropic") and other.rule.startswith("model+cross")
        assert raw[other.start:other.end] == raw


def test_product_stands_for_its_developer_only_when_one_is_known(extractor, by_name):
    # no develops relation and no maker-led name for the chip: nothing to stand for
    found = relations_of(extractor, "Quasar-9 的晶圆由中芯国际代工。")
    assert not any(p == "supplies" for _, p, _ in found), found
    ex = relations_of(extractor, "华为推出了昇腾 910B，910B 的晶圆由中芯国际代工。")
    assert not any(s.startswith("product:") or o.startswith("product:") for s, _, o in ex)


@pytest.mark.parametrize("text", [
    "Zentrix chips are made by TSMC. Zentrix competes with Nvidia.",
    "The Zentrix Z1 chips are built by TSMC.",
    "Quasar-9 芯片由中芯国际制造。",
])
def test_a_foundry_develops_no_chip(extractor, text):
    """A foundry makes the chips others design (relations.yaml, sector_never_subject): "made by TSMC" is no chip of
    TSMC's, and no rivalry of TSMC's follows from a chip standing for its developer."""
    found = relations_of(extractor, text)
    assert not any(s in ("tsmc", "smic") and p in ("develops", "competesWith") for s, p, _ in found), found
    assert not any(o in ("tsmc", "smic") and p == "competesWith" for _, p, o in found), found


@pytest.mark.parametrize("text", [
    "英伟达和台积电的竞争力都来自技术积累。",
    "輝達與台積電的競爭力都很強。",
    "苹果和三星的核心竞争力不同。",
])
def test_competitiveness_is_no_competition(extractor, text):
    """竞争力 / 競爭力 ("competitiveness") names no rivalry between the companies it is said of."""
    assert not {t for t in relations_of(extractor, text) if t[1] == "competesWith"}


RULE_CASES = [c for c in CASES if c.get("rule") and c.get("expect")]


@pytest.fixture(scope="module")
def rules_only(lexicon):
    from kg.extract import Extractor

    return Extractor(lexicon, relation_model=None)


@pytest.mark.parametrize("case", RULE_CASES, ids=[f"{c['rule']}:{c['text'][:30]}" for c in RULE_CASES])
def test_rule_construction(rules_only, by_name, case):
    """A case naming a rule is read by that rule, with the rules alone (``kg build --rules-only``): the
    rule is a construction, not the memory of the one sentence it was written from."""
    from kg.corpus import document_from_text

    doc = rules_only.analyse(document_from_text(case["text"], "t.txt"))
    by_triple: dict[tuple[str, str, str], set[str]] = {}
    for rel in doc._.kg_relations:
        by_triple.setdefault((rel.subject, rel.predicate, rel.object), set()).add(rel.rule.split("+", 1)[0])
    for s, p, o in _ids(by_name, case["expect"]):
        rules = by_triple.get((s, p, o), set()) | (by_triple.get((o, p, s), set()) if p == "competesWith" else set())
        assert case["rule"] in rules, f"{case['rule']} does not read {(s, p, o)}; rules that did: {sorted(rules)}"


@pytest.mark.parametrize("text, rule, triple", [
    ("今天和我们聊天的是来自 Anthropic 的 Chris Olah。", "zh.affil.from", ("Chris Olah", "affiliatedWith", "Anthropic")),
    ("亚马逊自研芯片，就是为了对冲英伟达。", "zh.hedge.purpose-verb", ("Amazon", "hedgesAgainst", "Nvidia")),
])
def test_rule_construction_outside_the_training_cases(rules_only, by_name, text, rule, triple):
    """Rules whose cases in relation_cases.yaml another rule reads first: their own construction, tried here
    (not in the cases file, which is training data too)."""
    from kg.corpus import document_from_text

    doc = rules_only.analyse(document_from_text(text, "t.txt"))
    [(s, p, o)] = _ids(by_name, [triple])
    assert rule in {r.rule.split("+", 1)[0] for r in doc._.kg_relations if (r.subject, r.predicate, r.object) == (s, p, o)}


def test_rule_cases_name_rules_that_exist():
    rules = {r["id"] for r in yaml.safe_load((Path(__file__).parent.parent / "ontology" / "relations.yaml").read_text(
        encoding="utf-8"))["rules"]}
    assert not {c["rule"] for c in CASES if c.get("rule")} - rules


@pytest.mark.parametrize("text, person, company", [
    ("Anthropic grew fast this year. Anthropic hired many engineers, and Anthropic opened an office in Tokyo. "
     "During the call, CFO Maren Holtby said revenue had tripled.", "new:maren-holtby", "anthropic"),
    ("DeepSeek 今年很低调。DeepSeek 没有融资，DeepSeek 也不打广告。正如创始人梁文锋所说，他们只想做研究。",
     "liang-wenfeng", "deepseek"),
])
def test_a_bare_title_is_at_the_company_the_interview_is_about(rules_only, text, person, company):
    """A title with no company before it ("CFO X said", "正如创始人 X 所说") is at the company the text
    is about: the one named three times and twice as often as any other (rule object: document)."""
    from kg.corpus import document_from_text

    doc = rules_only.analyse(document_from_text(text, "t.txt"))
    assert (person, "affiliatedWith", company) in {(r.subject, r.predicate, r.object) for r in doc._.kg_relations}


@pytest.mark.parametrize("text", [
    # no company stands out: OpenAI is named as often as Anthropic
    "Anthropic and OpenAI grew fast. Anthropic hired, OpenAI hired, and Anthropic and OpenAI opened offices. "
    "During the call, CFO Krishna Rao said revenue had tripled.",
    # a former title is a past tie
    "Anthropic grew fast this year. Anthropic hired many engineers, and Anthropic opened an office in Tokyo. "
    "Former CFO Krishna Rao said revenue had tripled.",
    # a title after a company belongs to that company (another rule's reading)
    "DeepSeek 今年很低调。DeepSeek 没有融资，DeepSeek 也不打广告。前创始人梁文锋说，他们只想做研究。",
])
def test_a_bare_title_needs_one_company_and_a_present_title(rules_only, text):
    from kg.corpus import document_from_text

    doc = rules_only.analyse(document_from_text(text, "t.txt"))
    assert not [r for r in doc._.kg_relations if r.rule.startswith(("en.affil.bare-title", "zh.affil.bare-title"))]


def test_a_bare_title_in_a_sentence_naming_another_company_is_not_the_interviews(rules_only):
    from kg.corpus import document_from_text

    text = ("Anthropic grew fast this year. Anthropic hired many engineers, and Anthropic opened an office in Tokyo. "
            "Back then, CTO Krishna Rao and two others were known as the pillars of Google.")
    doc = rules_only.analyse(document_from_text(text, "t.txt"))
    assert not [r for r in doc._.kg_relations if "bare-title" in r.rule]


# ------------------------------------------------------------------ a round told sentences before (object: round)

ROUND_EN = ("Quillfire Optics, a startup making optical interconnects, has raised $40 million in a Series A round "
            "led by Sequoia Capital. The company was founded in 2021 by two former Intel engineers. "
            "In addition to Sequoia Capital, others in the round include Lightspeed Venture Partners, Khosla Ventures "
            "(from Menlo Park), Stanford University and Samsung, along with returning investors Intel Capital "
            "and Coatue.")
ROUND_ZH = "月之暗面宣布完成新一轮10亿美元融资。公司成立于2023年。本轮融资的投资方包括阿里巴巴和红杉中国。参与本轮融资的还有腾讯、五源资本和真格基金。"


def test_investors_listed_after_a_round_invest_in_the_company_that_raised_it(extractor, by_name):
    """"others in the round include A, B …", "参与本轮融资的还有 A、B": the round the text told last; the
    list runs past words that are no names (a university, a gloss) to the clause's end."""
    found = relations_of(extractor, ROUND_EN)
    widgets = "new:quillfire-optics"
    for investor in ("Lightspeed Venture Partners", "Khosla Ventures", "Samsung", "Intel Capital", "Coatue"):
        assert (by_name.get(investor) or f"new:{investor.lower().replace(' ', '-')}", "investsIn", widgets) in found, investor
    found = relations_of(extractor, ROUND_ZH)
    moonshot = by_name["Moonshot AI"]
    for investor in ("Alibaba", "HongShan", "Tencent", "5Y Capital", "ZhenFund"):
        assert (by_name[investor], "investsIn", moonshot) in found, investor


def test_the_firms_that_led_a_round_told_before_invest_in_its_company(extractor, by_name):
    """"The round was co-led by A and B, with participation from C, D, and others", after the sentence that says who
    raised it; a round led by someone in a question, or with no round told before, gives nothing."""
    text = ("Quillfire Optics announced an oversubscribed $40 million Series A on April 29. The round was co-led by "
            "Sequoia Capital and Ostrava Point, with participation from Kellbrook, QRVC, and others.")
    found = relations_of(extractor, text)
    widgets = "new:quillfire-optics"
    for investor in ("Sequoia Capital", "Ostrava Point", "Kellbrook", "QRVC"):
        assert (by_name.get(investor) or f"new:{investor.lower().replace(' ', '-')}", "investsIn", widgets) in found, investor
    for other in ("The round was led by Sequoia Capital and Kellbrook.",
                  "Quillfire Optics raised $40 million in a Series A. Was the round led by Sequoia Capital?"):
        assert not [t for t in relations_of(extractor, other) if t[1] == "investsIn" and "sequoia" in t[0]], other


def test_a_raise_told_in_news_words_names_its_investors(rules_only):
    """Funding news: other verbs of a raise ("raked in", "pulled in", "picked up"), the investors' kind before their
    names ("led by VC firms A and B"), and "the startup" for the company the text is about."""
    from kg.corpus import document_from_text

    def investors(text: str) -> set[tuple[str, str]]:
        doc = rules_only.analyse(document_from_text(text, "t.txt"))
        return {(r.subject, r.object) for r in doc._.kg_relations if r.predicate == "investsIn"}

    quillfire = "new:quillfire-optics"
    for verb in ("raked in", "pulled in", "picked up", "secured"):
        text = f"Quillfire Optics {verb} $40 million in a Series A round led by VC firms Ostrava Point and Kellbrook Partners."
        assert investors(text) == {("new:ostrava-point", quillfire), ("new:kellbrook-partners", quillfire)}, verb
    text = ("Quillfire Optics is a chip startup based in Ohio. The startup recently secured $90 million in Series B "
            "financing led by Ostrava Point, valuing the company at $1 billion.")
    assert investors(text) == {("new:ostrava-point", quillfire)}
    # a raise of no money ("raked in praise") and a round no one led are no investment
    assert not investors("Quillfire Optics raked in praise from Ostrava Point for its chip.")


def test_a_headline_s_present_tense_raise_names_its_investors_and_its_round(extractor, by_name):
    """A headline tells a raise in the present tense ("X raises $1.2B from A"): A invests in X, and the round the
    text then speaks of ("The round was led by B and C") is X's; so is a round a company "attracted" investors in."""

    def investors(text: str) -> set[tuple[str, str]]:
        return {(s, o) for s, p, o in relations_of(extractor, text) if p == "investsIn"}

    assert (by_name["Sequoia Capital"], "cohere") in investors("Cohere raises $40M from Sequoia Capital.")
    quillfire = "new:quillfire-optics"
    told = "Chip startup Quillfire Optics raises $1.2B.\n\nThe round was led by Ostrava Point and Kellbrook Partners."
    assert {("new:ostrava-point", quillfire), ("new:kellbrook-partners", quillfire)} <= investors(told)
    attracted = ("Quillfire AI’s self-driving tech has attracted a diverse set of investors in the company’s latest "
                 "$1.2 billion funding round. The round was led by Ostrava Point and Kellbrook Partners.")
    assert {("new:ostrava-point", "new:quillfire-ai"), ("new:kellbrook-partners", "new:quillfire-ai")} <= investors(attracted)
    # raising a price or a question is no round
    assert not investors("Quillfire Optics raises prices. The round was led by Ostrava Point.")


def test_an_investment_s_amount_stands_between_the_investor_and_the_word(extractor, by_name):
    """"Amazon’s new $4 billion investment in Anthropic": the sum between the investor and "investment" is no
    obstacle, as a word is not."""
    for text in ("Amazon’s new $4 billion investment in Anthropic will flow back into its own chips.",
                 "Amazon's $4B investment in Anthropic was its largest."):
        assert (by_name["Amazon"], "investsIn", by_name["Anthropic"]) in relations_of(extractor, text), text


def test_a_product_of_two_makers_stands_for_the_one_the_interview_names(rules_only, by_name):
    """A product in a company's seat ("X uses Trainium2 chips") stands for its maker; of two makers (AWS and
    Annapurna Labs for Trainium2), for the one the interview names more than the other, and for neither where it
    names neither."""
    from kg.corpus import document_from_text

    def supplies(text: str) -> set[tuple[str, str]]:
        doc = rules_only.analyse(document_from_text(text, "t.txt"))
        return {(r.subject, r.object) for r in doc._.kg_relations if r.predicate == "supplies"}

    databricks = by_name["Databricks"]
    assert ("aws", databricks) in supplies("AWS said Databricks uses Trainium2 chips for training.")
    assert not supplies("Databricks uses Trainium2 chips for training.")


def test_a_chinese_purchase_or_order_of_a_named_chip_is_its_maker_s_supply(extractor, by_name):
    """"X 下单/采购了 … {chip}" and "X 对 {chip} 的采购量": the chip's maker supplies X; not where X buys from a seller
    ("从博通采购 TPU": the seller supplies, the buyer is no seller)."""
    nvidia, cambricon = by_name["Nvidia"], by_name["Cambricon"]
    assert (nvidia, "supplies", by_name["Tencent"]) in relations_of(extractor, "腾讯去年下单了5000台 8卡的H20服务器。")
    assert (cambricon, "supplies", by_name["Baidu"]) in relations_of(extractor, "今年百度对寒武纪思元的采购量翻了一倍。")
    sold = relations_of(extractor, "Anthropic直接从博通（Broadcom）采购了40万个TPUv7。")
    assert (by_name["Broadcom"], "supplies", by_name["Anthropic"]) in sold
    assert not [t for t in sold if t[1] == "supplies" and t[2] == by_name["Broadcom"]]
    assert not [t for t in relations_of(extractor, "百度对这个方案的采购很谨慎。") if t[1] == "supplies"]


def test_a_bare_company_word_opening_a_clause_is_the_company_spoken_of(extractor, by_name):
    """"公司已获得 A、B 等头部机构的 A 轮融资" after the sentence that names the company: 公司 opening a clause is that
    company (press releases write so), and the list of backers may end with 等 and a noun of firms; 公司 inside another
    word (子公司, 科技公司) is no such reference."""
    text = "云岫智能成立于2021年，总部位于杭州。今年8月，公司已获得红杉中国、IDG资本等头部机构的数千万元A轮融资。"
    found = relations_of(extractor, text)
    assert (by_name["HongShan"], "investsIn", "new:云岫智能") in found
    assert (by_name["IDG Capital"], "investsIn", "new:云岫智能") in found
    assert not [t for t in relations_of(extractor, "云岫智能成立于2021年。另一家科技公司已获得IDG资本的投资。")
                if t[1] == "investsIn" and t[2] == "new:云岫智能"]


def test_a_decimal_point_is_no_sentence_end_for_a_rule(rules_only):
    """"$1.3 billion": the rule's span within the sentence runs past the point as past "$13 billion"."""
    from kg.corpus import document_from_text

    for amount in ("$13 billion", "$1.3 billion", "$1.35 billion"):
        text = f"Quillfire Optics raised {amount} in a round backed by Sequoia Capital and Kellbrook Partners."
        doc = rules_only.analyse(document_from_text(text, "t.txt"))
        found = {(r.subject, r.object) for r in doc._.kg_relations if r.predicate == "investsIn"}
        assert len(found) == 2 and all(o == "new:quillfire-optics" for _s, o in found), (amount, found)


def test_a_round_list_evidence_is_its_own_sentence_and_discounted(rules_only):
    from kg.corpus import document_from_text

    doc = rules_only.analyse(document_from_text(ROUND_ZH, "t.txt"))
    [rel] = [r for r in doc._.kg_relations if r.subject == "tencent"]
    assert rel.object == "moonshot-ai" and rel.rule == "zh.invest.round-list+anaphora"
    assert ROUND_ZH[rel.sent_start:rel.sent_end] == "参与本轮融资的还有腾讯、五源资本和真格基金。"
    assert rel.confidence < 0.75  # a pronoun's reading


def test_who_led_a_raise_in_its_own_sentence_is_read_at_full_confidence(rules_only):
    """The raise's own sentence names the company: no pronoun's reading, no discount; a later
    sentence about the same round still is one."""
    from kg.corpus import document_from_text

    text = ("Quillfire Optics raised $40 million at a $300 million valuation, backed by Sequoia Capital. "
            "The round was also backed by Kellbrook Partners.")
    doc = rules_only.analyse(document_from_text(text, "t.txt"))
    rels = {r.subject: r for r in doc._.kg_relations if r.predicate == "investsIn"}
    assert {r.object for r in rels.values()} == {"new:quillfire-optics"}
    first, later = rels["sequoia-capital"], rels["new:kellbrook-partners"]
    assert first.rule == "en.invest.raise-led-by" and first.confidence == 0.85
    assert later.rule.endswith("+anaphora") and later.confidence < first.confidence


@pytest.mark.parametrize("text", [
    # no round told before: "the round" is nobody's
    "Others in the round include Lightspeed Venture Partners, Khosla Ventures and Samsung.",
    "参与本轮融资的还有腾讯、五源资本和真格基金。",
    # a round told long before (more than round_object.reach sentences without a word of it)
    "Quillfire Optics has raised $40 million in a Series A round. " + "The weather was fine that day. " * 14
    + "Others in the round include Lightspeed Venture Partners, Khosla Ventures and Samsung.",
    # a question, and a company that only raised it in a question
    "Quillfire Optics has raised $40 million in a Series A round. Did others in the round include Lightspeed "
    "Venture Partners and Khosla Ventures?",
])
def test_a_round_list_needs_a_round_told_before(extractor, text):
    assert not [t for t in relations_of(extractor, text) if t[1] == "investsIn" and "quillfire" not in t[0]]


def test_a_founder_named_with_the_company_in_a_round_list_is_the_investor(extractor, by_name):
    text = "Perplexity 完成了新一轮融资。投资方包括软银、亚马逊创始人贝索斯和英伟达等多家知名企业。"
    found = relations_of(extractor, text)
    perplexity = by_name["Perplexity"]
    assert (by_name["Jeff Bezos"], "investsIn", perplexity) in found
    assert (by_name["SoftBank"], "investsIn", perplexity) in found
    assert (by_name["Amazon"], "investsIn", perplexity) not in found


def test_round_object_settings_are_checked():
    from kg.nlp.plain import RuleError
    from kg.nlp.relations import RelationExtractor
    from kg.extract import load_rules

    rules = load_rules()
    bad = {**rules, "round_object": {**rules["round_object"], "raise": [{"lang": "en", "pattern": "raised"}]}}
    with pytest.raises(RuleError, match="round_object.raise entry 1"):
        RelationExtractor(bad, {})
    bad = {**rules, "rules": [{"id": "x", "lang": "en", "relation": "investsIn", "object": "rounds",
                               "pattern": "{S} invested"}]}
    with pytest.raises(RuleError, match="object must be speaker, document or round"):
        RelationExtractor(bad, {})


@pytest.mark.parametrize("text, members", [
    # the list after a comitative is what someone competes with, not a list of rivals of each other
    ("若没有自研芯片，这家云厂商只能与甲骨文、CoreWeave和Nebius等公司竞争。", ("Oracle", "CoreWeave", "Nebius")),
    ("这款新应用很难和 Amazon 和 TikTok 竞争。", ("Amazon", "TikTok")),
    ("我们跟谷歌和微软在云市场竞争了十年。", ("Google", "Microsoft")),
])
def test_a_list_after_a_comitative_is_no_list_of_rivals(rules_only, by_name, text, members):
    found = relations_of(rules_only, text)
    ids = [by_name[m] for m in members]
    for a in ids:
        for b in ids:
            assert (a, "competesWith", b) not in found, (a, b, sorted(found))


@pytest.mark.parametrize("text, pair", [
    # a list that opens the sentence still competes within itself; a name after another name and 和
    # still starts a subject where the first name cannot be one (a company before a person)
    ("甲骨文、CoreWeave和Nebius竞争激烈。", ("Oracle", "Nebius")),
    ("AMD与英伟达在数据中心市场竞争。", ("AMD", "Nvidia")),
])
def test_a_subject_that_opens_its_list_is_still_read(rules_only, by_name, text, pair):
    a, b = (by_name[x] for x in pair)
    found = relations_of(rules_only, text)
    assert (a, "competesWith", b) in found or (b, "competesWith", a) in found, sorted(found)


def test_a_person_after_a_company_and_he_is_still_a_subject(rules_only, by_name):
    found = relations_of(rules_only, "投资方包括红杉中国、顺为资本和宿华（快手联合创始人）。")
    assert (by_name["Su Hua"], "affiliatedWith", by_name["Kuaishou"]) in found, sorted(found)


def test_subject_not_after_is_checked():
    from kg.extract import load_rules
    from kg.nlp.plain import RuleError
    from kg.nlp.relations import RelationExtractor

    rules = load_rules()
    for bad_value, message in (("与", "expected a list of words"), (["与+"], "bad entry")):
        settings = {**rules["settings"], "zh": {**rules["settings"]["zh"], "subject_not_after": bad_value}}
        with pytest.raises(RuleError, match=f"settings.zh.subject_not_after: {message}"):
            RelationExtractor({**rules, "settings": settings}, {})


@pytest.mark.parametrize("text, triple", [
    # a rule's word inside a longer word is not that word: "that" holds no "at", "around" no "round"
    ("As one example, Mellanox got hit, the network firm that Nvidia bought in 2019.",
     ("Nvidia", "supplies", "Mellanox")),
    ("Jim Keller joined Tenstorrent's team around 2020.", ("Jim Keller", "investsIn", "Tenstorrent")),
    # a trigger word does not end inside a longer one (whole_word_trigger): "investments", "investor day"
    ("Oracle's data center investments this year dwarf CoreWeave.", ("Oracle", "investsIn", "CoreWeave")),
    ("Microsoft's investor day gave OpenAI a mention.", ("Microsoft", "investsIn", "OpenAI")),
])
def test_a_rule_word_inside_a_longer_word_is_no_trigger(rules_only, by_name, text, triple):
    s, p, o = triple
    found = relations_of(rules_only, text)
    assert (by_name.get(s) or f"new:{s.lower().replace(' ', '-')}", p,
            by_name.get(o) or f"new:{o.lower().replace(' ', '-')}") not in found, sorted(found)


def test_parallel_clauses_of_one_verb_are_not_one_list(rules_only, by_name):
    # "X 收购了 A、Y 收购了 B": Y opens a clause of its own (object_not_before_trigger); it is neither
    # what X bought nor kept from being a subject by the 、 before it
    found = relations_of(rules_only, "英伟达收购了Mellanox、AMD收购了赛灵思，这些都是大交易。")
    nvidia, amd = by_name["Nvidia"], by_name["AMD"]
    assert (nvidia, "investsIn", by_name["Mellanox"]) in found
    assert (amd, "investsIn", by_name["Xilinx"]) in found
    assert (nvidia, "investsIn", amd) not in found, sorted(found)


@pytest.mark.parametrize("text, investor, company", [
    ("Reid Hoffman was an early investor in Inflection AI.", "Reid Hoffman", "Inflection"),
    ("SoftBank is one of the largest shareholders in OpenAI.", "SoftBank", "OpenAI"),
    ("Nvidia was also a backer of CoreWeave.", "Nvidia", "CoreWeave"),
])
def test_an_investor_in_a_company_invests_in_it(rules_only, by_name, text, investor, company):
    assert (by_name[investor], "investsIn", by_name[company]) in relations_of(rules_only, text)


def test_a_short_gap_does_not_cross_a_dash(rules_only, by_name):
    # gap_breaks: a dash sets off a clause of its own, as a comma would
    found = relations_of(rules_only, "甲骨文的财报对英伟达同样是利好——云端投资还会继续增加。软银对OpenAI进行了大规模投资。")
    assert (by_name["Oracle"], "investsIn", by_name["Nvidia"]) not in found, sorted(found)
    assert (by_name["SoftBank"], "investsIn", by_name["OpenAI"]) in found


@pytest.mark.parametrize("text", [
    # a rumour told as one ("流传", "网传") and a supposition ("let's say") are no relation (hypothetical cues)
    "坊间流传字节跳动投资了智谱。",
    "网传腾讯已经投资了月之暗面。",
    "Let's just say Meta buys Scale AI tomorrow.",
    "So let us say xAI buys Cursor.",
])
def test_a_rumour_or_a_supposition_gives_no_relation(extractor, text):
    assert not [t for t in relations_of(extractor, text) if t[1] == "investsIn"]


@pytest.mark.parametrize("text, buyer, bought", [
    ("Mellanox got acquired a year later by Nvidia.", "Nvidia", "Mellanox"),
    ("Mellanox sold itself to Nvidia in 2019.", "Nvidia", "Mellanox"),
])
def test_a_company_sold_to_its_buyer_is_an_investment_not_a_supply(rules_only, by_name, text, buyer, bought):
    found = relations_of(rules_only, text)
    assert (by_name[buyer], "investsIn", by_name[bought]) in found, sorted(found)
    assert (by_name[bought], "supplies", by_name[buyer]) not in found


@pytest.mark.parametrize("text, supplier, customer", [
    # a relative clause after the first name, and a verb's base form after a modal
    ("Broadcom, which manufactures Google's AI chips, jumped 11 percent.", "Broadcom", "Google"),
    ("Samsung will produce Tesla's AI chips in Texas.", "Samsung", "Tesla"),
    ("Sony, which is a big customer of TSMC's, is building a new fab.", "TSMC", "Sony"),
])
def test_supply_told_in_a_relative_clause_or_after_a_modal(rules_only, by_name, text, supplier, customer):
    assert (by_name[supplier], "supplies", by_name[customer]) in relations_of(rules_only, text)
