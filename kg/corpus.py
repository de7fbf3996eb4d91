"""Files -> ``Document``: decoded text, prose text with markup removed, offset map, metadata.

Three texts per document, all views of one decoded file:

- ``raw``    the decoded file, exactly (offsets in the graph point into this);
- ``clean``  prose only: image/link markup, URLs, emphasis markers and block markers removed,
             soft line wraps joined. ``offsets[i]`` is the index in ``raw`` of ``clean[i]``;
- ``norm``   ``clean`` normalised for matching (simplified, half-width); same length as ``clean``.

Plain text and Markdown are read here; HTML pages saved from a browser go through
``kg.htmlinput`` (same three texts, ``raw`` being the HTML source), caption files through
``kg.captions``, a PDF's text layer through ``kg.pdfinput`` and a Word document through ``kg.docxinput``
(``raw`` being the text of its pages or paragraphs, as no characters of the file itself can be pointed into). A file is read once, with a
size limit checked before reading (``DEFAULT_MAX_BYTES``, ``kg build --max-file-size``).
"""

from __future__ import annotations

import hashlib
import re
import stat
from array import array
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import captions, docxinput, pdfinput
from .textnorm import cjk_ratio, is_cjk, normalise, traditional_ratio, width

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MHTML_SUFFIXES = {".mhtml", ".mht"}  # "Webpage, single file": the page inside a MIME message
CAPTION_SUFFIXES = {".srt", ".vtt"}  # SubRip and WebVTT captions (kg.captions)
PDF_SUFFIXES = {".pdf"}  # the text layer of a PDF (kg.pdfinput)
DOCX_SUFFIXES = {".docx"}  # a Word document's paragraphs (kg.docxinput)
INPUT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | CAPTION_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES
SKIP_NAMES = {"readme.md", "readme.txt", "readme"}
DEFAULT_MAX_BYTES = 32_000_000  # 32 MB: no interview is this long; a bigger file is refused unread
SEGMENT_CHARS = 200_000  # longer texts are extracted in pieces of about this size (see segments())


