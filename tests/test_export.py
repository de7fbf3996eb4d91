"""``kg export``: GraphML and GEXF read back with networkx, JSON-LD and N-Triples with rdflib."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import app
from kg.graphview import graph_view
from kg.rdfio import load_dataset, load_graph
from kg.vocab import KGE

NVIDIA, TSMC, APPLE = (str(KGE[x]) for x in ("nvidia", "tsmc", "apple"))


@pytest.fixture(scope="module")
def view(corpus_graph):
    return graph_view(corpus_graph)


def export(runner, tmp_path, corpus_build, fmt, source="kg.trig", suffix=None):
    out = tmp_path / f"out.{suffix or fmt}"
    args = ["export", str(corpus_build / source), "-o", str(out)] + (["--format", fmt] if suffix is None else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob(".*.tmp"))
    return out


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_entity_graph_formats_read_back(runner, tmp_path, corpus_build, view, fmt, read):
    g = read(export(runner, tmp_path, corpus_build, fmt))
    assert g.number_of_nodes() == len(view.entities)
    assert g.number_of_edges() == len(view.relations)
    node = g.nodes[NVIDIA]
    assert node["type"] == "Company" and node["label_zh"] == "英伟达" and node["wikidata"] == "Q182477"
    assert int(node["mentions"]) == view.entities[NVIDIA].mentions and int(node["interviews"]) == 2
    assert "NVIDIA" in node["aliases"]
    supplies = [d for u, v, d in g.edges(data=True) if (u, v) == (TSMC, APPLE)]
    assert [d["kind"] for d in supplies] == ["supplies"]
    assert int(supplies[0]["evidence"]) >= 1 and supplies[0]["directed"] in (True, "true")
    competes = [d for _, _, d in g.edges(data=True) if d["kind"] == "competesWith"]
    assert competes and all(d["directed"] in (False, "false") for d in competes)
    assert len(competes) == sum(1 for r in view.relations if r.kind == "competesWith")


def test_jsonld_keeps_named_graphs_and_every_triple(runner, tmp_path, corpus_build):
    out = export(runner, tmp_path, corpus_build, "jsonld")
    back = Dataset()
    back.parse(out, format="json-ld")
    original = load_dataset([corpus_build / "kg.trig"])
    graphs = lambda ds: {str(c.identifier): len(c) for c in ds.graphs() if len(c)}  # noqa: E731
    assert graphs(back) == graphs(original)
    assert sum(1 for name in graphs(back) if "/doc/" in name) == 2  # one per interview
    assert isomorphic(load_graph([out]), load_graph([corpus_build / "kg.trig"]))


def test_ntriples_has_every_triple(runner, tmp_path, corpus_build):
    out = export(runner, tmp_path, corpus_build, "nt", source="kg.ttl")
    back = Graph().parse(out, format="nt")
    assert isomorphic(back, load_graph([corpus_build / "kg.ttl"]))


def test_format_from_suffix_and_stdout(runner, tmp_path, corpus_build):
    out = export(runner, tmp_path, corpus_build, "gexf", suffix="gexf")
    assert nx.read_gexf(out).number_of_nodes() > 0
    result = runner.invoke(app, ["export", str(corpus_build / "kg.ttl"), "--format", "nt"])
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout_bytes.decode("utf-8"), format="nt")) > 100


@pytest.mark.parametrize("args, message", [
    (["export", "{bad}", "--format", "nt"], "bad.ttl:"),
    (["export", "{good}", "--format", "csv"], "unknown format 'csv' (choose from graphml, gexf, jsonld, nt)"),
])
def test_export_errors_are_one_line(runner, tmp_path, corpus_build, args, message):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    result = runner.invoke(app, [a.format(bad=bad, good=corpus_build / "kg.ttl") for a in args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
