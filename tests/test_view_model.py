"""The view model (kg.graphview) and the page's data, without a browser: what gets drawn, from
graphs `kg build` writes, merged graphs, other syntaxes and plain graphs made by other tools."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.cli import app
from kg.export.html import edge_width, node_size, page_data, render_html, script_json, search_keys
from kg.graphview import OTHER, Entity, graph_view
from kg.rdfio import load_graph
from kg.vocab import KG, KGE, RELATIONS

FOREIGN_TTL = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix ex: <http://example.org/> .
ex:tsmc rdfs:label "TSMC"@en, "台积电"@zh ; kg:supplies ex:nvidia, ex:apple .
ex:nvidia rdfs:label "Nvidia" ; kg:competesWith ex:amd .
ex:amd rdfs:label "AMD" ; kg:competesWith ex:nvidia ; ex:partnerOf ex:tsmc .
ex:apple rdfs:label "Apple" .
ex:lonely rdfs:label "Not related" .
ex:newco a kg:Company ; rdfs:label "NewCo" ; kg:discovered true ; kg:investsIn ex:amd .
"""


@pytest.fixture(scope="module")
def view(corpus_graph):
    return graph_view(corpus_graph)


def test_every_relation_triple_is_drawn_once(view, corpus_graph):
    expected = set()
    for rel in RELATIONS:
        for s, o in corpus_graph.subject_objects(KG[rel]):
            expected.add((rel, *(sorted((str(s), str(o))) if rel == "competesWith" else (str(s), str(o)))))
    drawn = {(r.kind, r.source, r.target) for r in view.relations}
    assert drawn == expected
    assert len({r.id for r in view.relations}) == len(view.relations)
    competes = [r for r in view.relations if r.kind == "competesWith"]
    assert competes and all(not r.directed for r in competes)
    assert all(r.directed for r in view.relations if r.kind != "competesWith")


def test_every_evidence_sentence_is_attached(view, corpus_graph):
    n_evidence = len(set(corpus_graph.subjects(RDF.type, KG.Evidence)))
    assert sum(len(r.evidence) for r in view.relations) == n_evidence
    for r in view.relations:
        assert r.evidence, f"{r.kind} {r.source} {r.target} has no evidence"
        for ev in r.evidence:
            assert ev.sentence and ev.interview in view.interviews
            assert {ev.subject, ev.object} == {r.source, r.target}


def test_entities_names_counts_and_wikidata(view, corpus_graph):
    nvidia = view.entities[str(KGE["nvidia"])]
    assert nvidia.type == "Company"
    assert (nvidia.label_en, nvidia.label_zh) == ("Nvidia", "英伟达")
    assert "NVIDIA" in nvidia.aliases
    assert nvidia.wikidata == "Q182477"
    mentions = sum(int(corpus_graph.value(occ, KG.mentionCount))
                   for occ in corpus_graph.subjects(KG.entity, KGE["nvidia"]))
    assert nvidia.mentions == mentions > 0
    assert len(nvidia.interviews) == 2
    typed = {s for t in ("Person", "Company", "Model", "Chip") for s in corpus_graph.subjects(RDF.type, KG[t])}
    assert set(view.entities) == {str(s) for s in typed}


def test_merged_graphs_count_nothing_twice(corpus_build, view):
    merged = graph_view(load_graph([corpus_build / "kg.ttl", corpus_build / "kg.trig"]))
    assert {k: (e.mentions, len(e.interviews)) for k, e in merged.entities.items()} == \
           {k: (e.mentions, len(e.interviews)) for k, e in view.entities.items()}
    assert [(r.id, len(r.evidence)) for r in merged.relations] == [(r.id, len(r.evidence)) for r in view.relations]


@pytest.mark.parametrize("fmt, suffix", [("nt", ".nt"), ("json-ld", ".jsonld"), ("trig", ".trig")])
def test_other_syntaxes_give_the_same_view(corpus_graph, view, tmp_path, fmt, suffix):
    path = tmp_path / f"g{suffix}"
    corpus_graph.serialize(destination=str(path), format=fmt)
    other = graph_view(load_graph([path]))
    assert set(other.entities) == set(view.entities)
    assert [(r.id, len(r.evidence)) for r in other.relations] == [(r.id, len(r.evidence)) for r in view.relations]


def test_plain_graph_from_another_tool(tmp_path):
    g = Graph().parse(data=FOREIGN_TTL, format="turtle")
    v = graph_view(g)
    labels = {e.label for e in v.entities.values()}
    assert labels == {"TSMC", "Nvidia", "AMD", "Apple", "NewCo"}  # the unrelated labelled node is not drawn
    newco = v.entities["http://example.org/newco"]
    assert newco.type == "Company" and newco.discovered
    assert all(e.type == OTHER and e.mentions == 0 and not e.discovered for e in v.entities.values() if e is not newco)
    kinds = {(r.kind, v.entities[r.source].label, v.entities[r.target].label) for r in v.relations}
    assert ("supplies", "TSMC", "Nvidia") in kinds and ("supplies", "TSMC", "Apple") in kinds
    assert sum(1 for k in kinds if k[0] == "competesWith") == 1  # both directions: one relation
    assert ("ex:partnerOf", "AMD", "TSMC") in kinds  # a property of the other tool's vocabulary
    assert v.kinds["ex:partnerOf"].label_en == "partner of"
    assert v.kinds["supplies"].label_zh == "供应"  # from the ontology, which this graph lacks
    data = page_data(v)
    assert set(data["defaults"]["types"]) == {OTHER, "Company"}  # no company graph: the page shows all
    assert all(not e["evidence"] and e["width"] == edge_width(0) for e in data["edges"])


