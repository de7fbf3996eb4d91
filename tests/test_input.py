"""Input as it really comes: HTML pages, declared charsets, traditional characters, bad files,
size limits, long lines; one-line messages that name the file, and the other files still built."""

from __future__ import annotations

import os

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kg.cli import app
from kg.corpus import EmptyInput, InputError, iter_input_files, load_document
from kg.htmlinput import extract_text, sniff_html
from kg.parallel import extract_file
from kg.vocab import KG

from .conftest import CORPUS

PAGE = """<!DOCTYPE html>
<!-- saved from url=(0036)https://mp.weixin.qq.com/s/Ab12Cd34 -->
<html><head><meta charset="{charset}">
<title>{title} - 微信公眾平台</title>
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2024-06-12T08:00:00+08:00">
<style>p {{ color: red }}</style>
<script>var html = "<p>不在正文里</p>";</script>
</head>
<body><nav>首頁 | 關於我們</nav>
<h1 class="rich_media_title">
    {title}
</h1>
<div id="js_content" style="visibility: hidden;">
<p>{body1}</p>
<p>{body2}&nbsp;&amp;&#x20;完</p>
</div></body></html>
"""

SIMPLIFIED = dict(title="台积电与英伟达", author="范阳",
                  body1="台积电为英伟达和苹果代工芯片，\n微软投资了OpenAI。",
                  body2="Anthropic与OpenAI竞争")
TRADITIONAL = dict(title="台積電與輝達", author="范陽",
                   body1="台積電為輝達和蘋果代工晶片，\n微軟投資了OpenAI。",
                   body2="Anthropic與OpenAI競爭")


def page(charset="utf-8", **parts) -> str:
    return PAGE.format(charset=charset, **(parts or SIMPLIFIED))


