"""HTML pages saved from a browser -> ``Document``: the page's text and title, offsets into the source.

Pages come as ``.html``/``.htm`` files (or any file that starts like a page) and as single-file
``.mhtml``/``.mht`` saves (the page is the message's first ``text/html`` part).

``raw`` is the decoded HTML source; ``clean`` is what a reader sees: the text of the body, with
scripts, styles, forms and navigation left out, block elements on lines of their own, runs of
white space as one space (none between two Chinese characters that a line break separated),
entities decoded. ``offsets[i]`` is the index in ``raw`` of ``clean[i]``: the character itself,
or the ``&`` of the entity it was written as, or the tag that made a line break.

Title, author, date and source URL come from the page's ``<head>`` (``og:title``, ``<title>``,
``author``, ``article:published_time``, ``<time>``, ``canonical``, ``og:url``, the browser's
"saved from url" comment), and where the head is silent, from "key: value" lines of the text
(``kg.corpus.parse_header``). Uses only the standard library's ``html.parser``.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_right
from html.parser import HTMLParser
from pathlib import Path

from .corpus import Document, EmptyInput, drop_spans, make_document, parse_date, parse_header, unix_newlines
from .textnorm import is_cjk

# Elements whose content is not text a reader sees.
SKIP = {"script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object", "embed",
        "select", "textarea", "button", "nav", "head"}
# Elements that start and end a line.
BLOCK = {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog",
         "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
         "h5", "h6", "header", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section",
         "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}

_SNIFF = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
                    re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")
_WS = re.compile(r"[ \t\n\r\f\u200b]+")


def _wide(ch: str) -> bool:
    """A Chinese character or a full-width/CJK punctuation mark: no space beside it in a line."""
    return is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def sniff_html(data: bytes) -> bool:
    """True if the bytes start like an HTML page (whatever the file is called)."""
    head = data[:1024]
    if b"\x00" in head:  # UTF-16: look at the ASCII letters only
        head = head.replace(b"\x00", b"")
    return bool(_SNIFF.match(head))


def sniff_mhtml(data: bytes) -> bool:
    """True for a browser's single-file page (MHTML: a multipart/related MIME message)."""
    head = data[:2048].lower()
    return head.startswith((b"from:", b"mime-version:", b"subject:", b"snapshot-content-location:",
                            b"content-type: multipart/related")) and b"multipart/related" in head


def html_of_mhtml(data: bytes, path: Path | str) -> tuple[bytes, str | None]:
    """(HTML bytes, their charset) of the first text/html part of an MHTML file. Offsets of
    such a page point into that part, decoded (the file itself is quoted-printable or base64)."""
    import email
    import email.policy

    from .corpus import InputError

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    raise InputError(path, "MHTML file without an HTML page in it")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or ``http-equiv``)."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


class _TextCollector(HTMLParser):
    """Walks the page once, collecting text pieces with their positions in ``raw``."""

    def __init__(self, raw: str):
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.chars: list[str] = []
        self.offsets = array("i")
        self.skip_depth = 0
        self.stack_skip: list[str] = []
        self.pre = 0
        self.pending_space: tuple[int, bool] | None = None  # (raw offset, contained a line break)
        self.data_end = 0  # where the last text found in raw ended
        self.title_parts: list[tuple[str, int, list[int] | None]] = []
        self.in_title = False
        self.meta: dict[str, str] = {}
        self.h1: list[str] | None = None
        self.h1_text = ""

    # ---- positions
    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # ---- output
    def _emit(self, text: str, start: int, mapped: list[int] | None = None) -> None:
        """Add ``text`` (from raw ``start``, or at ``mapped`` positions), collapsing white space."""
        if self.in_title:
            self.title_parts.append((text, start, mapped))
            return
        if self.skip_depth:
            return
        if self.h1 is not None:
            self.h1.append(text)
        if self.pre:
            self._append(text, start, mapped)
            return
        pos = 0
        for m in _WS.finditer(text):
            if m.start() > pos:
                self._flush_space(text[pos])
                self._append(text[pos:m.start()], start + pos, mapped[pos:m.start()] if mapped else None)
            if self.pending_space is None:
                at = mapped[m.start()] if mapped else start + m.start()
                self.pending_space = (at, "\n" in m.group(0))
            else:
                self.pending_space = (self.pending_space[0], self.pending_space[1] or "\n" in m.group(0))
            pos = m.end()
        if pos < len(text):
            self._flush_space(text[pos])
            self._append(text[pos:], start + pos, mapped[pos:] if mapped else None)

    def _append(self, text: str, start: int, mapped: list[int] | None) -> None:
        self.chars.append(text)
        self.offsets.extend(mapped if mapped else range(start, start + len(text)))

    def _last_char(self) -> str:
        return self.chars[-1][-1] if self.chars else "\n"

    def _flush_space(self, next_char: str) -> None:
        if self.pending_space is None:
            return
        at, had_break = self.pending_space
        self.pending_space = None
        last = self._last_char()
        if last == "\n":
            return
        if had_break and _wide(last) and _wide(next_char):
            return  # a line wrapped between two Chinese characters joins them
        self.chars.append(" ")
        self.offsets.append(at)

    def _line_break(self, at: int) -> None:
        self.pending_space = None
        if self.skip_depth or self.in_title or not self.chars or self._last_char() == "\n":
            return
        self.chars.append("\n")
        self.offsets.append(at)

    # ---- parser callbacks
    def parse_marked_section(self, i, report=1):
        # The standard library asserts on malformed "<![...": read it as a bogus comment instead.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            j = self.rawdata.find(">", i + 3)
            return j + 1 if j >= 0 else -1

    def handle_starttag(self, tag, attrs):
        at = self._pos()
        if tag == "meta":
            self._meta_tag(dict(attrs))
        elif tag == "link":
            a = dict(attrs)
            if "canonical" in (a.get("rel") or "").lower().split() and a.get("href"):
                self.meta.setdefault("canonical", a["href"])
        elif tag == "time":
            a = dict(attrs)
            if a.get("datetime"):
                self.meta.setdefault("time", a["datetime"])
        if tag == "title" and not self.title_parts and "svg" not in self.stack_skip:
            self.in_title = True
            return
        if tag in SKIP and tag not in VOID:
            self.skip_depth += 1
            self.stack_skip.append(tag)
            return
        if tag == "pre":
            self.pre += 1
        if tag == "h1" and self.h1 is None and not self.h1_text:
            self.h1 = []
        if tag in BLOCK:
            self._line_break(at)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        at = self._pos()
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if tag in SKIP:
            if tag in self.stack_skip:
                while self.stack_skip:
                    self.skip_depth -= 1
                    if self.stack_skip.pop() == tag:
                        break
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag == "h1" and self.h1 is not None:
            self.h1_text = " ".join("".join(self.h1).split())
            self.h1 = None
        if tag in BLOCK:
            self._line_break(at)

    def handle_data(self, data):
        at = self._pos()
        if not self.raw.startswith(data, at):
            # the parser's position is off after some malformed markup: find the text instead
            found = self.raw.find(data, self.data_end)
            if found < 0:
                self._emit(data, at, [min(at, len(self.raw) - 1)] * len(data))
                return
            at = found
        self._emit(data, at)
        self.data_end = at + len(data)

    def _reference(self):
        at = self._pos()
        m = _ENTITY.match(self.raw, at)
        if not m:
            return
        text = html.unescape(m.group(0))
        if text == m.group(0):  # unknown entity: keep it as written
            self._emit(text, at)
        else:
            self._emit(text, at, [at] * len(text))

    def handle_entityref(self, name):
        self._reference()

    def handle_charref(self, name):
        self._reference()

    def handle_comment(self, data):
        m = _SAVED_FROM.search(data)
        if m:
            self.meta.setdefault("saved_from", m.group(1))

    def _meta_tag(self, a: dict) -> None:
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        value = (a.get("content") or "").strip()
        if key and value:
            self.meta.setdefault(key, value)

    def text(self) -> tuple[str, array]:
        while self.chars and self.chars[-1].endswith("\n"):  # no trailing line break
            last = self.chars.pop()
            del self.offsets[-1]
            if len(last) > 1:
                self.chars.append(last[:-1])
        return "".join(self.chars), self.offsets


