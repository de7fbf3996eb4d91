"""Parallel extraction (--jobs, Dask) builds the same graph as one process; an interrupted
build leaves the previous outputs intact."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.cli import app
from kg.parallel import FileResult, ParallelError, dask_results, results

from .conftest import CORPUS, ROOT

OUTPUTS = ("kg.ttl", "kg.trig", "kg.html")


def same_bytes(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The corpus, an HTML page, a bad file and an empty one."""
    src = tmp_path_factory.mktemp("inputs")
    for p in sorted(CORPUS.glob("*.txt")):
        shutil.copy(p, src / p.name)
    (src / "page.html").write_text("<html><head><title>台积电</title></head><body><p>台积电为英伟达代工芯片。</p>"
                                   "<p>微软投资了OpenAI。</p></body></html>", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (src / "empty.md").write_text("")
    return src


def build_cli(runner, src: Path, out: Path, *extra: str):
    result = runner.invoke(app, ["build", str(src), "-o", str(out), "-q", *extra])
    assert result.exit_code == 1, result.output  # the bad file makes it 1, the others are built
    return result


@pytest.fixture(scope="module")
def serial_out(inputs, tmp_path_factory, runner):
    out = tmp_path_factory.mktemp("serial")
    build_cli(runner, inputs, out)
    return out


def test_jobs_gives_the_same_graph(inputs, serial_out, tmp_path, runner):
    result = build_cli(runner, inputs, tmp_path, "--jobs", "2")
    for name in OUTPUTS:
        assert same_bytes(serial_out / name, tmp_path / name), name
    assert "binary.txt" in result.stderr and "empty.md" in result.stderr


def test_dask_local_cluster_gives_the_same_graph(inputs, serial_out, tmp_path, runner):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as cluster:
        result = build_cli(runner, inputs, tmp_path, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    for name in OUTPUTS:
        assert same_bytes(serial_out / name, tmp_path / name), name
    assert "binary.txt" in result.stderr


def test_results_keep_input_order(inputs, extractor):
    from kg.corpus import iter_input_files

    files = iter_input_files([inputs])
    got = list(results(files, extractor, jobs=2))
    assert [r.path for r in got] == files
    assert all(isinstance(r, FileResult) for r in got)
    by_name = {r.path.name: r for r in got}
    assert by_name["binary.txt"].failed and by_name["empty.md"].skipped
    ex = by_name["000_9947a042a113937a.txt"].extraction
    assert ex.doc.doc_id and not hasattr(ex.doc, "raw")  # the texts stay in the worker


def test_unreachable_scheduler_is_one_line(inputs, extractor):
    pytest.importorskip("distributed")
    with pytest.raises(ParallelError) as info:
        list(dask_results([CORPUS / "000_9947a042a113937a.txt"], extractor, "tcp://127.0.0.1:9", timeout=2))
    assert "tcp://127.0.0.1:9" in str(info.value) and "\n" not in str(info.value)


def test_dask_needs_a_scheduler(runner, tmp_path):
    result = runner.invoke(app, ["build", str(CORPUS), "-o", str(tmp_path), "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.stderr


def _kill_when(proc: subprocess.Popen, ready, limit: float = 60) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; True if it was still running then."""
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None and not ready():
        time.sleep(0.005)
    running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return running


def test_killed_build_leaves_previous_outputs(corpus_build, tmp_path):
    out = tmp_path / "graphs"
    shutil.copytree(corpus_build, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    src = tmp_path / "many"
    src.mkdir()
    text = (CORPUS / "001_60950b37aab0536c.txt").read_text(encoding="utf-8")
    for i in range(80):  # about 7.5 MB: several seconds of extraction
        (src / f"copy{i:02d}.txt").write_text(f"第{i}份\n\n" + text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(src), "-o", str(out)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    assert _kill_when(proc, lambda: time.monotonic() - started > 3), "the build ended before it could be killed"
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".tmp")}
    assert after == before
    Dataset().parse(out / "kg.trig", format="trig")


def test_killed_while_writing_leaves_the_old_file(tmp_path):
    target = tmp_path / "kg.trig"
    target.write_text("old and complete\n")
    code = ("import sys, time\nfrom kg.atomic import atomic_path\n"
            "with atomic_path(sys.argv[1]) as tmp:\n"
            "    fh = open(tmp, 'w'); fh.write('half of the new'); fh.flush()\n"
            "    print('writing', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert _kill_when(proc, lambda: True)
    assert target.read_text() == "old and complete\n"


def test_known_content_is_not_extracted_again(inputs, extractor):
    """What an incremental build (kg build --into) needs: unchanged files are only hashed."""
    import hashlib

    from kg.build import build

    first = CORPUS / "000_9947a042a113937a.txt"
    known = {hashlib.sha256(first.read_bytes()).hexdigest()}
    files = sorted(CORPUS.glob("*.txt"))
    got = list(results(files, extractor, known=known))
    assert got[0].unchanged in known and got[0].extraction is None
    assert got[1].unchanged is None and got[1].extraction is not None
    _, report = build(files, inputs.parent / "known-out", lexicon=extractor.lexicon, known=known)
    assert report.unchanged == [first] and report.documents == [files[1]]


def test_a_pool_worker_loads_spacy_and_the_extractor_quietly(tmp_path):
    # importing kg.parallel (what a spawned worker does first) does not import spaCy; the worker
    # loads it with the extractor in its initializer, with the collector off, and then freezes what
    # it loaded (the collector on again); its results are the one-process results
    code = ("import sys\nimport kg.parallel\nprint('spacy' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False"]
    code = ("import gc, multiprocessing, pickle\n"
            "from concurrent.futures import ProcessPoolExecutor\n"
            "from kg.extract import Extractor\nfrom kg.lexicon import Lexicon\n"
            "from kg import parallel\n"
            "if __name__ == '__main__':\n"
            "    blob = parallel.portable_extractor(Extractor(Lexicon.load()))\n"
            "    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'),\n"
            "                             initializer=parallel._init_worker, initargs=(blob, 10**7, frozenset())) as pool:\n"
            "        print(pool.submit(gc.get_freeze_count).result() > 10000, pool.submit(gc.isenabled).result())\n")
    script = tmp_path / "pool.py"
    script.write_text(code, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True"]


def test_the_parent_of_a_pool_build_never_imports_spacy(tmp_path):
    # with --jobs the workers build the pipelines; the parent (the kg command itself) reads, writes
    # and merges without spaCy, whether the start-up cache is warm or cold; the files are those of
    # a one-process build
    code = ("import sys\nfrom kg.cli import app\n"
            "try:\n    app()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, 'spacy' in sys.modules, sorted(m for m in sys.modules if m.startswith('kg.nlp.')))\n")
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    outs = []
    for run in ("cold", "warm"):
        out = tmp_path / run
        r = subprocess.run([sys.executable, "-c", code, "build", str(CORPUS), "-o", str(out), "--jobs", "2", "-q"],
                           capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout.strip())
    # what the parent needs of kg.nlp: the pipeline's settings (plain) and the kept regular expressions of
    # its imports (rxcache, which imports only re)
    assert outs[1] == "0 False ['kg.nlp.plain', 'kg.nlp.rxcache']"
    assert outs[0] in ("0 False ['kg.nlp.plain', 'kg.nlp.rxcache']",
                       "0 True " + outs[0].split(" ", 2)[2])  # a cold cache checks the rules
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(CORPUS), "-o", str(tmp_path / "one"), "-q"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    for name in ("kg.trig", "kg.ttl", "kg.html"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
