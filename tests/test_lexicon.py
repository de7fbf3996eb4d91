"""The lexicon is data: well-formed, unambiguous, and extended without code changes."""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Graph

from kg.cli import app
from kg.lexicon import Lexicon, default_lexicon_paths, surface_variants


def test_every_file_parses_and_ids_are_unique():
    seen = {}
    for path in default_lexicon_paths():
        lex = Lexicon.load([path])
        for entity_id in lex.entities:
            assert entity_id not in seen, f"{entity_id} in {path.name} and {seen[entity_id]}"
            assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", entity_id), entity_id
            seen[entity_id] = path.name
    assert len(seen) > 500


def test_entities_are_well_formed(lexicon):
    for ent in lexicon.entities.values():
        assert ent.type in {"Person", "Company", "Model", "Chip"}
        assert "en" in ent.pref or "zh-Hans" in ent.pref, f"{ent.id} has no preferred label"
        for iri in ent.same_as:
            assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", iri), (ent.id, iri)


def test_no_full_name_belongs_to_two_entities(lexicon):
    owners = defaultdict(set)
    for form, ids in lexicon.forms.items():
        owners[form.casefold()] |= ids
    clashes = {f: ids for f, ids in owners.items() if len(ids) > 1}
    assert not clashes, clashes


def test_taiwan_and_english_aliases(lexicon):
    def ids(form):
        return {i for f in surface_variants(form) for i in lexicon.forms.get(f, ())}

    assert ids("輝達") == ids("英伟达") == ids("NVIDIA") == ids("Nvidia")
    assert ids("台積電") == ids("TSMC") == ids("台积电")
    assert ids("通义千问") == ids("Qwen")


def test_a_product_brand_that_stands_for_its_company_is_the_company(lexicon, extractor):
    # the guidelines: Azure is Microsoft's cloud, annotated as Microsoft; AWS stays a company of its own
    def ids(form):
        return {i for f in surface_variants(form) for i in lexicon.forms.get(f, ())}

    assert ids("Azure") == ids("Microsoft Azure") == ids("微软云") == ids("Microsoft") == {"microsoft"}
    assert ids("AWS") and ids("AWS") != ids("Amazon")
    from kg.corpus import document_from_text

    doc = extractor.analyse(document_from_text("OpenAI moved much of its inference to Azure.", "t.txt"))
    assert {e.id_ for e in doc.ents} == {"openai", "microsoft"}


def test_adding_an_entity_is_a_data_change(tmp_path, runner):
    extra = tmp_path / "extra.ttl"
    extra.write_text("""
@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix kge: <https://w3id.org/ai-kg/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kge:zorblax-labs a kg:Company ; skos:prefLabel "Zorblax Labs"@en , "佐布拉克斯实验室"@zh-Hans .
kge:quux-9 a kg:Model ; skos:prefLabel "Quux-9"@en .
""", encoding="utf-8")
    src = tmp_path / "i.txt"
    src.write_text("佐布拉克斯实验室发布了Quux-9。", encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(src), "-o", str(out), "--lexicon", str(extra), "-q"])
    assert r.exit_code == 0, r.output
    g = Graph().parse(out / "kg.ttl")
    q = """PREFIX kg: <https://w3id.org/ai-kg/ontology#>
           ASK { <https://w3id.org/ai-kg/entity/zorblax-labs> kg:develops <https://w3id.org/ai-kg/entity/quux-9> }"""
    assert g.query(q).askAnswer


def test_broken_lexicon_is_a_one_line_error(tmp_path, runner):
    bad = tmp_path / "bad.ttl"
    bad.write_text("kge:x a kg:Company ; skos:prefLabel", encoding="utf-8")
    src = tmp_path / "i.txt"
    src.write_text("文本。", encoding="utf-8")
    r = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "o"), "--lexicon", str(bad)])
    assert r.exit_code == 2 and "bad.ttl" in r.output


