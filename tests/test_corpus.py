"""Loading interviews: encodings, bad files, markup removal with exact offsets, header metadata."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.namespace import RDFS

from kg.corpus import (EmptyInput, InputError, decode, document_from_text, iter_input_files, load_document,
                       parse_header, strip_markup)

from .conftest import CORPUS

TEXT = "英伟达为 OpenAI 提供芯片。輝達與台積電合作。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_decodes_common_encodings(tmp_path, encoding):
    text = TEXT if encoding != "gb18030" else TEXT.replace("輝達與台積電", "辉达与台积电")
    if encoding == "big5":
        text = "輝達與台積電的晶片合作關係，是半導體產業最重要的供應鏈之一。" * 3
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(path)
    assert doc.raw == text


def test_binary_file_is_refused_with_one_line(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError) as info:
        load_document(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value) and "binary" in str(info.value)


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0xff, 0xfe, 0xfd, 0x81, 0x30]) * 50 + b"\x80\x80\x80")
    with pytest.raises(InputError) as info:
        load_document(path)
    assert str(path) in str(info.value)


def test_empty_file_is_a_warning(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(EmptyInput):
        load_document(path)


def test_markup_removed_offsets_point_into_raw():
    raw = ("**主持人：** 请看 ![](https://x.com/a(b)c.png) 这张图，来自 [Stratechery](https://stratechery.com/x)。\n"
           "> 引用一段 http://example.com/path?q=1 网址 Q\\* 模型\n")
    clean, offsets = strip_markup(raw)
    assert "**" not in clean and "http" not in clean and "![" not in clean
    assert "Stratechery" in clean and "Q*" in clean
    for i, ch in enumerate(clean):
        if ch != " ":
            assert raw[offsets[i]] == ch


def test_soft_wrapped_lines_are_joined():
    raw = "Nathan Benaich是风险投资公司Air Street\nCapital的创始人和普通合伙人，专注于投资人工智能领域的早期阶段创业公司\n和研究。\n\n新段落。"
    doc = document_from_text(raw, "w.txt")
    assert "Air Street Capital的创始人" in doc.clean
    assert "创业公司和研究" in doc.clean
    assert "\n\n新段落" in doc.clean


@pytest.mark.parametrize("title, body", [
    ("旋風來台演講 黃仁勳：輝達沒有台積電不會有今天成就",
     "人工智慧晶片大廠輝達執行長黃仁勳今天快閃來台，他表示，很榮幸受邀前往台積電發表演講，"
     "可能會談到台積電與輝達一起走過的旅程，也會提及產業多年來的變化。"),
    ("Chip Start-ups Raise Two Billion in a Single Week - The Challengers Are Here",
     "Three chip start-ups, Quillon, Vesperine Labs and Tallgrass, raised two billion dollars between them "
     "in one week, a sign that the race to build inference chips is speeding up."),
])
def test_a_title_over_an_unwrapped_paragraph_is_a_line_of_its_own(title, body):
    # a news page copied as text: the title has no closing mark, the paragraph under it is one long line
    doc = document_from_text(f"{title}\n{body}\n", "news.txt")
    assert f"{title}\n{body[:5]}" in doc.clean


def test_chinese_lines_wrapped_at_one_width_are_joined():
    # lines wrapped at one width are still joined, whatever the width of the paragraph's last line
    wrapped = "輝達執行長黃仁勳今天快閃來台，他表示很榮幸受\n邀前往台積電發表演講，可能會談到台積電與輝達\n一起走過的旅程。"
    doc = document_from_text(wrapped, "wrapped.txt")
    assert "受邀前往" in doc.clean and "輝達一起" in doc.clean
    # a wrap before a Latin word, or after a line that a word of the next line would not fit, is still joined
    doc = document_from_text("我们有 Copilot，以及 OpenAI 和 Azure OpenAI 的\nAPI，对吧？在某种意义上，如果你要列出十个最著名"
                             "的应用，这些可能都会排在前四或前五。", "latin.txt")
    assert "的 API" in doc.clean or "的API" in doc.clean


def test_english_lines_wrapped_or_between_chinese_or_captions_are_joined():
    # English prose wrapped at one width is still joined, whatever the width of the paragraph's last line
    wrapped = ("Quillon said on Monday that it had raised money from a group of\ninvestors led by Tallgrass, "
               "and that it would spend most of it on its\nnext chip.")
    doc = document_from_text(wrapped, "wrapped.txt")
    assert "of a group of investors" not in doc.clean and "group of investors led" in doc.clean
    assert "on its next chip" in doc.clean
    # a line that ends inside a clause goes on, however much wider the next line is (a page break of a PDF)
    doc = document_from_text("Quillon supplies its chips to Tallgrass, and the two are\nsigning a larger contract, "
                             "worth far more than the first one, later this year.", "page.txt")
    assert "the two are signing" in doc.clean
    # a short English line between lines of Chinese says nothing of a title: it is joined as before
    doc = document_from_text("查马斯（Chamath\nPalihapitiya）以其大胆的投资风格闻名。他曾是Facebook早期员工，后来创办了Social\n"
                             "Capital，一家专注于科技投资的风投公司，投资了诸多独角兽企业，也因其投资策略的风险性而备受争议。",
                             "mixed.txt")
    assert "Social Capital" in doc.clean
    # nor does a caption's width over the next caption's timestamp
    doc = document_from_text("[00:01:20.440 --> 00:01:22.640]   We all know about your successful career\n"
                             "[00:01:22.640 --> 00:01:25.920]   at the lab, and your work on the scaling paper that "
                             "everybody in the field still reads today.\n", "captions.txt")
    assert "career\n" not in doc.clean and "at the lab" in doc.clean


def test_header_metadata_from_corpus():
    doc = load_document(CORPUS / "000_9947a042a113937a.txt")
    assert doc.meta["date"] == "2024-11-17T08:00"
    assert doc.meta["author"] == "瓜哥AI新知"
    assert doc.meta["source"].startswith("http://mp.weixin.qq.com/s?__biz=")
    assert doc.meta["title"].startswith("深度｜艾尔街资本")
    doc = load_document(CORPUS / "001_60950b37aab0536c.txt")
    assert doc.meta["title"].startswith("三万字深度对谈")
    assert "stratechery.com" in doc.meta["source"] or "weixin" in doc.meta["source"]


@pytest.mark.parametrize(
    "header, key, value",
    [
        ("Title: Nvidia and the GPU wars\nDate: March 3, 2025\n\ntext", "date", "2025-03-03"),
        ("Title: Nvidia and the GPU wars\nDate: March 3, 2025\n\ntext", "title", "Nvidia and the GPU wars"),
        ("標題：輝達的護城河\n發佈時間：2024年5月6日\n來源：https://example.com.tw/a\n\n正文", "source", "https://example.com.tw/a"),
        ("標題：輝達的護城河\n發佈時間：2024年5月6日\n\n正文", "date", "2024-05-06"),
        ("# A heading title\n\nBy: Jane Doe\n", "author", "Jane Doe"),
    ],
)
def test_header_forms(header, key, value):
    assert parse_header(header)[key] == value


def test_a_title_line_over_header_lines_is_the_title_and_a_key_line_never_is(tmp_path):
    # the layout of the published texts here: the title, then "# source:" and "# date:" lines
    text = ("The Tech CEO Leading Nvidia's Main Rival\n# source: https://example.com/ep/12 (a podcast page)\n"
            "# date: 2025-12-09\n\nAMD and Nvidia compete.\n")
    meta = parse_header(text)
    assert meta["title"] == "The Tech CEO Leading Nvidia's Main Rival"
    assert meta["source"] == "https://example.com/ep/12" and meta["date"] == "2025-12-09"
    # no title line: the "# source:" line is a header, not a Markdown heading to take as the title
    meta = parse_header("# source: https://example.com/ep/12 (a podcast page)\n\nAMD and Nvidia compete.\n")
    assert "title" not in meta
    # a first paragraph of text is no title; a heading further down still is
    assert "title" not in parse_header("AMD and Nvidia compete in data-centre chips.\nThey both sell GPUs.\n")
    assert parse_header("Intro line\n\n# The real heading\n\ntext")["title"] == "The real heading"
    # the interview node of a build carries it
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ep.txt").write_text(text, encoding="utf-8")
    from typer.testing import CliRunner
    from kg.cli import app

    assert CliRunner().invoke(app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    trig = (tmp_path / "out" / "kg.trig").read_text(encoding="utf-8")
    assert "The Tech CEO Leading Nvidia's Main Rival" in trig and '"source: https' not in trig


def test_unpunctuated_caption_segments_stay_apart_and_punctuated_ones_are_joined(extractor):
    # an auto-caption transcript with no sentence punctuation: each timestamped segment is a bound, so no
    # "sentence" runs over the whole text and pairs two names a minute apart
    captions = ("Keller on chips\n\n"
                "00:19Yeah so people think I move around a lot and I talked to Elon about a chip\n"
                "00:22I've been working on computer design for forty years at Tesla and other places\n")
    doc = document_from_text(captions, "c.txt")
    assert "a chip\n00:22I've" in doc.clean
    sentences = [s.text for s in extractor.analyse(doc).sents]
    assert sentences and not any(s.count("00:") > 1 for s in sentences)
    # a punctuated transcript's segments may cut a sentence: they are joined, and sentences end at their stops
    punctuated = ("Intro line of the transcript.\n[00:12:08] we reuse it for chipsets. It was nev\n"
                  "[00:13:08] meaningful. The world changed.\n")
    assert "It was nev [00:13:08] meaningful." in document_from_text(punctuated, "p.txt").clean


def test_timestamps_on_lines_of_their_own_go_and_their_captions_are_one_text():
    # a podcast page's transcript: a timestamp line, then a caption line that a sentence runs across
    text = ("Cerebras on 20VC\n# source: https://example.com/t\n\nEpisode Transcript\n\n"
            "0:00\nOur AI algorithms today are not\n0:02\nparticularly efficient. In a GPU, most\n"
            "0:04\nof the time it's doing inference.\n")
    doc = document_from_text(text, "t.txt")
    assert "Our AI algorithms today are not particularly efficient. In a GPU, most of the time" in doc.clean
    assert "0:02" not in doc.clean and "0:04" not in doc.clean
    # the first caption after other text starts a line of its own: no title runs into it
    assert "Episode Transcript\nOur AI" in doc.clean
    at = doc.clean.find("particularly")
    start, end = doc.raw_span(at, at + len("particularly"))
    assert text[start:end] == "particularly"
    # Chinese captions join with no space
    zh = document_from_text("标题\n\n0:00\n\n我们的算法今天并不\n\n0:02\n\n特别高效。\n", "z.txt")
    assert "我们的算法今天并不特别高效。" in zh.clean and zh.clean.startswith("标题\n")


def test_language_detection():
    assert document_from_text("OpenAI released a model today.", "a.txt").language == "en"
    assert document_from_text("輝達與台積電的晶片合作關係越來越緊密。", "b.txt").language == "zh-Hant"
    assert document_from_text("英伟达与台积电的芯片合作关系越来越紧密。", "c.txt").language == "zh"


def test_folder_listing_skips_readme_and_hidden(tmp_path):
    (tmp_path / "README.md").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "data.json").write_text("{}")
    names = [p.name for p in iter_input_files([tmp_path])]
    assert names == ["a.txt", "b.md"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 中文英伟达*_[]()!#>\n-:：。，http://x.y\\`<>")) | st.characters(), max_size=300))
def test_offsets_always_point_at_the_source(raw):
    raw = raw.replace("\r", "")
    clean, offsets = strip_markup(raw)
    assert len(clean) == len(offsets)
    assert list(offsets) == sorted(offsets)
    for i, ch in enumerate(clean):
        assert raw[offsets[i]] == ch or (ch == " " and raw[offsets[i]] == "\n")


def test_decode_prefers_utf8():
    assert decode("日本語 and English".encode("utf-8"))[1] == "utf-8"


def test_names_only_in_the_source_line_are_provenance(extractor, by_name):
    # the header's source line names the outlet and feed a text was taken from: a name only there is
    # not an entity of the text; one the text uses again stays
    raw = ("Chips and clouds\n# source: https://example.com/ep12 (YouTube feed of a podcast with Nvidia's "
           "Jensen Huang; archived on GitHub)\n# date: 2025-03-01\n\n"
           "Jensen Huang said the demand for Blackwell keeps growing.\n")
    doc = document_from_text(raw, "p.txt")
    lo, hi = doc.meta["source_line"]
    assert raw[lo:hi].startswith("https://example.com/ep12") and raw[hi - 1] == ")"
    found = {m.entity for m in extractor.extract(doc).mentions}
    assert by_name["Jensen Huang"] in found and by_name["Blackwell"] in found
    assert by_name["YouTube"] not in found and by_name["GitHub"] not in found
    assert by_name["Nvidia"] not in found


def test_names_only_in_the_date_line_are_provenance(extractor, by_name):
    # what a header's date line says besides the date (where the text was published) is provenance too
    raw = ("Chips and clouds\n# source: https://example.com/ep12\n# date: 2025-03-01 (publication date of the "
           "YouTube episode, syndicated on Yahoo News)\n\nJensen Huang said the demand for Blackwell keeps growing. "
           "Nvidia also ships more to Microsoft.\n")
    doc = document_from_text(raw, "p.txt")
    assert doc.meta["date"] == "2025-03-01"
    lo, hi = doc.meta["date_line"]
    assert raw[lo:hi].startswith("2025-03-01") and raw[hi - 1] == ")"
    found = {m.entity for m in extractor.extract(doc).mentions}
    assert {by_name["Jensen Huang"], by_name["Blackwell"], by_name["Nvidia"], by_name["Microsoft"]} <= found
    assert by_name["YouTube"] not in found and by_name["Yahoo"] not in found


def test_a_maker_read_in_a_product_s_name_survives_the_provenance_cut(extractor, by_name):
    # the maker in "Open AI o1-mini" has no mention of its own: dropping the names of the source line must
    # not take its relation with it
    raw = ("Benchmarks\n# source: https://example.com/a (republished on YouTube)\n\n"
           "通义千问Qwen2.5-Max超越了DeepSeek-V3和Open AI o1-mini等模型。\n")
    out = extractor.extract(document_from_text(raw, "p.txt"))
    assert by_name["YouTube"] not in {m.entity for m in out.mentions}
    assert (by_name["OpenAI"], "develops", by_name["o1-mini"]) in {(r.subject, r.predicate, r.object) for r in out.relations}


@pytest.mark.parametrize("raw, clean", [
    ("We supply [inaudible] GPUs to Microsoft (laughs) and Oracle.", "We supply GPUs to Microsoft and Oracle."),
    ("That was the plan [Laughter] and then [inaudible 00:15:38] it changed. [MUSIC PLAYING]",
     "That was the plan and then it changed."),
    ("[music\\] Welcome back.", " Welcome back."),
    ("英伟达（笑）其实一直在给微软供货。", "英伟达其实一直在给微软供货。"),
    # what an editor adds in brackets is text, and so is a word that only starts like a note
    ("They [the company] sell chips (and memory) to (Laughlin's) fund.",
     "They [the company] sell chips (and memory) to (Laughlin's) fund."),
])
def test_a_transcripts_notes_of_no_speech_are_no_text(raw, clean):
    doc = document_from_text(raw + "\n", "t.txt")
    assert doc.clean.rstrip("\n") == clean
    assert all(doc.raw[o] == c for o, c in zip(doc.offsets, doc.clean))


def test_a_relation_across_a_note_of_no_speech_is_read(extractor):
    from .conftest import relations_of

    text = ("Host: Welcome Jensen Huang, the CEO of Nvidia.\n"
            "Jensen Huang: We supply [inaudible] GPUs to Microsoft (laughs) and Oracle.\n")
    found = relations_of(extractor, text)
    assert ("nvidia", "supplies", "microsoft") in found and ("nvidia", "supplies", "oracle") in found


def test_an_unpunctuated_pasted_transcript_is_read_in_pieces_of_a_sentences_length():
    """A video page's transcript pasted as text: a timestamp on a line of its own above each caption line, no
    sentence punctuation. Joined whole it was one sentence; it is read in pieces of a sentence's length."""
    words = ("so the thing about the market is that Nvidia sells most of the accelerators and AMD is trying hard "
             "to catch up with them while Google builds its own TPUs with Broadcom and that is the story of the "
             "year really but then you have to ask who is going to pay for all of these data centres").split()
    lines = ["Episode 12", ""]
    for n, i in enumerate(range(0, len(words), 7)):
        lines += [f"0:{n * 3:02d}", " ".join(words[i:i + 7])]
    doc = document_from_text("\n".join(lines) + "\n", "t.txt")
    pieces = [p for p in doc.clean.split("\n")[1:] if p.strip()]
    assert len(pieces) >= 2 and all(len(p) < 200 for p in pieces), pieces
    assert " ".join(" ".join(pieces).split()) == " ".join(words)
    assert all(doc.raw[o] == c for o, c in zip(doc.offsets, doc.clean) if c not in " \n")
    # punctuated captions under timestamps are joined as before: one paragraph
    punctuated = ["Episode 12", "", "0:00", "So the market is Nvidia's.", "0:03", "AMD is trying hard",
                  "0:06", "to catch up.", "0:09", "Google builds TPUs with Broadcom.", "0:12", "That is the story."]
    doc = document_from_text("\n".join(punctuated) + "\n", "t.txt")
    assert "So the market is Nvidia's. AMD is trying hard to catch up. Google builds TPUs with Broadcom. That is the story." in doc.clean


