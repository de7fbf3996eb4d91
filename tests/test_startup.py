"""Start-up (issue 12): what a short command imports and builds, the lexicon read without rdflib,
the start-up cache (safe to delete: damaged and stale entries are ignored and written again), and
kg query's lean path (same answers, same text). Behaviour, not time: bench/bench_startup.py times."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "graphs" / "kg.trig"


def modules_after(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, set[str]]:
    """Run ``kg ARGS`` in a fresh Python and return its exit code and the modules it imported."""
    code = ("import json, sys\nfrom kg.cli import app\nsys.argv = ['kg', *json.loads(sys.argv[1])]\n"
            "try:\n    app()\nexcept SystemExit as e:\n    rc = e.code or 0\nelse:\n    rc = 0\n"
            "sys.stderr.write('\\nMODULES ' + json.dumps([rc, sorted(sys.modules)]) + '\\n')\n")
    r = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=cwd, capture_output=True, text=True,
                       env={**os.environ, **(env or {})}, timeout=300)
    line = [l for l in r.stderr.splitlines() if l.startswith("MODULES ")][-1]
    rc, mods = json.loads(line[len("MODULES "):])
    return rc, set(mods)


# ---------------------------------------------------------------- imports

def test_help_imports_no_heavy_library(tmp_path):
    rc, mods = modules_after(["--help"], tmp_path)
    assert rc == 0
    assert not {"spacy", "rdflib", "pyvis", "networkx", "pyoxigraph", "numpy"} & mods


def test_query_with_oxigraph_does_not_build_rdflib_sparql(tmp_path):
    rc, mods = modules_after(["query", str(GRAPH), "--ask", "top-entities"], tmp_path)
    assert rc == 0
    assert not {"spacy", "pyvis", "networkx", "oxrdflib", "rdflib.plugins.sparql", "pyparsing"} & mods


def test_build_writes_the_view_without_importing_pyvis(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Nvidia buys chips from TSMC.\n", encoding="utf-8")
    rc, mods = modules_after(["build", str(src), "-o", str(tmp_path / "out"), "-q"], tmp_path,
                             {"KG_CACHE_DIR": str(tmp_path / "cache")})
    assert rc == 0
    assert "pyvis" not in mods and "networkx" not in mods
    assert "vis-network" in (tmp_path / "out" / "kg.html").read_text(encoding="utf-8")


def test_a_named_command_is_built_alone_and_reads_the_same():
    # kg COMMAND builds that command's click command only (kg.cli._App); its help is the whole group's word for word
    from typer.testing import CliRunner

    runner = CliRunner()
    names = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    assert len(names) == 16
    for name in names:
        one = app._only([name])
        assert one is not None and [c.callback for c in one.registered_commands] == \
            [c.callback for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]
        alone = runner.invoke(one, [name, "--help"], env={"COLUMNS": "100"})
        whole = runner.invoke(app, [name, "--help"], env={"COLUMNS": "100"})
        assert alone.exit_code == whole.exit_code == 0 and alone.output == whole.output, name
    # after the global options too; the group's help, its version and a word that names no command build them all
    assert app._only(["--ontology", "x", "--queries=y", "build", "a.txt"]).registered_commands[0].callback.__name__ == "build"
    assert app._only(["--help"]) is None and app._only(["--version"]) is None and app._only([]) is None
    assert app._only(["nosuch"]) is None


def test_python_dash_m_kg_is_the_kg_command(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.strip().startswith("kg ")


# ---------------------------------------------------------------- pipelines built

@pytest.fixture
def built(monkeypatch, tmp_path):
    from kg import extract

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    extract.PIPELINES_BUILT.clear()
    yield extract.PIPELINES_BUILT
    extract.PIPELINES_BUILT.clear()


def test_an_english_file_builds_only_the_english_pipeline(built, tmp_path):
    from kg.build import build

    src = tmp_path / "en.txt"
    src.write_text("Nvidia buys chips from TSMC, and OpenAI works with Microsoft.\n", encoding="utf-8")
    _, report = build([src], tmp_path / "out")
    assert report.ok and report.relations["supplies"] >= 1
    assert dict(built) == {"en": 1}


def test_a_chinese_file_builds_only_the_chinese_pipeline(built, tmp_path):
    from kg.build import build

    src = tmp_path / "zh.txt"
    src.write_text("英伟达向台积电采购芯片。\n", encoding="utf-8")
    _, report = build([src], tmp_path / "out")
    assert report.ok and dict(built) == {"zh": 1}


def test_with_jobs_the_parent_builds_no_pipeline(built, tmp_path):
    from kg.build import build

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zh.txt").write_text("英伟达向台积电采购芯片。\n", encoding="utf-8")
    (tmp_path / "in" / "en.txt").write_text("Nvidia buys chips from TSMC.\n", encoding="utf-8")
    _, report = build([tmp_path / "in"], tmp_path / "out", jobs=2)
    assert report.ok and len(report.documents) == 2
    assert dict(built) == {}  # the workers built theirs


def test_a_bad_rule_fails_at_once_even_after_a_warm_cache(monkeypatch, tmp_path, lexicon):
    import shutil

    from kg.extract import Extractor
    from kg.lexicon import Lexicon
    from kg.nlp.relations import RuleError

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(onto))
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    Extractor(Lexicon.load())  # good rules: checked and cached
    rules = onto / "relations.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('pattern: "{S}', 'pattern: "({S}', 1), encoding="utf-8")
    with pytest.raises(RuleError, match=r"relations\.yaml: .*bad pattern"):
        Extractor(Lexicon.load())


# ---------------------------------------------------------------- the lexicon without rdflib

def test_both_lexicon_readers_agree_on_the_shipped_lexicon():
    from kg.lexicon import Lexicon

    by_rdflib = Lexicon.load(reader="rdflib")
    by_oxigraph = Lexicon.load(reader="oxigraph", cache=False)
    assert len(by_rdflib) > 500
    assert list(by_rdflib.entities) == list(by_oxigraph.entities)  # the same order
    for eid, ent in by_rdflib.entities.items():
        assert by_oxigraph.entities[eid] == ent, eid  # type, labels (and their order), tags, sector, links
    assert by_rdflib.forms == by_oxigraph.forms and list(by_rdflib.forms) == list(by_oxigraph.forms)
    assert by_rdflib.context_forms == by_oxigraph.context_forms
    assert by_rdflib.maker_prefixes() == by_oxigraph.maker_prefixes()


def test_both_lexicon_readers_give_a_language_tag_in_its_conventional_case(tmp_path):
    # tags are case-insensitive (BCP 47): a file that writes zh-hans is read as zh-Hans by either reader
    from kg.lexicon import Lexicon

    lex_file = tmp_path / "x.ttl"
    lex_file.write_text("""@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix kge: <https://w3id.org/ai-kg/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kge:quillfin a kg:Company ; skos:prefLabel "Quillfin"@en , "奎尔芬"@zh-hans ; skos:altLabel "奎爾芬"@ZH-HANT .
