"""Merging, by property (hypothesis): idempotent, order-independent, associative, counts never
summed twice, and the merge of per-interview builds is the build of all interviews at once.

Two kinds of generated input: small synthetic datasets that stress identity resolution (names in
several scripts, widths and cases, owl:sameAs and Wikidata links, foreign IRIs, blank nodes,
disagreeing counts), and real extractions of generated interview texts.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.merge import canonical_quads, counts, merge
from kg.vocab import KG, KGD, KGE, KGEV, WD

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EX = Namespace("http://example.org/other-tool/")
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

DOCS = [KGD["d0"], KGD["d1"], KGD["d2"], None]  # None: the default graph (a plain Turtle file)
BLANK = BNode("blank-entity")  # stands for a blank node of the dataset being built: each file has its own
NODES = [KGE.openai, KGE.nvidia, KGE.tsmc, KGE["new-company-openai"], EX.oai, EX.nv, EX.x, EX.y, BLANK]
NAMES = ["OpenAI", "openai", "ＯｐｅｎＡＩ", "Open AI", "Nvidia", "英伟达", "英偉達", "台积电", "台積電", "Foo Co", "foo co"]
TYPES = [KG.Company, KG.Company, KG.Model, KG.Person]
LINKS = [WD.Q1, WD.Q2, EX.oai, KGE.openai]
RELATIONS = [KG.competesWith, KG.supplies, KG.investsIn]


def _hash(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12]


fact = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(NODES), st.sampled_from(TYPES), st.sampled_from(DOCS)),
    st.tuples(st.just("label"), st.sampled_from(NODES), st.sampled_from(NAMES), st.sampled_from(DOCS)),
    st.tuples(st.just("same"), st.sampled_from(NODES), st.sampled_from(LINKS), st.sampled_from(DOCS)),
    st.tuples(st.just("wikidata"), st.sampled_from(NODES), st.sampled_from(["Q1", "Q3"]), st.sampled_from(DOCS)),
    st.tuples(st.just("discovered"), st.sampled_from(NODES), st.sampled_from(["0.6", "0.9"]), st.sampled_from(DOCS)),
    st.tuples(st.just("rel"), st.sampled_from(NODES), st.sampled_from(RELATIONS), st.sampled_from(NODES),
              st.sampled_from(DOCS[:3]), st.integers(0, 2)),
    st.tuples(st.just("occ"), st.sampled_from(NODES), st.sampled_from(DOCS[:3]), st.integers(1, 4)),
)


def build(facts) -> Dataset:
    ds = Dataset()
    blank = BNode()  # blank nodes are local to one file
    for f in facts:
        f = tuple(blank if x == BLANK else x for x in f)
        kind = f[0]
        if kind == "rel":
            _, s, p, o, doc, start = f
            g = ds.graph(doc)
            g.add((doc, RDF.type, KG.Interview))
            g.add((s, p, o))
            ev = KGEV["ev-" + _hash(doc, s, p, o, start)]
            for t in ((ev, RDF.type, KG.Evidence), (ev, RDF.subject, s), (ev, RDF.predicate, p), (ev, RDF.object, o),
                      (ev, KG.document, doc), (ev, KG.sentence, Literal(f"{s} {p} {o}")),
                      (ev, KG.startOffset, Literal(start * 10)), (ev, KG.confidence, Literal("0.8", datatype=XSD.decimal))):
                g.add(t)
            continue
        if kind == "occ":
            _, node, doc, n = f
            g = ds.graph(doc)
            occ = KGEV["occ-" + _hash(doc, node)]
            for t in ((occ, RDF.type, KG.Occurrence), (occ, KG.entity, node), (occ, KG.document, doc),
                      (occ, KG.mentionCount, Literal(n))):
                g.add(t)
            continue
        _, node, value, doc = f
        g = ds.graph(doc) if doc is not None else ds.default_graph
        if kind == "type":
            g.add((node, RDF.type, value))
        elif kind == "label":
            g.add((node, RDFS.label if value[0] != "F" else SKOS.prefLabel, Literal(value)))
        elif kind == "same":
            g.add((node, OWL.sameAs, value))
        elif kind == "wikidata":
            g.add((node, KG.wikidata, Literal(value)))
        elif kind == "discovered":  # what kg.graph.add_discovered records
            g.add((node, KG.discovered, Literal(True)))
            g.add((node, KG.confidence, Literal(value, datatype=XSD.decimal)))
    return ds


datasets = st.lists(fact, min_size=1, max_size=12).map(build)


def M(*inputs) -> Dataset:
    return merge(list(inputs))[0]


def same(a: Dataset, b: Dataset) -> bool:
    return canonical_quads(a) == canonical_quads(b)


@PROPERTY
@given(datasets)
def test_idempotent(a):
    once = M(a)
    assert same(M(a, a), once)
    assert same(M(once), once)
    assert same(M(once, a), once)


@PROPERTY
@given(datasets, datasets)
def test_order_independent(a, b):
    assert same(M(a, b), M(b, a))


@PROPERTY
@given(datasets, datasets, datasets)
def test_associative(a, b, c):
    flat = M(a, b, c)
    assert same(M(M(a, b), c), flat)
    assert same(M(a, M(b, c)), flat)
    assert same(M(M(a, c), b), flat)


@PROPERTY
@given(datasets, datasets)
def test_merging_an_input_again_changes_nothing(a, b):
    ab = M(a, b)
    assert same(M(ab, b), ab)
    assert same(M(ab, a, b), ab)


@PROPERTY
@given(datasets)
def test_counts_are_never_summed_twice(a):
    once = counts(M(a)).as_plain()
    assert counts(M(a, a)).as_plain() == once
    assert counts(M(M(a), a)).as_plain() == once


@PROPERTY
@given(datasets, datasets)
def test_one_node_per_entity_and_names_resolved(a, b):
    """After a merge, no two entity nodes of one type share a folded name or a sameAs link."""
    from kg.textnorm import fold

    out = M(a, b)
    names = {}
    for s, p, o, g in out.quads((None, None, None, None)):
        if p in (RDFS.label, SKOS.prefLabel):
            for cls in {q[2] for q in out.quads((s, RDF.type, None, None))}:
                if cls in (KG.Company, KG.Model, KG.Person):
                    key = (fold(str(o)), cls)
                    names.setdefault(key, set()).add(s)
    assert all(len(nodes) == 1 for nodes in names.values()), names


# ---------------------------------------------------------------- real extractions

SENTENCES = [
    "微软对OpenAI投资了130亿美元。",
    "台积电为苹果和英伟达代工芯片。",
    "OpenAI与Anthropic竞争激烈。",
    "亚马逊投资了Anthropic。",
    "OpenAI发布了GPT-4o。",
    "Nathan Benaich是Air Street Capital的创始人。",
    "我认为这显然是微软对 OpenAI 的对冲策略。",
    "輝達的晶片由台積電代工。",
    "Meta的Llama模型开源。",
    "谷歌DeepMind和OpenAI都在训练大模型。",
]

interviews = st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("".join),
                      min_size=1, max_size=4, unique=True)


@pytest.fixture(scope="module")
def build_interviews(extractor, lexicon):
    """[(text, file name)] -> the dataset ``kg build`` makes of those interviews (extractions cached)."""
    from kg.corpus import document_from_text
    from kg.graph import add_extraction, new_dataset

    cache = {}

    def build_all(docs) -> Dataset:
        ds = new_dataset()
        for text, name in docs:
            if (text, name) not in cache:
                cache[(text, name)] = extractor.extract(document_from_text(text, name))
            add_extraction(ds, cache[(text, name)], lexicon)
        return ds

    return build_all


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(interviews, st.randoms(use_true_random=False))
def test_merge_of_per_interview_builds_is_the_build_of_all(build_interviews, texts, rnd):
    docs = [(text, f"interview-{i}.txt") for i, text in enumerate(texts)]
    whole = build_interviews(docs)
    singles = [build_interviews([doc]) for doc in docs]
    rnd.shuffle(singles)
    merged = M(*singles)
    assert same(merged, whole)
    assert counts(merged).as_plain() == counts(whole).as_plain()
    if len(singles) > 2:  # grouped differently, and with an input repeated
        assert same(M(M(*singles[:2]), M(*singles[1:])), whole)
