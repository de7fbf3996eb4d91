"""bench/locked_totals.py: each test set of a splits file built and scored as totals only, and pooled by
summing right, wrong and missed."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from .conftest import ROOT

TOOL = ROOT / "bench" / "locked_totals.py"

SETS = {
    "alpha": ("Microsoft invested $10 billion in OpenAI. Satya Nadella is the CEO of Microsoft.\n", {
        "entities": [{"name": "Microsoft", "type": "Company"}, {"name": "OpenAI", "type": "Company"},
                     {"name": "Satya Nadella", "type": "Person"}],
        "relations": [
            {"subject": "Microsoft", "relation": "investsIn", "object": "OpenAI",
             "evidence": "Microsoft invested $10 billion in OpenAI"},
            {"subject": "Satya Nadella", "relation": "affiliatedWith", "object": "Microsoft",
             "evidence": "Satya Nadella is the CEO of Microsoft"}]}),
    # a gold entity the text never names: one missed entity, one missed core relation
    "beta": ("AMD competes with Nvidia in data-centre GPUs.\n", {
        "entities": [{"name": "AMD", "type": "Company"}, {"name": "Nvidia", "type": "Company"},
                     {"name": "Anthropic", "type": "Company"}],
        "relations": [
            {"subject": "AMD", "relation": "competesWith", "object": "Nvidia",
             "evidence": "AMD competes with Nvidia in data-centre GPUs"},
            {"subject": "Anthropic", "relation": "competesWith", "object": "Nvidia",
             "evidence": "AMD competes with Nvidia"}]}),
}


def _splits(tmp_path):
    entries = []
    for name, (text, gold) in SETS.items():
        (tmp_path / name / "texts").mkdir(parents=True)
        (tmp_path / name / "gold").mkdir()
        (tmp_path / name / "texts" / "iv.txt").write_text(text, encoding="utf-8")
        gold = {"document": "iv.txt", "language": "en", **gold}
        (tmp_path / name / "gold" / "iv.yaml").write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
        entries.append({"texts": f"{name}/texts", "gold": f"{name}/gold"})
    path = tmp_path / "splits.yaml"
    path.write_text(yaml.safe_dump({"test": entries}), encoding="utf-8")
    return path


def test_each_set_and_the_pool_as_totals(tmp_path):
    splits, out = _splits(tmp_path), tmp_path / "totals.json"
    done = subprocess.run([sys.executable, str(TOOL), "--splits", str(splits), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [ln.split()[0] for ln in lines[1:]] == ["alpha", "beta", "pooled"]
    totals = json.loads(out.read_text(encoding="utf-8"))
    alpha, beta = totals["sets"]["alpha"], totals["sets"]["beta"]
    assert alpha["entities"]["tp"] == 3 and beta["entities"]["fn"] == 1
    assert beta["core"]["fn"] >= 1  # Anthropic is never named
    for group in ("entities", "relations", "core", "develops+affiliatedWith"):
        for k in ("tp", "fp", "fn"):
            assert totals["pooled"][group][k] == alpha[group][k] + beta[group][k]
    # totals only: no file, subject or relation of a miss is printed
    assert "Anthropic" not in done.stdout and "missed " not in done.stdout


def test_an_unknown_set_is_refused_in_one_line(tmp_path):
    splits = _splits(tmp_path)
    done = subprocess.run([sys.executable, str(TOOL), "--splits", str(splits), "--sets", "gamma"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no test set named gamma" in done.stderr