""", encoding="utf-8")
    for reader in ("rdflib", "oxigraph"):
        ent = Lexicon.load([lex_file], reader=reader, cache=False).entities["quillfin"]
        assert ent.pref == {"en": "Quillfin", "zh-Hans": "奎尔芬"} and ent.alt == [("奎爾芬", "zh-Hant")], reader


def test_lexicon_reader_keeps_language_tags_and_reports_bad_files(tmp_path):
    from kg.lexicon import Lexicon, LexiconError

    lex_file = tmp_path / "x.ttl"
    lex_file.write_text("""@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix kge: <https://w3id.org/ai-kg/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kge:zorb a kg:Company ; skos:prefLabel "Zorb"@en , "佐布"@zh-Hans ; skos:altLabel "佐布公司"@zh-Hant-TW , "Zorb Inc" .
""", encoding="utf-8")
    ox, rd = Lexicon.load([lex_file], cache=False), Lexicon.load([lex_file], reader="rdflib")
    assert ox.entities == rd.entities
    assert ox["zorb"].pref == {"en": "Zorb", "zh-Hans": "佐布"}
    assert ox["zorb"].alt == [("佐布公司", "zh-Hant-TW"), ("Zorb Inc", "en")]
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/ai-kg/ontology#> .\nkg:x a kg:Company ;\n skos:prefLabel", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.ttl:\d+: not valid turtle"):
        Lexicon.load([bad])
    with pytest.raises(LexiconError, match="no such file"):
        Lexicon.load([tmp_path / "none.ttl"])


# ---------------------------------------------------------------- the start-up cache

def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / "startup").glob(f"{kind}-*.marshal"))


def test_cached_lexicon_and_extractor_equal_fresh_ones(monkeypatch, tmp_path):
    from kg import startcache
    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    fresh = Lexicon.load(cache=False)
    first = Lexicon.load()  # written
    reads = dict(startcache.reads)
    second = Lexicon.load()  # read back
    assert startcache.reads.get("lexicon", 0) == reads.get("lexicon", 0) + 1
    for lex in (first, second):
        assert list(lex.entities) == list(fresh.entities) and lex.entities == fresh.entities
        assert lex.forms == fresh.forms and lex.context_forms == fresh.context_forms
        assert lex.maker_prefixes() == fresh.maker_prefixes()
    a, b = Extractor(first), Extractor(second)  # the second from the cache
    monkeypatch.setenv("KG_NO_CACHE", "1")
    c = Extractor(Lexicon.load())
    assert a.fingerprint == b.fingerprint == c.fingerprint
    assert a.data == b.data == c.data
    assert len(_entries(tmp_path, "lexicon")) == 1 and len(_entries(tmp_path, "extractor")) == 1


def test_pipeline_data_from_the_cache_equals_a_fresh_one(monkeypatch, tmp_path):
    # what build_pipeline works out of the lexicon and the rules (the names' index, the names a
    # misspelt word may stand for, trigger words, makers) comes back from the start-up cache equal
    from kg import startcache
    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    lexicon = Lexicon.load()
    first = Extractor(lexicon)
    first.nlp("en")  # worked out and stored
    reads = startcache.reads.get("derived", 0)
    second = Extractor(lexicon)
    second.nlp("zh")  # read back
    assert startcache.reads.get("derived", 0) == reads + 1
    monkeypatch.setenv("KG_NO_CACHE", "1")
    fresh = Extractor(lexicon)
    fresh.nlp("zh")
    a, b, c = (ex.data.__dict__["_derived"] for ex in (first, second, fresh))
    assert a.keys() == b.keys() == c.keys() >= {"lexicon_index", "near", "triggers", "makers", "standalone"}
    for name in a:
        assert a[name] == b[name] == c[name], name
    assert len(a["lexicon_index"]) > 10_000
    matchers = [ex.nlp("zh").get_pipe("kg_lexicon") for ex in (second, fresh)]
    assert matchers[0].index == matchers[1].index and (matchers[0].keys == matchers[1].keys).all()


def test_lexicon_matcher_from_patterns_or_from_its_index_is_the_same():
    # a pipeline saved with the lexicon's patterns (setup(patterns=...)) and one saved with their
    # index (setup(index=...), what build_pipeline gives) find the same candidates
    import spacy

    from kg.nlp.mentions import CANDIDATES_KEY, LexiconMatcher, lexicon_index

    patterns = [{"label": "Company", "pattern": "Nvidia", "id": "kg:Nvidia"},
                {"label": "Company", "pattern": "Open  AI", "id": "kg:OpenAI"},
                {"label": "Company", "pattern": "Nvidia", "id": "kg:Nvidia"},
                {"label": "Person", "pattern": "Jensen", "id": "ctx:Jensen"}]
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    words = ["Jensen", "said", "Nvidia", "and", "Open AI", "talk"]  # a name whole, as the lexicon tokenizer gives it
    found = []
    for matcher in (LexiconMatcher().setup(patterns=patterns), LexiconMatcher().setup(index=lexicon_index(patterns))):
        doc = Doc(nlp.vocab, words=words)
        for token in doc:
            token.norm_ = token.text
        found.append([(s.start, s.end, s.label_, s.id_) for s in matcher(doc).spans[CANDIDATES_KEY]])
    assert found[0] == found[1] == [(0, 1, "Person", "ctx:Jensen"), (2, 3, "Company", "kg:Nvidia"),
                                    (4, 5, "Company", "kg:OpenAI")]
    assert lexicon_index(patterns)[nlp.vocab.strings.add("Open AI")] == [("Company", "kg:OpenAI")]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other key", "wrong shape"])
def test_damaged_or_stale_entry_is_ignored_and_rewritten(monkeypatch, tmp_path, damage):
    import marshal

    from kg import startcache
    from kg.lexicon import Lexicon

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    fresh = Lexicon.load()
    [entry] = _entries(tmp_path, "lexicon")
    good = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00not marshal at all")
    elif damage == "other key":  # stale: made for other files (or by other code) under this name
        data = marshal.loads(good)
        entry.write_bytes(marshal.dumps({**data, "key": "0" * 64}))
    else:
        data = marshal.loads(good)
        entry.write_bytes(marshal.dumps({**data, "value": {"entities": [("x",)], "forms": 3}}))
    reads = startcache.reads.get("lexicon", 0)
    again = Lexicon.load()
    assert again.entities == fresh.entities and again.forms == fresh.forms
    assert entry.read_bytes() == good  # written again, whole
    assert startcache.reads.get("lexicon", 0) == reads + (damage == "wrong shape")


def test_changed_lexicon_file_gets_a_new_entry(monkeypatch, tmp_path):
    from kg.lexicon import Lexicon, default_lexicon_paths

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix kg: <https://w3id.org/ai-kg/ontology#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                     "<https://w3id.org/ai-kg/entity/zorb> a kg:Company ; skos:prefLabel \"Zorb\"@en .\n", encoding="utf-8")
    paths = [*default_lexicon_paths(), extra]
    assert "zorb" in Lexicon.load(paths)
    extra.write_text(extra.read_text(encoding="utf-8").replace("zorb", "quux").replace("Zorb", "Quux"), encoding="utf-8")
    lex = Lexicon.load(paths)
    assert "quux" in lex and "zorb" not in lex and "quux" in lex.forms["Quux"]
    assert len(_entries(tmp_path / "cache", "lexicon")) == 2


def test_no_cache_writes_nothing(monkeypatch, tmp_path):
    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("KG_NO_CACHE", "1")
    Extractor(Lexicon.load())
    assert not (tmp_path / "startup").exists()


def test_unwritable_cache_is_no_error(monkeypatch, tmp_path):
    from kg.lexicon import Lexicon

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker))  # a file where the folder would go
    assert len(Lexicon.load()) > 500


# ---------------------------------------------------------------- queries

OLD_TOP_ENTITIES = """PREFIX kg: <https://w3id.org/ai-kg/ontology#>

