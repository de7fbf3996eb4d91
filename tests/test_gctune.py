"""kg.gctune: thresholds raised for the duration of a call, restored afterwards."""

import gc

from kg.gctune import fewer_collections


def test_thresholds_restored():
    before = gc.get_threshold()
    with fewer_collections(threshold0=12345, threshold2=77):
        inside = gc.get_threshold()
        assert inside[0] == max(before[0], 12345) and inside[2] == max(before[2], 77)
    assert gc.get_threshold() == before


def test_collector_switched_off_is_left_alone():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_quiet_imports_in_a_fresh_process():
    # off inside, on again after, what existed frozen once (the second use freezes nothing more); a
    # collector the caller switched off stays off; kg build uses it and still collects afterwards
    import subprocess
    import sys

    code = (
        "import gc\n"
        "from kg.gctune import quiet_imports\n"
        "with quiet_imports():\n"
        "    inside = gc.isenabled()\n"
        "    import json\n"
        "first = gc.get_freeze_count()\n"
        "with quiet_imports():\n"
        "    x = [[] for _ in range(1000)]\n"
        "second = gc.get_freeze_count()\n"
        "gc.disable()\n"
        "with quiet_imports():\n"
        "    pass\n"
        "print(inside, first > 1000, second == first, gc.isenabled())\n"
        "gc.enable()\n"
        "a = []; a.append(a); del a\n"
        "print(gc.collect() >= 1)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", "True", "False", "True"]


def test_kg_build_leaves_the_collector_on(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "a.txt"
    src.write_text("Nvidia buys chips from TSMC.\n", encoding="utf-8")
    code = ("import gc, sys\nfrom kg.cli import app\n"
            f"sys.argv = ['kg', 'build', {str(src)!r}, '-o', {str(tmp_path / 'out')!r}, '-q']\n"
            "try:\n    app()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       env={**__import__("os").environ, "KG_CACHE_DIR": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True"]
    assert (tmp_path / "out" / "kg.trig").exists()


def test_no_collections_switches_the_collector_off_and_back():
    from kg.gctune import no_collections

    assert gc.isenabled()
    with no_collections():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()


def test_extraction_runs_without_the_collector_and_leaves_it_on():
    # the collector is off while a document is extracted and on again afterwards, even when
    # extraction fails; extraction leaves no cyclic garbage behind (what makes switching it off free)
    from pathlib import Path

    from kg.corpus import load_document
    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    ex = Extractor(Lexicon.load())
    seen = []
    nlp = ex.nlp("zh")
    real = ex.analyse

    def spy(doc):
        seen.append(gc.isenabled())
        return real(doc)

    ex.analyse = spy
    doc = load_document(sorted(Path(__file__).resolve().parent.parent.joinpath("corpus").glob("*.txt"))[0])
    ex.extract(doc)  # first: anything made once per pipeline
    gc.collect()
    out = ex.extract(doc)
    assert seen == [False, False] and gc.isenabled()
    assert out.relations and gc.collect() == 0

    def boom(doc):
        raise RuntimeError("boom")

    ex.analyse = boom
    try:
        ex.extract(doc)
    except RuntimeError:
        pass
    assert gc.isenabled() and nlp is ex.nlp("zh")
