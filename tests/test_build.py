"""``kg build`` as a user runs it: CLI in, Turtle/TriG out, SPARQL answers, evidence, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from kg.cli import app
from kg.vocab import KG, KGE

from .conftest import CORPUS, ROOT

PREFIXES = """
PREFIX kg: <https://w3id.org/ai-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def iri_of(lexicon, name):
    [ent] = [e for e in lexicon.entities.values() if e.name == name]
    return KGE[ent.id]


def ask(graph: Graph, s, p, o) -> bool:
    return bool(graph.query(PREFIXES + f"ASK {{ <{s}> kg:{p} <{o}> }}").askAnswer)


REQUIRED = [
    ("Microsoft", "hedgesAgainst", "OpenAI"),
    ("Microsoft", "investsIn", "OpenAI"),
    ("Amazon", "investsIn", "Anthropic"),
    ("TSMC", "supplies", "Apple"),
    ("TSMC", "supplies", "Nvidia"),
    ("OpenAI", "competesWith", "Anthropic"),
    ("OpenAI", "develops", "GPT-4o"),
    ("Nathan Benaich", "affiliatedWith", "Air Street Capital"),
]


def test_build_writes_turtle_and_trig(corpus_build):
    ttl, trig = corpus_build / "kg.ttl", corpus_build / "kg.trig"
    assert ttl.stat().st_size > 1000 and trig.stat().st_size > 1000
    g = Graph().parse(ttl, format="turtle")
    ds = Dataset()
    ds.parse(trig, format="trig")
    interviews = set(g.subjects(RDF.type, KG.Interview))
    assert len(interviews) == 2
    # one named graph per interview, named by the interview's IRI
    names = {c.identifier for c in ds.graphs()}
    assert interviews <= names
    # leftovers of atomic writes are gone
    assert not list(corpus_build.glob(".*.tmp"))


@pytest.mark.parametrize("s, p, o", REQUIRED, ids=[" ".join(t) for t in REQUIRED])
def test_corpus_graph_answers(corpus_graph, lexicon, s, p, o):
    assert ask(corpus_graph, iri_of(lexicon, s), p, iri_of(lexicon, o))


def test_no_hedge_for_deepseek(corpus_graph, lexicon):
    ds = iri_of(lexicon, "DeepSeek")
    assert (ds, RDF.type, KG.Company) in corpus_graph  # it is mentioned ...
    q = PREFIXES + f"ASK {{ {{ <{ds}> kg:hedgesAgainst ?x }} UNION {{ ?x kg:hedgesAgainst <{ds}> }} }}"
    assert not corpus_graph.query(q).askAnswer  # ... but 对冲基金 is not a hedge


def test_competes_with_is_symmetric_in_the_graph(corpus_graph, lexicon):
    a, b = iri_of(lexicon, "OpenAI"), iri_of(lexicon, "Anthropic")
    assert ask(corpus_graph, a, "competesWith", b) and ask(corpus_graph, b, "competesWith", a)


def test_every_relation_has_evidence_that_points_at_the_source(corpus_graph):
    from kg.corpus import load_document

    docs = {}
    for d in corpus_graph.subjects(RDF.type, KG.Interview):
        docs[d] = load_document(CORPUS / str(corpus_graph.value(d, KG.fileName))).raw
    rows = corpus_graph.query(PREFIXES + """
        SELECT ?s ?p ?o ?doc ?sent ?start ?end ?rule ?conf WHERE {
          ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:document ?doc ;
              kg:sentence ?sent ; kg:startOffset ?start ; kg:endOffset ?end ; kg:rule ?rule ; kg:confidence ?conf .
        }""")
    rows = list(rows)
    assert rows
    for s, p, o, doc, sent, start, end, rule, conf in rows:
        assert (s, p, o) in corpus_graph, "evidence for a triple that is not asserted"
        raw = docs[doc][int(start):int(end)]
        # the sentence is the source span with markup removed: its characters appear in order
        it = iter(raw)
        assert all(ch in it for ch in str(sent).replace(" ", "")), (str(sent), raw)
        assert 0.0 < float(conf) <= 1.0  # this sentence's probability (weaker sentences support a relation too)
    # the interview's probability of each relation reaches the threshold the model was tuned to (its group's)
    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    ext = Extractor(Lexicon.load())
    doc_conf = [(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], float(c)) for ev in corpus_graph.subjects(RDF.type, KG.Evidence)
                for p in corpus_graph.objects(ev, RDF.predicate) for c in corpus_graph.objects(ev, KG.documentConfidence)]
    assert doc_conf and all((ext.thresholds or {}).get(p, ext.min_confidence) <= c <= 1.0 for p, c in doc_conf)
    # and every asserted relation has at least one evidence node
    for rel in ("competesWith", "investsIn", "supplies", "hedgesAgainst", "develops", "affiliatedWith"):
        for s, o in corpus_graph.subject_objects(KG[rel]):
            q = PREFIXES + f"""ASK {{ ?ev a kg:Evidence ; rdf:predicate kg:{rel} ;
                 rdf:subject ?a ; rdf:object ?b . FILTER((?a = <{s}> && ?b = <{o}>) || (?a = <{o}> && ?b = <{s}>)) }}"""
            assert corpus_graph.query(q).askAnswer, (s, rel, o)