SELECT ?entity ?type (COUNT(DISTINCT ?doc) AS ?interviews) (SUM(?count) AS ?mentions)
WHERE {
  ?occurrence a kg:Occurrence ; kg:entity ?entity ; kg:document ?doc ; kg:mentionCount ?count .
  ?entity a ?type .
  FILTER (?type IN (kg:Person, kg:Company, kg:Model, kg:Chip))
}
GROUP BY ?entity ?type
ORDER BY DESC(?interviews) DESC(?mentions) ?entity
LIMIT 25
"""


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("args", [[], ["Company"], ["Person"], ["Chip"]])
def test_rewritten_top_entities_gives_the_rows_it_gave_before(engine, args):
    from kg import query as Q
    from kg.questions import bind_arguments, get_question

    ds = Q.open_dataset([GRAPH], engine=engine)
    question = get_question("top-entities")
    assert "VALUES ?type" in question.text  # the rewritten one
    bindings = bind_arguments(question, ds, args)

    def rows(text):
        result = Q.run(ds, Q.check(text, engine=engine), bindings)
        return [tuple(row.get(v) for v in result.vars) for row in result.bindings]

    new, old = rows(question.text), rows(OLD_TOP_ENTITIES)
    assert new == old and len(new) >= (5 if args != ["Chip"] else 1)


OLD_INTERVIEWS = """PREFIX kg: <https://w3id.org/ai-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?interview ?title ?date ?entities ?sentences ?triples
WHERE {
  {
    SELECT ?interview (COUNT(DISTINCT ?entity) AS ?entities)
    WHERE { ?interview a kg:Interview . OPTIONAL { ?occurrence kg:document ?interview ; kg:entity ?entity } }
    GROUP BY ?interview
  }
  {
    SELECT ?interview (COUNT(DISTINCT ?ev) AS ?sentences)
    WHERE { ?interview a kg:Interview . OPTIONAL { ?ev kg:document ?interview ; a kg:Evidence } }
    GROUP BY ?interview
  }
  OPTIONAL {
    SELECT ?interview (COUNT(*) AS ?triples)
    WHERE { GRAPH ?interview { ?s ?p ?o } }
    GROUP BY ?interview
  }
  OPTIONAL { ?interview dcterms:title ?title }
  OPTIONAL { ?interview dcterms:date ?date }
}
ORDER BY ?date ?interview
"""

# interviews with every shape the counts meet: none of anything (a), two occurrence nodes of one
# entity and an evidence node outside its graph (b), two titles (c, two rows), no named graph (d)
SMALL_INTERVIEWS = """@prefix kg: <https://w3id.org/ai-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix d: <https://w3id.org/ai-kg/doc/> .
@prefix e: <https://w3id.org/ai-kg/entity/> .
@prefix x: <https://w3id.org/ai-kg/evidence/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
d:a { d:a a kg:Interview . }
d:b { d:b a kg:Interview ; dcterms:title "B" ; dcterms:date "2024-02-01T00:00:00"^^xsd:dateTime .
      x:o1 a kg:Occurrence ; kg:document d:b ; kg:entity e:openai ; kg:mentionCount 2 .
      x:o2 a kg:Occurrence ; kg:document d:b ; kg:entity e:openai ; kg:mentionCount 1 .
      x:o3 a kg:Occurrence ; kg:document d:b ; kg:entity e:nvidia ; kg:mentionCount 1 .
      x:e1 a kg:Evidence ; kg:document d:b ; kg:sentence "s" . }
