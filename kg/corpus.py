"""Files -> ``Document``: decoded text, prose text with markup removed, offset map, metadata.

Three texts per document, all views of one decoded file:

- ``raw``    the decoded file, exactly (offsets in the graph point into this);
- ``clean``  prose only: image/link markup, URLs, emphasis markers and block markers removed,
             soft line wraps joined. ``offsets[i]`` is the index in ``raw`` of ``clean[i]``;
- ``norm``   ``clean`` normalised for matching (simplified, half-width); same length as ``clean``.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from charset_normalizer import from_bytes

from .textnorm import cjk_ratio, is_cjk, normalise, traditional_ratio

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SKIP_NAMES = {"readme.md", "readme.txt", "readme"}


class InputError(Exception):
    """A file that cannot be read as an interview. ``str(err)`` is the one-line message."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class EmptyInput(InputError):
    """A file with no text; skipped with a warning, not an error."""


@dataclass
class Document:
    path: Path
    raw: str
    clean: str
    offsets: array
    norm: str
    encoding: str
    sha256: str
    meta: dict = field(default_factory=dict)
    language: str = "zh"

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def doc_id(self) -> str:
        """Stable id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``clean``/``norm`` to the matching span of ``raw``."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


# ---------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_FALLBACK_ENCODINGS = ["gb18030", "big5", "big5hkscs", "utf_16", "cp1252"]


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ``InputError`` for binary or undecodable data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as err:
                raise InputError(path, f"starts with a {enc} byte-order mark but is not valid {enc} ({err.reason})")
    if b"\x00" in data[:8192]:
        # UTF-16 without a BOM shows NULs every other byte in ASCII-heavy text.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text) and _plausible_utf16(text):
                return text, enc
        raise InputError(path, "binary file (contains NUL bytes), not an interview text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
    if best is not None and best.encoding:
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise InputError(path, "not valid UTF-8 and no known encoding (GB18030, Big5, UTF-16) fits; re-save it as UTF-8")


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for c in text[:20000] if (ord(c) < 32 and c not in "\n\r\t\f") or 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    return bad / min(len(text), 20000) < 0.01


# Characters an interview is made of: ASCII, Latin-1, general punctuation, CJK and its
# punctuation, full-width forms. Binary data read as UTF-16 is mostly other code points.
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _plausible_utf16(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_PLAUSIBLE.findall(sample)) / len(sample) >= 0.9


# ---------------------------------------------------------------- markup removal with offsets

_PAREN = r"\((?:[^()\n]|\([^()\n]*\))*\)"  # a (url) with at most one level of nested parentheses
_MARKUP = re.compile(
    "|".join(
        [
            r"(?P<image>!\[[^\]\n]*\]" + _PAREN + ")",
            r"(?P<link>\[(?P<linktext>[^\]\n]*)\]" + _PAREN + ")",
            r"(?P<url>(?:https?|ftp)://[!-~]+?)(?=[\s\)\]\"'<>]|[^\x00-\x7f]|$)",
            r"(?P<tag></?[A-Za-z][^<>\n]{0,300}>)",
            r"(?P<escape>\\(?P<escaped>[\\`*_{}\[\]()#+\-.!&|]))",
            r"(?P<emph>\*+)",
            r"(?m:^(?P<block>[ \t]*(?:>[ \t]?)+|#{1,6}[ \t]+|[ \t]*(?:[-+]|\d{1,3}[.)])[ \t]+))",
            r"(?m:^(?P<rule>[ \t]*(?:[=\-_]{3,}|\|?[ \t]*:?-{3,}.*)[ \t]*)$)",
            r"(?P<softbreak>(?<=[^\n])\n(?=[^\n]))",
        ]
    )
)
_TERMINAL = set("。！？!?；;：:」』”\"）)】]…")
_BLOCK_START = re.compile(r"[ \t]*(?:[>#|]|[-+*][ \t]|\d{1,3}[.)][ \t]|\*\*[^*\n]{1,40}[:：]\*\*)")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _soft_break(raw: str, pos: int) -> str | None:
    """Replacement for the newline at ``pos`` if it is a soft wrap inside a paragraph, else None."""
    line_start = raw.rfind("\n", 0, pos) + 1
    prev_line = raw[line_start:pos].rstrip()
    if len(prev_line) < 20 or prev_line[-1] in _TERMINAL or prev_line.lstrip().startswith("#"):
        return None
    if _BLOCK_START.match(raw, pos + 1):
        return None
    before, after = prev_line[-1], raw[pos + 1]
    if is_cjk(before) and is_cjk(after):
        return ""
    return " "


def strip_markup(raw: str) -> tuple[str, array]:
    """Remove non-prose markup. Returns (clean text, offsets) with ``raw[offsets[i]] == clean[i]``
    for every character kept from ``raw``; inserted characters (a space for a joined line) map to
    the position of what they replace."""
    parts: list[str] = []
    offsets = array("l")
    last = 0

    def keep(start: int, end: int) -> None:
        if end > start:
            parts.append(raw[start:end])
            offsets.extend(range(start, end))

    for m in _MARKUP.finditer(raw):
        kind = {"linktext": "link", "escaped": "escape"}.get(m.lastgroup, m.lastgroup)
        start, end = m.span()
        if kind == "softbreak":
            repl = _soft_break(raw, start)
            if repl is None:
                continue
            keep(last, start)
            if repl:
                parts.append(repl)
                offsets.append(start)
            last = end
            continue
        keep(last, start)
        if kind == "link":
            keep(*m.span("linktext"))
        elif kind == "escape":
            keep(*m.span("escaped"))
        last = end
    keep(last, len(raw))
    return "".join(parts), offsets


# ---------------------------------------------------------------- header metadata

_HEADER_KEYS = {
    "title": r"标题|標題|题目|title",
    "author": r"文章作者|作者|author|by|撰文|编译|翻译|译者|整理",
    "date": r"发布时间|發佈時間|发布日期|發布時間|发表时间|日期|时间|date|published|publish date|posted",
    "source": r"原文链接|原文鏈接|原文地址|链接|鏈接|来源|來源|source|url|original|link",
}
_KEY_LINE = re.compile(
    r"^[ \t>*_#-]*(?P<key>" + "|".join(f"(?:{v})" for v in _HEADER_KEYS.values()) + r")[ \t*_]*[:：][ \t*_]*(?P<value>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_URL = re.compile(r"(?:https?|ftp)://[!-~]+")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?(?:(?:[ T]|\s*日?\s+)(?P<H>\d{1,2}):(?P<M>\d\d))?"
)
_EN_DATE = re.compile(
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d\d)"
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2024-11-17`` or ``2024-11-17T08:00``)."""
    m = _DATE.search(text)
    if m:
        try:
            dt = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0))
        except ValueError:
            return None
        return dt.strftime("%Y-%m-%dT%H:%M") if m["H"] else dt.strftime("%Y-%m-%d")
    m = _EN_DATE.search(text)
    if m:
        try:
            return datetime(int(m["y"]), _MONTHS.index(m["mon"][:3]) + 1, int(m["d"])).strftime("%Y-%m-%d")
        except ValueError:
            return None
    return None


