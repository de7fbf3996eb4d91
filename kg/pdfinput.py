"""PDF files as interviews: the text layer of a PDF (a transcript, an analyst's note, a report saved as PDF),
read with pypdf.

The text is what pypdf extracts, page after page, one line break between two pages, so a sentence that a page
break cuts is joined again as any wrapped line is (``kg.corpus.strip_markup``). That text is the document's
``raw``: the evidence offsets of a PDF point into it (a PDF has no characters of its own to point into).

A page's running header or footer ("Morgan Stanley Research | 12", "Confidential — page 3 of 40") is no part
of the text: a line that opens or closes at least ``RUNNING_MIN_PAGES`` pages, and at least half of them, is
left out wherever it does so (digits aside, so that a page number does not make each line differ; a page's first
and last two lines are its edges, never more than a third of its lines).

A PDF with no text layer (a scan) and a PDF that needs a password are refused with one line that says so; so
is a file that is not a readable PDF. A PDF locked only against copying or editing opens with no password, as
a reader's viewer opens it (AES needs pypdf's ``crypto`` extra, a dependency). The title is the PDF's own (its
document information), where the text's first lines do not give one.

A word hyphenated at a line's end is one word again: the hyphen goes between two lower-case letters ("super-
vised" is "supervised") and stays elsewhere ("DeepSeek-" over "R1" is "DeepSeek-R1"), so a compound broken there
("state-of-the-" over "art") loses its last hyphen. A PDF's text has no blank lines: a heading of 20 characters or more runs into the paragraph under it, as the
wrapped lines of a paragraph are joined.
"""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

RUNNING_MIN_PAGES = 3  # a running header or footer repeats on at least this many pages
_EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a running header or footer
# (never more than a third of a page's lines each)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"[ \t\u00a0\u3000]+")


def sniff_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF file: it opens with a PDF's header (white space aside), so a text that merely
    mentions "%PDF-" is still a text."""
    return data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-")


class PdfError(ValueError):
    """A PDF that cannot be read as text; ``str(err)`` says why, in one line (``kg.corpus`` names the file)."""


def _page_texts(data: bytes) -> tuple[list[str], str | None]:
    """The text of each page and the document's title; ``PdfError`` for what cannot be read."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    # pypdf logs what it repairs ("EOF marker not found", a wrong /Length): a file it cannot read gets one line
    # from here, and one it can read needs none
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            # a PDF protected only against editing opens with the empty password
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf needs an extra package for some ciphers
                opened = 0
            if not opened:
                raise PdfError("PDF protected by a password: save an unprotected copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = str(info.title).strip() if info is not None and info.title else None
    except PdfError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as err:
        raise PdfError(f"not a readable PDF ({type(err).__name__}: {str(err)[:120] or 'no detail'})") from None
    finally:
        log.setLevel(level)
    return pages, title


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub(" ", line.strip()))


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Leave out the lines that open or close many pages alike (running headers and footers)."""
    if len(pages) < RUNNING_MIN_PAGES:
        return pages

    def edge(filled: list) -> list:
        # the first and last lines of a page, never more than a third of them each (a short page is mostly body)
        k = min(_EDGE_LINES, len(filled) // 3)
        return filled[:k] + filled[len(filled) - k:] if k else []

    edges = Counter()
    for lines in pages:
        edges.update({_running_key(ln) for ln in edge([ln for ln in lines if ln.strip()])})
    running = {k for k, n in edges.items() if k and n >= RUNNING_MIN_PAGES and 2 * n >= len(pages)}
    if not running:
        return pages
    out = []
    for lines in pages:
        at_edge = set(edge([i for i, ln in enumerate(lines) if ln.strip()]))
        out.append([ln for i, ln in enumerate(lines) if not (i in at_edge and _running_key(ln) in running)])
    return out


def text_of_pdf(data: bytes) -> tuple[str, str | None]:
    """The text of a PDF's pages (running headers and footers left out) and its title, if it has one.
    Raises ``PdfError`` for a PDF with no text layer, one that needs a password, or no PDF at all."""
    pages, title = _page_texts(data)
    if not any(p.strip() for p in pages):
        raise PdfError(f"PDF with no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''}): "
                       "a scanned document needs OCR first")
    lines = _drop_running_lines([p.replace("\r\n", "\n").replace("\r", "\n").split("\n") for p in pages])
    text = "\n".join("\n".join(ln.rstrip() for ln in page).strip("\n") for page in lines if any(ln.strip() for ln in page))
    return _HYPHEN_WRAP.sub(_unwrap_hyphen, text), title


# a word hyphenated at a line's end: "super-\nvised" is "supervised", "DeepSeek-\nR1" is "DeepSeek-R1"
_HYPHEN_WRAP = re.compile(r"(?<=[A-Za-z0-9])-\n(?=[A-Za-z0-9])")


def _unwrap_hyphen(m: re.Match) -> str:
    """A hyphen between two lower-case letters at a line's end is the typesetter's: it goes; any other (a name's,
    "DeepSeek-\nR1", "GPT-\n4o") stays; the line break goes."""
    text, i = m.string, m.start()
    return "" if text[i - 1].islower() and text[m.end()].islower() else "-"