def _page_meta(found: dict[str, str], title: str, h1: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key in ("og:title", "twitter:title"):
        if found.get(key):
            meta["title"] = found[key]
            break
    else:
        if title:
            meta["title"] = title
        elif h1:
            meta["title"] = h1
    for key in ("author", "article:author", "og:article:author", "dc.creator", "twitter:creator"):
        value = found.get(key, "")
        if value and not value.startswith("http"):
            meta["author"] = value
            break
    for key in ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                "publishdate", "date", "dc.date", "dc.date.issued", "time"):
        date = parse_date(found.get(key, "")) if found.get(key) else None
        if date:
            meta["date"] = date
            break
    for key in ("canonical", "og:url", "saved_from"):
        value = found.get(key, "")
        if value.startswith(("http://", "https://")):
            meta["source"] = value
            break
    return {k: " ".join(html.unescape(v).split()) for k, v in meta.items()}


def extract_text(raw: str) -> tuple[str, array, dict[str, str]]:
    """(clean text, offsets into ``raw``, page metadata) of an HTML source."""
    parser = _TextCollector(raw)
    parser.feed(raw)
    parser.close()
    clean, offsets = parser.text()
    title_text = " ".join("".join(t for t, _, _ in parser.title_parts).split())[:300]
    meta = _page_meta(parser.meta, title_text, parser.h1_text)
    body_head = " ".join(clean[:3000].split())
    if title_text and title_text not in body_head and meta.get("title", title_text) not in body_head:
        # The title is not in the body: put it first, pointing at the <title> element's text.
        t_clean, t_offsets = _title_line(raw, parser.title_parts)
        if t_clean:
            sep = "\n" if clean else ""
            clean = t_clean + sep + clean
            head = array("i", t_offsets)
            if sep:
                head.append(t_offsets[-1])
            head.extend(offsets)
            offsets = head
    return clean, offsets, meta


def _title_line(raw: str, parts: list[tuple[str, int, list[int] | None]]) -> tuple[str, list[int]]:
    """The title's text, white space collapsed, with offsets (at most 300 characters)."""
    sub = _TextCollector(raw)
    for text, start, mapped in parts:
        sub._emit(text, start, mapped)
    t, offs = sub.text()
    end = min(len(t.rstrip()), 300)
    return t[:end], list(offs[:end])


def document_from_html(raw: str, path: Path | str, encoding: str = "utf-8", sha256: str | None = None,
                       warnings: list[str] | None = None) -> Document:
    """An HTML page as a ``Document``. Raises ``EmptyInput`` if the page has no text."""
    path = Path(path)
    raw = unix_newlines(raw)
    clean, offsets, meta = extract_text(raw)
    if not clean.strip():
        raise EmptyInput(path, "HTML page with no text, skipped")
    labels: list[tuple[int, int]] = []
    for key, value in parse_header(clean, labels=labels).items():
        meta.setdefault(key, value)
    clean, offsets = drop_spans(clean, array("i", offsets) if not isinstance(offsets, array) else offsets, labels,
                                raw_spans=False)
    return make_document(path, raw, clean, offsets, meta, encoding, sha256, warnings)