RUN_ON = ("Jason: yeah so right you know they were going to become the factory for the whole industry and again these "
          "factories are so expensive twenty billion a pop and everybody knew it and nobody wanted to say it out loud "
          "and then you had the whole crypto thing come and go and then AMD started selling its MI300X chips to "
          "Microsoft and that changed the whole conversation about who gets to build the next generation of these "
          "machines and who pays for them in the end\n")


def test_a_run_on_of_transcribed_speech_is_read_in_pieces_that_start_at_a_clause(extractor):
    sentences = [s.text for s in extractor.analyse(document_from_text(RUN_ON, "t.txt")).sents if s.text.strip()]
    assert len(sentences) >= 2 and all(len(s) < 260 for s in sentences), [len(s) for s in sentences]
    assert all(s.split()[0] in ("Jason:", "and", "so", "but", "then", "because") for s in sentences), sentences
    assert " ".join(" ".join(sentences).split()) == " ".join(RUN_ON.split())
    found = extractor.extract(document_from_text(RUN_ON, "t.txt"))
    evidence = [r.sentence for r in found.relations if (r.subject, r.predicate, r.object) == ("amd", "develops", "mi300x")]
    assert evidence and len(evidence[0]) < 260  # the piece that says it, not the whole run-on


def test_a_long_sentence_with_its_commas_is_not_cut(extractor):
    text = ("Nvidia, which designs the GPUs, sells them to Microsoft, Oracle, CoreWeave, Meta, Amazon and Google, "
            "and each of them, in turn, rents the capacity to model developers, start-ups, banks, governments and "
            "research labs around the world, while AMD, its closest rival, tries to win the same customers.\n")
    assert len([s for s in extractor.analyse(document_from_text(text, "t.txt")).sents if s.text.strip()]) == 1


