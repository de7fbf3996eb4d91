"""Issue 13, a first-time user's day: nothing lost, no wrong answers, one clear line per problem.

Each test fails on the code before the fix: an empty or failed build that rewrote graphs/, an
interview replaced by another of the same file name, a Ctrl-C that left a mixed set of outputs,
tracebacks, raw parser text, 昇腾 labelled 升腾, tables cut to 80 columns, a stale view after
kg merge, a dropped time zone, header labels in evidence sentences."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.cli import app
from kg.rdfio import load_dataset
from kg.vocab import KG, KGE

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FILES = sorted(CORPUS.glob("*.txt"))
SMALL = "台积电为英伟达代工芯片。微软投资了OpenAI。\n"
OTHER = "亚马逊投资了Anthropic。谷歌和OpenAI是竞争对手。\n"


def objects(ds, s, p) -> list:
    return [o for _, _, o, _ in ds.quads((s, p, None, None))]


def lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in ("kg.ttl", "kg.trig", "kg.html") if (folder / name).exists()}


@pytest.fixture(scope="module")
def built(tmp_path_factory, runner) -> Path:
    """A folder holding the outputs of a real build of a small interview."""
    src = tmp_path_factory.mktemp("small-src")
    (src / "a.txt").write_text(SMALL, encoding="utf-8")
    out = tmp_path_factory.mktemp("small-out")
    r = runner.invoke(app, ["build", str(src), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    return out


def _graphs_like(built: Path, dest: Path) -> dict[str, str]:
    shutil.copytree(built, dest)
    return digest(dest)


# ---------------------------------------------------------------- 1. nothing to build

def _binary(d: Path) -> list[str]:
    (d / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return [str(d / "bin.txt")]


def _missing(d: Path) -> list[str]:
    return [str(d / "no-such-interview.txt")]


def _empty_file(d: Path) -> list[str]:
    (d / "empty.txt").write_bytes(b"")
    return [str(d / "empty.txt")]


def _empty_folder(d: Path) -> list[str]:
    (d / "nothing").mkdir()
    return [str(d / "nothing")]


def _no_interviews(d: Path) -> list[str]:
    (d / "docs").mkdir()
    (d / "docs" / "README.md").write_text("# notes\n微软投资了OpenAI。\n", encoding="utf-8")
    (d / "docs" / "slides.pptx").write_bytes(b"PK\x03\x04")
    (d / "docs" / ".hidden.txt").write_text(SMALL, encoding="utf-8")
    return [str(d / "docs")]


@pytest.mark.parametrize("make, says", [
    (_binary, "binary file"),
    (_missing, "no such file"),
    (_empty_file, "empty file"),
    (_empty_folder, "looked for .txt .md .markdown .text .html .htm"),
    (_no_interviews, "looked for .txt .md .markdown .text .html .htm"),
])
def test_nothing_to_build_leaves_the_output_untouched(built, tmp_path, runner, make, says):
    out = tmp_path / "graphs"
    before = _graphs_like(built, out)
    args = make(tmp_path)
    for extra in ([], ["--into"]):
        r = runner.invoke(app, ["build", *args, *(extra or ["-o"]), str(out)])
        assert r.exit_code == 1, r.output
        [line] = lines(r)
        assert line.startswith(f"error: no interview to build in {args[0]}: ") and says in line, line
        assert digest(out) == before
        assert sorted(p.name for p in out.iterdir()) == ["kg.html", "kg.trig", "kg.ttl"]  # no stage left behind


def test_several_inputs_none_usable_one_line(tmp_path, runner, built):
    out = tmp_path / "graphs"
    before = _graphs_like(built, out)
    args = _binary(tmp_path) + _empty_file(tmp_path) + _missing(tmp_path)
    r = runner.invoke(app, ["build", *args, "-o", str(out)])
    assert r.exit_code == 1
    [line] = lines(r)
    assert "bin.txt: binary" in line and "empty.txt: empty" in line and "no-such-interview.txt: no such file" in line
    assert digest(out) == before


def test_build_outside_a_checkout_makes_no_graphs_folder(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["build"])
    assert r.exit_code == 1
    [line] = lines(r)
    assert line.startswith("error: no interview to build") and "corpus/" in line
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 2. an interview is its content and its source

def _interviews(folder: Path) -> dict[str, set[str]]:
    """content hash -> the source paths the graph records for it."""
    ds = load_dataset([folder / "kg.trig"])
    out: dict[str, set[str]] = {}
    for d, _, _, _ in ds.quads((None, RDF.type, KG.Interview, None)):
        [sha] = objects(ds, d, KG.contentHash)
        out[str(sha)] = {str(p) for p in objects(ds, d, KG.sourcePath)}
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_file_name_in_two_folders_keeps_both(tmp_path, runner):
    x, y, g = tmp_path / "x", tmp_path / "y", tmp_path / "g"
    x.mkdir()
    y.mkdir()
    (x / "interview.txt").write_text(SMALL, encoding="utf-8")
    (y / "interview.txt").write_text(OTHER, encoding="utf-8")
    assert runner.invoke(app, ["build", str(x / "interview.txt"), "-o", str(g), "-q"]).exit_code == 0
    r = runner.invoke(app, ["build", str(y / "interview.txt"), "--into", str(g)])
    assert r.exit_code == 0, r.output
    assert "replaced" not in r.output
    held = _interviews(g)
    assert held == {_sha(x / "interview.txt"): {(x / "interview.txt").as_posix()},
                    _sha(y / "interview.txt"): {(y / "interview.txt").as_posix()}}
    ds = load_dataset([g / "kg.trig"])
    assert any(ds.quads((KGE.tsmc, KG.supplies, KGE.nvidia, None)))  # x's relation is still there
    assert any(ds.quads((KGE.amazon, KG.investsIn, KGE.anthropic, None)))  # and y's
    # on disk the path is relative to the graph's folder, so the checkout can move
    assert '"../x/interview.txt"' in (g / "kg.trig").read_text(encoding="utf-8")

    # the file at x changes: it replaces its own graph, and only that one
    (x / "interview.txt").write_text(SMALL + "英特尔与AMD竞争。\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(x / "interview.txt"), "--into", str(g)])
    assert r.exit_code == 0 and "replaced 1 interview graph" in r.output, r.output
    assert _interviews(g) == {_sha(x / "interview.txt"): {(x / "interview.txt").as_posix()},
                              _sha(y / "interview.txt"): {(y / "interview.txt").as_posix()}}


def test_a_copy_keeps_the_content_when_the_original_changes(tmp_path, runner):
    y, z, g = tmp_path / "y", tmp_path / "z", tmp_path / "g"
    y.mkdir()
    z.mkdir()
    (y / "interview.txt").write_text(OTHER, encoding="utf-8")
    assert runner.invoke(app, ["build", str(y), "-o", str(g), "-q"]).exit_code == 0
    shutil.copy(y / "interview.txt", z / "interview.txt")  # same content, another place: not extracted again
    r = runner.invoke(app, ["build", str(z), "--into", str(g)])
    assert r.exit_code == 0 and "already in the graph" in r.output, r.output
    old = _sha(y / "interview.txt")
    assert _interviews(g) == {old: {(y / "interview.txt").as_posix(), (z / "interview.txt").as_posix()}}
    (y / "interview.txt").write_text(OTHER + "英特尔与AMD竞争。\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(y), "--into", str(g)])
    assert r.exit_code == 0, r.output
    # the old text is still z's: kept, now known by z alone; y's new text is added
    assert _interviews(g) == {old: {(z / "interview.txt").as_posix()},
                              _sha(y / "interview.txt"): {(y / "interview.txt").as_posix()}}


def test_merge_keeps_source_paths_true_wherever_it_writes(tmp_path, runner):
    x, g = tmp_path / "x", tmp_path / "g"
    x.mkdir()
    (x / "interview.txt").write_text(SMALL, encoding="utf-8")
    assert runner.invoke(app, ["build", str(x), "-o", str(g), "-q"]).exit_code == 0
    deeper = tmp_path / "a" / "b" / "kg.trig"
    r = runner.invoke(app, ["merge", str(g / "kg.trig"), "-o", str(deeper), "--quiet"])
    assert r.exit_code == 0, r.output
    assert '"../../x/interview.txt"' in deeper.read_text(encoding="utf-8")
    assert _interviews(deeper.parent) == _interviews(g)
    # and a later incremental build into the merged folder still knows the file by its path
    (x / "interview.txt").write_text(OTHER, encoding="utf-8")
    r = runner.invoke(app, ["build", str(x), "--into", str(deeper.parent)])
    assert r.exit_code == 0 and "replaced 1 interview graph" in r.output, r.output
    assert _interviews(deeper.parent) == {_sha(x / "interview.txt"): {(x / "interview.txt").as_posix()}}


# ---------------------------------------------------------------- 6. Ctrl-C

@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """Thirty copies of the corpus (each a distinct interview): a build of several seconds, long enough
    for an interrupt to land inside it."""
    src = tmp_path_factory.mktemp("many")
    for i in range(30):
        for f in FILES:
            (src / f"{i}-{f.name}").write_text(f"第{i}份。\n" + f.read_text(encoding="utf-8"), encoding="utf-8")
    return src


# What the shell reports as 130 either way: exit(130), or (rarely: when the interrupt lands in
# code Python runs through PyRun, during the imports) Python's own re-raise of SIGINT at exit.
INTERRUPTED = (130, -signal.SIGINT)


def _interrupt(src: Path, out: Path, when) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    # a user's Ctrl-C comes from a terminal where SIGINT is not ignored; a test run started in the
    # background of a non-interactive shell inherits SIGINT ignored, and so would its child
    p = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(src), "-o", str(out), "-q"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    when(p)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)


def _in_the_build(p):
    """Once the child has loaded spaCy it is inside ``kg build`` (the command imports it), then
    a moment more: it is loading the lexicon or extracting."""
    maps = Path(f"/proc/{p.pid}/maps")
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        try:
            if "/spacy/" in maps.read_text():
                break
        except OSError:
            pass
        time.sleep(0.02)
    time.sleep(0.5)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the child's progress")
def test_ctrl_c_while_extracting_writes_nothing(built, many, tmp_path):
    out = tmp_path / "graphs"
    before = _graphs_like(built, out)
    r = _interrupt(many, out, _in_the_build)
    assert r.returncode in INTERRUPTED, r.stderr
    assert r.stderr.strip().splitlines() == [f"error: interrupted: nothing written, {out} is as it was"]
    assert digest(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["kg.html", "kg.trig", "kg.ttl"]


def test_ctrl_c_while_writing_replaces_the_set_whole_or_not_at_all(built, many, tmp_path):
    out = tmp_path / "graphs"
    before = _graphs_like(built, out)

    def once_writing(p):
        while not glob.glob(str(out / ".kg-stage-*")) and p.poll() is None:
            time.sleep(0.002)

    r = _interrupt(many, out, once_writing)
    assert r.returncode in INTERRUPTED, r.stderr
    [line] = r.stderr.strip().splitlines()
    after = digest(out)
    if line == f"error: interrupted: nothing written, {out} is as it was":
        assert after == before
    else:
        assert line == f"error: interrupted after the new graph was written whole to {out}"
        assert all(after[name] != before[name] for name in before)  # every file is the new one
    assert sorted(p.name for p in out.iterdir()) == ["kg.html", "kg.trig", "kg.ttl"]


def test_ctrl_c_during_the_renames_is_held_until_the_set_is_complete(built, tmp_path, runner, monkeypatch):
    import kg.atomic

    out = tmp_path / "graphs"
    before = _graphs_like(built, out)
    src = tmp_path / "src"
    src.mkdir()
    (src / "b.txt").write_text(OTHER, encoding="utf-8")
    real_replace = os.replace
    calls = []

    def replace(a, b):
        if Path(b).parent == out:  # putting the set in place (writing it went to a staging folder)
            if not calls:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the first and the second rename
            calls.append(b)
        return real_replace(a, b)

    monkeypatch.setattr(kg.atomic.os, "replace", replace)
    r = runner.invoke(app, ["build", str(src), "-o", str(out), "-q"])
    monkeypatch.undo()
    assert r.exit_code == 130, r.output
    assert lines(r) == [f"error: interrupted after the new graph was written whole to {out}"]
    after = digest(out)
    assert all(after[name] != before[name] for name in before)
    assert len(calls) == 3 and "amazon" in (out / "kg.ttl").read_text(encoding="utf-8")


# ---------------------------------------------------------------- 9. one line, not a traceback

def test_output_that_is_a_file_or_a_file_name(tmp_path, runner):
    src = tmp_path / "a.txt"
    src.write_text(SMALL, encoding="utf-8")
    existing = tmp_path / "out.ttl"
    existing.write_text("# mine\n", encoding="utf-8")
    r = runner.invoke(app, ["build", str(src), "-o", str(existing)])
    assert r.exit_code == 2
    [line] = lines(r)
    assert line.startswith(f"error: {existing}: is a file") and "folder" in line
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    r = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "new.ttl")])
    assert r.exit_code == 2
    [line] = lines(r)
    assert "takes a folder" in line and f"-o {tmp_path / 'new'}" in line
    assert not (tmp_path / "new.ttl").exists()


def test_serve_port_out_of_range(built, runner):
    r = runner.invoke(app, ["serve", str(built / "kg.ttl"), "--port", "80000"])
    assert r.exit_code == 2
    assert lines(r) == ["error: --port 80000: a TCP port is 0 to 65535 (0: any free one)"]


# ---------------------------------------------------------------- 10. parse errors: one clean line everywhere

BAD_TURTLE = '@prefix kg: <https://w3id.org/ai-kg/ontology#> .\n<http://x/a> kg:p "café" ;\n  kg:q <http://x/b> \n<http://x/c> kg:p 1 .\n'


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
def test_parse_errors_read_the_same_in_every_command(tmp_path, runner, suffix):
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(BAD_TURTLE, encoding="utf-8")
    fmt = suffix[1:]
    r = runner.invoke(app, ["query", str(bad), "-q", "ASK {}"])
    [expected] = lines(r)
    assert expected == f"error: {bad}:4: not valid {'turtle' if fmt == 'ttl' else fmt}: a dot is expected at the end of statements (column 1)"
    gold = ROOT / "tests" / "gold"
    commands = [
        ["merge", str(bad), "-o", str(tmp_path / "m.trig")],
        ["view", str(bad), "-o", str(tmp_path / "v.html")],
        ["export", str(bad), "--format", "nt"],
        ["candidates", str(bad)],
        ["eval", str(next(gold.glob("*.yaml"))), str(bad)],
    ]
    for args in commands:
        r = runner.invoke(app, args)
        assert r.exit_code == 2, (args, r.output)
        assert lines(r) == [expected], args
    assert not (tmp_path / "m.trig").exists() and not (tmp_path / "v.html").exists()


def test_lexicon_parse_error_is_the_same_line(tmp_path, runner):
    bad = tmp_path / "mine.ttl"
    bad.write_text(BAD_TURTLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(SMALL, encoding="utf-8")
    r = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--lexicon", str(bad), "-o", str(tmp_path / "g")])
    assert r.exit_code == 2
    assert lines(r) == [f"error: {bad}:4: not valid turtle: a dot is expected at the end of statements (column 1)"]
    r = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "--lexicon", str(tmp_path / "none.ttl"), "-o", str(tmp_path / "g")])
    assert r.exit_code == 2 and lines(r) == [f"error: {tmp_path / 'none.ttl'}: no such file"]
    assert not (tmp_path / "g").exists()


def test_binary_and_rdfxml_parse_errors_have_no_python_reprs(tmp_path, runner):
    binary = tmp_path / "blob.ttl"
    binary.write_bytes(b"\x89PNG\x00\x01\xff\xfe" * 10)
    xml = tmp_path / "cut.rdf"
    xml.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>', encoding="utf-8")
    for path, says in ((binary, f"{binary}:1: not valid turtle: invalid UTF-8"), (xml, f"{xml}:1: not valid xml: ")):
        r = runner.invoke(app, ["view", str(path)])
        [line] = lines(r)
        assert line.startswith(f"error: {says}") and "b'" not in line and "\\x" not in line, line


# ---------------------------------------------------------------- 11. labels keep their characters

def test_labels_keep_the_characters_of_the_lexicon_and_the_text(tmp_path, runner):
    (tmp_path / "zh.txt").write_text("华为的昇腾芯片由中芯国际代工。\n", encoding="utf-8")
    (tmp_path / "hant.txt").write_text("華為自研的昇騰晶片，台積電也曾為華為代工。\n", encoding="utf-8")
    out = tmp_path / "g"
    r = runner.invoke(app, ["build", str(tmp_path), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    ds = load_dataset([out / "kg.trig"])
    labels = {(str(o), o.language) for _, _, o, _ in ds.quads((KGE.ascend, RDFS.label, None, None))}
    assert labels == {("Ascend", "en"), ("昇腾", "zh")}
    alts = {str(o) for _, _, o, _ in ds.quads((KGE.ascend, SKOS.altLabel, None, None))}
    assert "昇騰" in alts  # as the traditional text writes it
    every = {str(o) for _, p, o, _ in ds.quads((None, None, None, None)) if p in (RDFS.label, SKOS.altLabel)}
    assert not any("升腾" in label for label in every)
    huawei = {str(o) for _, _, o, _ in ds.quads((KGE.huawei, SKOS.altLabel, None, None))}
    assert "華為" in huawei


# ---------------------------------------------------------------- 12. tables at full width when piped

def test_tables_are_not_cut_when_piped(corpus_build):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    r = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(corpus_build / "kg.trig"), "--ask",
                        "relations-with-evidence"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    ds = load_dataset([corpus_build / "kg.trig"])
    long = sorted({str(o) for _, _, o, _ in ds.quads((None, KG.sentence, None, None)) if len(str(o)) > 120}, key=len)
    assert long, "the corpus has long evidence sentences"
    flat = " ".join(r.stdout.split())
    assert " ".join(long[-1].split()) in flat  # the longest sentence, whole, not cut at 80 columns
    assert "…" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) > 200


# ---------------------------------------------------------------- 13. merge rewrites the view beside it

def test_merge_into_a_graphs_folder_rewrites_its_view(tmp_path, runner):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "a.txt").write_text(SMALL, encoding="utf-8")
    (b / "b.txt").write_text(OTHER, encoding="utf-8")
    g, h = tmp_path / "g", tmp_path / "h"
    assert runner.invoke(app, ["build", str(a), "-o", str(g), "-q"]).exit_code == 0
    assert runner.invoke(app, ["build", str(b), "-o", str(h), "-q"]).exit_code == 0
    assert "Anthropic" not in (g / "kg.html").read_text(encoding="utf-8")
    r = runner.invoke(app, ["merge", str(g / "kg.trig"), str(h / "kg.trig"), "-o", str(g / "kg.trig")])
    assert r.exit_code == 0, r.output
    assert f"wrote {g / 'kg.trig'}, {g / 'kg.ttl'}, {g / 'kg.html'}" in r.output
    page = (g / "kg.html").read_text(encoding="utf-8")
    assert "Anthropic" in page and "TSMC" in page
    before = (g / "kg.html").read_bytes()
    r = runner.invoke(app, ["merge", str(h / "kg.trig"), "-o", str(g / "kg.trig"), "--no-view", "--quiet"])
    assert r.exit_code == 0 and (g / "kg.html").read_bytes() == before
    r = runner.invoke(app, ["merge", str(h / "kg.trig"), "-o", str(g)])
    assert r.exit_code == 2 and lines(r)[0].startswith(f"error: {g}: is a folder")



def test_a_long_path_in_a_message_is_never_broken_across_lines(tmp_path, runner):
    # in a terminal of 80 columns, a path longer than that is still one piece a user can copy
    deep = tmp_path / ("a_folder_whose_name_is_long_enough" * 2) / ("and_one_more_folder_inside_it" * 2)
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(SMALL, encoding="utf-8")
    (deep / "b.txt").write_text(OTHER, encoding="utf-8")
    assert runner.invoke(app, ["build", str(deep / "a.txt"), "-o", str(deep / "g"), "-q"]).exit_code == 0
    assert runner.invoke(app, ["build", str(deep / "b.txt"), "-o", str(deep / "h"), "-q"]).exit_code == 0
    out = deep / "merged" / "kg.trig"
    # a terminal of 80 columns ($COLUMNS, as a shell exports it)
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "kg.cli", "merge", str(deep / "g" / "kg.trig"), str(deep / "h" / "kg.trig"),
                        "-o", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(str(out)) > 160
    assert f"wrote {out}, {out.with_suffix('.ttl')}, {out.with_name('kg.html')}" in r.stdout.splitlines()

# ---------------------------------------------------------------- 14. dates and header lines

def test_time_zone_of_a_page_is_kept(tmp_path, runner):
    (tmp_path / "p.html").write_text(
        '<html><head><title>t</title><meta property="article:published_time" content="2024-06-12T08:00:00+08:00">'
        "</head><body><p>微软投资了OpenAI。</p></body></html>", encoding="utf-8")
    (tmp_path / "q.txt").write_text("Title: Chips\nDate: 2024-06-12T23:30:15Z\n\nMicrosoft invested in OpenAI.\n",
                                    encoding="utf-8")
    out = tmp_path / "g"
    assert runner.invoke(app, ["build", str(tmp_path), "-o", str(out), "-q"]).exit_code == 0
    ds = load_dataset([out / "kg.trig"])
    dates = {o for _, _, o, _ in ds.quads((None, DCTERMS.date, None, None))}
    assert dates == {Literal("2024-06-12T08:00:00+08:00", datatype=XSD.dateTime),
                     Literal("2024-06-12T23:30:15Z", datatype=XSD.dateTime)}


def test_header_labels_are_not_part_of_sentences(tmp_path, runner):
    raw = "标题：台积电为英伟达代工芯片的故事\n作者：张三\n发布时间：2024-11-17 08:00\n\n正文。微软投资了OpenAI。\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    out = tmp_path / "g"
    assert runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(out), "-q"]).exit_code == 0
    ds = load_dataset([out / "kg.trig"])
    sentences = {}
    for ev, _, _, _ in ds.quads((None, RDF.type, KG.Evidence, None)):
        [text] = map(str, objects(ds, ev, KG.sentence))
        [start], [end] = map(int, objects(ds, ev, KG.startOffset)), map(int, objects(ds, ev, KG.endOffset))
        sentences[text] = raw[start:end]
    assert "台积电为英伟达代工芯片的故事" in sentences
    assert sentences["台积电为英伟达代工芯片的故事"] == "台积电为英伟达代工芯片的故事"  # offsets skip the label
    assert not any(s.startswith(("标题", "作者", "发布时间")) or "张三" in s for s in sentences)
    [title] = {str(o) for _, _, o, _ in ds.quads((None, DCTERMS.title, None, None))}
    assert title == "台积电为英伟达代工芯片的故事"


def test_merge_reports_two_versions_of_one_file(tmp_path, runner):
    x = tmp_path / "x"
    x.mkdir()
    (x / "interview.txt").write_text(SMALL, encoding="utf-8")
    assert runner.invoke(app, ["build", str(x), "-o", str(tmp_path / "old"), "-q"]).exit_code == 0
    (x / "interview.txt").write_text(OTHER, encoding="utf-8")
    assert runner.invoke(app, ["build", str(x), "-o", str(tmp_path / "new"), "-q"]).exit_code == 0
    out = tmp_path / "m" / "kg.trig"
    r = runner.invoke(app, ["merge", str(tmp_path / "old" / "kg.trig"), str(tmp_path / "new" / "kg.trig"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    [line] = [l for l in lines(r) if l.startswith("conflict:")]
    assert f"{(x / 'interview.txt').as_posix()} is held as 2 interviews" in line
    assert len(_interviews(out.parent)) == 2  # both kept: a merge drops nothing
