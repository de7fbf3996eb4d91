"""A non-editable install: the wheel carries the ontology, lexicon, rules and ready questions, and
kg uses them from any folder (an ``ontology/`` folder where it runs does not replace them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

INTERVIEW = "台积电为英伟达代工芯片。微软投资了OpenAI。华为的昇腾芯片由中芯国际代工。\n"


def _run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (offline: this venv's setuptools, no index),
    installed into a fresh venv that borrows only the dependencies; returns its python."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("kg", "ontology", "queries"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
              "-w", str(dist), str(src)])
    assert r.returncode == 0, r.stderr
    [wheel] = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ROOT.joinpath("kg").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert path.relative_to(ROOT).as_posix() in names, f"{path} is not in the wheel"
    for folder in ("ontology", "queries"):
        for path in ROOT.joinpath(folder).rglob("*"):
            if path.is_file():
                assert f"kg/_data/{path.relative_to(ROOT).as_posix()}" in names, f"{path} is not in the wheel"

    venv = tmp / "venv"
    r = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert r.returncode == 0, r.stderr
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # --target: into the fresh venv only (--prefix would uninstall this venv's own kg first)
    r = _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)])
    assert r.returncode == 0, r.stderr
    # the dependencies come from this venv; its editable kg does not (a path in a .pth file is not a site dir)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("KG_ONTOLOGY_DIR", "KG_QUERIES_DIR", "PYTHONPATH")}
    return env


def test_wheel_builds_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "notes"
    elsewhere.mkdir()
    (elsewhere / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
    work = tmp_path / "work"
    # a folder of the user's own named ontology/ and queries/ (here: broken) must not replace the shipped data
    (work / "ontology" / "lexicon").mkdir(parents=True)
    (work / "ontology" / "kg.ttl").write_text("not turtle at all", encoding="utf-8")
    (work / "ontology" / "lexicon" / "x.ttl").write_text("@prefix broken", encoding="utf-8")
    (work / "queries").mkdir()
    (work / "queries" / "competitors.rq").write_text("SELECT nonsense", encoding="utf-8")
    env = _clean_env()

    r = _run([str(installed), "-c", "import kg, kg.lexicon; print(kg.__file__); print(kg.lexicon.ontology_dir())"],
             cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    kg_file, onto = r.stdout.split()
    assert str(installed.parent.parent) in kg_file and str(ROOT) not in kg_file  # the wheel's kg, not the checkout's
    assert onto.endswith("kg/_data/ontology")

    r = _run([str(installed), "-m", "kg.cli", "build", str(elsewhere), "-o", "graphs", "-q"], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    for name in ("kg.ttl", "kg.trig", "kg.html"):
        assert (work / "graphs" / name).stat().st_size > 0
    r = _run([str(installed), "-m", "kg.cli", "query", "graphs/kg.trig", "--ask", "who-supplies-whom", "--format", "csv"],
             cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    assert "tsmc" in r.stdout and "nvidia" in r.stdout
    r = _run([str(installed), "-m", "kg.cli", "query", "graphs/kg.trig", "--list"], cwd=work, env=env)
    assert r.returncode == 0 and "competitors" in r.stdout

    # the user's folder is used when named
    r = _run([str(installed), "-m", "kg.cli", "--ontology", "ontology", "build", str(elsewhere), "-o", "mine", "-q"],
             cwd=work, env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "ontology" in r.stderr
    assert not (work / "mine").exists()


def test_checkout_ignores_an_ontology_folder_in_the_current_directory(tmp_path, monkeypatch):
    from kg.lexicon import ontology_dir
    from kg.questions import queries_dir

    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    monkeypatch.delenv("KG_QUERIES_DIR", raising=False)
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "kg.ttl").write_text("", encoding="utf-8")
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "a.rq").write_text("SELECT * {}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert ontology_dir() == ROOT / "ontology"
    assert queries_dir() == ROOT / "queries"
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path / "ontology"))
    assert ontology_dir() == tmp_path / "ontology"