def test_entities_have_language_tagged_labels(corpus_graph, lexicon):
    nv = iri_of(lexicon, "Nvidia")
    from rdflib.namespace import RDFS, SKOS

    langs = {l.language for l in corpus_graph.objects(nv, RDFS.label)}
    assert {"en", "zh"} <= langs
    alts = {str(l) for l in corpus_graph.objects(nv, SKOS.altLabel)}
    assert "NVIDIA" in alts or "Nvidia" in alts or alts  # surface forms seen in the interviews


def test_interview_metadata(corpus_graph):
    from rdflib.namespace import DCTERMS

    dates = {str(d) for d in corpus_graph.objects(None, DCTERMS.date)}
    assert "2024-11-17T08:00:00" in dates
    titles = {str(t) for t in corpus_graph.objects(None, DCTERMS.title)}
    assert any(t.startswith("三万字深度对谈") for t in titles)


def test_build_is_deterministic(tmp_path, corpus_build):
    """A build in another process (other hash seed, other blank-node ids) writes the same bytes."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(CORPUS), "-o", str(tmp_path), "-q"],
                       capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert r.returncode == 0, r.stderr
    for name in ("kg.trig", "kg.ttl"):
        assert (tmp_path / name).read_bytes() == (corpus_build / name).read_bytes()


def test_bad_input_is_reported_and_the_rest_processed(tmp_path, runner):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("微软对OpenAI投资了130亿美元。", encoding="utf-8")
    (src / "big5.txt").write_bytes("輝達的晶片由台積電代工，這是半導體產業最重要的合作關係之一。".encode("big5"))
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 40)
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(src), "-o", str(out)])
    assert r.exit_code == 1
    err_lines = [l for l in r.output.splitlines() if "binary.txt" in l]
    assert len(err_lines) == 1 and "error" in err_lines[0]
    assert any("empty.txt" in l and "warning" in l for l in r.output.splitlines())
    g = Graph().parse(out / "kg.ttl")
    assert len(set(g.subjects(RDF.type, KG.Interview))) == 2  # good.txt and big5.txt
    assert any(str(o).endswith("/tsmc") for o in g.subjects(KG.supplies, None))


def test_missing_file_is_an_error(tmp_path, runner):
    r = runner.invoke(app, ["build", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 1 and "nope.txt" in r.output


def test_interrupted_write_leaves_previous_output(tmp_path, runner, monkeypatch):
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(CORPUS), "-o", str(out), "-q"])
    assert r.exit_code == 0
    before = (out / "kg.ttl").read_bytes()

    def broken(self, trig, turtle):  # the build's writer, killed half-way through kg.trig
        Path(trig).write_text("@prefix half", encoding="utf-8")
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr("kg.export.rdf.GraphWriter.write", broken)
    with pytest.raises(KeyboardInterrupt):
        from kg.build import build

        build([CORPUS / "000_9947a042a113937a.txt"], out)
    assert (out / "kg.ttl").read_bytes() == before
    assert not list(out.glob(".*.tmp"))


def test_unknown_word_list_in_a_rule_is_one_line_error(tmp_path, runner, monkeypatch):
    import shutil

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    rules = onto / "relations.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "(?P<T>{ROLE})" in text
    rules.write_text(text.replace("(?P<T>{ROLE})", "(?P<T>{ROLES})", 1), encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(onto))
    r = runner.invoke(app, ["build", str(CORPUS), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2
    [line] = [l for l in r.output.splitlines() if l.strip()]
    assert line.startswith("error:") and "no word list {ROLES}" in line
    assert not (tmp_path / "out" / "kg.ttl").exists()


def test_help_is_true_to_the_commands(runner):
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("build", "eval"):
        assert cmd in r.output
    r = runner.invoke(app, ["build", "--help"])
    assert "kg.ttl" in r.output and "--output" in r.output


def test_bad_relation_rule_is_one_line_error(tmp_path, runner, monkeypatch):
    import shutil

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    rules = onto / "relations.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('pattern: "{S}', 'pattern: "({S}', 1), encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(onto))
    r = runner.invoke(app, ["build", str(CORPUS), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2
    [line] = [l for l in r.output.splitlines() if l.strip()]
    assert line.startswith("error:") and "relations.yaml" in line and "bad pattern" in line
    assert not (tmp_path / "out" / "kg.ttl").exists()