def test_html_page_text_title_and_header(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(page(), encoding="utf-8")
    doc = load_document(path)
    assert doc.meta == {"title": "台积电与英伟达", "author": "范阳", "date": "2024-06-12T08:00:00+08:00",  # zone kept
                        "source": "https://mp.weixin.qq.com/s/Ab12Cd34"}
    assert "color" not in doc.clean and "不在正文" not in doc.clean and "首頁" not in doc.clean
    assert "<" not in doc.clean
    # the line wrap between two Chinese characters is no space; entities decoded
    assert "代工芯片，微软投资了OpenAI。" in doc.clean
    assert doc.clean.endswith("Anthropic与OpenAI竞争\xa0& 完")
    # every character points at itself in the source, or at the entity that wrote it
    for i, ch in enumerate(doc.clean):
        at = doc.raw[doc.offsets[i]]
        assert at == ch or at == "&" or (ch in " \n" and (at.isspace() or at == "<")), (i, ch, at)


def test_html_title_kept_when_body_lacks_it():
    clean, offsets, meta = extract_text("<html><head><title>OpenAI &amp; 微软</title></head><body><p>正文。</p></body></html>")
    assert meta["title"] == "OpenAI & 微软"
    assert clean.split("\n") == ["OpenAI & 微软", "正文。"]


def test_html_relations_and_document_node(tmp_path, lexicon, runner):
    (tmp_path / "a.html").write_text(page(), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    g = Graph().parse(out / "kg.ttl")
    [d] = g.subjects(RDF.type, KG.Interview)
    assert str(g.value(d, DCTERMS.title)) == "台积电与英伟达"
    assert str(g.value(d, DCTERMS.creator)) == "范阳"
    assert str(g.value(d, DCTERMS.source)) == "https://mp.weixin.qq.com/s/Ab12Cd34"
    assert len(list(g.subject_objects(KG.supplies))) >= 1


@pytest.mark.parametrize("charset, encoding", [("gbk", "gb18030"), ("gb2312", "gb18030"), ("big5", "cp950")])
def test_html_declared_charset(tmp_path, charset, encoding):
    parts = TRADITIONAL if charset == "big5" else SIMPLIFIED
    path = tmp_path / f"{charset}.htm"
    path.write_bytes(page(charset, **parts).encode(encoding))
    doc = load_document(path)
    assert doc.meta["author"] == parts["author"]
    assert parts["body2"] in doc.clean


def test_traditional_sources_extract_the_same_entities(tmp_path, extractor):
    (tmp_path / "s.html").write_bytes(page("utf-8", **SIMPLIFIED).encode("utf-8"))
    (tmp_path / "t.html").write_bytes(page("big5", **TRADITIONAL).encode("cp950"))
    (tmp_path / "t.txt").write_bytes((TRADITIONAL["body1"] + TRADITIONAL["body2"]).encode("big5"))
    found = {}
    for name in ("s.html", "t.html", "t.txt"):
        ex = extract_file(extractor, tmp_path / name).extraction
        found[name] = ({m.entity for m in ex.mentions}, {(r.subject, r.predicate, r.object) for r in ex.relations})
    assert found["s.html"][0] == {"tsmc", "nvidia", "apple", "microsoft", "openai", "anthropic"}
    assert ("tsmc", "supplies", "nvidia") in found["s.html"][1]
    assert found["s.html"] == found["t.html"]
    assert found["t.txt"][0] == found["s.html"][0]


def test_html_sniffed_in_a_txt_file_and_listed_in_folders(tmp_path):
    assert sniff_html(b"\xef\xbb\xbf  <!doctype html><html>")
    assert sniff_html("<html><body>x</body></html>".encode("utf-16"))
    assert not sniff_html(b"# Title\n<p>markdown with a tag</p>")
    (tmp_path / "saved.txt").write_text(page(), encoding="utf-8")
    assert load_document(tmp_path / "saved.txt").meta["author"] == "范阳"
    (tmp_path / "page.html").write_text(page())
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "frame.html").write_text("<html><body>ad</body></html>")
    (tmp_path / "other_files").mkdir()  # not beside a page: an ordinary folder
    (tmp_path / "other_files" / "b.htm").write_text(page())
    names = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert names == ["other_files/b.htm", "page.html", "saved.txt"]


def test_html_without_text_is_skipped(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>x()</script></head><body><img src=a.png></body></html>")
    with pytest.raises(EmptyInput) as info:
        load_document(path)
    assert str(path) in str(info.value)


def test_truncated_utf8_is_read_with_a_warning(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("微软投资了OpenAI。英伟达".encode("utf-8")[:-2])
    doc = load_document(path)
    assert doc.raw == "微软投资了OpenAI。英伟"
    assert doc.warnings and "truncated" in doc.warnings[0]


def test_truncated_utf16_drops_the_odd_byte(tmp_path):
    path = tmp_path / "cut16.txt"
    path.write_bytes("英伟达为 OpenAI 提供芯片。".encode("utf-16")[:-1])
    doc = load_document(path)
    assert doc.raw == "英伟达为 OpenAI 提供芯片"
    assert "truncated" in doc.warnings[0]


def test_size_limit_refuses_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:  # a sparse 200 MB file: costs nothing to make
        fh.truncate(200 * 1000 * 1000)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    with pytest.raises(InputError) as info:
        load_document(path)
    assert opened == []
    msg = str(info.value)
    assert str(path) in msg and "too large" in msg and "200.0 MB" in msg and "\n" not in msg


def test_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_document(fifo)
    with pytest.raises(InputError, match="folder"):
        load_document(tmp_path)


def test_long_line_is_extracted_in_pieces_with_file_offsets(tmp_path, extractor):
    sentence = "台积电为英伟达代工芯片，微软投资了OpenAI。"
    raw = "**标题**：长文 " + sentence * 3000  # one line, 78,000 characters
    path = tmp_path / "oneline.md"
    path.write_text(raw, encoding="utf-8")
    whole = extract_file(extractor, path)
    pieces = extract_file(extractor, path, segment_chars=5000)
    assert pieces.failed is None and len(load_document(path).segments(5000)) > 10
    assert len(pieces.extraction.mentions) == len(whole.extraction.mentions)
    assert {(r.subject, r.predicate, r.object) for r in pieces.extraction.relations} == \
        {(r.subject, r.predicate, r.object) for r in whole.extraction.relations}
    doc = load_document(path)
    for m in pieces.extraction.mentions:
        assert doc.raw[m.start:m.end] == m.surface
    for r in pieces.extraction.relations:
        assert doc.raw[r.start:r.end].replace("**", "") == r.sentence


def test_text_longer_than_spacy_allows(tmp_path, extractor):
    """Over spaCy's 1,000,000-character limit in one line: built, not a crash."""
    raw = ("台积电为英伟达代工芯片 " * 10) + "x" * 1_100_000
    path = tmp_path / "huge-line.txt"
    path.write_text(raw, encoding="utf-8")
    result = extract_file(extractor, path)
    assert result.failed is None, result.failed
    assert {m.entity for m in result.extraction.mentions} >= {"tsmc", "nvidia"}


def test_bad_files_do_not_stop_the_build(tmp_path, runner):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes((CORPUS / "000_9947a042a113937a.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (src / "cut.txt").write_bytes("微软投资了OpenAI。".encode("utf-8")[:-1])
    (src / "large.txt").write_bytes("英伟达。".encode("utf-8") * 100_000)
    (src / "noise.htm").write_bytes(bytes([0xff, 0xfe, 0xfd, 0x81, 0x30]) * 50 + b"\x80")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "-o", str(out), "-q", "--max-file-size", "0.2"])
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    by_file = {name: [l for l in lines if name in l] for name in
               ("empty.txt", "binary.md", "cut.txt", "large.txt", "noise.htm")}
    assert all(len(v) == 1 for v in by_file.values()), lines
    assert by_file["empty.txt"][0].startswith("warning:") and "empty" in by_file["empty.txt"][0]
    assert by_file["cut.txt"][0].startswith("warning:") and "truncated" in by_file["cut.txt"][0]
    assert by_file["binary.md"][0].startswith("error:") and "binary" in by_file["binary.md"][0]
    assert by_file["large.txt"][0].startswith("error:") and "--max-file-size" in by_file["large.txt"][0]
    assert by_file["noise.htm"][0].startswith("error:")
    g = Graph().parse(out / "kg.ttl")
    names = {str(o) for o in g.objects(None, KG.fileName)}
    assert names == {"good.txt", "cut.txt"}


def test_mhtml_single_file_page(tmp_path):
    import quopri

    html_part = quopri.encodestring(page().encode("utf-8")).decode("ascii")
    mhtml = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: https://mp.weixin.qq.com/s/Ab12Cd34\r\n"
             "Subject: =?utf-8?Q?x?=\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"\r\n\r\n'
             "------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n"
             "Content-Location: https://mp.weixin.qq.com/s/Ab12Cd34\r\n\r\n"
             + html_part.replace("\n", "\r\n") +
             "\r\n------MultipartBoundary--abc----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             "iVBORw0KGgo=\r\n------MultipartBoundary--abc------\r\n")
    path = tmp_path / "saved.mhtml"
    path.write_bytes(mhtml.encode("ascii"))
    doc = load_document(path)
    assert doc.meta["title"] == "台积电与英伟达" and doc.meta["author"] == "范阳"
    assert "代工芯片，微软投资了OpenAI。" in doc.clean
    assert [p.name for p in iter_input_files([tmp_path])] == ["saved.mhtml"]
