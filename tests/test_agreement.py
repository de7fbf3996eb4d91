"""bench/agreement.py: two readings of the same texts scored against each other with kg eval's matching."""

from __future__ import annotations

import subprocess
import sys

import yaml

from .conftest import ROOT

TOOL = ROOT / "bench" / "agreement.py"

FIRST = {
    "document": "iv.txt",
    "entities": [
        {"name": "Microsoft", "type": "Company"}, {"name": "OpenAI", "type": "Company"},
        {"name": "Google", "type": "Company"}, {"name": "Andreessen Horowitz", "type": "Company"},
        {"name": "Mistral AI", "type": "Company"}, {"name": "Sam Altman", "type": "Person"},
    ],
    "relations": [
        {"subject": "Microsoft", "relation": "investsIn", "object": "OpenAI", "evidence": "x"},
        {"subject": "OpenAI", "relation": "competesWith", "object": "Google", "evidence": "x"},
        {"subject": "Andreessen Horowitz", "relation": "investsIn", "object": "Mistral AI", "evidence": "x"},
        {"subject": "Sam Altman", "relation": "affiliatedWith", "object": "OpenAI", "evidence": "x"},
    ],
}

SECOND = {
    "document": "iv.txt",
    "entities": [
        {"name": "Microsoft", "type": "Company"}, {"name": "OpenAI", "type": "Company"},
        {"name": "Google", "type": "Company"},
        {"name": "a16z", "type": "Company"},  # the lexicon's alias of Andreessen Horowitz
        {"name": "Mistral", "type": "Company", "aliases": ["Mistral AI"]},
        {"name": "Nvidia", "type": "Company"},
    ],
    "relations": [
        {"subject": "Microsoft", "relation": "investsIn", "object": "OpenAI", "evidence": "x"},
        {"subject": "Google", "relation": "competesWith", "object": "OpenAI", "evidence": "x"},  # either direction
        {"subject": "a16z", "relation": "investsIn", "object": "Mistral", "evidence": "x"},
        {"subject": "Nvidia", "relation": "supplies", "object": "OpenAI", "evidence": "x"},
    ],
}


def run(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def rows(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:] if line.strip()}


def test_agreement_counts_shared_and_single_readings(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "iv.yaml").write_text(yaml.safe_dump(FIRST), encoding="utf-8")
    (b / "iv.yaml").write_text(yaml.safe_dump(SECOND), encoding="utf-8")
    (b / "other.yaml").write_text(yaml.safe_dump(SECOND), encoding="utf-8")  # no namesake in a: skipped
    res = run(a, b)
    assert res.returncode == 0, res.stderr
    assert "other.yaml: not in" in res.stderr
    assert res.stdout.startswith("1 texts read twice")
    got = rows(res.stdout)
    # entities: 5 of the first reading's 6 found (Sam Altman not), Nvidia only in the second
    assert got["entities"][3:] == ["5", "1", "1"]
    # relations: three shared (a reversed rivalry, an alias of the lexicon, an alias of the file),
    # the tie of Sam Altman only in the first, Nvidia's supply only in the second
    assert got["relations"][3:] == ["3", "1", "1"]
    assert got["core"][3:] == ["3", "0", "1"]
    assert got["develops+affiliatedWith"][3:] == ["0", "1", "0"]
    assert got["core"][:3] == ["0.750", "1.000", "0.857"]


def test_agreement_without_shared_files_fails(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (b / "iv.yaml").write_text(yaml.safe_dump(SECOND), encoding="utf-8")
    res = run(a, b)
    assert res.returncode != 0
    assert "no gold file" in res.stderr


def test_agreement_sums_pairs_of_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "iv.yaml").write_text(yaml.safe_dump(FIRST), encoding="utf-8")
    (b / "iv.yaml").write_text(yaml.safe_dump(SECOND), encoding="utf-8")
    res = run(a, b, a, b)
    assert res.returncode == 0, res.stderr
    total = res.stdout.split("all 2 texts\n", 1)[1]
    assert rows("\n\n" + total)["relations"][3:] == ["6", "2", "2"]
    assert run(a, b, a).returncode != 0  # folders come in pairs