d:c { d:c a kg:Interview ; dcterms:title "C1" , "C2" ; dcterms:date "2023-01-01T00:00:00"^^xsd:dateTime .
      x:e2 a kg:Evidence ; kg:document d:b , d:c ; kg:sentence "t" .
      x:o4 kg:document d:c ; kg:entity e:amd . }
d:d a kg:Interview ; dcterms:title "D" .
x:o5 kg:document d:d ; kg:entity e:tsmc .
x:e3 kg:document d:d .
"""


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("graph", ["small", "corpus.trig", "corpus.ttl"])
def test_rewritten_interviews_gives_the_rows_it_gave_before(engine, graph, tmp_path):
    from kg import query as Q
    from kg.questions import get_question

    if graph == "small":
        path = tmp_path / "small.trig"
        path.write_text(SMALL_INTERVIEWS, encoding="utf-8")
    else:
        path = GRAPH.with_suffix("." + graph.split(".")[1])
    ds = Q.open_dataset([path], engine=engine)
    question = get_question("interviews")
    assert "COALESCE" in question.text  # the rewritten one

    def rows(text):
        result = Q.run(ds, Q.check(text, engine=engine))
        return [tuple(row.get(v) for v in result.vars) for row in result.bindings]

    new, old = rows(question.text), rows(OLD_INTERVIEWS)
    assert new == old
    if graph == "small":
        counts = {(str(r[0]).rsplit("/", 1)[1], str(r[1])): tuple(None if n is None else int(n) for n in r[3:])
                  for r in new}
        assert counts == {("a", "None"): (0, 0, 1), ("b", "B"): (2, 2, 18), ("c", "C1"): (1, 1, 10),
                          ("c", "C2"): (1, 1, 10), ("d", "D"): (1, 0, None)}
    else:
        assert len(new) == 2 and all(int(r[3]) > 10 for r in new)


def test_quick_check_agrees_with_rdflib_check():
    from kg import query as Q
    from kg.questions import library

    for q in library().values():
        quick = Q.check(q.text)  # Oxigraph reads it
        assert quick == Q._quick_check(q.text)
        assert quick == Q.check(q.text, engine="rdflib"), q.name
    for text, kind in [("ASK { ?s ?p ?o }", "ASK"), ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
                       ("PREFIX x: <http://x/#a>\n# SELECT\nDESCRIBE x:y", "DESCRIBE")]:
        assert Q.check(text) == Q.check(text, engine="rdflib") == Q.Checked(text, kind)
    # the full check still says what it always said
    with pytest.raises(Q.QueryRefused, match="SERVICE"):
        Q.check("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert Q.check("SELECT * FROM <urn:a> WHERE { ?s ?p ?o }").dataset == Q.DatasetSpec(("urn:a",), ())
    with pytest.raises(Q.QuerySyntaxError, match=r"query:1:\d+: syntax error"):
        Q.check("SELEC ?s WHERE { ?s ?p ?o }")
    with pytest.raises(Q.QuerySyntaxError, match="unknown prefix nope:"):
        Q.check("SELECT ?s WHERE { ?s nope:x ?o }")
    with pytest.raises(Q.QueryRefused, match="update"):
        Q.check("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_lean_dataset_answers_and_labels_as_the_rdflib_one(tmp_path):
    import io

    from rich.console import Console

    from kg import query as Q
    from kg.questions import bind_arguments, library

    lean = Q.open_dataset([GRAPH], lean=True)
    full = Q.open_dataset([GRAPH])
    assert isinstance(lean, Q.OxDataset) and Q.engine_of(lean) == "oxigraph"

    def shown(ds, question, args):
        result = Q.run(ds, Q.check(question.text), bind_arguments(question, ds, args))
        buf = io.StringIO()
        Console(file=buf, width=300, color_system=None).print(Q.result_table(result, ds))
        return result.bindings, buf.getvalue()

    for q in library().values():
        args = {"competitors": ["OpenAI"], "people-by-company": ["Apple"]}.get(q.name, [])
        assert shown(lean, q, args) == shown(full, q, args), q.name
    # relative source paths are read as absolute, as rdfio does
    rows = Q.run(lean, Q.check("SELECT ?p WHERE { ?d kg:sourcePath ?p }")).bindings
    assert rows and all(Path(str(r[next(iter(r))])).is_absolute() for r in rows)


def test_kg_query_lean_path_prints_what_it_printed(runner):
    for engine in ("oxigraph", "rdflib"):
        r = runner.invoke(app, ["query", str(GRAPH), "--ask", "competitors", "OpenAI", "--engine", engine])
        assert r.exit_code == 0, r.output
        assert "Anthropic" in r.output
    a = runner.invoke(app, ["query", str(GRAPH), "--ask", "top-entities", "--format", "csv"])
    b = runner.invoke(app, ["query", str(GRAPH), "--ask", "top-entities", "--format", "csv", "--engine", "rdflib"])
    assert a.exit_code == b.exit_code == 0 and a.output == b.output
    bad = runner.invoke(app, ["query", str(GRAPH.parent / "nope.trig"), "-q", "ASK { ?s ?p ?o }"])
    assert bad.exit_code == 2 and "nope.trig: no such file" in bad.output


def test_view_search_keys_from_the_cache_equal_fresh_ones(monkeypatch, tmp_path):
    from kg.export import html as H

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    names = ["台积电", "英伟达", "Nvidia", "昇腾", "台积电"]
    H._converters.cache_clear()
    first = H.search_keys(names)
    assert "台積電" in first and "nvidia" in first
    assert H._converters.cache_info().misses == 1  # OpenCC loaded
    H._converters.cache_clear()
    assert H.search_keys(names) == first
    assert H._converters.cache_info().misses == 0  # every name known: OpenCC not loaded
    assert H.search_keys([*names, "微软"])[: len(first)] == first  # a new name: converted and added
    monkeypatch.setenv("KG_NO_CACHE", "1")
    H._converters.cache_clear()
    assert H.search_keys(names) == first


# ---------------------------------------------------------------- spaCy without its command line

def _python(code: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=300)


def _cache_runs(code: str, src, tmp_path, runs: tuple[str, ...]) -> list[list[str]]:
    """``code`` run once per run name, each in its own process with ``src`` and ``tmp_path / run`` as
    arguments and the start-up cache in ``tmp_path / "cache"`` (none for "nocache"): the words each printed."""
    outs = []
    for run in runs:
        env = {"KG_CACHE_DIR": str(tmp_path / "cache"), **({"KG_NO_CACHE": "1"} if run == "nocache" else {})}
        r = subprocess.run([sys.executable, "-c", code, str(src), str(tmp_path / run)], capture_output=True,
                           text=True, cwd=ROOT, env={**os.environ, **env}, timeout=300)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout.split())
    return outs


def test_kg_imports_spacy_without_its_command_line_and_spacy_stays_whole():
    r = _python(
        "import sys\n"
        "import kg.nlp.pipeline\n"
        "from kg.nlp import spacy_import\n"
        "print(spacy_import.how, 'spacy.cli' in sys.modules, 'weasel' in sys.modules)\n"
        "import spacy\n"
        "assert not hasattr(spacy, 'cli')\n"
        "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"  # imports the real command line
        "import spacy.cli\n"
        "from spacy.cli.info import info\n"
        "print(spacy.cli.__file__.endswith('spacy/cli/__init__.py'), callable(spacy.cli.setup_cli), info is spacy.cli.info)\n"
        "nlp = spacy.blank('en'); print([t.text for t in nlp('Nvidia sells chips.')])\n")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "lean False False"
    assert lines[1] == "True"
    assert lines[2] == "True True True"
    assert lines[3] == "['Nvidia', 'sells', 'chips', '.']"


def _load_spacy_import(extra: str) -> str:
    """Code that loads kg/nlp/spacy_import.py on its own (kg.nlp's __init__ would import spaCy first),
    runs ``extra``, then import_spacy, and prints how spaCy was imported and whether its CLI was."""
    path = ROOT / "kg" / "nlp" / "spacy_import.py"
    return ("import importlib.util, sys\n"
            f"spec = importlib.util.spec_from_file_location('shim', {str(path)!r})\n"
            "shim = importlib.util.module_from_spec(spec); spec.loader.exec_module(shim)\n"
            f"{extra}\n"
            "spacy = shim.import_spacy()\n"
            "print(shim.how, 'spacy.cli' in sys.modules, type(spacy.cli).__name__, spacy.blank('en').lang)\n")


def test_spacy_laid_out_otherwise_is_imported_as_usual():
    r = _python(_load_spacy_import("shim._LINE = 'from .cli.other import info'"))  # not in spaCy's __init__
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["full", "True", "module", "en"]
    r = _python(_load_spacy_import(""), {"KG_SPACY_FULL_IMPORT": "1"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["full", "True", "module", "en"]


def test_a_spacy_whose_modules_use_the_cli_is_imported_again_as_usual():
    # a spaCy module other than __init__ that needs the command line while spaCy imports: the
    # stand-ins cannot serve it; what was half imported is dropped and spaCy imported as usual
    needs_cli = (
        "class Finder:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'spacy.glossary' and 'stand-in' in (sys.modules.get('spacy.cli').__doc__ or ''):\n"
        "            raise ImportError('spacy.glossary uses spacy.cli')\n"
        "        return None\n"
        "sys.meta_path.insert(0, Finder())")
    r = _python(_load_spacy_import(needs_cli))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["retried", "True", "module", "en"]


# ---------------------------------------------------------------- compiled regular expressions

def test_compiled_patterns_come_back_equal_and_errors_are_re_errors():
    import re

    from kg.nlp import rxcache

    patterns = [(r"(?P<N>[A-Z][a-z]+) (?P=N)", 0), ("英伟达|台积电", 0), (r"chief\s+(?:executive|financial)", re.I),
                (r"(?<![A-Za-z])AI(?![A-Za-z])", re.M)]
    entries: dict = {}
    with rxcache.compiled(entries) as used:
        first = [re.compile(p, f) for p, f in patterns]
        try:
            re.compile("(unclosed")
        except re.error as err:
            error = str(err)
    assert error.startswith("missing ), unterminated subpattern")
    assert set(used) == {(p, int(f)) for p, f in patterns}
    assert first == [re.compile(p, f) for p, f in patterns]  # equal: same flags, same code
    with rxcache.compiled(dict(used)) as again:  # from the entries, without parsing
        second = [re.compile(p, f) for p, f in patterns]
    assert again == used and second == first
    m = second[0].search("Say Hello Hello")
    assert m.group("N") == "Hello" and m.span() == (4, 15)
    # a damaged entry: compiled as usual, and not kept
    bad = {(patterns[1][0], 0): (0, [999, 1, 2], 0, {}, (None,))}
    with rxcache.compiled(bad) as used:
        rx = re.compile(patterns[1][0])
    assert rx == first[1] and not used
    assert re._compile is not None and re.compile("a") == re.compile("a")  # re as it was


def test_the_second_build_takes_its_regexes_and_ontology_from_the_cache_and_writes_the_same_graph(tmp_path):
    src = tmp_path / "zh.txt"
    src.write_text("英伟达首席执行官黄仁勋表示，公司向台积电采购芯片，并与AMD竞争。\n", encoding="utf-8")
    code = ("import sys\nfrom kg.build import build\nfrom kg import startcache\nfrom kg.export.html import build_writer\n"
            "_, report = build([sys.argv[1]], sys.argv[2], extra_writers=[build_writer])\n"
            "print(report.ok, startcache.reads.get('regex', 0), startcache.reads.get('ontology', 0),"
            " startcache.reads.get('derived', 0))\n")
    outs = _cache_runs(code, src, tmp_path, ("cold", "warm", "nocache"))
    # warm: two regex entries, the pipeline's and the module-level patterns of its imports (rxcache.kept),
    # and the pipeline's data worked out of the lexicon and rules (kg.extract._kept_derived)
    assert outs == [["True", "0", "0", "0"], ["True", "2", "1", "1"], ["True", "0", "0", "0"]]
    assert len(list((tmp_path / "cache" / "startup").glob("derived-*.marshal"))) == 1
    assert len(list((tmp_path / "cache" / "startup").glob("regex-*.marshal"))) == 2
    for name in ("kg.trig", "kg.ttl", "kg.html"):
        cold = (tmp_path / "cold" / name).read_bytes()
        assert cold == (tmp_path / "warm" / name).read_bytes() == (tmp_path / "nocache" / name).read_bytes(), name


def test_a_damaged_ontology_entry_is_made_again(monkeypatch, tmp_path):
    from kg import graph, startcache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    fresh = graph.ontology_quads()
    [entry] = (tmp_path / "cache" / "startup").glob("ontology-*.marshal")
    value = startcache.get("ontology", startcache.key("ontology", str(graph.ontology_path().resolve()),
                                                       graph.ontology_path().read_bytes()))
    assert isinstance(value, str) and value.count("\n") == len(fresh) > 100  # N-Quads, a line each
    assert graph.ontology_quads() == fresh
    import marshal

    data = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps({**data, "value": data["value"][:-40] + "<oops"}))
    assert graph.ontology_quads() == fresh  # read again from kg.ttl
    assert marshal.loads(entry.read_bytes())["value"] == value  # and written again


def test_the_names_patterns_are_the_same_in_every_process():
    # the words of each alternation in a fixed order (not a set's): what the cache keys on
    code = ("import re\nfrom kg.nlp import rxcache\nfrom kg.lexicon import Lexicon\nfrom kg.extract import Extractor\n"
            "ex = Extractor(Lexicon.load())\nwith rxcache.compiled({}) as used:\n    ex.nlp('zh')\n"
            "import hashlib\nprint(hashlib.sha256(repr(sorted(used)).encode()).hexdigest())\n")
    seen = set()
    for seed in ("1", "2"):
        r = _python(code, {"PYTHONHASHSEED": seed, "KG_NO_CACHE": "1"})
        assert r.returncode == 0, r.stderr
        seen.add(r.stdout.strip())
    assert len(seen) == 1


def test_the_relation_rules_compile_from_the_cache_in_a_second_process(tmp_path):
    # the rules compile on first use, after the pipeline is built: the second process makes them
    # from the start-up cache without parsing, the same patterns; the graph is the same either way
    src = tmp_path / "zh.txt"
    src.write_text("英伟达首席执行官黄仁勋表示，公司向台积电采购芯片。OpenAI 从微软获得投资。\n", encoding="utf-8")
    code = ("import re, sys\nfrom kg.build import build\nfrom kg.nlp import relations\nparsed = []\n"
            "real = re._compile\n"
            "def spy(p, f):\n"
            "    if type(p) is str and p in RULES: parsed.append(p)\n"
            "    return real(p, f)\n"
            "from kg.extract import Extractor\nfrom kg.lexicon import Lexicon\n"
            "ex = Extractor(Lexicon.load())\nrx = ex.nlp('zh').get_pipe('kg_relations')\n"
            "RULES = {r.source for r in rx.rules} | {r.trigger for r in rx.rules if r.trigger}\n"
            "re._compile = spy\n"
            "_, report = build([sys.argv[1]], sys.argv[2])\n"
            "used = [k for k in relations._COMPILED if k[0] in RULES]\n"
            "same = all(relations._COMPILED[k] == real(*k) for k in used)\n"
            "print(report.ok, len(used) > 0, len(parsed) > 0, same, len(relations._CODE) >= len(rx.rules))\n")
    outs = _cache_runs(code, src, tmp_path, ("nocache", "cold", "warm"))
    # without the cache the rules a sentence uses are parsed when first used; with it (cold: recorded
    # when the pipeline is built and stored; warm: read back) none is
    assert outs == [["True", "True", "True", "True", "False"], ["True", "True", "False", "True", "True"],
                    ["True", "True", "False", "True", "True"]]
    trig = [(tmp_path / run / "kg.trig").read_bytes() for run in ("nocache", "cold", "warm")]
    assert trig[0] == trig[1] == trig[2]


def test_kept_regexes_come_back_equal_and_an_empty_block_leaves_the_entry(monkeypatch, tmp_path):
    """``rxcache.kept(name)``: what a block compiles (module-level patterns of the imports) is kept under
    ``name`` and comes back equal to ``re``'s own; a block that compiles nothing (its modules already
    imported) leaves the entry as it was; with the cache off, nothing is written."""
    import re

    from kg import startcache
    from kg.nlp import rxcache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    patterns = [r"(?P<year>\d{4})年", r"\b(?:raised|closed) (?:a|the) round\b", r"[\u4e00-\u9fff]{2,}"]
    re.purge()
    with rxcache.kept("test-block"):
        first = [re.compile(p, re.IGNORECASE) for p in patterns]
    [entry] = (tmp_path / "cache" / "startup").glob("regex-*.marshal")
    stored = entry.read_bytes()
    re.purge()
    before = startcache.reads.get("regex", 0)
    with rxcache.kept("test-block"):
        again = [re.compile(p, re.IGNORECASE) for p in patterns]
    assert startcache.reads.get("regex", 0) == before + 1
    for a, b, p in zip(first, again, patterns):
        assert a.pattern == b.pattern == p and a.groupindex == b.groupindex
        assert a.findall("2024年 It raised a round. 英伟达") == b.findall("2024年 It raised a round. 英伟达")
    with rxcache.kept("test-block"):
        pass
    assert entry.read_bytes() == stored
    monkeypatch.setenv("KG_NO_CACHE", "1")
    with rxcache.kept("other-block"):
        re.compile(r"x+y", re.IGNORECASE)
    assert len(list((tmp_path / "cache" / "startup").glob("regex-*.marshal"))) == 1