def test_chip_names_in_the_plural_and_with_a_hyphen(lexicon):
    from kg.lexicon import chip_variants

    assert chip_variants("GB200") == {"GB-200", "GB-200s", "GB200s"}
    assert chip_variants("MI-355X") >= {"MI355X", "MI355Xs"}
    assert chip_variants("Blackwell") == {"Blackwells"}
    assert "A-4" not in chip_variants("A4") and chip_variants("昇腾") == set()
    # the forms reach the lexicon's index for chips, never over another entity's form
    ids = lexicon.forms.get("Blackwells") or set()
    assert ids and all(lexicon.entities[i].type == "Chip" for i in ids)
    assert "OpenAIs" not in lexicon.forms


def test_a_plural_that_is_another_chips_name_but_for_case_is_not_added():
    # "Nvidia L40s", the plural of the L40, is the L40S's name but for case: the L40 does not take it
    from kg.lexicon import Entity, Lexicon

    lx = Lexicon({"l40s": Entity("l40s", "Chip", {"en": "L40S"}, [("Nvidia L40S", "en")]),
                  "nvidia-l40": Entity("nvidia-l40", "Chip", {"en": "Nvidia L40"}),
                  "h100": Entity("h100", "Chip", {"en": "H100"})})
    assert lx.forms["Nvidia L40S"] == {"l40s"} and lx.forms["Nvidia L40"] == {"nvidia-l40"}
    assert "Nvidia L40s" not in lx.forms
    assert lx.forms["H100s"] == {"h100"}  # a plural no other name has is still a form


def test_every_ticker_names_an_entity_of_the_lexicon(lexicon):
    """tickers.ttl only adds labels: each of its subjects is a company another file defines (a
    misspelt id would add nothing, silently)."""
    from kg.lexicon import ontology_dir

    g = Graph().parse(ontology_dir() / "lexicon" / "tickers.ttl", format="turtle")
    subjects = {str(s).rsplit("/", 1)[-1] for s in g.subjects()}
    assert len(subjects) > 40
    for entity_id in subjects:
        assert entity_id in lexicon, entity_id
        assert lexicon[entity_id].type == "Company", entity_id


def test_a_ticker_names_its_company_and_a_word_like_one_only_beside_the_full_name(extractor):
    from kg.corpus import document_from_text

    def ids(text: str) -> set[str]:
        return {m.entity for m in extractor.extract(document_from_text(text, "t.txt")).mentions}

    assert {"qualcomm", "broadcom", "tesla"} <= ids(
        "I am shorting QCOM to add to my AVGO position, while TSLA keeps falling.")
    assert "nvidia" in ids("英伟达以外，我们还会关注 NVDA 的供应链。")
    # MU is two letters: Micron only where the text names Micron too
    assert "micron" not in ids("My top pick this quarter is MU, and I am adding to it.")
    assert "micron" in ids("Micron makes HBM. My top pick this quarter is MU, and I am adding to it.")
    # a ticker that is a word is no name of its own
    assert "servicenow" not in ids("NOW is the time to buy chips.")


def test_a_firm_named_x_ai_is_found_written_as_its_web_address(extractor, by_name):
    """"Fireworks.ai", "together.ai": a firm whose name is one word and "AI" is written as its domain; the
    forms go to that firm only, and a name of more words before "AI" has none ("Thinking Machines.ai" is no form)."""
    from kg.corpus import document_from_text
    from kg.lexicon import domain_variants

    assert domain_variants("Fireworks AI") == {"Fireworks.ai", "Fireworks.AI", "fireworks.ai"}
    assert domain_variants("Thinking Machines AI") == set() and domain_variants("OpenAI") == set()
    text = "First Fireworks.ai cut its price, then together.ai did, and Scale.AI followed."
    ex = extractor.extract(document_from_text(text, "t.txt"))
    found = {m.surface: m.entity for m in ex.mentions}
    assert found == {"Fireworks.ai": by_name["Fireworks AI"], "together.ai": by_name["Together AI"],
                     "Scale.AI": by_name["Scale AI"]}
