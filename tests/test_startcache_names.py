"""The names' automaton kept in the start-up cache (issue 12): restored, it finds what a freshly
built one finds; a changed lexicon gets a new entry (the new name found, the old one gone); a
damaged entry is ignored and written again; deleting the cache is always safe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("英伟达与AMD在数据中心AI芯片市场正面竞争,OpenAI 和 Microsoft  继续合作;Zorbtech 与 Quuxware 签约。\n"
        "Jensen   Huang said Nvidia and TSMC would work with OpenAI.\n")


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "startup").glob("automaton-*.marshal"))


def _found(finder, text: str = TEXT) -> list[str]:
    return [text[a:b] for a, b in finder.spans(text)]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KG_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_restored_automaton_finds_what_a_fresh_one_finds(cache, monkeypatch, lexicon):
    from kg import startcache
    from kg.nlp.tokenizer import NameFinder

    forms = sorted(set(lexicon.forms))
    monkeypatch.setenv("KG_NO_CACHE", "1")
    fresh = NameFinder(forms)
    monkeypatch.delenv("KG_NO_CACHE")
    first = NameFinder(forms)  # built and written
    assert len(_entries(cache)) == 1
    reads = startcache.reads.get("automaton", 0)
    second = NameFinder(forms)  # read back
    assert startcache.reads.get("automaton", 0) == reads + 1
    found = _found(fresh)
    assert "英伟达" in found and "Jensen   Huang" in found and "Microsoft" in found
    assert _found(first) == _found(second) == found
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    assert fresh.spans(corpus) == second.spans(corpus)


def test_changed_lexicon_gets_a_new_automaton(cache, lexicon):
    from kg import startcache
    from kg.nlp.tokenizer import NameFinder

    forms = sorted(set(lexicon.forms))
    before = NameFinder([*forms, "Zorbtech"])
    assert "Zorbtech" in _found(before) and "Quuxware" not in _found(before)
    reads = startcache.reads.get("automaton", 0)
    after = NameFinder([*forms, "Quuxware"])  # another lexicon: not the first one's entry
    assert startcache.reads.get("automaton", 0) == reads
    assert "Quuxware" in _found(after) and "Zorbtech" not in _found(after)
    assert len(_entries(cache)) == 2


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "other shape"])
def test_damaged_entry_is_ignored_and_written_again(cache, lexicon, damage):
    import marshal

    from kg import startcache
    from kg.nlp.tokenizer import NameFinder

    forms = sorted(set(lexicon.forms))
    found = _found(NameFinder(forms))
    [entry] = _entries(cache)
    good = entry.read_bytes()
    data = marshal.loads(good)
    if damage == "flipped byte":  # the automaton's bytes changed inside a well-formed entry
        blob = bytearray(data["value"]["args"][0][0])
        blob[len(blob) // 2] ^= 0x5A
        args = list(data["value"]["args"])
        args[0] = [bytes(blob)]
        entry.write_bytes(marshal.dumps({**data, "value": {**data["value"], "args": args}}))
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 3])
    else:
        entry.write_bytes(marshal.dumps({**data, "value": {"args": [b"x", 1], "crc": 0}}))
    damaged = entry.read_bytes()
    assert _found(NameFinder(forms)) == found  # built again
    assert entry.read_bytes() != damaged  # written again (pyahocorasick's bytes hold padding: not byte-equal)
    reads = startcache.reads.get("automaton", 0)
    assert _found(NameFinder(forms)) == found and startcache.reads.get("automaton", 0) == reads + 1


def test_one_line_build_with_the_cache_deleted_between_runs(tmp_path):
    """Whole ``kg build`` processes: cold, warm, and after deleting the cache folder, the same files."""
    import shutil

    src = tmp_path / "one.txt"
    src.write_text("英伟达与AMD在数据中心AI芯片市场正面竞争。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**__import__("os").environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_NO_CACHE", None)
    outputs = []
    for run in ("cold", "warm", "deleted"):
        if run == "deleted":
            shutil.rmtree(cache)
        out = tmp_path / run
        r = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "-q"], env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert _entries(cache), run
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".trig", ".ttl")})
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"amd" in outputs[0]["kg.trig"].lower()