class InputError(Exception):
    """A file that cannot be read as an interview. ``str(err)`` is the one-line message."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class EmptyInput(InputError):
    """A file with no text; skipped with a warning, not an error."""


class _Named:
    """File name and stable id of a document (``path`` and ``sha256`` are the dataclass's)."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def doc_id(self) -> str:
        """Stable id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]


@dataclass
class Document(_Named):
    path: Path
    raw: str
    clean: str
    offsets: array
    norm: str
    encoding: str
    sha256: str
    meta: dict = field(default_factory=dict)
    language: str = "zh"
    warnings: list[str] = field(default_factory=list)  # one-line notes: read, but not all of it

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``clean``/``norm`` to the matching span of ``raw``."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def info(self) -> DocumentInfo:
        """What the graph records about the file, without the texts (small, cheap to pickle)."""
        return DocumentInfo(self.path, self.encoding, self.sha256, dict(self.meta), self.language,
                            list(self.warnings), len(self.raw))

    def segments(self, max_chars: int = SEGMENT_CHARS) -> list[Document]:
        """The document cut into pieces of at most ``max_chars`` of ``clean`` text, at paragraph
        ends (else sentence ends, else spaces). Each piece shares ``raw``, so its offsets still
        point into the whole file. A document that fits is returned as is."""
        if len(self.clean) <= max_chars:
            return [self]
        pieces, start = [], 0
        while start < len(self.clean):
            end = _cut_point(self.clean, start, max_chars)
            pieces.append(Document(self.path, self.raw, self.clean[start:end], self.offsets[start:end],
                                   self.norm[start:end], self.encoding, self.sha256, self.meta,
                                   self.language, self.warnings))
            start = end
        return pieces


@dataclass
class DocumentInfo(_Named):
    """A ``Document`` without its texts: what crosses a process boundary after extraction."""

    path: Path
    encoding: str
    sha256: str
    meta: dict = field(default_factory=dict)
    language: str = "zh"
    warnings: list[str] = field(default_factory=list)
    length: int = 0  # characters in ``raw``


_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[。！？!?；;]|[.](?=\s)"), re.compile(r"\s"))


def _cut_point(text: str, start: int, max_chars: int) -> int:
    """Where the piece starting at ``start`` ends: after the last paragraph, line, sentence or
    space break in its second half; a hard cut if there is none."""
    limit = start + max_chars
    if limit >= len(text):
        return len(text)
    floor = start + max_chars // 2
    for pattern in _CUTS:
        last = None
        for m in pattern.finditer(text, floor, limit):
            last = m
        if last is not None:
            return last.end()
    return limit


# ---------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_FALLBACK_ENCODINGS = ["gb18030", "big5", "big5hkscs", "utf_16", "cp1252"]


# Labels that pages declare, mapped to the codec that reads every page so labelled (supersets).
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "big5": "cp950", "x-x-big5": "cp950", "big5-hkscs": "big5hkscs",
                    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}


def decode(data: bytes, path: Path | str = "<bytes>", prefer: str | None = None,
           warnings: list[str] | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises ``InputError`` for binary or undecodable data.

    ``prefer`` is an encoding the file declares (an HTML page's charset), tried before guessing.
    A file cut off inside its last character (a truncated download or copy) is read without
    the broken tail, and a one-line note goes to ``warnings``.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data
            if enc == "utf-16" and len(data) % 2:
                body = data[:-1]
                _note(warnings, "truncated: odd number of bytes for UTF-16; the last byte was dropped")
            try:
                text = body.decode(enc)
            except UnicodeDecodeError as err:
                if enc == "utf-8-sig" and _truncated_utf8(body, err):
                    _note(warnings, f"truncated: ends inside a UTF-8 character; the last {len(body) - err.start} byte(s) were dropped")
                    return body[:err.start].decode(enc), enc
                raise InputError(path, f"starts with a {enc} byte-order mark but is not valid {enc} ({err.reason})")
            if body is not data and not (_looks_like_text(text) and _plausible_utf16(text)):
                raise InputError(path, "starts with a utf-16 byte-order mark but is not UTF-16 text (odd length, unreadable)")
            return text, enc
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
    except UnicodeDecodeError as err:
        if _truncated_utf8(data, err):
            _note(warnings, f"truncated: ends inside a UTF-8 character; the last {len(data) - err.start} byte(s) were dropped")
            return data[:err.start].decode("utf-8"), "utf-8"
    if prefer:
        codec = _CHARSET_ALIASES.get(prefer.lower(), prefer.lower())
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if _looks_like_text(text):
                return text, codec
    from charset_normalizer import from_bytes  # only for a file that is not UTF-8 (its import: 0.04 s)

    best = from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
    if best is not None and best.encoding:
        text = str(best)
        if _looks_like_text(text):
            return text, best.encoding
    raise InputError(path, "not valid UTF-8 and no known encoding (GB18030, Big5, UTF-16) fits; re-save it as UTF-8")


def _note(warnings: list[str] | None, line: str) -> None:
    if warnings is not None:
        warnings.append(line)


def _truncated_utf8(data: bytes, err: UnicodeDecodeError) -> bool:
    """True if ``data`` is valid UTF-8 up to an incomplete character in its last 3 bytes."""
    return err.reason == "unexpected end of data" and len(data) - err.start <= 3


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
# a transcript's timestamp: "0:02", "[01:05]", "(1:02:03)", "00:19.5"
_STAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
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
            # a caption transcript's timestamp on a line of its own between two lines of text ("…today are not\n
            # 0:02\nparticularly efficient"): the stamp goes, the two lines are one text
            rf"(?P<stamp>(?<=[^\n])\n(?:[ \t]*\n)*[ \t]*{_STAMP}[ \t]*\n(?:[ \t]*\n)*(?=[ \t]*\S))",
            r"(?P<softbreak>(?<=[^\n])\n(?=[^\n]))",
        ]
    )
)
_TERMINAL = set("。！？!?；;：:」』”\"）)】]…")
_BLOCK_START = re.compile(r"[ \t]*(?:[>#|]|[-+*][ \t]|\d{1,3}[.)][ \t]|\*\*[^*\n]{1,40}[:：]\*\*)")
# a transcript's timestamp at a line's start ("00:22I've been working …", "[01:05] So I went …", "1:02:03 - …")
_TIMESTAMP = re.compile(rf"[ \t]*{_STAMP}(?=[ \t\-–—A-Za-z\u4e00-\u9fff])")
_SENTENCE_END = re.compile(r"[.!?。！？]")
# the end of an English line that a sentence goes on after: a comma, a dash, a function word or a verb of being
_GOES_ON = re.compile(r"(?:[,–—-]|\b(?:the|a|an|and|or|but|nor|of|to|in|on|for|with|at|by|from|into|as|than|that|"
                      r"which|who|whose|is|are|was|were|be|been|has|have|had|its|their|his|her|our|your|my|we|they|"
                      r"it|this|these|those|will|would|can|could|not))$", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z0-9]")


_BARE_STAMP = re.compile(rf"[ \t]*{_STAMP}[ \t]*")
_CAPTION_AFTER_STAMP = re.compile(rf"(?m)^[ \t]*{_STAMP}[ \t]*\n(?:[ \t]*\n)*([^\n]*\S[^\n]*)$")


def _after_stamp(raw: str, pos: int) -> bool:
    """Whether the line that ends at ``pos`` follows a timestamp on a line of its own (blank lines aside):
    it is a caption of a transcript, and the next caption goes on with it."""
    start = raw.rfind("\n", 0, pos) + 1
    while start > 0:
        end = start - 1
        start = raw.rfind("\n", 0, end) + 1
        line = raw[start:end]
        if line.strip():
            return _BARE_STAMP.fullmatch(line) is not None
    return False


def _soft_break(raw: str, pos: int) -> str | None:
    """Replacement for the newline at ``pos`` if it is a soft wrap inside a paragraph, else None."""
    line_start = raw.rfind("\n", 0, pos) + 1
    prev_line = raw[line_start:pos].rstrip()
    if len(prev_line) < 20 or prev_line[-1] in _TERMINAL or prev_line.lstrip().startswith("#"):
        return None
    if (pos < 3000 or pos > len(raw) - 1500) and (_KEY_LINE.match(raw, line_start) or _KEY_LINE.match(raw, pos + 1)):
        return None  # a header line ("标题：…", "By: …") is a line of its own
    if _BLOCK_START.match(raw, pos + 1):
        return None
    if _TIMESTAMP.match(raw, pos + 1) and not _SENTENCE_END.search(prev_line):
        # a caption transcript with no sentence punctuation ("00:19Yeah, so people think I move around a lot"):
        # its timestamped segments are the only bounds it has; a punctuated one is joined, as its segments
        # may cut a sentence ("… but it was nev\n[00:13:08] meaningful.")
        return None
    cjk = is_cjk(prev_line[-1]) and is_cjk(raw[pos + 1])
    # the width says nothing of a title for a line of Latin script between lines of Chinese, a caption before the
    # next one's timestamp, or an English line that ends inside a clause (a comma, an article: "… and the two are")
    latin = not cjk and not _TIMESTAMP.match(raw, pos + 1) and not any(map(is_cjk, prev_line)) \
        and not _GOES_ON.search(prev_line)
    if (cjk or latin) and _title_line(prev_line, raw, pos):
        return None
    return "" if cjk else " "


def _title_line(prev_line: str, raw: str, pos: int) -> bool:
    """Whether the line ``prev_line`` (ending at ``pos``; a Chinese line, or an English one of a text in Latin
    script) is a line of its own, a title or a heading over an unwrapped paragraph, though it has no closing
    mark: the next line is far wider than it (by half and by more than ``_WRAP_SLACK`` columns). A line wrapped at
    some width is never much narrower than the line after it, which is wrapped at the same width or is a
    paragraph's last, shorter line."""
    end = raw.find("\n", pos + 1)
    prev_width, next_width = width(prev_line), width(raw, pos + 1, end if end >= 0 else len(raw))
    return next_width > prev_width * 3 // 2 and next_width - prev_width > _WRAP_SLACK


# columns (a Chinese character counts two) by which the line after a wrapped line may be wider than it
_WRAP_SLACK = 20


def _since_break(parts: list[str]) -> int:
    """The width (``kg.textnorm.width``) written since the last line break."""
    total = 0
    for part in reversed(parts):
        cut = part.rfind("\n")
        total += width(part[cut + 1:])
        if cut >= 0:
            break
    return total


def strip_markup(raw: str) -> tuple[str, array]:
    """Remove non-prose markup. Returns (clean text, offsets) with ``raw[offsets[i]] == clean[i]``
    for every character kept from ``raw``; inserted characters (a space for a joined line) map to
    the position of what they replace."""
    parts: list[str] = []
    offsets = array("i")  # 4 bytes a character; files are far below 2**31 characters (DEFAULT_MAX_BYTES)
    last = 0
    unpunctuated = None  # whether the transcript's captions have no sentence punctuation (read at the first stamp)

    def keep(start: int, end: int) -> None:
        if end > start:
            parts.append(raw[start:end])
            offsets.extend(range(start, end))

    for m in _MARKUP.finditer(raw):
        kind = {"linktext": "link", "escaped": "escape"}.get(m.lastgroup, m.lastgroup)
        start, end = m.span()
        if kind == "stamp":
            keep(last, start)
            if _after_stamp(raw, start):  # a caption goes on: joined as a wrapped line is
                if unpunctuated is None:  # the captions under the transcript's timestamps, as caption files are read
                    unpunctuated = not captions.punctuated([m.group(1) for m in _CAPTION_AFTER_STAMP.finditer(raw)])
                if unpunctuated and _since_break(parts) >= captions.UNPUNCTUATED_PIECE:
                    # captions with no sentence punctuation: pieces of a sentence's length (kg.captions)
                    parts.append("\n")
                    offsets.append(start)
                elif not (is_cjk(raw[start - 1]) and is_cjk(raw[end:end + 1] or "x")):
                    parts.append(" ")
                    offsets.append(start)
            else:  # the first caption after other text (a title, a heading): a line of its own
                parts.append("\n")
                offsets.append(start)
            last = end
            continue
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
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?(?:(?:[ T]|\s*日?\s+)(?P<H>\d{1,2}):(?P<M>\d\d)"
    r"(?::(?P<S>\d\d)(?:[.,]\d+)?)?(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)(?![\d:]))?)?"
)
_EN_DATE = re.compile(
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d\d)"
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2024-11-17``, ``2024-11-17T08:00``, with seconds
    and a time zone where the text gives them: ``2024-11-17T08:00:30+08:00``, ``…Z``)."""
    m = _DATE.search(text)
    if m:
        try:
            dt = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0))
        except ValueError:
            return None
        if not m["H"]:
            return dt.strftime("%Y-%m-%d")
        out = dt.strftime("%Y-%m-%dT%H:%M:%S" if m["S"] else "%Y-%m-%dT%H:%M")
        return out + _zone(m["tz"]) if m["tz"] else out
    m = _EN_DATE.search(text)
    if m:
        try:
            return datetime(int(m["y"]), _MONTHS.index(m["mon"][:3]) + 1, int(m["d"])).strftime("%Y-%m-%d")
        except ValueError:
            return None
    return None


def _zone(tz: str) -> str:
    """``Z``/``UTC``/``GMT`` -> ``Z``; ``+0800``, ``+08`` -> ``+08:00``."""
    if tz.upper() in ("Z", "UTC", "GMT"):
        return "Z"
    digits = tz[1:].replace(":", "")
    return f"{tz[0]}{digits[:2]}:{digits[2:4] or '00'}"


def _key_kind(key: str) -> str:
    for kind, alternatives in _HEADER_KEYS.items():
        if re.fullmatch(alternatives, key, re.IGNORECASE):
            return kind
    return ""


def parse_header(raw: str, head_chars: int = 3000, tail_chars: int = 1500,
                 labels: list[tuple[int, int]] | None = None) -> dict:
    """Title, author, date and source URL where the file states them.

    Looks at the head of the file (and the tail, where WeChat exports put 原文链接): "key: value"
    lines in Chinese or English, a YAML front matter, a first Markdown heading or a Setext title.
    ``labels``, if given, receives the [start, end) span of each label read ("标题：", "By: "), so
    that the text can leave it out of its sentences.
    """
    meta: dict[str, str] = {}
    head = raw[:head_chars]
    regions = [(head, 0), (raw[-tail_chars:], len(raw) - tail_chars)] if len(raw) > head_chars else [(head, 0)]
    for region, base in regions:
        for m in _KEY_LINE.finditer(region):
            kind, value = _key_kind(m["key"]), m["value"].strip().strip("*_ ")
            if not kind or kind in meta:
                continue
            if labels is not None:
                labels.append((base + m.start(), base + m.start("value")))
            if kind == "source":
                url = _URL.search(value) or _URL.search(region, m.end(), m.end() + 400)
                if url:
                    meta["source"] = url.group(0).rstrip(").,;]")
                # the source line says where the text was found (a site, a feed, who published or
                # archived it): a name only there is provenance, not something the text discusses
                meta["source_line"] = (base + m.start("value"), base + m.end())
            elif kind == "date":
                date = parse_date(value)
                if date:
                    meta["date"] = date
                    # what the date line says besides the date ("2024-10-18 (publication date of the YouTube
                    # episode)", "2026-02-08 (on Yahoo News Taiwan)") is provenance too, as the source line is
                    meta["date_line"] = (base + m.start("value"), base + m.end())
            elif value and len(value) <= 200:
                meta[kind] = value
            if labels is not None and kind not in meta:
                labels.pop()  # not read as a header line after all
    if "title" not in meta:
        lines = [ln.strip() for ln in head.splitlines()]
        for i, line in enumerate(lines[:15]):
            if not line or line.startswith(("!", "[", ">", "---")) or _KEY_LINE.fullmatch(line):
                continue  # a header's key line ("# source: …", "# date: …") names no title
            heading = re.match(r"#{1,2}\s+(.+)", line)
            if heading:
                meta["title"] = heading.group(1).strip()
                break
            if i + 1 < len(lines) and re.fullmatch(r"=+", lines[i + 1] or "x"):
                meta["title"] = line
                break
            # a plain first line over a block of header lines is the title ("Nvidia's Main Rival\n# source:
            # https://…\n# date: 2025-12-09"); a first paragraph of text is not
            below = [ln for ln in lines[i + 1:i + 5] if ln]
            if len(line) <= 200 and below and _KEY_LINE.fullmatch(below[0]):
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


def unix_newlines(raw: str) -> str:
    """``raw`` with Windows and old Mac line ends as "\\n" (every format's offsets count those)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw


def document_from_text(raw: str, path: Path | str, encoding: str = "utf-8", sha256: str | None = None,
                       warnings: list[str] | None = None) -> Document:
    path = Path(path)
    if not raw.strip():
        raise EmptyInput(path, "empty file, skipped")
    raw = unix_newlines(raw)
    clean, offsets = strip_markup(raw)
    labels: list[tuple[int, int]] = []
    meta = parse_header(raw, labels=labels)
    clean, offsets = drop_spans(clean, offsets, labels)
    return make_document(path, raw, clean, offsets, meta, encoding, sha256, warnings)


def drop_spans(clean: str, offsets: array, spans: list[tuple[int, int]], raw_spans: bool = True) -> tuple[str, array]:
    """``clean`` (and its offsets) without the characters of ``spans``: header labels ("标题：",
    "作者：", "By: "), which are not part of any sentence. ``raw_spans``: the spans are positions
    in the raw file (else in ``clean``)."""
    if not spans:
        return clean, offsets
    from bisect import bisect_left

    cuts = []
    for start, end in spans:
        if raw_spans:
            start, end = bisect_left(offsets, start), bisect_left(offsets, end)
        if end > start:
            cuts.append((start, end))
    parts, offs, last = [], array("i"), 0
    for start, end in sorted(cuts):
        if start < last:
            start = last
        parts.append(clean[last:start])
        offs.extend(offsets[last:start])
        last = max(last, end)
    parts.append(clean[last:])
    offs.extend(offsets[last:])
    return "".join(parts), offs


# a transcript's note of what was no speech ("[laughter]", "[inaudible 00:15:38]", "(applause)", "[MUSIC PLAYING]",
# （笑）): not part of what was said, so no sentence reads it (the words either side are read as one phrase); a
# Markdown escape before the bracket's end ("[music\\]") and a space before the note go with it
_NOISE = re.compile(
    r"[ \t]?[\[(（【][ \t]*(?:(?i:inaudible|unintelligible|indiscernible|crosstalk|cross-talk|overtalk|overlapping"
    r"|laughter|laughs|laughing|chuckles|chuckling|applause|music(?: playing)?|silence|pause|coughs?|sighs?"
    r"|background noise)|笑|笑声|笑聲|大笑|掌声|掌聲|鼓掌|音乐|音樂|听不清|聽不清|听不清楚|聽不清楚|杂音|雜音)"
    r"(?:[ \t]+[\d:.]+)?[ \t]*\\?[\])）】]")


# a speaker's full name in capitals as a line's label ("TRACY ALLOWAY:", "JENSEN HUANG (00:12:03):"), as many
# published transcripts write it (at a line's start, or after a sentence's end where a wrapped line was joined)
_CAPS_LABEL = re.compile(r"(?m)(^[ \t]*|(?<=[.!?…\"”]) )([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){1,3})"
                         r"(?=[ \t]*(?:[(\[][^)\]\n]{0,12}[)\]])?[ \t]*:)")


def _names_as_written(norm: str) -> str:
    """``norm`` with the capitals of a speaker's label written as a name is ("TRACY ALLOWAY:" -> "Tracy Alloway:"),
    so the lexicon and the speaker's turn read it as the name it is: the text the pipeline reads, the same length;
    evidence and names keep the file's spelling."""
    if ":" not in norm:
        return norm
    return _CAPS_LABEL.sub(lambda m: m.group(1) + m.group(2).title(), norm)


def make_document(path: Path, raw: str, clean: str, offsets: array, meta: dict, encoding: str = "utf-8",
                  sha256: str | None = None, warnings: list[str] | None = None) -> Document:
    """A ``Document`` of text already cleaned (``offsets`` map ``clean`` back into ``raw``): the
    normalised text, the language and (unless given) the content hash are derived here. A transcript's
    notes of what was no speech (``_NOISE``) are left out here, for every format."""
    if "[" in clean or "(" in clean or "（" in clean or "【" in clean:
        clean, offsets = drop_spans(clean, offsets, [m.span() for m in _NOISE.finditer(clean)], raw_spans=False)
    return Document(
        path=path,
        raw=raw,
        clean=clean,
        offsets=offsets,
        norm=_names_as_written(normalise(clean)),
        encoding=encoding,
        sha256=sha256 or hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        meta=meta,
        language=detect_language(clean),
        warnings=list(warnings or []),
    )


def read_limited(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path``, read once; a file over ``max_bytes`` is refused before it is read
    (and a file that grows past the limit while being read is refused too)."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "not a regular file (device, pipe or socket)")
    if st.st_size > max_bytes:
        raise InputError(path, f"too large: {_mb(st.st_size)}, over the {_mb(max_bytes)} limit "
                               "(kg build --max-file-size); split it or raise the limit")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"too large: over the {_mb(max_bytes)} limit (kg build --max-file-size)")
    return data


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n} bytes"


