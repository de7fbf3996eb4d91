"""How much of a new text the repository already holds: the share of its characters (whitespace removed)
covered by 20-character runs that occur in another text of the repository (tests/realtext/*/texts,
corpus/, tests/heldout/*/interviews, tests/interviews), and the text sharing most. Run on every text
collected for annotation before it is committed: a copy or rewrite of a seen article (most of it shared)
must not enter a locked set; site boilerplate shares a few per cent.

    python bench/shared_passages.py /work/annot/test11/*/texts/*.txt
    python bench/shared_passages.py tests/realtext/test11/texts/*.txt     # a committed text skips itself

Prints one line per text: the share covered, the text sharing most and how many runs it shares."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = 20
_SPACE = re.compile(r"\s+")


def repository_texts() -> list[Path]:
    return sorted([*ROOT.glob("tests/realtext/*/texts/*"), *ROOT.glob("corpus/*"),
                   *ROOT.glob("tests/heldout/*/interviews/*"), *ROOT.glob("tests/interviews/*")])


def squeezed(path: Path) -> str | None:
    try:
        return _SPACE.sub("", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("texts", type=Path, nargs="+")
    args = ap.parse_args()
    mine = {p.resolve() for p in args.texts}
    index: dict[str, Path] = {}
    for path in repository_texts():
        if path.resolve() in mine:
            continue
        text = squeezed(path)
        for i in range(len(text or "") - RUN + 1):
            index.setdefault(text[i:i + RUN], path)
    for path in args.texts:
        text = squeezed(path)
        if text is None:
            print(f"{path}: not readable as UTF-8 text")
            continue
        covered = bytearray(len(text))
        sources: dict[Path, int] = {}
        for i in range(len(text) - RUN + 1):
            src = index.get(text[i:i + RUN])
            if src is not None:
                sources[src] = sources.get(src, 0) + 1
                covered[i:i + RUN] = b"\x01" * RUN
        share = sum(covered) / len(text) if text else 0.0
        top = max(sources.items(), key=lambda kv: kv[1]) if sources else None
        most = f"{top[0].relative_to(ROOT)} ({top[1]} runs)" if top else "-"
        print(f"{path.name:64s} {share:6.1%}  {most}")


if __name__ == "__main__":
    main()
