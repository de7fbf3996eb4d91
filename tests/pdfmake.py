"""A small PDF writer for the tests: pages of text lines in a PDF that pypdf (and any viewer with the font) reads.

The text is shown with a composite font (Type0, Identity-H) whose ToUnicode map gives every character its
code point, so Latin and Chinese text alike come back out of the text layer as written. No glyphs are
embedded: the file is for extraction, as a PDF exported by a word processor would be read.
"""

from __future__ import annotations


def _stream(body: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(body)}{extra} >>\nstream\n".encode() + body + b"\nendstream"


def _to_unicode(codes: dict[str, int]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /KG-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted(codes.items(), key=lambda kv: kv[1])
    for i in range(0, len(items), 100):
        block = items[i:i + 100]
        lines.append(f"{len(block)} beginbfchar")
        for ch, cid in block:
            utf16 = ch.encode("utf-16-be").hex().upper()
            lines.append(f"<{cid:04X}> <{utf16}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF of ``pages``, each a list of text lines set one under the other; ``title`` in its document
    information. An empty page list of lines makes a page with no text (as a scanned page has none)."""
    codes: dict[str, int] = {}
    for page in pages:
        for line in page:
            for ch in line:
                codes.setdefault(ch, len(codes) + 1)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    descriptor = add(b"<< /Type /FontDescriptor /FontName /KGTest /Flags 32 /FontBBox [0 -200 1000 900] "
                     b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    cid_font = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /KGTest /CIDSystemInfo << /Registry (Adobe) "
                   f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 >>".encode())
    to_unicode = add(_stream(_to_unicode(codes)))
    font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /KGTest /Encoding /Identity-H "
               f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode())
    kids = []
    for page in pages:
        ops = []
        y = 760
        for line in page:
            hexed = "".join(f"{codes[ch]:04X}" for ch in line)
            ops.append(f"BT /F1 11 Tf 56 {y} Td <{hexed}> Tj ET")
            y -= 16
        content = add(_stream("\n".join(ops).encode()))
        kids.append(add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
    info = None
    if title is not None:
        info = add(b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    trailer = f"<< /Size {len(objects) + 1} /Root {catalog} 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
