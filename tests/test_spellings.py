"""Names as copies and transcripts spell them: radical look-alikes of CJK characters, a spoken
version number or a chip's code said apart, a long name misspelt by one letter (kg build in, the
graph a user gets out; sentences of our own)."""

from __future__ import annotations

from kg.lexicon import spoken_variants
from kg.nlp.nearnames import NearNames
from kg.nlp.spellings import accepted, spelling_variants
from kg.textnorm import normalise

from .test_names import _build, _labels, _rel


def test_radical_lookalikes_read_as_the_characters_they_stand_for(tmp_path):
    # ⻢ (U+2EE2) and ⻣ (U+2EE3) are CJK radicals, ⼒ (U+2F12) a Kangxi radical: PDF copies write 马, 骨, 力 so
    text = "亚⻢逊云和甲⻣文都向OpenAI提供算⼒。\n"
    assert normalise(text) == "亚马逊云和甲骨文都向OpenAI提供算力。\n"
    ds = _build(tmp_path, text)
    assert {"Amazon Web Services", "Oracle", "OpenAI"} <= _labels(ds, "Company")
    assert ("Oracle", "OpenAI") in _rel(ds, "supplies")
    # the evidence is the text as written, offsets and all
    assert any("甲⻣文" in str(o) for _, _, o, _ in ds.quads((None, None, None, None)))


def test_spoken_forms_of_names(tmp_path):
    ds = _build(tmp_path, "We trained it on the h 100, compared it with GPT three and then GPT four point five.\n"
                          "Deep Mind was ahead of everyone. Then chat GPT came out.\n", name="talk.txt")
    assert "H100" in _labels(ds, "Chip")
    assert {"GPT-3", "GPT-4.5", "ChatGPT"} <= _labels(ds, "Model")
    assert "Google DeepMind" in _labels(ds, "Company")
    # an ordinary phrase is no name: "a 100" is not the A100
    (tmp_path / "x").mkdir()
    ds = _build(tmp_path / "x", "We hired a 100 people and bought 800 GPUs.\n", name="plain.txt")
    assert not _labels(ds, "Chip") & {"A100"}


def test_a_version_written_apart_from_or_joined_to_its_name(tmp_path):
    # the lexicon writes "AWS Trainium3" and "Gaudi 3"; writers also put a space or a hyphen before the number,
    # or none, the maker's name first or not
    ds = _build(tmp_path, "AWS Trainium 3 racks ship next year. Intel Gaudi-3 is cheaper. Meta trained Llama3 on it.\n")
    assert {"Trainium3", "Gaudi 3"} <= _labels(ds, "Chip")
    assert "Llama 3" in _labels(ds, "Model")
    assert {"Trainium3", "Trainium 3", "Trainium-3"} <= spoken_variants("Trainium3") | {"Trainium3"}
    assert {"Gaudi3", "Gaudi-3"} <= spoken_variants("Gaudi 3")


def test_spoken_variants_are_only_for_names_that_are_no_words():
    assert {"GPT three", "gpt three", "GPT 3"} <= spoken_variants("GPT-3")
    assert {"H 100", "h 100"} <= spoken_variants("H100")
    assert spoken_variants("A100") == {"A 100"}  # never "a 100"
    assert spoken_variants("GPT-OSS") >= {"GPT OSS"}
    assert "Open AI" in spoken_variants("OpenAI")
    # the word before an acronym in lower case, as transcripts write it; never before "AI" (an ordinary phrase)
    assert {"chat GPT", "notebook LM"} <= spoken_variants("ChatGPT") | spoken_variants("NotebookLM")
    assert "open AI" not in spoken_variants("OpenAI") and "scale AI" not in spoken_variants("ScaleAI")
    # a name of ordinary letters, a number after fewer than three letters: nothing
    assert spoken_variants("Midjourney") == set() and spoken_variants("o1") == set() and spoken_variants("M4") == set()


def test_a_long_name_misspelt_by_one_letter(tmp_path):
    ds = _build(tmp_path, "Amazon designs the Tranium and Inferencia chips.\nMost of the buyers talk to Cerebrus.\n")
    assert {"Trainium", "Inferentia"} <= _labels(ds, "Chip")
    assert "Cerebras" in _labels(ds, "Company")
    assert {("Amazon", "Trainium"), ("Amazon", "Inferentia")} <= _rel(ds, "develops")


def test_a_possessive_a_transcript_wrote_without_its_apostrophe(tmp_path):
    ds = _build(tmp_path, "SPEAKER_01: So Anthropics secured up to $15 billion from Microsoft and Nvidia.\n")
    assert "Anthropic" in _labels(ds, "Company")
    assert {("Microsoft", "Anthropic"), ("Nvidia", "Anthropic")} <= _rel(ds, "investsIn")
    near = NearNames(["Anthropic", "Cerebras"], known=["Cerebras"])
    assert near.name_of("Anthropics") == "Anthropic"
    assert near.name_of("Anthropicss") is None and near.name_of("anthropics") is None  # one "s"; capitals


