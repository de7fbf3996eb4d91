"""Word files as interviews: the paragraphs of a ``.docx`` (a transcript exported by a transcription service, a
note written in Word), read with the standard library (a ``.docx`` is a zip of XML files; its text is the ``w:t``
runs of the ``w:p`` paragraphs of ``word/document.xml``).

Each paragraph of the body, and of each table cell, is a paragraph of the text, a blank line between two; a line
break inside a paragraph (``w:br``, Shift+Enter) is a line break, a tab a tab. Deleted text of tracked changes
(``w:del``) is no text; footnotes, comments, headers and footers are left out. That text is the document's
``raw``: evidence offsets point into it. The title is the file's own (``docProps/core.xml``), where the text gives
none. A file that is not a readable ``.docx`` (an old binary ``.doc``, a zip of something else) is refused with one
line that says so.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # zipfile and ElementTree are imported when a Word file is read, not at start-up
    from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_MAX_XML = 64 * 1024 * 1024  # the body's XML, unpacked: a zip bomb is refused before it is read


class DocxError(ValueError):
    """A ``.docx`` that cannot be read as text; ``str(err)`` says why, in one line (``kg.corpus`` names the file)."""


def sniff_docx(data: bytes) -> bool:
    """Whether ``data`` is a zip that holds a Word document's body."""
    return data[:4] == b"PK\x03\x04" and b"word/document.xml" in data[:65536]


def _paragraph_text(p: "ElementTree.Element") -> str:
    parts = []
    for el in p.iter():
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    return "".join(parts)


def _blocks(body: "ElementTree.Element") -> list[str]:
    """The text of each paragraph of ``body`` in reading order, a table's cells row by row."""
    out: list[str] = []

    def walk(el: "ElementTree.Element") -> None:
        for child in el:
            tag = child.tag
            if tag == _W + "p":
                out.append(_paragraph_text(_without_deletions(child)))
            elif tag in (_W + "tbl", _W + "tr", _W + "tc", _W + "sdt", _W + "sdtContent", _W + "customXml"):
                walk(child)

    walk(body)
    return out


def _without_deletions(p: "ElementTree.Element") -> "ElementTree.Element":
    """``p`` without the text that tracked changes deleted (``w:del``) — read, not shown."""
    for parent in list(p.iter()):
        for child in list(parent):
            if child.tag == _W + "del":
                parent.remove(child)
    return p


def text_of_docx(data: bytes) -> tuple[str, str | None]:
    """The text of a ``.docx``'s paragraphs (a blank line between two) and its title, if it has one.
    Raises ``DocxError`` for a file that is not a readable Word document."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            try:
                info = z.getinfo("word/document.xml")
            except KeyError:
                raise DocxError("not a Word document: no word/document.xml in the zip (an old .doc needs "
                                "saving as .docx)") from None
            if info.file_size > _MAX_XML:
                raise DocxError(f"Word document too large: its text unpacks to {info.file_size / 1e6:.0f} MB")
            root = ElementTree.fromstring(z.read(info))
            title = None
            if "docProps/core.xml" in z.namelist():
                core = ElementTree.fromstring(z.read("docProps/core.xml"))
                found = core.find(_DC_TITLE)
                title = (found.text or "").strip() or None if found is not None else None
    except DocxError:
        raise
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError, ValueError) as err:
        raise DocxError(f"not a readable Word document ({type(err).__name__}: {str(err)[:120] or 'no detail'})") from None
    body = root.find(_W + "body")
    paragraphs = _blocks(body) if body is not None else []
    text = "\n\n".join(p.strip("\n") for p in paragraphs if p.strip())
    return text, title
