"""The build's writer (Oxigraph quads written one interview at a time, the view gathered while
writing) against the path it replaced (an rdflib dataset, converted, sorted, written, the view
read from it): the same bytes in kg.ttl, kg.trig and kg.html, the same analysis cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.analysis.load import _to_json, read_view
from kg.build import build
from kg.export.html import write_html
from kg.export.rdf import write_trig, write_turtle
from kg.graph import add_extraction, interview_quads, new_dataset, source_path
from kg.parallel import serial_results

from .conftest import ROOT

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The corpus, the test interviews (three languages), a copy of one corpus file (the same
    interview read from two paths) and a file that is not an interview."""
    folder = tmp_path_factory.mktemp("inputs") / "interviews"
    folder.mkdir()
    for p in sorted(CORPUS.glob("*.txt")) + sorted((ROOT / "tests" / "interviews").glob("*.md")):
        shutil.copy(p, folder / p.name)
    first = sorted(CORPUS.glob("*.txt"))[0]
    (folder / "sub").mkdir()
    shutil.copy(first, folder / "sub" / ("copy-of-" + first.name))
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return folder


def _old_build(files: list[Path], extractor, out: Path) -> None:
    """The build as it was: every interview into one rdflib dataset, then written."""
    ds = new_dataset()
    read = {}
    for r in serial_results(files, extractor):
        if r.extraction is None:
            continue
        add_extraction(ds, r.extraction, extractor.lexicon,
                       discovered_threshold=float(extractor.discovery.get("assert_threshold", 0.6)),
                       extracted_with=extractor.fingerprint)
        read[source_path(r.path)] = r.extraction.doc.sha256
    from kg.build import _all_sources

    _all_sources(ds, {p: (sha, Path(p).name) for p, sha in read.items()})
    out.mkdir(parents=True)
    write_turtle(ds, out / "kg.ttl")
    write_trig(ds, out / "kg.trig")
    write_html(ds, out / "kg.html")


def test_interview_quads_are_add_extractions(inputs, extractor):
    from kg.export.rdf import ox_quads

    n = 0
    for r in serial_results(sorted(inputs.rglob("*.*")), extractor):
        if r.extraction is None:
            continue
        ds = new_dataset(with_ontology=False)
        add_extraction(ds, r.extraction, extractor.lexicon, extracted_with="fp")
        quads = interview_quads(r.extraction, extractor.lexicon, extracted_with="fp")
        assert len(quads) == len(set(quads))
        assert set(quads) == set(ox_quads(ds))
        n += 1
    assert n >= 5