def test_ontology_terms_and_bookkeeping_are_not_entities(view):
    for iri in view.entities:
        assert not iri.startswith(str(KG)) and "/doc/" not in iri and "/evidence/" not in iri


def test_sizes_grow_with_mentions_interviews_and_evidence():
    def size(mentions, interviews):
        return node_size(Entity(id="x", type="Company", mentions=mentions, interviews={str(i) for i in range(interviews)}))

    assert size(0, 0) < size(1, 1) < size(5, 1) < size(50, 1)
    assert size(5, 1) < size(5, 2) < size(5, 4)
    assert size(10**6, 100) <= 56
    assert edge_width(0) < edge_width(1) < edge_width(3) < edge_width(50) <= 10


def test_search_keys_cover_traditional_and_case():
    keys = search_keys(["英伟达", "NVIDIA", "Air Street Capital"])
    assert {"英伟达", "英偉達", "輝達", "nvidia", "airstreetcapital"} <= set(keys)


def test_script_json_cannot_break_out():
    payload = {"s": "</script><script>alert(1)</script><!-- \u2028\u2029 & 'x' \"y\""}
    text = script_json(payload)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == payload


class _Tags(HTMLParser):
    """Start tags as a browser's tokenizer sees them (script and style content is raw text)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_page_is_self_contained(view):
    page = render_html(view)
    parser = _Tags()
    parser.feed(page)
    tags = parser.tags
    assert [a.get("type") for t, a in tags if t == "script"] == ["application/json", None, None]
    assert not [t for t, _ in tags if t in ("link", "iframe", "object", "embed", "img", "base", "frame")]
    assert not [(t, a) for t, a in tags if {"src", "href", "srcset", "data"} & set(a)]
    assert not re.search(r"@import|@font-face|url\(\s*['\"]?(https?:)?//", page, re.I)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", csp)) == 2
    for font in ("Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", "Source Han Sans SC"):
        assert font in page


def test_cli_view_writes_page_and_restricts(runner, corpus_build, tmp_path):
    out = tmp_path / "sub" / "my.html"
    result = runner.invoke(app, ["view", str(corpus_build / "kg.ttl"), "-o", str(out),
                                 "--only", "Company,person", "--relation", "supplies,affiliatedWith"])
    assert result.exit_code == 0, result.output
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', out.read_text(), re.S).group(1))
    assert {n["type"] for n in data["nodes"]} == {"Company", "Person"}
    assert {e["kind"] for e in data["edges"]} == {"supplies", "affiliatedWith"}
    assert set(data["defaults"]["types"]) == {"Company", "Person"}
    assert not list(out.parent.glob(".*.tmp"))


def test_kg_build_writes_the_page(corpus_build):
    page = (corpus_build / "kg.html").read_text(encoding="utf-8")
    assert 'id="kg-data"' in page and "vis-network" in page


@pytest.mark.parametrize("args, message", [
    (["view", "{bad}"], r"^error: .*bad\.ttl:\d+: not valid turtle"),
    (["view", "{missing}"], r"^error: .*missing\.ttl: no such file"),
    (["view", "{good}", "--only", "Firm"], r"^error: unknown entity type 'Firm' \(choose from Person, Company"),
    (["view", "{good}", "--relation", "buys"], r"^error: unknown relation 'buys'"),
])
def test_cli_view_errors_are_one_line(runner, corpus_build, tmp_path, args, message):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/ai-kg/ontology#> .\nkg:a kg:b [ .\n", encoding="utf-8")
    paths = {"bad": bad, "missing": tmp_path / "missing.ttl", "good": corpus_build / "kg.ttl"}
    result = runner.invoke(app, [a.format(**paths) for a in args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines() if hasattr(result, "stderr") else result.output.strip().splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), lines
    assert not (tmp_path / "bad.html").exists()


def test_view_of_a_graph_with_literal_and_blank_ends():
    g = Graph()
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    g.add((a, RDF.type, KG.Company))
    g.add((a, RDFS.label, Literal("A")))
    g.add((a, KG.supplies, Literal("not an entity")))
    g.add((a, KG.supplies, b))
    v = graph_view(g)
    assert [(r.source, r.target) for r in v.relations] == [(str(a), str(b))]
    assert v.entities[str(b)].type == OTHER and v.entities[str(b)].label == "b"