def _key_kind(key: str) -> str:
    for kind, alternatives in _HEADER_KEYS.items():
        if re.fullmatch(alternatives, key, re.IGNORECASE):
            return kind
    return ""


def parse_header(raw: str, head_chars: int = 3000, tail_chars: int = 1500) -> dict:
    """Title, author, date and source URL where the file states them.

    Looks at the head of the file (and the tail, where WeChat exports put 原文链接): "key: value"
    lines in Chinese or English, a YAML front matter, a first Markdown heading or a Setext title.
    """
    meta: dict[str, str] = {}
    head = raw[:head_chars]
    regions = [head, raw[-tail_chars:]] if len(raw) > head_chars else [head]
    for region in regions:
        for m in _KEY_LINE.finditer(region):
            kind, value = _key_kind(m["key"]), m["value"].strip().strip("*_ ")
            if not kind or kind in meta:
                continue
            if kind == "source":
                url = _URL.search(value) or _URL.search(region, m.end(), m.end() + 400)
                if url:
                    meta["source"] = url.group(0).rstrip(").,;]")
            elif kind == "date":
                date = parse_date(value)
                if date:
                    meta["date"] = date
            elif value and len(value) <= 200:
                meta[kind] = value
    if "title" not in meta:
        lines = [ln.strip() for ln in head.splitlines()]
        for i, line in enumerate(lines[:15]):
            if not line or line.startswith(("!", "[", ">", "---")):
                continue
            heading = re.match(r"#{1,2}\s+(.+)", line)
            if heading:
                meta["title"] = heading.group(1).strip()
                break
            if i + 1 < len(lines) and re.fullmatch(r"=+", lines[i + 1] or "x"):
                meta["title"] = line
                break
    if "source" not in meta:
        # A link or URL in the first lines of a saved article is where it came from.
        url = _URL.search(raw[:600])
        if url:
            meta["source"] = url.group(0).rstrip(").,;]")
    if "date" not in meta:
        date = parse_date(head[:800])
        if date:
            meta["date"] = date
    if "title" in meta:
        meta["title"] = re.sub(r"[*_`]+", "", meta["title"]).strip()
    return meta


# ---------------------------------------------------------------- loading

def detect_language(text: str) -> str:
    """'zh', 'zh-Hant' (traditional characters) or 'en', by script."""
    sample = text[:200000]
    if cjk_ratio(sample) < 0.2:
        return "en"
    return "zh-Hant" if traditional_ratio(sample) > 0.12 else "zh"


def document_from_text(raw: str, path: Path | str, encoding: str = "utf-8", sha256: str | None = None) -> Document:
    path = Path(path)
    if not raw.strip():
        raise EmptyInput(path, "empty file, skipped")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    clean, offsets = strip_markup(raw)
    if sha256 is None:
        sha256 = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Document(
        path=path,
        raw=raw,
        clean=clean,
        offsets=offsets,
        norm=normalise(clean),
        encoding=encoding,
        sha256=sha256,
        meta=parse_header(raw),
        language=detect_language(clean),
    )


def load_document(path: Path | str) -> Document:
    """Read one file. Raises ``EmptyInput`` (skip) or ``InputError`` (refuse)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}")
    if not data.strip():
        raise EmptyInput(path, "empty file, skipped")
    text, encoding = decode(data, path)
    return document_from_text(text, path, encoding, hashlib.sha256(data).hexdigest())


def iter_input_files(inputs: list[Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of interview files.

    Folders contribute their .txt/.md/.markdown files, except README files and hidden entries;
    a file named explicitly is always taken.
    """
    files: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for p in sorted(item.rglob("*")):
                rel = p.relative_to(item)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and p.name.lower() not in SKIP_NAMES:
                    files.append(p)
        else:
            files.append(item)
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve() if f.exists() else f
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
