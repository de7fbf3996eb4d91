"""A synthetic corpus for scale tests: N interviews recombined sentence by sentence from corpus/.

    python bench/gen_corpus.py OUT                     # 1,000 interviews, about 100 MB
    python bench/gen_corpus.py OUT -n 50 --size 20000  # 50 interviews of about 20 KB

Each interview gets a header in the corpus's form (title, 作者, 发布时间, 原文链接) and
paragraphs of sentences drawn at random (fixed seed: the same OUT every time) from the corpus's
sentences, so the text has the corpus's mix of names, relations, markup and both scripts. With
``--formats txt,md,html,gb18030`` some interviews come as Markdown, HTML pages or GB18030 text.
"""

from __future__ import annotations

import argparse
import html
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SPLIT = re.compile(r"(?<=[。！？!?])|\n+")
_HEADER = re.compile(r"^(?:文章作者|作者|发布时间|发布地|原文链接|标题)\s*[:：]")


def sentences(corpus: Path) -> list[str]:
    """The corpus's prose sentences (header lines, image lines and very short bits left out)."""
    out = []
    for path in sorted(corpus.glob("*.txt")):
        for s in _SPLIT.split(path.read_text(encoding="utf-8")):
            s = s.strip()
            if len(s) >= 8 and not _HEADER.match(s) and not s.startswith(("![", "http")):
                out.append(s)
    return out


def interview(rng: random.Random, pool: list[str], i: int, size: int) -> tuple[str, str, list[str]]:
    """(title, header, paragraphs) of about ``size`` UTF-8 bytes."""
    title = rng.choice(pool)[:60]
    day = 1 + i % 28
    header = (f"作者: 合成访谈{i % 37}\n发布时间: 2024-{1 + i % 12:02d}-{day:02d} 08:00\n"
              f"原文链接: https://example.com/interviews/{i:05d}\n")
    paragraphs, total = [], len(header.encode()) + len(title.encode())
    while total < size:
        para = "".join(rng.choice(pool) for _ in range(rng.randint(2, 8)))
        paragraphs.append(para)
        total += len(para.encode()) + 2
    return title, header, paragraphs


def render(fmt: str, title: str, header: str, paragraphs: list[str]) -> tuple[str, bytes]:
    """(file suffix, bytes) of one interview in ``fmt``."""
    if fmt == "html":
        meta = dict(re.findall(r"^(\S+): (.*)$", header, re.M))
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>\n"
                f"<meta name=\"author\" content=\"{html.escape(meta.get('作者', ''))}\">\n"
                f"<link rel=\"canonical\" href=\"{meta.get('原文链接', '')}\"></head>\n"
                f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")
        return ".html", page.encode("utf-8")
    text = f"# {title}\n\n{header}\n" + "\n\n".join(paragraphs) + "\n"
    if fmt == "md":
        return ".md", text.encode("utf-8")
    if fmt == "gb18030":
        return ".txt", text.encode("gb18030")
    return ".txt", text.encode("utf-8")


def generate(out: Path, n: int = 1000, size: int = 100_000, formats: tuple[str, ...] = ("txt",),
             corpus: Path = ROOT / "corpus", seed: int = 2024) -> list[Path]:
    pool = sentences(corpus)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        title, header, paragraphs = interview(rng, pool, i, size)
        suffix, data = render(formats[i % len(formats)], title, header, paragraphs)
        path = out / f"synthetic_{i:05d}{suffix}"
        path.write_bytes(data)
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=1000, help="number of interviews (default 1000)")
    ap.add_argument("--size", type=int, default=100_000, help="bytes per interview, about (default 100000)")
    ap.add_argument("--formats", default="txt", help="comma-separated, cycled: txt, md, html, gb18030")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    files = generate(args.out, args.n, args.size, tuple(args.formats.split(",")), args.corpus, args.seed)
    mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} interviews, {mb:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
