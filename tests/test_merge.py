"""``kg merge`` and ``kg build --into`` on files: the corpus split and joined again, graphs made by
other tools, conflicts, malformed input, atomic output."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg.cli import app
from kg.merge import IDENTITY_GRAPH, canonical_quads, counts, merge, merge_files
from kg.rdfio import load_dataset
from kg.vocab import KG, KGE, KGEV

from .conftest import CORPUS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FILES = sorted(CORPUS.glob("*.txt"))
EX = "http://example.org/other-tool/"


@pytest.fixture(scope="module")
def singles(tmp_path_factory, runner):
    """Each corpus interview built on its own: [dir/kg.trig, ...]."""
    out = []
    for f in FILES:
        d = tmp_path_factory.mktemp(f.stem)
        r = runner.invoke(app, ["build", str(f), "-o", str(d), "-q"])
        assert r.exit_code == 0, r.output
        out.append(d / "kg.trig")
    return out


@pytest.fixture(scope="module")
def whole(corpus_build):
    return load_dataset([corpus_build / "kg.trig"])


def test_merge_of_per_interview_graphs_is_the_whole_build(singles, whole, corpus_build, runner, tmp_path):
    out = tmp_path / "merged" / "kg.trig"
    r = runner.invoke(app, ["merge", *map(str, singles), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "2 interview(s)" in r.output and "0 conflict(s)" in r.output
    merged = load_dataset([out])
    assert canonical_quads(merged) == canonical_quads(whole)
    assert counts(merged).as_plain() == counts(whole).as_plain()
    # the Turtle union is written beside the TriG, and is the build's kg.ttl
    ttl = out.with_suffix(".ttl")
    assert set(canonical_quads(load_dataset([ttl]))) == set(canonical_quads(load_dataset([corpus_build / "kg.ttl"])))
    assert not list(out.parent.glob(".*.tmp"))


def test_merge_is_idempotent_and_order_independent_on_files(singles, runner, tmp_path):
    ab, ba, again = tmp_path / "ab.trig", tmp_path / "ba.trig", tmp_path / "again.trig"
    assert runner.invoke(app, ["merge", str(singles[0]), str(singles[1]), "-o", str(ab)]).exit_code == 0
    assert runner.invoke(app, ["merge", str(singles[1]), str(singles[0]), "-o", str(ba)]).exit_code == 0
    assert ab.read_bytes() == ba.read_bytes()
    # merging an interview that is already there changes nothing, not a byte
    r = runner.invoke(app, ["merge", str(ab), str(singles[1]), str(ab), "-o", str(again)])
    assert r.exit_code == 0, r.output
    assert again.read_bytes() == ab.read_bytes()
    # the output may be one of the inputs
    r = runner.invoke(app, ["merge", str(ab), str(singles[0]), "-o", str(ab)])
    assert r.exit_code == 0 and ab.read_bytes() == again.read_bytes()


def test_counts_are_recomputed_not_summed(whole):
    once = counts(whole)
    twice = counts(merge([whole, whole, whole])[0])
    assert twice.as_plain() == once.as_plain()
    openai = once.entities[KGE.openai]
    assert len(openai.interviews) == 2 and openai.mentions > 10
    tsmc_apple = once.relations[(KGE.tsmc, KG.supplies, KGE.apple)]
    assert len(tsmc_apple.sentences) >= 1 and len(tsmc_apple.interviews) == 1


FOREIGN = f"""@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix ex: <{EX}> .

ex:oai a kg:Company ; rdfs:label "OPENAI" .                      # case
ex:nv a kg:Company ; rdfs:label "英偉達"@zh-Hant .                # traditional Chinese
ex:anth a kg:Company ; rdfs:label "Ａｎｔｈｒｏｐｉｃ" .           # full width
ex:ms a kg:Company ; rdfs:label "Microsoft Corp" ; owl:sameAs wd:Q2283 .   # Wikidata link
ex:fab a kg:Company ; kg:wikidata "Q713418" .                     # Wikidata id as a literal (TSMC)
ex:newco a kg:Company ; rdfs:label "Foundry Startup" .            # someone new
ex:gpt a kg:Model ; rdfs:label "Nvidia" .                         # the name of a company, as a model
ex:odd a kg:Company , kg:Model ; rdfs:label "Odd Things" .        # typed twice
[] a kg:Company ; rdfs:label "Amazon" ; kg:investsIn ex:newco .   # a blank node

