"""Property-based: arbitrary Unicode, markup, HTML and mixed scripts through the loader and the
extractor. Nothing crashes (a bad input is an ``InputError``/``EmptyInput``, never another
exception), and offsets always point at the text they claim. Deterministic (derandomize); a
deeper run: KG_FUZZ_EXAMPLES=2000 KG_FUZZ_RANDOM=1 python -m pytest tests/test_fuzz.py"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.corpus import EmptyInput, InputError, load_document
from kg.parallel import extract_file

SETTINGS = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", 60)), deadline=None,
                    derandomize=not os.environ.get("KG_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NAMES = ["OpenAI", "英伟达", "輝達", "台积电", "Microsoft", "微软", "Anthropic", "Sam Altman", "黄仁勋", "GPT-4o",
         "H100", "苹果", "Nvidia", "ＯｐｅｎＡＩ"]
WORDS = ["投资了", "为", "提供芯片", "与", "竞争", "开发了", "收购", " invests in ", " competes with ", "。", "，",
         "！", "\n", "\n\n", " ", "**", "_", "# ", "> ", "- ", "1. ", "[", "](http://x.y/a(b))", "![](i.png)",
         "http://e.com/q?x=1", "\\*", "`", "<b>", "</b>", "&amp;", "&#x4E2D;", "---", "|", "：", "\t", "\u200b",
         "\u202e", "\ufeff", "e\u0301", "😀", "Ж", "مرحبا", "한국", "ｶﾀｶﾅ", "\x00", "\r\n", "\r"]

VERBS = ["投资了", "为{}提供芯片", "与{}竞争", "开发了", "收购了", " invests in ", " competes with ", "和", "的"]
sentence = st.builds(lambda a, v, b, end: (v.format(b) if "{}" in v else v + b).join([a, ""]) + end,
                     st.sampled_from(NAMES), st.sampled_from(VERBS), st.sampled_from(NAMES),
                     st.sampled_from(["。", "！", ".", "\n", "。\n\n", ""]))
mixed_text = st.lists(sentence | st.sampled_from(NAMES + WORDS) | st.text(max_size=8), max_size=60).map("".join)
HTML_BITS = ["<html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<div>", "</div>", "<br>",
             "<script>", "</script>", "<style>", "</style>", "<pre>", "</pre>", "<!-- c -->", "<svg><title>x",
             "</svg>", '<meta name="author" content="A &amp; B">', '<a href="http://x">', "</a>", "&nbsp;",
             "&lt;", "&bogus;", "&#99999999;", "<", ">", "</", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?pi?>"]
html_text = st.lists(st.sampled_from(HTML_BITS + NAMES + WORDS) | st.text(max_size=6), max_size=60).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"]


def _load(data: bytes, name: str):
    try:
        return load_document(name, data=data)
    except (InputError, EmptyInput) as err:
        assert "\n" not in str(err) and name in str(err)
        return None


def _check_text_offsets(doc) -> None:
    assert len(doc.clean) == len(doc.offsets) == len(doc.norm)
    assert list(doc.offsets) == sorted(doc.offsets)
    for i, ch in enumerate(doc.clean):
        at = doc.raw[doc.offsets[i]]
        assert at == ch or (ch == " " and at == "\n"), (i, ch, at)


def _check_html_offsets(doc) -> None:
    assert len(doc.clean) == len(doc.offsets) == len(doc.norm)
    for i, ch in enumerate(doc.clean):
        assert 0 <= doc.offsets[i] < len(doc.raw)
        if not ch.isspace():
            at = doc.raw[doc.offsets[i]]
            assert at == ch or at == "&", (i, ch, at)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "b.md", "c.html"]))
def test_any_bytes_load_or_are_refused(data, name):
    doc = _load(data, name)
    if doc is not None:
        (_check_html_offsets if doc.raw.lstrip().startswith("<") or name.endswith(".html") else lambda d: None)(doc)


@SETTINGS
@given(mixed_text, st.sampled_from(ENCODINGS))
def test_text_in_any_encoding_keeps_offsets(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    doc = _load(data, "t.md")
    if doc is not None and not doc.raw.lstrip().lower().startswith(("<html", "<!doctype", "<head")):
        _check_text_offsets(doc)


@SETTINGS
@given(html_text)
def test_html_keeps_offsets(text):
    doc = _load(text.encode("utf-8"), "p.html")
    if doc is not None:
        _check_html_offsets(doc)


@SETTINGS
@given(mixed_text)
def test_extraction_offsets_point_at_the_evidence(extractor, text):
    data = text.encode("utf-8")
    result = extract_file(extractor, "fuzz.md", data=data)
    assert result.failed is None or "extraction failed" not in result.failed, result.failed
    if result.extraction is None:
        return
    doc = load_document("fuzz.md", data=data)
    event(f"mentions: {bool(result.extraction.mentions)}, relations: {bool(result.extraction.relations)}")
    for m in result.extraction.mentions:
        assert 0 <= m.start < m.end <= len(doc.raw)
        assert doc.raw[m.start] == m.surface[0] and doc.raw[m.end - 1] == m.surface[-1], m
    for r in result.extraction.relations:
        assert 0 <= r.start < r.end <= len(doc.raw) and r.sentence
        evidence = doc.raw[r.start:r.end].strip()
        assert evidence[0] == r.sentence[0] and evidence[-1] == r.sentence[-1], (r, evidence)


@SETTINGS
@given(html_text)
def test_extraction_of_html_never_crashes(extractor, text):
    result = extract_file(extractor, "fuzz.html", data=text.encode("utf-8"))
    assert result.failed is None or "extraction failed" not in result.failed, result.failed
    if result.extraction is not None:
        n = result.extraction.doc.length
        assert all(0 <= m.start < m.end <= n for m in result.extraction.mentions)
