"""kg path / neighbours / rank / communities / diff, --as-of, and the view's date slider and
community colours, on the corpus graph (built once per session) and on small dated graphs."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import app
from kg.vocab import KGE

from .conftest import ROOT
from .test_view import browser, open_view  # noqa: F401  (the Chromium fixtures)

TSMC, NVIDIA, APPLE, MICROSOFT = (str(KGE[x]) for x in ("tsmc", "nvidia", "apple", "microsoft"))


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kg-cache"))


@pytest.fixture(scope="session")
def graph(corpus_build) -> Path:
    return corpus_build / "kg.trig"


def run(runner, *args, code=0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def as_json(runner, *args, code=0):
    return json.loads(run(runner, *args, "--format", "json", code=code).stdout)


# ---------------------------------------------------------------- reading

def test_reader_gives_the_same_model_as_graph_view(graph):
    from kg.analysis.load import read_view
    from kg.graphview import graph_view
    from kg.rdfio import load_graph

    fast, slow = read_view([graph], cache=False), graph_view(load_graph([graph]))
    assert fast.entities == slow.entities
    assert fast.relations == slow.relations
    assert fast.interviews == slow.interviews and fast.kinds == slow.kinds
    # and again from the cache
    read_view([graph])
    assert read_view([graph]).relations == slow.relations


def test_triples_in_the_default_graph_and_a_named_graph_count_once(graph, tmp_path):
    # the Turtle union (default graph) and the TriG (named graphs) read together hold every
    # occurrence twice: mentions were counted once per combination of the copies (16 times)
    from kg.analysis.load import read_view
    from kg.graphview import graph_view
    from kg.rdfio import load_graph

    ttl = tmp_path / "kg.ttl"
    ttl.write_bytes((graph.parent / "kg.ttl").read_bytes())
    alone = read_view([graph], cache=False)
    both = read_view([ttl, graph], cache=False)
    assert {e.id: e.mentions for e in both.entities.values()} == {e.id: e.mentions for e in alone.entities.values()}
    assert sum(e.mentions for e in alone.entities.values()) > 100
    assert both.entities == graph_view(load_graph([ttl, graph])).entities
    # one TriG file whose default graph repeats a named graph's triples
    trig = tmp_path / "twice.trig"
    text = graph.read_text(encoding="utf-8")
    named = text[text.index("{") + 1:text.index("\n}")]
    trig.write_text(text + "\n" + named + "\n", encoding="utf-8")
    assert {e.id: e.mentions for e in read_view([trig], cache=False).entities.values()} == \
        {e.id: e.mentions for e in alone.entities.values()}


def test_cache_follows_the_file(graph, grown, tmp_path, monkeypatch):
    from kg.analysis.load import read_view

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "kg.trig"
    shutil.copy(graph, copy)
    before = read_view([copy])
    assert read_view([copy]).relations == before.relations  # from the cache
    entries = list((tmp_path / "cache").rglob("*.marshal"))
    assert len(entries) == 1
    shutil.copy(grown[0] / "kg.trig", copy.with_suffix(".tmp"))
    copy.with_suffix(".tmp").replace(copy)  # replaced as kg writes files: a new file, same name
    after = read_view([copy])
    assert len(after.relations) == len(before.relations) + 1
    assert list((tmp_path / "cache").rglob("*.marshal")) == entries  # the entry was replaced
    monkeypatch.setenv("KG_NO_CACHE", "1")
    assert read_view([copy]).relations == after.relations


def test_multidigraph_has_labels_types_kinds_and_dated_evidence(graph):
    from kg.analysis import load_graph

    g = load_graph([graph])
    assert g.nodes[TSMC]["label"] == "TSMC" and g.nodes[TSMC]["type"] == "Company"
    assert "台积电" in g.nodes[TSMC]["names"] and "台积电" not in g.nodes[TSMC]["aliases"]
    edge = g.edges[TSMC, APPLE, "supplies"]
    assert edge["directed"] and edge["evidence"][0]["sentence"] and edge["evidence"][0]["confidence"] > 0
    dated = [e for _, _, e in g.edges(data=True) if e["dates"]]
    assert dated and all(d == "2024-11-17" for e in dated for d in e["dates"])


# ---------------------------------------------------------------- path

def test_path_from_tsmc_to_apple_is_a_supplies_hop(runner, graph):
    found = as_json(runner, "path", graph, "台积电", "Apple")
    first = found["paths"][0]
    assert first["path"] == ["TSMC", "Apple"]
    rel = first["steps"][0]["relations"][0]
    assert (rel["relation"], rel["direction"]) == ("supplies", "→")
    assert "台积电" in rel["sentence"] and rel["evidence_count"] >= 1
    table = run(runner, "path", graph, "台积电", "Apple").stdout
    assert "supplies →" in table and "TSMC" in table


@pytest.mark.parametrize("name", ["台积电", "臺積電", "TSMC", "tsmc", "ＴＳＭＣ", "kge:tsmc"])
def test_names_in_any_script_or_alias(runner, graph, name):
    found = as_json(runner, "path", graph, name, "Nvidia")
    assert found["from"] == "TSMC"
    hop = found["paths"][0]["steps"][0]
    assert hop["relations"][0]["relation"] == "supplies" and hop["to_id"] == NVIDIA


def test_path_goes_against_the_direction_and_says_so(runner, graph):
    found = as_json(runner, "path", graph, "Apple", "Nvidia", "--max-hops", "2")
    assert found["paths"][0]["path"] == ["Apple", "TSMC", "Nvidia"]
    steps = found["paths"][0]["steps"]
    assert steps[0]["relations"][0]["direction"] == "←"  # TSMC supplies Apple
    assert steps[1]["relations"][0]["direction"] == "→"  # TSMC supplies Nvidia
    assert as_json(runner, "path", graph, "Apple", "Nvidia", "--max-hops", "1", code=1)["paths"] == []


def test_paths_of_one_length_come_best_told_first(runner, tmp_path):
    """Two paths of two hops from Acme to Zenith: through Alpha (weak evidence, first by name) and through
    Omega (strong evidence): the better told comes first; the limit keeps it."""
    def ev(n, s, p, o, conf):
        return (f"kgev:ev-{n} a kg:Evidence ; rdf:subject kge:{s} ; rdf:predicate kg:{p} ; rdf:object kge:{o} ; "
                f'kg:confidence {conf} ; kg:document kgd:d1 ; kg:sentence "s{n}" .\n')

    ttl = ("@prefix kg: <https://w3id.org/ai-kg/ontology#> . @prefix kge: <https://w3id.org/ai-kg/entity/> .\n"
           "@prefix kgev: <https://w3id.org/ai-kg/evidence/> . @prefix kgd: <https://w3id.org/ai-kg/doc/> .\n"
           "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
           + "".join(f'kge:{n.lower()} a kg:Company ; rdfs:label "{n}"@en .\n' for n in ("Acme", "Alpha", "Omega", "Zenith"))
           + "kge:acme kg:supplies kge:alpha , kge:omega . kge:alpha kg:supplies kge:zenith . kge:omega kg:supplies kge:zenith .\n"
           + ev(1, "acme", "supplies", "alpha", 0.41) + ev(2, "alpha", "supplies", "zenith", 0.45)
           + ev(3, "acme", "supplies", "omega", 0.95) + ev(4, "omega", "supplies", "zenith", 0.9))
    path = tmp_path / "g.ttl"
    path.write_text(ttl, encoding="utf-8")
    found = as_json(runner, "path", path, "Acme", "Zenith")
    assert [p["path"] for p in found["paths"]] == [["Acme", "Omega", "Zenith"], ["Acme", "Alpha", "Zenith"]]
    assert as_json(runner, "path", path, "Acme", "Zenith", "--limit", "1")["paths"][0]["path"] == ["Acme", "Omega", "Zenith"]


def test_path_csv_is_one_row_per_hop(runner, graph):
    out = run(runner, "path", graph, "Apple", "Nvidia", "--format", "csv", "--limit", "1").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["from"], r["relation"], r["direction"], r["to"]) for r in rows] == [
        ("Apple", "supplies", "←", "TSMC"), ("TSMC", "supplies", "→", "Nvidia")]


def test_unknown_name_is_one_line_with_close_names(runner, graph):
    result = run(runner, "path", graph, "Nvidiaa", "Apple", code=2)
    assert result.output.count("\n") == 1
    assert "no entity named 'Nvidiaa'" in result.output and "Nvidia" in result.output.split("did you mean")[1]


def test_bad_graph_file_is_one_line(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/ai-kg/ontology#> .\nkg:a kg:b .\n", encoding="utf-8")
    for args in (["rank", bad], ["path", tmp_path / "missing.trig", "a", "b"], ["neighbours", tmp_path, "x"],
                 ["diff", bad, bad]):
        result = run(runner, *args, code=2)
        assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert run(runner, "rank", bad, code=2).output.startswith(f"error: {bad}:2: not valid turtle: ")


def test_unknown_relation_and_bad_date_are_refused(runner, graph):
    assert "did you mean supplies" in run(runner, "rank", graph, "--relation", "suplies", code=2).output
    assert "no month 13" in run(runner, "rank", graph, "--as-of", "2024-13", code=2).output


# ---------------------------------------------------------------- neighbours

def test_neighbours_of_nvidia_include_tsmc(runner, graph, tmp_path):
    table = run(runner, "neighbours", graph, "英伟达").stdout
    assert "TSMC" in table and "supplies" in table
    found = as_json(runner, "neighbours", graph, "英伟达", "--depth", "1")
    rows = {(r["relation"], r["direction"], r["id"]) for r in found["neighbours"]}
    assert ("supplies", "←", TSMC) in rows  # TSMC supplies Nvidia
    assert all(r["depth"] == 1 for r in found["neighbours"])
    two = as_json(runner, "neighbours", graph, "英伟达", "--depth", "2")["neighbours"]
    # one row per path: Apple is reached through TSMC (it supplies Apple), whatever other paths the graph holds
    assert any({"entity": "Apple", "via": "TSMC", "depth": 2, "relation": "supplies"}.items() <= r.items()
               for r in two if r["id"] == APPLE)
    assert next(r for r in two if r["id"] == TSMC)["evidence_count"] >= 1


def test_neighbours_relation_filter_and_view(runner, graph, tmp_path):
    only = as_json(runner, "neighbours", graph, "Nvidia", "--relation", "affiliatedWith")["neighbours"]
    assert only and {r["relation"] for r in only} == {"affiliatedWith"}
    page = tmp_path / "nvidia.html"
    run(runner, "neighbours", graph, "Nvidia", "-o", page)
    data = _page_data(page)
    assert {n["id"] for n in data["nodes"]} >= {NVIDIA, TSMC, APPLE}
    assert str(KGE["coca-cola"]) not in {n["id"] for n in data["nodes"]}


def _page_data(page: Path) -> dict:
    import html as H
    import re

    text = page.read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(H.unescape(raw))


# ---------------------------------------------------------------- rank and communities

def test_rank_scores_descend_and_filter_by_type(runner, graph):
    rows = as_json(runner, "rank", graph, "--limit", "0")["ranking"]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) > 10
    companies = as_json(runner, "rank", graph, "--type", "Company", "--limit", "0")["ranking"]
    assert {r["type"] for r in companies} == {"Company"}
    assert [r["id"] for r in companies] == [r["id"] for r in rows if r["type"] == "Company"]


def test_rank_by_degree_counts_distinct_neighbours(runner, graph):
    from kg.analysis.load import read_view

    view = read_view([graph])
    rows = as_json(runner, "rank", graph, "--by", "degree", "--limit", "0")["ranking"]
    openai = next(r for r in rows if r["id"] == str(KGE["openai"]))
    expected = {r.target if r.source == openai["id"] else r.source for r in view.relations if openai["id"] in (r.source, r.target)}
    assert openai["score"] == openai["degree"] == len(expected)
    between = as_json(runner, "rank", graph, "--by", "betweenness", "--format", "json")["ranking"]
    assert between[0]["score"] > 0
    out = run(runner, "rank", graph, "--by", "degree", "--format", "csv", "--limit", "3").stdout
    assert out.splitlines()[0] == "rank,entity,type,score,degree,evidence,id" and len(out.splitlines()) == 4


def test_communities_are_deterministic_across_processes(runner, graph):
    first = as_json(runner, "communities", graph)["communities"]
    assert first and all(c["size"] >= 2 for c in first)
    tsmc = next(c for c in first if TSMC in c["ids"])
    assert {APPLE, NVIDIA} <= set(tsmc["ids"])
    # the most central members name it (members are listed most central first)
    assert tsmc["name"] == " · ".join(tsmc["members"][:3]) and len(tsmc["members"]) == tsmc["size"]
    outs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "communities", str(graph), "--format", "json"],
                              capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        outs.add(proc.stdout)
    assert len(outs) == 1
    assert json.loads(outs.pop())["communities"] == first
    everyone = as_json(runner, "communities", graph, "--type", "all")["communities"]
    assert str(KGE["jensen-huang"]) in {i for c in everyone for i in c["ids"]}
    assert str(KGE["jensen-huang"]) not in {i for c in first for i in c["ids"]}


# ---------------------------------------------------------------- time

DATED = {
    "a.txt": "# 代工\n\n发布时间: 2023-05-01 08:00\n\n台积电为苹果代工芯片。\n",
    "b.txt": "# 代工二\n\n发布时间: 2024-05-01 08:00\n\n台积电为英伟达代工芯片。\n",
}


@pytest.fixture(scope="module")
def dated_graph(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    src = tmp_path_factory.mktemp("dated")
    for name, text in DATED.items():
        (src / name).write_text(text, encoding="utf-8")
    out = src / "graphs"
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "kg.trig"


def test_relations_know_the_dates_of_their_interviews(dated_graph):
    from kg.analysis import load_graph

    g = load_graph([dated_graph])
    assert g.edges[TSMC, APPLE, "supplies"]["dates"] == ["2023-05-01"]
    assert g.edges[TSMC, NVIDIA, "supplies"]["dates"] == ["2024-05-01"]
    earlier = load_graph([dated_graph], date="2023-12-31")
    assert earlier.has_edge(TSMC, APPLE) and not earlier.has_edge(TSMC, NVIDIA) and NVIDIA not in earlier


def test_as_of_on_path_neighbours_and_rank(runner, dated_graph):
    assert as_json(runner, "path", dated_graph, "Apple", "Nvidia")["paths"][0]["path"] == ["Apple", "TSMC", "Nvidia"]
    assert run(runner, "path", dated_graph, "Apple", "Nvidia", "--as-of", "2024-05-01").exit_code == 0
    result = run(runner, "path", dated_graph, "Apple", "Nvidia", "--as-of", "2024-04", code=2)
    assert "no entity named 'Nvidia'" in result.output  # Nvidia was not in the graph yet
    around = as_json(runner, "neighbours", dated_graph, "TSMC", "--as-of", "2023")["neighbours"]
    assert [r["entity"] for r in around] == ["Apple"]
    ranked = as_json(runner, "rank", dated_graph, "--as-of", "2023-06-30", "--by", "degree")["ranking"]
    assert {r["entity"] for r in ranked} == {"TSMC", "Apple"}


def test_view_as_of(runner, dated_graph, tmp_path):
    page = tmp_path / "v.html"
    run(runner, "view", dated_graph, "-o", page, "--as-of", "2023-12-31")
    data = _page_data(page)
    assert {e["to"] for e in data["edges"]} == {APPLE}
    assert data["timeline"]["dates"] == ["2023-05-01"]


# ---------------------------------------------------------------- diff and build --into

NEW_INTERVIEW = "台积电为微软代工芯片。\n"


@pytest.fixture(scope="module")
def grown(runner, corpus_build, tmp_path_factory):
    """The corpus graph plus a one-line interview, built with --into; returns (dir, output)."""
    into = tmp_path_factory.mktemp("into") / "graphs"
    shutil.copytree(corpus_build, into)
    new = tmp_path_factory.mktemp("new") / "new.txt"
    new.write_text(NEW_INTERVIEW, encoding="utf-8")
    result = runner.invoke(app, ["build", str(new), "--into", str(into)])
    assert result.exit_code == 0, result.output
    return into, result.stdout


def test_diff_lists_exactly_the_new_relation(runner, graph, grown):
    into, _ = grown
    d = as_json(runner, "diff", graph, into / "kg.trig")
    assert d["summary"] == {"relation added": 1}
    [group] = d["interviews"]
    assert group["file"] == "new.txt" and group["status"] == "added"
    [change] = group["changes"]
    assert (change["subject"], change["relation"], change["object"]) == ("TSMC", "supplies", "Microsoft")
    assert change["sentence"] == NEW_INTERVIEW.strip()
    table = run(runner, "diff", graph, into / "kg.trig").stdout
    assert "relation added" in table and "changes: 1 relation added" in table
    back = as_json(runner, "diff", into / "kg.trig", graph)
    assert back["summary"] == {"relation removed": 1}
    assert as_json(runner, "diff", graph, graph)["summary"] == {}


def test_diff_as_trig_and_csv(runner, graph, grown):
    into, _ = grown
    from rdflib import Dataset, URIRef

    trig = run(runner, "diff", graph, into / "kg.trig", "--format", "trig").stdout
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    added = ds.graph(URIRef("https://w3id.org/ai-kg/diff/added"))
    assert (URIRef(TSMC), URIRef("https://w3id.org/ai-kg/ontology#supplies"), URIRef(MICROSOFT)) in added
    assert len(ds.graph(URIRef("https://w3id.org/ai-kg/diff/removed"))) == 0
    rows = list(csv.DictReader(io.StringIO(run(runner, "diff", graph, into / "kg.trig", "--format", "csv").stdout)))
    assert [(r["change"], r["subject"], r["object"], r["file"]) for r in rows] == [
        ("relation added", "TSMC", "Microsoft", "new.txt")]


def test_diff_reports_evidence_added_and_confidence_changed():
    from dataclasses import replace

    from kg.analysis.diff import diff
    from kg.graphview import Entity, Evidence, GraphView, Interview, Kind, Relation

    ents = {i: Entity(id=i, type="Company", names=[(i[-4:], "en")]) for i in (TSMC, APPLE)}
    iv = {d: Interview(id=d, title=d[-1], date=f"2024-0{d[-1]}-01") for d in ("urn:d1", "urn:d2")}
    kinds = {"supplies": Kind("supplies", "https://w3id.org/ai-kg/ontology#supplies", "supplies")}
    e1 = Evidence("one", "urn:d1", TSMC, APPLE, confidence=0.6, id="urn:ev1")
    e2 = Evidence("two", "urn:d2", TSMC, APPLE, confidence=0.9, id="urn:ev2")
    rel = Relation("r", "supplies", TSMC, APPLE, evidence=[e1])
    old = GraphView(ents, [rel], {"urn:d1": iv["urn:d1"]}, kinds)
    new = GraphView(ents, [replace(rel, evidence=[replace(e1, confidence=0.8), e2])], iv, kinds)
    d = diff(old, new)
    assert sorted((c.change, c.interview) for c in d.changes) == [("confidence changed", "urn:d1"),
                                                                 ("evidence added", "urn:d2")]
    changed = next(c for c in d.changes if c.change == "confidence changed")
    assert (changed.old, changed.new) == (0.6, 0.8)


def test_build_into_prints_what_it_added(grown):
    _, output = grown
    assert "relation added" in output and "Microsoft" in output and "changes: 1 relation added" in output


# ---------------------------------------------------------------- the view in a browser

def test_view_date_slider_and_community_colours(open_view, runner, graph, dated_graph, tmp_path):
    from kg.analysis.core import communities
    from kg.analysis.load import read_view

    page = tmp_path / "c.html"
    run(runner, "view", graph, "-o", page, "--communities")
    v = open_view(page)
    found = communities(read_view([graph]))
    tsmc = next(c for c in found if TSMC in c["ids"])
    colours = v.js("() => Object.fromEntries(kgView.data.communities.map(c => [c.id, c.color]))")
    drawn = v.js("ids => ids.map(id => kgView.nodes.get(id).color)", [TSMC, APPLE, NVIDIA])
    assert drawn == [colours[str(tsmc["community"])]] * 3
    assert len(set(colours.values())) == len(found)
    legend = v.js("() => [...document.querySelectorAll('#community-legend li')].map(li => li.textContent)")
    assert len(legend) == len(found) and any(l.startswith(tsmc["name"]) for l in legend)
    v.page.click("#community-colours")  # off: colours by type again
    assert v.js("id => kgView.nodes.get(id).color", TSMC) == v.js("() => kgView.data.types.find(t => t.name === 'Company').color")
    v.assert_clean()

    page = tmp_path / "d.html"
    run(runner, "view", dated_graph, "-o", page)
    v = open_view(page)
    assert v.js("() => kgView.data.timeline.dates") == ["2023-05-01", "2024-05-01"]
    nodes, _ = v.drawn()
    assert {TSMC, APPLE, NVIDIA} <= nodes
    slider = v.page.locator("#as-of")
    slider.fill("0")  # the first date: only what the 2023 interview says
    shown = v.js("() => kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert set(shown) == {TSMC, APPLE}
    assert v.page.text_content("#as-of-label") == "As of 2023-05-01"
    slider.fill("2")  # the end: everything
    shown = v.js("() => kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert {TSMC, APPLE, NVIDIA} <= set(shown)
    assert v.page.text_content("#as-of-label").startswith("All interviews")
    v.assert_clean()


def test_build_and_merge_write_the_analysis_cache(tmp_path, monkeypatch, runner):
    """A graph kg writes is in the analysis cache at once: the first command on it reads no RDF."""
    from kg.analysis import load

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.txt").write_text("台积电为苹果代工 A18 芯片。", encoding="utf-8")
    out = tmp_path / "g"
    assert runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(out), "-q"]).exit_code == 0
    merged = tmp_path / "m" / "all.trig"
    merged.parent.mkdir()
    assert runner.invoke(app, ["merge", str(out / "kg.trig"), "-o", str(merged)]).exit_code == 0
    assert len(list((tmp_path / "cache" / "analysis").glob("*.marshal"))) == 2

    def no_parsing(paths):
        raise AssertionError(f"parsed {paths}: the cache was not used")

    monkeypatch.setattr(load, "_store", no_parsing)
    for graph in (out / "kg.trig", merged):
        view = load.read_view([graph])
        assert any(e.label == "TSMC" for e in view.entities.values())
        assert any(r.kind == "supplies" for r in view.relations)
    r = runner.invoke(app, ["path", str(merged), "台积电", "Apple"])
    assert r.exit_code == 0 and "supplies" in r.output


def test_no_cache_means_no_priming(tmp_path, monkeypatch, runner):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KG_NO_CACHE", "1")
    (tmp_path / "a.txt").write_text("台积电为苹果代工 A18 芯片。", encoding="utf-8")
    assert runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "g"), "-q"]).exit_code == 0
    assert not (tmp_path / "cache").exists()
