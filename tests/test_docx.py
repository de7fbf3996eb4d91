"""Word documents (.docx) as interviews: their paragraphs, table cells and line breaks, read with the standard
library (kg/docxinput.py); evidence offsets into that text; one clear line for a file that is no readable .docx.
The files are written with python-docx, as a transcription service or Word writes them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg.corpus import InputError, iter_input_files, load_document
from kg.vocab import KG, KGE

from .conftest import assert_evidence_quotes, built_from, triples_of

docx = pytest.importorskip("docx")  # python-docx, in the test extra


def _transcript(path: Path, title: str | None = "Episode 12: who builds the chips") -> Path:
    d = docx.Document()
    if title:
        d.core_properties.title = title
    d.add_paragraph("Speaker 1 (00:00:03): Welcome back. Today we talk about accelerators.")
    d.add_paragraph("Lisa Su (00:00:09): AMD competes with Nvidia in every data centre, and TSMC manufactures "
                    "our MI355X.")
    p = d.add_paragraph("黄仁勋：台积电为英伟达代工 Blackwell 芯片，")
    p.add_run().add_break()  # Shift+Enter: a line break inside the paragraph
    p.add_run("而微软从英伟达采购了大量 GPU。")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Supplier"
    table.cell(0, 1).text = "Samsung supplies HBM to Nvidia."
    d.save(str(path))
    return path


def test_the_paragraphs_are_the_text(tmp_path):
    doc = load_document(_transcript(tmp_path / "ep12.docx"))
    assert doc.meta["title"] == "Episode 12: who builds the chips"  # the file's own title, as the text gives none
    assert "AMD competes with Nvidia in every data centre" in doc.clean
    assert "Samsung supplies HBM to Nvidia." in doc.clean  # a table cell
    assert "Supplier\n\nSamsung" in doc.raw  # each paragraph and cell apart, a blank line between two
    i = doc.clean.index("TSMC")
    assert doc.raw[slice(*doc.raw_span(i, i + 4))] == "TSMC"


def test_a_folder_with_a_word_file_builds_with_evidence_in_its_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    path = _transcript(src / "ep12.docx")
    (src / "notes.txt").write_text("Oracle buys MI300X chips from AMD.\n", encoding="utf-8")
    assert [p.name for p in iter_input_files([src])] == ["ep12.docx", "notes.txt"]
    ds = built_from(src, tmp_path / "out")
    triples = triples_of(ds)
    for triple in [(KGE.tsmc, KG.supplies, KGE.nvidia), (KGE.samsung, KG.supplies, KGE.nvidia),
                   (KGE.nvidia, KG.supplies, KGE.microsoft), (KGE.amd, KG.supplies, KGE.oracle)]:
        assert triple in triples, triple
    assert (KGE.amd, KG.competesWith, KGE.nvidia) in triples or (KGE.nvidia, KG.competesWith, KGE.amd) in triples
    assert_evidence_quotes(ds, path)  # the evidence's spans of the paragraphs' text


def test_deleted_text_of_tracked_changes_is_no_text(tmp_path):
    path = _transcript(tmp_path / "t.docx", title=None)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    assert w.encode() in parts["word/document.xml"]
    deleted = ('<w:p><w:r><w:t xml:space="preserve">Intel </w:t></w:r><w:del w:id="1" w:author="ed" '
               'w:date="2026-01-01T00:00:00Z"><w:r><w:delText>invests in</w:delText></w:r></w:del>'
               '<w:r><w:t xml:space="preserve">competes with AMD.</w:t></w:r></w:p>')
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + deleted.encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    doc = load_document(path)
    assert "Intel competes with AMD." in doc.clean and "invests" not in doc.raw
    assert "title" not in doc.meta


@pytest.mark.parametrize("make, problem", [
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512), "not a readable Word document"),
    (lambda p: zipfile.ZipFile(p, "w").close(), "no word/document.xml"),
    (lambda p: _zip(p, {"content.xml": b"<office/>"}), "no word/document.xml"),
    (lambda p: _zip(p, {"word/document.xml": b"<w:document"}), "not a readable Word document (ParseError"),
])
def test_a_file_that_is_no_word_document_is_one_clear_line(tmp_path, make, problem):
    path = tmp_path / "broken.docx"
    make(path)
    with pytest.raises(InputError) as err:
        load_document(path)
    assert problem in str(err.value) and "broken.docx" in str(err.value)


def _zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