def load_document(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> Document:
    """Read one file (text, Markdown, HTML, MHTML, SubRip / WebVTT captions, a PDF's text layer or a Word document). Raises ``EmptyInput`` (skip) or ``InputError`` (refuse).

    ``data`` is the file's content when the caller has it already (a remote worker)."""
    path = Path(path)
    if data is None:
        data = read_limited(path, max_bytes)
    elif len(data) > max_bytes:
        raise InputError(path, f"too large: {_mb(len(data))}, over the {_mb(max_bytes)} limit (kg build --max-file-size)")
    if not data or data.isspace():
        raise EmptyInput(path, "empty file, skipped")
    from . import htmlinput

    warnings: list[str] = []
    sha256 = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() in PDF_SUFFIXES or pdfinput.sniff_pdf(data):
        return document_from_binary("pdf", data, path, sha256, warnings)
    if path.suffix.lower() in DOCX_SUFFIXES or docxinput.sniff_docx(data):
        return document_from_binary("docx", data, path, sha256, warnings)
    prefer = None
    if path.suffix.lower() in MHTML_SUFFIXES or htmlinput.sniff_mhtml(data):
        data, prefer = htmlinput.html_of_mhtml(data, path)
        html = True
    else:
        html = path.suffix.lower() in HTML_SUFFIXES or htmlinput.sniff_html(data)
    prefer = prefer or (htmlinput.declared_charset(data) if html else None)
    text, encoding = decode(data, path, prefer=prefer, warnings=warnings)
    del data
    if html:
        return htmlinput.document_from_html(text, path, encoding, sha256, warnings)
    if path.suffix.lower() in CAPTION_SUFFIXES or captions.sniff_captions(text):
        return document_from_captions(text, path, encoding, sha256, warnings)
    return document_from_text(text, path, encoding, sha256, warnings)


# the binary formats: what reads each one's text, and what it raises for a file it cannot read
_BINARY = {"pdf": (pdfinput.text_of_pdf, pdfinput.PdfError), "docx": (docxinput.text_of_docx, docxinput.DocxError)}


def document_from_binary(kind: str, data: bytes, path: Path | str, sha256: str | None = None,
                         warnings: list[str] | None = None) -> Document:
    """A PDF's text layer (``kind`` "pdf", ``kg.pdfinput``) or a Word document's paragraphs ("docx",
    ``kg.docxinput``) as a ``Document``: that text is ``raw``, read as plain text is; the file's own title where
    the text gives none. Raises ``InputError`` for a file that cannot be read as text."""
    text_of, error = _BINARY[kind]
    try:
        text, title = text_of(data)
    except error as err:
        raise InputError(path, str(err)) from None
    doc = document_from_text(text, path, kind, sha256, warnings)
    if title and "title" not in doc.meta:
        doc.meta["title"] = title
    return doc


def document_from_captions(raw: str, path: Path | str, encoding: str = "utf-8", sha256: str | None = None,
                           warnings: list[str] | None = None) -> Document:
    """A SubRip or WebVTT caption file as a ``Document`` (``kg.captions``): the text its cues show, read once.
    Raises ``InputError`` for a caption file with no cue and ``EmptyInput`` for one whose cues are empty."""
    path = Path(path)
    raw = unix_newlines(raw)
    cues = captions.cue_lines(raw)
    if not cues:
        if not raw.strip():
            raise EmptyInput(path, "empty file, skipped")
        raise InputError(path, "not a caption file: no cue with a timing line such as "
                               "'00:00:01,000 --> 00:00:04,000'")
    clean, offsets = captions.strip_captions(raw, cues)
    if not clean.strip():
        raise EmptyInput(path, "caption file with no text, skipped")
    meta = {}
    title = captions.title_of(raw)
    if title:
        meta["title"] = title
    return make_document(path, raw, clean, offsets, meta, encoding, sha256, warnings)


def iter_input_files(inputs: list[Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of interview files.

    Folders contribute their text, Markdown and HTML files, except README files, hidden entries
    and the ``NAME_files`` folder a browser saves beside ``NAME.html``; a file named explicitly is
    always taken.
    """
    files: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for p in sorted(item.rglob("*")):
                rel = p.relative_to(item)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if any(_is_page_assets(item, rel.parts[:i + 1]) for i in range(len(rel.parts) - 1)):
                    continue
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and p.name.lower() not in SKIP_NAMES:
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


def _is_page_assets(root: Path, parts: tuple[str, ...]) -> bool:
    """``X_files`` beside ``X.html``/``X.htm``: images, scripts and frames of a saved page."""
    name = parts[-1]
    if not name.endswith("_files"):
        return False
    folder = root.joinpath(*parts[:-1])
    stem = name[: -len("_files")]
    return any((folder / f"{stem}{ext}").exists() for ext in (".html", ".htm", ".xhtml"))