CAPS = ("Odd Lots: the AI trade\n\n"
        "TRACY ALLOWAY: Today we talk about Nvidia and the AI boom with Jensen Huang. Later we hear from Brannin "
        "Kestrel of Quillworth Capital.\n"
        "JENSEN HUANG: We supply GPUs to Microsoft and Oracle.\n"
        "BRANNIN KESTREL: We invested in Anthropic last year.\n")


def test_speaker_labels_in_capitals_are_read_as_the_names_they_are(tmp_path):
    """A published transcript's labels in capitals: the pipeline reads "JENSEN HUANG:" as Jensen Huang's turn (his
    "we" is Nvidia), the evidence keeps the file's spelling, and a new name takes the text's own casing as label."""
    from .conftest import built_graph

    ds = built_graph(tmp_path, CAPS)
    rows = {(str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1], str(t)) for s, p, o, t in ds.query(
        """PREFIX kg: <https://w3id.org/ai-kg/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?s ?p ?o ?t WHERE { GRAPH ?g { ?e a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        kg:sentence ?t } }""")}
    assert ("nvidia", "supplies", "microsoft", "JENSEN HUANG: We supply GPUs to Microsoft and Oracle.") in rows
    labels = {str(o) for _s, _p, o, _g in ds.quads((None, RDFS.label, None, None))}
    assert "Brannin Kestrel" in labels and "BRANNIN KESTREL" not in labels


def test_a_chinese_run_on_is_measured_by_its_width(extractor):
    """A Chinese transcript with spaces for punctuation: 200 characters read as long as 400 English ones, so it is a
    run-on too, cut at a clause's first word (然后, 但是, 所以)."""
    text = ("黄仁勋：对我觉得这个事情其实很简单就是说我们这几年一直在做的事情就是把计算平台做好 然后微软是我们最大的客户之一 "
            "他们买了非常非常多的GPU 所以我们和微软的关系一直都很好 然后甲骨文也在大量采购我们的芯片 其实整个行业都在往这个"
            "方向走 但是AMD也在追赶我们 他们的MI300X做得不错 所以竞争还是很激烈的 我觉得这对整个行业是好事\n")
    sentences = [s.text for s in extractor.analyse(document_from_text(text, "t.txt")).sents if s.text.strip()]
    assert len(sentences) >= 2 and all(len(s) < 130 for s in sentences), [len(s) for s in sentences]
    assert all(s.startswith(("黄仁勋", "然后", "但是", "所以")) for s in sentences), sentences
