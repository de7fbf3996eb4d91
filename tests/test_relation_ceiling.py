"""bench/relation_ceiling.py: which gold relations the relation model has a candidate pair for, and
that it never reads a locked test set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

TOOL = ROOT / "bench" / "relation_ceiling.py"

TEXT = """Host: Welcome Lisa Su, the CEO of AMD.
Lisa Su: Thanks for having me. Our biggest partner this year is OpenAI.
Host: And the competition?
Lisa Su: Intel is still around.
Nvidia sells chips. Our rivals are many.
"""

GOLD = {
    "document": "iv.txt",
    "entities": [
        {"name": "Lisa Su", "type": "Person"}, {"name": "AMD", "type": "Company"},
        {"name": "OpenAI", "type": "Company"}, {"name": "Intel", "type": "Company"},
        {"name": "Nvidia", "type": "Company"}, {"name": "Anthropic", "type": "Company"},
    ],
    "relations": [
        {"subject": "Lisa Su", "relation": "affiliatedWith", "object": "AMD", "evidence": "Lisa Su, the CEO of AMD"},
        # "Our": the speaker's company, paired by a model trained with ``speaker`` (--set speaker=true)
        {"subject": "AMD", "relation": "supplies", "object": "OpenAI", "evidence": "Our biggest partner this year is OpenAI"},
        # no pair of AMD and Intel anywhere: the speaker's "we" is not in that sentence
        {"subject": "AMD", "relation": "competesWith", "object": "Intel", "evidence": "Intel is still around"},
        # Anthropic is not in the text
        {"subject": "Anthropic", "relation": "competesWith", "object": "OpenAI", "evidence": "Our biggest partner"},
    ],
}


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def _splits(tmp_path: Path, folder: str) -> Path:
    base = tmp_path / folder
    (base / "texts").mkdir(parents=True)
    (base / "gold").mkdir()
    (base / "texts" / "iv.txt").write_text(TEXT, encoding="utf-8")
    (base / "gold" / "iv.yaml").write_text(yaml.safe_dump(GOLD, allow_unicode=True), encoding="utf-8")
    splits = tmp_path / "splits.yaml"
    splits.write_text(yaml.safe_dump({"dev": [{"texts": f"{folder}/texts", "gold": f"{folder}/gold"}]}), encoding="utf-8")
    return splits


def test_ceiling_classes_each_gold_relation(tmp_path):
    splits = _splits(tmp_path, "mine")
    out = _run(splits, "dev", "--show", "candidate,no-pair,one-missing", "--set", "speaker=true")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "  [candidate] iv.txt: AMD supplies OpenAI | Our biggest partner this year is OpenAI" in lines
    assert "  [candidate] iv.txt: Lisa Su affiliatedWith AMD | Lisa Su, the CEO of AMD" in lines
    assert "  [no-pair] iv.txt: AMD competesWith Intel | Intel is still around" in lines
    assert "  [one-missing] iv.txt: Anthropic competesWith OpenAI | Our biggest partner" in lines
    assert any(line.startswith("dev: 1 files, ") and "candidate pairs" in line for line in lines)
    assert "  core 3: candidate 1 (33%), no-pair 1 (33%), one-missing 1 (33%)" in lines
    assert "  develops+affiliatedWith 1: candidate 1 (100%)" in lines


def test_ceiling_refuses_the_locked_sets(tmp_path):
    splits = _splits(tmp_path / "realtext", "test")  # .../realtext/test/...: a locked set's path
    out = _run(splits, "dev")
    assert out.returncode == 2 and "locked test set" in out.stderr and not out.stdout
    assert _run(ROOT / "tests" / "realtext" / "splits.yaml", "test").returncode == 2


def test_ceiling_bad_input_is_one_line(tmp_path):
    out = _run(tmp_path / "none.yaml", "dev")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "none.yaml" in out.stderr
    out = _run(_splits(tmp_path, "mine"), "nosuch")
    assert out.returncode == 2 and "no split named 'nosuch'" in out.stderr


CORE_MISSES = ROOT / "bench" / "core_misses.py"


def test_core_misses_counts_where_each_gold_core_relation_goes(tmp_path):
    """bench/core_misses.py: every gold core relation of a read set lands in one row (found, an end not found, no
    candidate pair, or the model's probability band), and a locked set is refused."""
    folder = tmp_path / "devx"
    (folder / "texts").mkdir(parents=True)
    (folder / "gold").mkdir()
    (folder / "texts" / "iv.txt").write_text(
        "Nvidia sold thousands of H100 chips to Microsoft last year. Zorvex Quill is a company nobody names.\n",
        encoding="utf-8")
    gold = {"document": "iv.txt",
            "entities": [{"name": "Nvidia", "type": "Company"}, {"name": "Microsoft", "type": "Company"},
                         {"name": "Oracle", "type": "Company"}],
            "relations": [{"subject": "Nvidia", "relation": "supplies", "object": "Microsoft",
                           "evidence": "Nvidia sold thousands of H100 chips to Microsoft last year."},
                          {"subject": "Oracle", "relation": "competesWith", "object": "Microsoft",
                           "evidence": "Nvidia sold thousands of H100 chips to Microsoft last year."}]}
    (folder / "gold" / "iv.yaml").write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    run = subprocess.run([sys.executable, str(CORE_MISSES), str(folder)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in run.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| where")}
    assert ": 2" in run.stdout.splitlines()[0]
    assert rows["output"] == "1" and rows["end not found"] == "1"
    locked = tmp_path / "test99"
    (locked / "texts").mkdir(parents=True)
    refused = subprocess.run([sys.executable, str(CORE_MISSES), str(locked)], capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0 and "locked" in refused.stderr
