"""``kg build --into`` through Oxigraph (``kg.build._build_into``) against the rdflib path it
replaced (``_build_into_rdflib``): the same bytes in kg.ttl, kg.trig and kg.html and the same
report, step by step through an incremental history (first build into an empty folder, new and
unchanged files, a file whose content changed at the same path, the same content at a second
path, --refresh), and the same one-line error for a malformed graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import BuildReport, _build_into_rdflib, build, preflight
from kg.corpus import DEFAULT_MAX_BYTES
from kg.export.html import build_writer

from .conftest import ROOT

CORPUS = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests" / "interviews").glob("*.md"))[:1]]
OUTPUTS = ("kg.trig", "kg.ttl", "kg.html")


def _old_build_into(inputs: list[Path], out_dir: Path, extractor, refresh: bool = False) -> BuildReport:
    """``build(inputs, out_dir, into=True)`` as it was: the same preamble, then the rdflib path."""
    files = preflight(inputs, out_dir)
    report = BuildReport()
    threshold = float(extractor.discovery.get("assert_threshold", 0.6))
    _build_into_rdflib(inputs, out_dir, files, extractor, extractor.lexicon, report, threshold, None, None,
                       [build_writer], refresh, jobs=1, executor="local", scheduler=None,
                       max_bytes=DEFAULT_MAX_BYTES, known=())
    return report


def _summary(report: BuildReport, out_dir: Path) -> tuple:
    m = report.merge
    return (sorted(p.name for p in report.documents), sorted(p.name for p in report.unchanged),
            [w.replace(str(out_dir), "OUT") for w in report.warnings], [p.name for p in report.outputs],
            dict(report.entities), dict(report.relations), report.evidence,
            (sorted(map(str, m.replaced)), [str(c) for c in m.conflicts], m.identified))


@pytest.fixture
def history(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    for p in CORPUS[:3]:
        shutil.copy(p, src / p.name)
    return tmp_path, src


def _same(old: Path, new: Path) -> None:
    for name in OUTPUTS:
        assert (new / name).read_bytes() == (old / name).read_bytes(), name


def test_into_writes_what_the_rdflib_path_wrote(history, extractor):
    tmp, src = history
    old, new = tmp / "old", tmp / "new"
    a, b, c = sorted(src.iterdir())

    def step(inputs, refresh=False):
        r_old = _old_build_into(inputs, old, extractor, refresh)
        _, r_new = build(inputs, new, lexicon=extractor.lexicon, into=True, refresh=refresh, extra_writers=[build_writer])
        _same(old, new)
        assert _summary(r_new, new) == _summary(r_old, old)
        return r_new

    r = step([a, b])  # into an empty folder
    assert len(r.documents) == 2 and not r.merge.replaced
    r = step([a, c])  # one unchanged (not extracted again), one new
    assert [p.name for p in r.unchanged] == [a.name] and [p.name for p in r.documents] == [c.name]
    a.write_text(a.read_text(encoding="utf-8") + "\n英伟达与AMD在数据中心AI芯片市场正面竞争。\n", encoding="utf-8")
    r = step([a])  # changed at the same path: its older graph replaced
    assert len(r.merge.replaced) == 1
    (src / "sub").mkdir()
    shutil.copy(b, src / "sub" / b.name)
    step([src / "sub" / b.name])  # the same content at a second path: one interview, both paths
    assert "sub/" + b.name in (new / "kg.trig").read_text(encoding="utf-8")
    r = step([a, b, c], refresh=True)
    assert len(r.documents) == 3


def test_malformed_graph_fails_before_anything_is_written(history, extractor, runner):
    from kg.cli import app

    tmp, src = history
    out = tmp / "out"
    out.mkdir()
    (out / "kg.trig").write_text("<a> <b> .\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(sorted(src.iterdir())[0]), "--into", str(out)])
    assert r.exit_code == 2
    assert "kg.trig" in r.output and "not valid" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["kg.trig"]
