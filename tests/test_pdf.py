"""PDF files as interviews: the text layer of their pages, read with pypdf (kg/pdfinput.py); evidence offsets into
that text; running headers and footers left out; one clear line for a PDF that cannot be read as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import app
from kg.corpus import InputError, iter_input_files, load_document
from kg.pdfinput import text_of_pdf
from kg.vocab import KG, KGE

from .conftest import assert_evidence_quotes, built_from, one_line_about, triples_of
from .pdfmake import make_pdf

# an analyst's note: a sentence cut by the page break, a Chinese sentence wrapped in the middle of a name
NOTE = [
    ["Semiconductor notes for the week",
     "This week we look at who sells accelerators to whom. Nvidia supplies its GPUs to Microsoft,",
     "which runs them in Azure, and the two are"],
    ["signing a larger contract. AMD competes with Nvidia in data centres with the MI355X.",
     "輝達執行長黃仁勳在週三的法說會上表示，台積電為輝達代工了全部的 Blackwell",
     "晶片，而三星也在爭取訂單。"],
]


def _write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_text_layer_is_read_page_after_page(tmp_path):
    doc = load_document(_write(tmp_path, "note.pdf", make_pdf(NOTE, title="Weekly semiconductor notes")))
    assert doc.meta["title"] == "Weekly semiconductor notes"  # the PDF's own title, as the text gives none
    assert doc.language == "en"
    # a sentence that the page break cuts is one sentence again; a wrapped Chinese line joins with no space
    assert "the two are signing a larger contract." in doc.clean
    assert "台積電為輝達代工了全部的 Blackwell晶片" in doc.clean or "台積電為輝達代工了全部的 Blackwell 晶片" in doc.clean
    # offsets point into the text of the pages (the document's raw text)
    i = doc.clean.index("Microsoft")
    assert doc.raw[slice(*doc.raw_span(i, i + len("Microsoft")))] == "Microsoft"


def test_a_folder_with_a_pdf_builds_with_evidence_in_its_text(tmp_path):
    src = tmp_path / "in"
    pdf = _write(src, "note.pdf", make_pdf(NOTE))
    (src / "talk.txt").write_text("Lisa Su leads AMD. AMD supplies MI300X chips to Oracle.\n", encoding="utf-8")
    assert [p.name for p in iter_input_files([src])] == ["note.pdf", "talk.txt"]
    ds = built_from(src, tmp_path / "out")
    triples = triples_of(ds)
    assert (KGE.nvidia, KG.supplies, KGE.microsoft) in triples
    assert (KGE.tsmc, KG.supplies, KGE.nvidia) in triples  # read across the wrapped Chinese line
    assert (KGE.amd, KG.competesWith, KGE.nvidia) in triples or (KGE.nvidia, KG.competesWith, KGE.amd) in triples
    assert (KGE.amd, KG.supplies, KGE.oracle) in triples  # the text file beside it
    assert_evidence_quotes(ds, pdf)  # the evidence's spans of the page text


def test_a_pdf_named_otherwise_is_read_as_one_and_a_text_about_pdfs_as_text(tmp_path):
    assert "Nvidia supplies its GPUs to Microsoft" in load_document(_write(tmp_path, "note.bin", make_pdf(NOTE))).clean
    text = load_document(_write(tmp_path, "about.txt", b"A PDF file opens with %PDF-1.7 and then its objects.\n"))
    assert text.clean.startswith("A PDF file opens")


def test_a_word_hyphenated_at_a_lines_end_is_one_word_again():
    text, _ = text_of_pdf(make_pdf([["Models trained without super-", "vised data, such as DeepSeek-",
                                     "R1, match OpenAI's o1."]]))
    assert "without supervised data, such as DeepSeek-R1, match" in " ".join(text.split("\n"))


def test_running_headers_and_footers_are_no_text():
    pages = [["Quellion Research | Semiconductors", f"Line {i} of the body: Nvidia ships chips to Oracle this quarter.",
              f"Page {i + 1} of 5"] for i in range(5)]
    text, _ = text_of_pdf(make_pdf(pages))
    assert "Quellion Research" not in text and "Page " not in text
    assert text.count("Nvidia ships chips to Oracle") == 5
    # two pages are too few to tell a running line from the text
    text, _ = text_of_pdf(make_pdf(pages[:2]))
    assert text.count("Quellion Research") == 2


@pytest.mark.parametrize("name, data, problem", [
    ("scan.pdf", make_pdf([[], []]), "no text layer (2 pages): a scanned document needs OCR first"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "not a readable PDF"),
    ("named.pdf", b"just some text that is not a PDF at all\n", "not a readable PDF"),
])
def test_a_pdf_that_cannot_be_read_as_text_is_one_clear_line(tmp_path, name, data, problem):
    with pytest.raises(InputError) as err:
        load_document(_write(tmp_path, name, data))
    assert problem in str(err.value) and name in str(err.value)


def test_a_pdf_locked_by_a_password_is_refused_and_one_locked_against_editing_is_read(tmp_path, runner):
    from pypdf import PdfReader, PdfWriter

    def encrypted(user: str, owner: str, algorithm: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(_write(tmp_path / "plain", "n.pdf", make_pdf(NOTE))))
        writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
        path = tmp_path / "enc.pdf"
        with open(path, "wb") as fh:
            writer.write(fh)
        return path.read_bytes()

    src = tmp_path / "in"
    _write(src, "locked.pdf", encrypted("secret", "owner", "AES-256"))
    _write(src, "no-copy.pdf", encrypted("", "owner", "AES-128"))  # opens with no password, as many reports do
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "-o", str(out)])
    assert "protected by a password" in one_line_about(result, "locked.pdf")
    trig = (out / "kg.trig").read_text(encoding="utf-8")
    assert "no-copy.pdf" in trig and "locked.pdf" not in trig


# a page as a browser prints it to PDF: real fonts (Chinese ones subset and embedded), lines wrapped by width
PRINTED = """<!doctype html><html><head><meta charset="utf-8"><title>Supply chain interview</title>
<style>body { font: 13px "Noto Serif CJK SC", serif; width: 300px; }</style></head><body>
<h1>Supply chain interview</h1>
<p>Analyst: Who builds the accelerators that the hyperscalers buy this year, and who makes them?</p>
<p>Guest: TSMC manufactures the Blackwell chips for Nvidia, and Nvidia sells them to Microsoft and Oracle.
AMD competes with Nvidia for the same customers.</p>
<p>记者：国内的情况呢？</p>
<p>嘉宾：中芯国际为华为代工昇腾芯片，华为的竞争对手是寒武纪，两家都在争取字节跳动的订单。</p>
</body></html>"""


def test_a_pdf_printed_by_a_browser_is_read(tmp_path):
    import os

    chromium = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
    if not chromium.exists():
        pytest.skip(f"no Chromium at {chromium}: the test command installs Debian's chromium (see README)")
    from playwright.sync_api import sync_playwright

    src = tmp_path / "in"
    src.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page()
        page.set_content(PRINTED)
        page.pdf(path=str(src / "printed.pdf"), format="A6")
        browser.close()
    doc = load_document(src / "printed.pdf")
    assert "TSMC manufactures the Blackwell chips for Nvidia" in " ".join(doc.clean.split())
    # the embedded font maps 工 and 片 to their Kangxi radicals (⼯ ⽚), which are read as the characters; a line
    # wrapped between two Chinese characters joins with no space, a radical one of them
    assert "中芯国际为华为代工" in doc.norm and "芯片,华为的竞争对手是寒武纪" in doc.norm
    triples = triples_of(built_from(src, tmp_path / "out"))
    for triple in [(KGE.tsmc, KG.supplies, KGE.nvidia), (KGE.nvidia, KG.supplies, KGE.microsoft),
                   (KGE.smic, KG.supplies, KGE.huawei), (KGE.huawei, KG.develops, KGE.ascend)]:
        assert triple in triples, triple
