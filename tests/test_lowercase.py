"""Lexicon names written in lower case (automatic transcripts): read as the names, unless the
spelling is an English word (kg/nlp/lowercase.py), built through kg build and read from the graph."""

from __future__ import annotations

from rdflib import RDF, RDFS, Dataset, Namespace

from kg.nlp.lowercase import english_words, in_word, lowercase_cues, lowercase_names, ordinary_words

from .conftest import built_graph

KG = Namespace("https://w3id.org/ai-kg/ontology#")

TRANSCRIPT = ("so where do you send it well you send it to tsmc tsmc is a company in taiwan and they buy the "
              "light machine from a dutch company named asml and then nvidia sells the chips to openai and "
              "meta and apple. sam altman said that anthropic is ramping up. more at openai.com/blog\n")


_build = built_graph


def _labels(ds: Dataset, type_name: str) -> set[str]:
    return {str(o) for s, _, _, _ in ds.quads((None, RDF.type, KG[type_name], None))
            for _, _, o, _ in ds.quads((s, RDFS.label, None, None)) if o.language == "en"}


def test_a_lower_case_transcript_names_the_lexicons_entities(tmp_path):
    ds = _build(tmp_path, TRANSCRIPT)
    assert {"TSMC", "ASML", "Nvidia", "OpenAI", "Anthropic"} <= _labels(ds, "Company")
    assert "Sam Altman" in _labels(ds, "Person")
    # "meta" and "apple" are English words: in lower case they name nothing
    assert not {"Meta", "Apple"} & _labels(ds, "Company")


def test_the_same_text_in_its_own_case_reads_alike(tmp_path):
    """The lower-case spellings add names; they take none away from a text written in its own case."""
    cased = _build(tmp_path, "You send it to TSMC. Nvidia sells the chips to OpenAI, Meta and Apple.\n")
    assert {"TSMC", "Nvidia", "OpenAI", "Meta", "Apple"} <= _labels(cased, "Company")


def test_spellings_that_are_words_or_begin_with_a_function_word_are_left_out(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# a comment\napple\nmeta\nservice\nnow\nfigure\ndeep\nresearch\n", encoding="utf-8")
    forms = {"Apple": {"apple"}, "Meta": {"meta"}, "TSMC": {"tsmc"}, "ServiceNow": {"sn"}, "Service Now": {"sn"},
             "Figure": {"figure-ai"}, "FIGURE": {"figure-band"}, "Nvidia": {"nvidia"}, "NVIDIA": {"nvidia"},
             "OK": {"ok"}, "Deep Research": {"dr"}, "Sam Altman": {"sama"}, "openai": {"openai"}, "OpenAI": {"openai"}, "深度求索": {"deepseek"}}
    ordinary = ordinary_words(english_words(words), forms)
    assert ordinary == ["apple", "deep", "figure", "meta", "now", "research", "service"]
    low = lowercase_names(forms, {"ordinary": ordinary, "function_words": ["now", "the"], "min_letters": 3})
    assert low["tsmc"] == "TSMC" and low["servicenow"] == "ServiceNow" and low["sam altman"] == "Sam Altman"
    assert low["nvidia"] in ("NVIDIA", "Nvidia")  # two spellings of one entity: either names it
    assert not {"apple", "meta", "figure", "service now", "deep research", "ok", "openai", "深度求索"} & set(low)
    # without the English words read, no spelling is read as a name
    assert lowercase_names(forms, {"words": "words.txt"}) == {}


def test_addresses_and_handles_are_no_names():
    text = "see openai.com, @nvidia and github.com/tsmc-x; tsmc said"
    assert in_word(text, 4, 10) and in_word(text, 17, 23) and in_word(text, 39, 43)
    assert not in_word(text, text.rindex("tsmc"), text.rindex("tsmc") + 4)


def test_the_spellings_are_looked_for_only_in_a_text_with_one_of_their_words():
    """Each spelling's words that are no English word are its cues; a tokenizer reads the spellings'
    automaton only for a text that holds a cue in lower case."""
    import spacy

    from kg.nlp.tokenizer import LexiconTokenizer

    lower = {"tsmc": "TSMC", "sam altman": "Sam Altman", "scale ai": "Scale AI", "a-64fx": "A-64FX"}
    cues = lowercase_cues(lower, {"ordinary": ["sam", "scale"]})
    assert cues == ["ai", "altman", "tsmc"]
    tok = LexiconTokenizer(spacy.blank("en").vocab, ["TSMC", "Sam Altman", "Scale AI"], lower=lower, cues=cues)
    doc = tok("TSMC makes chips for Scale AI.")
    assert tok._lower_names is None and [t.norm_ for t in doc if t.text in ("TSMC", "Scale AI")] == ["TSMC", "Scale AI"]
    doc = tok("so sam altman said tsmc is ahead")
    assert tok._lower_names is not None
    assert {t.text: t.norm_ for t in doc if t.norm_ in ("TSMC", "Sam Altman")} == {"sam altman": "Sam Altman", "tsmc": "TSMC"}