def test_build_writes_the_bytes_the_old_path_wrote(inputs, extractor, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    from kg.corpus import iter_input_files

    files = iter_input_files([inputs])
    _old_build(files, extractor, tmp_path / "old")
    from kg.export.html import build_writer

    built, report = build([inputs], tmp_path / "new", lexicon=extractor.lexicon, extra_writers=[build_writer])
    assert len(report.documents) == len(files) - 1 and report.skipped and len(files) >= 7
    for name in ("kg.ttl", "kg.trig", "kg.html"):
        assert (tmp_path / "new" / name).read_bytes() == (tmp_path / "old" / name).read_bytes(), name
    # the interview read from two paths is one graph with both paths (relative to the output)
    assert (tmp_path / "new" / "kg.trig").read_text(encoding="utf-8").count("interviews/sub/copy-of-000_") == 1
    assert len(built) == len(set(built.dataset().quads((None, None, None, None))))


def test_build_jobs_2_writes_the_same_bytes(inputs, extractor, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([inputs], tmp_path / "one", lexicon=extractor.lexicon)
    build([inputs], tmp_path / "two", lexicon=extractor.lexicon, jobs=2)
    for name in ("kg.ttl", "kg.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def _same_model(a, b) -> None:
    ja, jb = _to_json(a), _to_json(b)
    ja["interviews"].sort()  # a dict in no particular order
    jb["interviews"].sort()
    assert ja == jb


def test_the_cache_written_with_the_graph_is_the_model_of_the_file(inputs, extractor, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([inputs], tmp_path / "g", lexicon=extractor.lexicon)
    trig = tmp_path / "g" / "kg.trig"
    cached = read_view([trig])
    assert cached.relations and cached.entities and any(r.evidence for r in cached.relations)
    _same_model(cached, read_view([trig], cache=False))
    _same_model(read_view([tmp_path / "g" / "kg.ttl"]), read_view([trig], cache=False))


# ---------------------------------------------------------------- kg merge, streamed

@pytest.fixture(scope="module")
def merge_inputs(inputs, extractor, tmp_path_factory) -> list[Path]:
    """Graphs to merge: each interview built on its own, a graph of another tool (blank nodes,
    names to resolve, Turtle in the default graph), a re-extracted interview (other values),
    and a whole build (the same interviews again, with the ontology and its blank nodes)."""
    from rdflib import Literal
    from rdflib.namespace import RDF

    from kg.corpus import iter_input_files
    from kg.rdfio import load_dataset
    from kg.vocab import KG, KGEV

    from .test_merge import FOREIGN

    root = tmp_path_factory.mktemp("merge-inputs")
    out = []
    for i, f in enumerate([f for f in iter_input_files([inputs]) if f.name != "empty.txt"][:5]):
        build([f], root / f"single{i}", lexicon=extractor.lexicon)
        out.append(root / f"single{i}" / "kg.trig")
    foreign = root / "other-tool.ttl"
    foreign.write_text(FOREIGN, encoding="utf-8")
    ds = load_dataset([out[0]])
    [doc] = [c.identifier for c in ds.graphs() if (c.identifier, RDF.type, KG.Interview) in c]
    g = ds.graph(doc)
    occ = sorted(g.subjects(RDF.type, KG.Occurrence))[0]
    g.set((occ, KG.mentionCount, Literal(int(g.value(occ, KG.mentionCount)) + 5)))
    g.add((KGEV["ev-extra"], RDF.type, KG.Evidence))
    changed = root / "changed" / "kg.trig"
    changed.parent.mkdir()
    ds.serialize(changed, format="trig")
    build([inputs], root / "whole", lexicon=extractor.lexicon)
    return out + [foreign, changed, root / "whole" / "kg.trig", root / "whole" / "kg.ttl"]


def _report(report) -> tuple:
    from kg.merge import short_name  # what kg merge prints (a blank node's label is the parser's)

    return (report.inputs, report.interviews, report.entities, report.relations, report.evidence,
            {short_name(k): [short_name(x) for x in v] for k, v in report.identified.items()},
            [(c.kind, c.message) for c in report.conflicts], report.warnings)


@pytest.mark.parametrize("pick", [(0, 1, 2, 3, 4), (5, 0, 6, 7), (7, 7), (4, 3, 2, 1, 0, 5), (8, 0, 5)])
def test_streamed_merge_writes_what_the_rdflib_merge_wrote(merge_inputs, pick, tmp_path, monkeypatch):
    from kg.merge import merge_files, merge_to_files, write_merged

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    paths = [merge_inputs[i] for i in pick]
    ds, old_report = merge_files(paths)
    old = write_merged(ds, tmp_path / "old" / "kg.trig", view=write_html)
    new, new_report = merge_to_files(paths, tmp_path / "new" / "kg.trig", view=write_html)
    assert [p.name for p in old] == [p.name for p in new] == ["kg.trig", "kg.ttl", "kg.html"]
    for a, b in zip(old, new):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert _report(new_report) == _report(old_report)
    if 8 not in pick:  # (with the same triples in the default graph and a named graph, the reader's
        # SPARQL over the union multiplies mention counts; the model written counts each triple once, as
        # graph_view and the HTML view do)
        _same_model(read_view([new[0]]), read_view([new[0]], cache=False))
    # a Turtle output alone
    merge_to_files(paths, tmp_path / "new" / "union.ttl")
    assert (tmp_path / "new" / "union.ttl").read_bytes() == (tmp_path / "new" / "kg.ttl").read_bytes()


@pytest.mark.parametrize("pick", [(0, 1, 2, 3, 4), (5, 0, 6, 7, 8)])
def test_a_merge_read_first_by_two_processes_writes_the_same(merge_inputs, pick, tmp_path, monkeypatch):
    """The first reading (who is who) shared among processes: the same files and the same report
    as read in one process, blank nodes, Turtle in the default graph and a changed interview included."""
    from kg.merge import merge_stream

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    paths = [merge_inputs[i] for i in pick]
    written = {}
    for jobs in (1, 2):
        files, report, _ = merge_stream(paths, tmp_path / f"jobs{jobs}" / "kg.trig", view=write_html, jobs=jobs)
        written[jobs] = ([f.read_bytes() for f in files], _report(report))
    assert written[1] == written[2]
    assert written[2][0][0].count(b"a kg:Interview") >= 1


def test_a_bad_file_stops_a_merge_read_by_two_processes_as_it_stops_one(merge_inputs, tmp_path):
    from kg.merge import merge_stream
    from kg.rdfio import GraphFileError

    bad = tmp_path / "bad.trig"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    paths = [merge_inputs[0], bad, merge_inputs[1], tmp_path / "missing.trig"]
    errors = []
    for jobs in (1, 2):
        with pytest.raises(GraphFileError) as err:
            merge_stream(paths, tmp_path / f"jobs{jobs}" / "kg.trig", jobs=jobs)
        errors.append(str(err.value))
        assert not (tmp_path / f"jobs{jobs}").exists()
    assert errors[0] == errors[1] and errors[0].startswith(f"{bad}:1: not valid")


def test_streamed_merge_reports_what_the_rdflib_merge_reported(merge_inputs, tmp_path, monkeypatch):
    from kg.merge import merge_to_files

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    turtle = merge_inputs[8]  # interviews outside named graphs
    _, report = merge_to_files([merge_inputs[0], merge_inputs[6], merge_inputs[5], turtle], tmp_path / "m.trig")
    kinds = {c.kind for c in report.conflicts}
    assert {"interview", "value", "types", "name"} <= kinds
    assert len(report.warnings) == 1 and str(turtle) in report.warnings[0]
    assert any("kge:openai" in str(k) or str(k).endswith("/openai") for k in report.identified)


def test_two_readings_from_one_start_are_two_evidence_nodes(extractor, tmp_path):
    """A relation read in one sentence and read again with the next one (a pair across the two, an
    unsaid subject) starts at the same place twice: each reading is its own evidence node, with one
    end, one sentence and one confidence, in both writers; a reading alone keeps the node it always had."""
    from kg.corpus import document_from_text
    from kg.export.rdf import ox_quads
    from kg.extract import Extraction, Relation
    from kg.graph import evidence_ids, node_id
    from kg.query import check, open_dataset, run

    first, second = "Nvidia invested in CoreWeave.", "It later bought more of its shares."
    text = first + " " + second + " Microsoft invested in OpenAI."
    alone = Relation("nvidia", "investsIn", "coreweave", 0, len(first), first, "model", "", 0.9, 0.95)
    joined = Relation("nvidia", "investsIn", "coreweave", 0, len(first) + 1 + len(second), first + " " + second,
                      "model+drop", "", 0.6, 0.95)
    start = text.index("Microsoft")
    other = Relation("microsoft", "investsIn", "openai", start, len(text), text[start:], "model", "", 0.9, 0.9)
    ex = Extraction(document_from_text(text, "t.txt"), relations=[alone, joined, other])
    doc_id = ex.doc.doc_id

    ids = evidence_ids(doc_id, ex.relations)
    assert len(set(ids)) == 3
    assert ids[2] == "ev-" + node_id(doc_id, "microsoft", "investsIn", "openai", start)

    ds = new_dataset(with_ontology=False)
    add_extraction(ds, ex, extractor.lexicon, extracted_with="fp")
    quads = interview_quads(ex, extractor.lexicon, extracted_with="fp")
    assert set(quads) == set(ox_quads(ds))

    path = tmp_path / "kg.trig"
    write_trig(ds, path)
    ask = check("SELECT ?ev (COUNT(?end) AS ?n) (SAMPLE(?end) AS ?e) WHERE { ?ev a kg:Evidence ; kg:endOffset ?end } "
                "GROUP BY ?ev")
    counts = sorted((int(r["e"]), int(r["n"])) for r in run(open_dataset([path]), ask))
    assert counts == [(len(first), 1), (len(first) + 1 + len(second), 1), (len(text), 1)]
