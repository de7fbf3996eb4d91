from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "gold"

os.environ.setdefault("KG_ONTOLOGY_DIR", str(ROOT / "ontology"))


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def lexicon():
    from kg.lexicon import Lexicon

    return Lexicon.load()


@pytest.fixture(scope="session")
def by_name(lexicon) -> dict[str, str]:
    """Lexicon entity ids by English name (the first entity of each name)."""
    names = {}
    for ent in lexicon.entities.values():
        names.setdefault(ent.name, ent.id)
    return names


@pytest.fixture(scope="session")
def extractor(lexicon):
    from kg.extract import Extractor

    return Extractor(lexicon)


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    """``kg build corpus -o OUT`` once per session; returns OUT."""
    from kg.cli import app

    out = tmp_path_factory.mktemp("graphs")
    result = CliRunner().invoke(app, ["build", str(CORPUS), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def corpus_graph(corpus_build):
    from kg.rdfio import load_graph

    return load_graph([corpus_build / "kg.ttl"])


def relations_of(extractor, text: str, name: str = "t.txt") -> set[tuple[str, str, str]]:
    from kg.corpus import document_from_text

    ex = extractor.extract(document_from_text(text, name))
    return {(r.subject, r.predicate, r.object) for r in ex.relations}


def built_graph(tmp_path: Path, text: str, name: str = "interview.txt"):
    """``kg build`` of one interview holding ``text`` (through the CLI, as a user runs it): the graph it wrote."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return built_from(src, tmp_path / "out")


def built_from(src: Path, out: Path):
    """``kg build SRC -o OUT`` through the CLI (it must succeed): the graph it wrote, read back from its TriG."""
    from rdflib import Dataset

    from kg.cli import app

    result = CliRunner().invoke(app, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out / "kg.trig", format="trig")
    return ds


def triples_of(ds) -> set[tuple]:
    """Every (subject, predicate, object) of a graph's named graphs."""
    return {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}


def evidence_of(ds, file_name: str) -> list[tuple[str, int, int]]:
    """Each evidence node of the interview ``file_name``: its sentence, start and end offset."""
    from rdflib import Literal

    rows = ds.query("""PREFIX kg: <https://w3id.org/ai-kg/ontology#>
        SELECT ?sentence ?start ?end WHERE { GRAPH ?g { ?ev kg:sentence ?sentence ; kg:startOffset ?start ;
        kg:endOffset ?end ; kg:document ?d . ?d kg:fileName ?file } }""",
                    initBindings={"file": Literal(file_name)})
    return [(str(sentence), int(start), int(end)) for sentence, start, end in rows]


def assert_evidence_quotes(ds, path: Path) -> None:
    """Every evidence of the interview at ``path`` points into its text (``raw``: for a PDF or a Word file, the text
    extracted from it) at its sentence, as written there: line breaks where the file had them, where the sentence
    reads a space (or none, between two Chinese characters)."""
    from kg.corpus import load_document

    raw = load_document(path).raw
    rows = evidence_of(ds, path.name)
    assert rows
    for sentence, start, end in rows:
        assert "".join(raw[start:end].split()) == "".join(sentence.split()), (raw[start:end], sentence)


def one_line_about(result, name: str) -> str:
    """A build that refused one file: a non-zero exit, no traceback, and exactly one line naming the file (returned)."""
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if name in line]
    assert len(lines) == 1, result.output
    return lines[0]
