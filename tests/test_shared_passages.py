"""bench/shared_passages.py: a copy of a repository text is seen as one, a new text is not."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

TOOL = ROOT / "bench" / "shared_passages.py"


def test_a_copy_is_covered_and_a_new_text_is_not(tmp_path):
    source = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_text("A new title\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("Zyxwv qutsr ponml kjihg fedcb a9876 54321 " * 3, encoding="utf-8")
    res = subprocess.run([sys.executable, str(TOOL), str(copy), str(fresh)], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    lines = {line.split()[0]: line.split()[1:] for line in res.stdout.splitlines()}
    share, src = float(lines["copy.txt"][0].rstrip("%")), lines["copy.txt"][1]
    assert share > 95 and src.endswith(source.name)
    assert lines["fresh.txt"][:2] == ["0.0%", "-"]