def test_words_one_letter_from_a_name_stay_words(tmp_path):
    # an edit at either end, a word at the start of a sentence, a person's or a context label's spelling
    ds = _build(tmp_path, "The Partner program in Georgia grew. Infection rates fell.\n"
                          "Most Capital went to Megatron and Celestial projects.\n")
    found = _labels(ds, "Company") | _labels(ds, "Person") | _labels(ds, "Model")
    assert not found & {"Gartner", "Giorgia Meloni", "Inflection AI", "CapitalG", "Pegatron", "Celestica"}


def test_near_names_need_one_name_and_the_same_ends():
    near = NearNames(["Cerebras", "Inflection", "Pegatron", "Nemotron", "Nematrin"], known=["Capital"])
    assert near.name_of("Cerebrus") == "Cerebras" and near.name_of("Infection") == "Inflection"
    assert near.name_of("Megatron") is None  # the first letter differs
    assert near.name_of("Nematron") is None  # two names are that near
    assert near.name_of("Capital") is None and near.name_of("Cerebras") is None  # known forms
    assert near.name_of("CEREBRUS") is None and near.name_of("Cerebr") is None  # capitals only; too short


def test_names_split_joined_or_in_capitals_are_the_lexicons_entities(tmp_path):
    ds = _build(tmp_path, "Open-AI answered with o3 Mini and o1mini, and GPTOSS followed.\n"
                          "They trained Megatron Turing NLG together. KIMI 和 Gemini-2.0-flash-lite 都很便宜。\n"
                          "BROADCOM builds chips for Google.\n")
    companies, models = _labels(ds, "Company"), _labels(ds, "Model")
    assert {"OpenAI", "Broadcom", "Google"} <= companies
    assert {"o3-mini", "o1-mini", "gpt-oss", "Megatron-Turing NLG", "Kimi", "Gemini 2.0 Flash-Lite"} <= models
    assert ("Broadcom", "Google") in _rel(ds, "supplies")
    # each spelling is the lexicon's entity, never a new one
    assert not {"Open-AI", "o3 Mini", "GPTOSS", "KIMI"} & (companies | models)


def test_words_that_only_look_like_another_spelling_stay_words(tmp_path):
    """'We chat' is no WeChat ("We Chat"), lower-case 'open AI models' no OpenAI, a caption in capitals no Figure."""
    ds = _build(tmp_path, "We chat about it every week. We use open AI models.\nFIGURE 3 shows the revenue.\n")
    assert not {"WeChat", "OpenAI", "Figure AI", "Figure"} & (_labels(ds, "Company") | _labels(ds, "Model"))


def test_the_other_spellings_of_a_lexicon():
    forms = {"OpenAI": {"openai"}, "Open AI": {"openai"}, "o3-mini": {"o3-mini"}, "O3 MINI": {"o3-mini"},
             "gpt-oss": {"gpt-oss"}, "Kimi": {"kimi"}, "Figure": {"figure-ai"}, "Sam Altman": {"sama"},
             "Deep-Seek": {"other"}, "Deep Seek": {"deepseek"}, "Llama 3": {"llama-3"}, "Llama 31": {"llama-31"},
             "A100 80GB": {"a100"}}
    v = spelling_variants(forms, {"sama": "Person"}, ordinary=["figure"])
    assert v["open-ai"] == ["Open AI", "sep"] and v["openai"] == ["OpenAI", "sep"]
    # of one entity's forms, the one with most small letters says which capitals a writer must use
    assert v["o3 mini"] == ["o3-mini", "sep"] and v["o3mini"] == ["o3-mini", "sep"]
    assert v["gptoss"] == ["gpt-oss", "sep"] and v["kimi"] == ["Kimi", "caps"]
    assert "figure" not in v  # an English word, never a name in capitals
    assert "sam-altman" not in v  # people's names are the context rules' to read
    assert "deep seek" not in v and "deep-seek" not in v  # spellings of two entities: neither
    assert v["llama31"] == ["Llama 31", "sep"] and v["llama-3"] == ["Llama 3", "sep"]
    assert "a10080gb" not in v and "a100-80gb" in v  # two numbers run together would be another number


def test_which_capitals_a_spelling_needs():
    assert accepted("Open-AI", "Open AI", "sep") and not accepted("open ai", "Open AI", "sep")
    assert not accepted("We chat", "We Chat", "sep") and accepted("WE CHAT", "We Chat", "sep")
    assert accepted("KIMI", "Kimi", "caps") and not accepted("kimi", "Kimi", "caps")
    assert accepted("o3 Mini", "o3-mini", "sep") and accepted("Gemini-2.0-flash-lite", "Gemini 2.0 Flash-Lite", "sep")