ex:oai kg:investsIn ex:newco .
ex:fab kg:supplies ex:newco .
ex:ms kg:competesWith ex:anth .
"""


@pytest.fixture()
def foreign(tmp_path):
    path = tmp_path / "other-tool.ttl"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def test_graphs_from_other_tools_merge(foreign, corpus_build, runner, tmp_path):
    out = tmp_path / "merged.trig"
    r = runner.invoke(app, ["merge", str(corpus_build / "kg.trig"), str(foreign), "-o", str(out)])
    assert r.exit_code == 0, r.output
    ds = load_dataset([out])
    ds.default_union = True
    ex = lambda name: URIRef(EX + name)  # noqa: E731
    # one node per entity: the foreign IRIs are rewritten to the lexicon's, and remembered
    assert (KGE.openai, KG.investsIn, ex("newco")) in ds
    assert (KGE.tsmc, KG.supplies, ex("newco")) in ds
    assert (KGE.microsoft, KG.competesWith, KGE.anthropic) in ds
    assert (KGE.amazon, KG.investsIn, ex("newco")) in ds  # the blank node named Amazon
    for name, canonical in (("oai", KGE.openai), ("nv", KGE.nvidia), ("anth", KGE.anthropic), ("ms", KGE.microsoft),
                            ("fab", KGE.tsmc)):
        assert (canonical, OWL.sameAs, ex(name), IDENTITY_GRAPH) in set(ds.quads((None, None, None, None))), name
        assert not list(ds.triples((ex(name), RDF.type, KG.Company))), name
    assert (ex("newco"), RDF.type, KG.Company) in ds
    # same name, another type: kept apart, reported
    assert (ex("gpt"), RDF.type, KG.Model) in ds and (KGE.nvidia, RDF.type, KG.Company) in ds
    lines = r.output.splitlines()
    assert any("conflict" in l and "'Nvidia'" in l and "Model" in l and "Company" in l for l in lines), r.output
    assert any("conflict" in l and "Odd Things" in l and "Company and Model" in l for l in lines), r.output
    assert any("same entity: kge:openai = <http://example.org/other-tool/oai>" in l for l in lines), r.output
    # merging the foreign file once more changes nothing
    again = tmp_path / "again.trig"
    assert runner.invoke(app, ["merge", str(out), str(foreign), "-o", str(again)]).exit_code == 0
    assert canonical_quads(load_dataset([again])) == canonical_quads(load_dataset([out]))
    # --strict turns conflicts into exit 1 (the output is still written)
    r = runner.invoke(app, ["merge", str(out), str(foreign), "-o", str(again), "--strict"])
    assert r.exit_code == 1


def test_a_discovered_entity_adopted_by_the_lexicon_becomes_the_lexicon_entity(tmp_path, runner):
    """An old graph holds a discovered (provisional) entity; the lexicon has since adopted the name."""
    head = "@prefix kg: <https://w3id.org/ai-kg/ontology#> . @prefix kge: <https://w3id.org/ai-kg/entity/> .\n" \
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix kgd: <https://w3id.org/ai-kg/doc/> .\n"
    old, new = tmp_path / "old.trig", tmp_path / "new.trig"
    old.write_text(head + """kgd:a { kgd:a a kg:Interview .
        kge:new-company-zephyr-robotics a kg:Company ; rdfs:label "Zephyr Robotics"@en ;
            kg:discovered true ; kg:confidence 0.700 .
        kge:openai kg:investsIn kge:new-company-zephyr-robotics . }""", encoding="utf-8")
    new.write_text(head + """kgd:b { kgd:b a kg:Interview .
        kge:zephyr-robotics a kg:Company ; rdfs:label "Zephyr Robotics"@en . }""", encoding="utf-8")
    outs = []
    for order in ((old, new), (new, old)):
        out = tmp_path / f"m{len(outs)}.trig"
        r = runner.invoke(app, ["merge", *map(str, order), "-o", str(out), "--no-turtle"])
        assert r.exit_code == 0, r.output
        outs.append(out.read_bytes())
        ds = load_dataset([out])
        ds.default_union = True
        assert (KGE.openai, KG.investsIn, KGE["zephyr-robotics"]) in ds
        assert not list(ds.triples((KGE["zephyr-robotics"], KG.discovered, None)))
        assert not list(ds.triples((KGE["new-company-zephyr-robotics"], RDF.type, KG.Company)))
    assert outs[0] == outs[1]


def test_turtle_with_interviews_is_warned_about(corpus_build, runner, tmp_path):
    r = runner.invoke(app, ["merge", str(corpus_build / "kg.ttl"), "-o", str(tmp_path / "m.trig")])
    assert r.exit_code == 0 and "named graph" in r.output


def test_malformed_input_leaves_output_untouched(singles, runner, tmp_path):
    out = tmp_path / "kg.trig"
    assert runner.invoke(app, ["merge", *map(str, singles), "-o", str(out)]).exit_code == 0
    before, before_ttl = out.read_bytes(), out.with_suffix(".ttl").read_bytes()
    bad = tmp_path / "interview-7.trig"
    bad.write_text('@prefix kg: <https://w3id.org/ai-kg/ontology#> .\n<http://x/g> {\n  <http://x/a> kg:p "oops .\n}\n',
                   encoding="utf-8")
    r = runner.invoke(app, ["merge", str(out), str(bad), "-o", str(out)])
    assert r.exit_code == 2
    [line] = [l for l in r.output.splitlines() if l.strip()]
    assert line.startswith(f"error: {bad}:3:"), line
    assert out.read_bytes() == before and out.with_suffix(".ttl").read_bytes() == before_ttl
    assert not list(tmp_path.glob(".*.tmp"))
    r = runner.invoke(app, ["merge", str(out), str(tmp_path / "missing.trig"), "-o", str(out)])
    assert r.exit_code == 2 and "no such file" in r.output and out.read_bytes() == before


def test_interrupted_write_leaves_previous_output(singles, tmp_path, monkeypatch, runner):
    out = tmp_path / "kg.trig"
    assert runner.invoke(app, ["merge", str(singles[0]), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()

    def broken(data, destination=None, **kw):
        with open(destination, "w") as fh:
            fh.write("@prefix half")
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr("kg.export.rdf.ox.serialize", broken)
    from kg.merge import write_merged

    ds, _ = merge_files(singles)
    with pytest.raises(KeyboardInterrupt):
        write_merged(ds, out)
    assert out.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))


def test_a_reextracted_interview_is_reported(singles, tmp_path, runner):
    ds = load_dataset([singles[0]])
    [doc] = [c.identifier for c in ds.graphs() if (c.identifier, RDF.type, KG.Interview) in c]
    g = ds.graph(doc)
    occ = next(g.subjects(RDF.type, KG.Occurrence))
    n = int(g.value(occ, KG.mentionCount))
    g.set((occ, KG.mentionCount, Literal(n + 5)))
    ev = KGEV["ev-extra"]
    g.add((ev, RDF.type, KG.Evidence))
    changed = tmp_path / "changed.trig"
    ds.serialize(changed, format="trig")
    out = tmp_path / "m.trig"
    r = runner.invoke(app, ["merge", str(singles[0]), str(changed), "-o", str(out)])
    assert r.exit_code == 0
    assert "differs between" in r.output and FILES[0].name in r.output
    assert f"kept {n + 5}" in r.output  # one mention count kept (the larger), reported
    merged = load_dataset([out])
    assert [int(o) for _, _, o, _ in merged.quads((occ, KG.mentionCount, None, None))] == [n + 5]


# ---------------------------------------------------------------- kg build --into

def test_build_into_extracts_and_merges(tmp_path, runner, whole):
    d = tmp_path / "graphs"
    assert runner.invoke(app, ["build", str(FILES[0]), "-o", str(d), "-q"]).exit_code == 0
    r = runner.invoke(app, ["build", str(FILES[1]), "--into", str(d)])
    assert r.exit_code == 0, r.output
    assert "merged graph: 2 interview(s)" in r.output
    assert canonical_quads(load_dataset([d / "kg.trig"])) == canonical_quads(whole)
    before = (d / "kg.trig").read_bytes()
    # again: the interview is replaced by its (identical) new extraction; nothing changes
    r = runner.invoke(app, ["build", str(FILES[1]), "--into", str(d), "-q"])
    assert r.exit_code == 0 and (d / "kg.trig").read_bytes() == before
    assert not list(d.glob(".*.tmp"))


def _has(ds, evidence) -> bool:
    return any(ds.quads((evidence, RDF.type, KG.Evidence, None)))


def _stale_graph(d, singles, extracted_with=None):
    """singles[1] written to d/kg.trig with a stale evidence node (and, if given, another fingerprint)."""
    d.mkdir()
    ds = load_dataset([singles[1]])
    [doc] = [c.identifier for c in ds.graphs() if (c.identifier, RDF.type, KG.Interview) in c]
    stale = KGEV["ev-stale"]
    ds.graph(doc).add((stale, RDF.type, KG.Evidence))
    if extracted_with is not None:
        ds.graph(doc).set((doc, KG.extractedWith, Literal(extracted_with)))
    ds.serialize(d / "kg.trig", format="trig")
    return stale


def test_build_into_reextracts_when_lexicon_or_rules_changed(tmp_path, runner, singles, whole):
    d = tmp_path / "graphs"
    stale = _stale_graph(d, singles, extracted_with="0000000000000000")  # another lexicon or rules
    r = runner.invoke(app, ["build", *map(str, FILES), "--into", str(d)])
    assert r.exit_code == 0, r.output
    assert "replaced 1 interview graph" in r.output and "not extracted again" not in r.output
    merged = load_dataset([d / "kg.trig"])
    assert not _has(merged, stale)
    assert canonical_quads(merged) == canonical_quads(whole)


def test_build_into_skips_an_unchanged_interview_unless_refresh(tmp_path, runner, singles, whole):
    d = tmp_path / "graphs"
    stale = _stale_graph(d, singles)  # same content, same fingerprint: not extracted again
    r = runner.invoke(app, ["build", *map(str, FILES), "--into", str(d)])
    assert r.exit_code == 0, r.output
    assert "1 interview already in the graph and unchanged" in r.output
    assert "1 interview(s) ->" in r.output  # only the other file was extracted
    assert _has(load_dataset([d / "kg.trig"]), stale)
    r = runner.invoke(app, ["build", *map(str, FILES), "--into", str(d), "--refresh"])
    assert r.exit_code == 0, r.output
    assert "replaced 2 interview graph" in r.output
    merged = load_dataset([d / "kg.trig"])
    assert not _has(merged, stale)
    assert canonical_quads(merged) == canonical_quads(whole)
    assert runner.invoke(app, ["build", str(FILES[0]), "--refresh", "-o", str(tmp_path / "x")]).exit_code == 2


def test_build_into_a_changed_file_replaces_its_older_version(tmp_path, runner):
    src = tmp_path / "in"
    src.mkdir()
    text = FILES[0].read_text(encoding="utf-8")
    (src / "interview.txt").write_text(text, encoding="utf-8")
    (src / "other.txt").write_text(FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    d = tmp_path / "graphs"
    assert runner.invoke(app, ["build", str(src), "-o", str(d), "-q"]).exit_code == 0
    # the analyst corrects the transcript: one sentence more, naming a supplier relation
    (src / "interview.txt").write_text(text + "\n\n台积电为英伟达代工芯片。\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(src), "--into", str(d)])
    assert r.exit_code == 0, r.output
    assert "replaced 1 interview graph" in r.output and "1 interview already in the graph" in r.output
    merged = load_dataset([d / "kg.trig"])
    names = sorted(str(o) for _, _, o, _ in merged.quads((None, KG.fileName, None, None)))
    assert names == ["interview.txt", "other.txt"]  # one graph per file: the old version is gone
    fresh = load_dataset([_build(runner, src, tmp_path / "fresh")])
    assert canonical_quads(merged) == canonical_quads(fresh)


def _build(runner, src, out):
    assert runner.invoke(app, ["build", str(src), "-o", str(out), "-q"]).exit_code == 0
    return out / "kg.trig"


def test_build_into_a_malformed_graph_changes_nothing(tmp_path, runner):
    d = tmp_path / "graphs"
    d.mkdir()
    (d / "kg.trig").write_text("@prefix kg: <https://w3id.org/ai-kg/ontology#> .\n<http://x/g> { <http://x/a> kg:p }\n",
                               encoding="utf-8")
    before = (d / "kg.trig").read_bytes()
    r = runner.invoke(app, ["build", str(FILES[0]), "--into", str(d)])
    assert r.exit_code == 2
    assert f"{d / 'kg.trig'}:2:" in r.output
    assert (d / "kg.trig").read_bytes() == before and not (d / "kg.ttl").exists()


def test_help_is_true(runner):
    r = runner.invoke(app, ["merge", "--help"])
    for opt in ("--output", "--no-turtle", "--strict"):
        assert opt in r.output
    r = runner.invoke(app, ["build", "--help"])
    assert "--into" in r.output
    r = runner.invoke(app, ["--help"])
    assert "merge" in r.output
