"""Caption files (SubRip .srt, WebVTT .vtt) as interviews: the text their cues show, read once, with speaker
labels, offsets into the file, and one clear line for a caption file that holds no cue (kg/captions.py)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from kg.cli import app
from kg.corpus import load_document
from kg.vocab import KG, KGE

from .conftest import one_line_about

SRT = """1
00:00:01,000 --> 00:00:03,500
Nvidia supplies its GPUs
to Microsoft.

2
00:00:03,500 --> 00:00:06,000
<i>AMD competes with Nvidia</i> {\\an8}in data centres.
"""

VTT = """WEBVTT - Episode 12: chips

NOTE written by hand,
over two lines

STYLE
::cue { color: lime }

intro
00:00:01.000 --> 00:00:04.000 align:start position:0%
<v Lisa Su>AMD competes with Nvidia &amp; Intel
in data centres.

00:00:04.000 --> 00:00:06.000
<v Lisa Su>We are ramping MI450.

00:00:06.000 --> 00:00:09.000
<v.host Ben Thompson>Does Microsoft use <c.yellow>MI300X</c>?
"""

# automatic captions scroll: each cue repeats the line before it (YouTube's auto-generated WebVTT)
ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.350 align:start position:0%
 
so<00:00:00.480><c> Nvidia</c><00:00:00.960><c> makes</c><00:00:01.200><c> the</c><00:00:01.500><c> chips</c>

00:00:02.350 --> 00:00:02.360 align:start position:0%
so Nvidia makes the chips
 

00:00:02.360 --> 00:00:05.000 align:start position:0%
so Nvidia makes the chips
and<00:00:02.800><c> TSMC</c><00:00:03.100><c> builds</c><00:00:03.400><c> them</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
and TSMC builds them
 

00:00:05.010 --> 00:00:07.000 align:start position:0%
 
in<00:00:05.400><c> Taiwan</c>

"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _offsets_point_into_the_file(doc) -> None:
    inserted = 0
    for i, ch in enumerate(doc.clean):
        if doc.raw[doc.offsets[i]] != ch:
            assert ch in " \n:&", (i, ch)  # a joining space, a label's colon, a character reference
            inserted += 1
    assert inserted < len(doc.clean) // 5


def test_subrip_cues_are_the_text(tmp_path):
    doc = load_document(_write(tmp_path, "talk.srt", SRT))
    assert doc.clean == "Nvidia supplies its GPUs to Microsoft. AMD competes with Nvidia in data centres."
    _offsets_point_into_the_file(doc)


def test_webvtt_voices_are_speakers_and_its_header_the_title(tmp_path):
    doc = load_document(_write(tmp_path, "talk.vtt", VTT))
    assert doc.clean == ("Lisa Su: AMD competes with Nvidia & Intel in data centres. We are ramping MI450.\n"
                         "Ben Thompson: Does Microsoft use MI300X?")
    assert doc.meta["title"] == "Episode 12: chips"
    _offsets_point_into_the_file(doc)


def test_scrolling_automatic_captions_are_read_once(tmp_path):
    doc = load_document(_write(tmp_path, "auto.vtt", ROLLING))
    # unpunctuated: joined (shorter than a sentence's length), each line once
    assert doc.clean == "so Nvidia makes the chips and TSMC builds them in Taiwan"
    _offsets_point_into_the_file(doc)


def test_subrip_whose_blank_lines_hold_spaces(tmp_path):
    text = SRT.replace("to Microsoft.\n\n2\n", "to Microsoft.\n  \n2\n")
    doc = load_document(_write(tmp_path, "spaces.srt", text))
    assert doc.clean == "Nvidia supplies its GPUs to Microsoft. AMD competes with Nvidia in data centres."


def test_captions_named_as_text_are_read_as_captions(tmp_path):
    doc = load_document(_write(tmp_path, "talk.txt", SRT))
    assert "-->" not in doc.clean and "Nvidia supplies its GPUs to Microsoft." in doc.clean


def test_a_folder_of_captions_builds_with_evidence_in_the_files(tmp_path, runner):
    src = tmp_path / "in"
    _write(src, "talk.srt", SRT)
    _write(src, "voices.vtt", VTT)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out / "kg.trig", format="trig")
    assert (KGE.nvidia, KG.supplies, KGE.microsoft) in {(s, p, o) for s, p, o, _g in ds.quads((None, KG.supplies, None, None))}
    seen = 0
    rows = ds.query("""PREFIX kg: <https://w3id.org/ai-kg/ontology#>
        SELECT ?sentence ?start ?end ?file WHERE { GRAPH ?g { ?ev kg:sentence ?sentence ; kg:startOffset ?start ;
        kg:endOffset ?end ; kg:document ?d . ?d kg:fileName ?file } }""")
    for sentence, start, end, file in rows:
        sentence = str(sentence)
        assert "-->" not in sentence and "<v" not in sentence and "&amp;" not in sentence
        raw = (src / str(file)).read_text(encoding="utf-8")
        quoted = raw[int(start):int(end)]  # the evidence's span of the file: its first and last words
        assert quoted.split()[0].split(">")[-1] == sentence.split()[0] or sentence.startswith("Lisa Su:"), (quoted, sentence)
        assert quoted.split()[-1] == sentence.split()[-1], (quoted, sentence)
        seen += 1
    assert seen >= 2


def test_a_caption_file_with_no_cue_is_one_clear_line_and_the_others_are_built(tmp_path, runner):
    src = tmp_path / "in"
    _write(src, "broken.srt", "this is no caption file\nat all\n")
    _write(src, "talk.srt", SRT)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "-o", str(out)])
    assert "no cue" in one_line_about(result, "broken.srt")
    assert (out / "kg.trig").exists() and "talk.srt" in (out / "kg.trig").read_text(encoding="utf-8")


def test_unpunctuated_captions_are_read_in_pieces_of_a_sentences_length(tmp_path):
    cues = []
    words = ("so the thing about the market is that Nvidia sells most of the accelerators and AMD is "
             "trying hard to catch up with them while Google builds its own TPUs with Broadcom and "
             "that is the story of the year really but then you have to ask who is going to pay for all "
             "of these data centres because the money has to come from somewhere in the end").split()
    for i in range(0, len(words), 6):
        cues.append(f"00:01:{i:02d}.000 --> 00:01:{i + 1:02d}.000\n{' '.join(words[i:i + 6])}\n")
    cues.insert(3, "00:00:40.000 --> 00:00:41.000\n&gt;&gt; right and what about Intel\n")
    doc = load_document(_write(tmp_path, "auto.vtt", "WEBVTT\n\n" + "\n".join(cues)))
    lines = doc.clean.split("\n")
    assert lines[1].startswith("right and what about Intel")  # ">>": a new speaker's line, the mark left out
    assert all(len(line) < 120 + 60 for line in lines) and len(lines) >= 3
    assert " ".join(doc.clean.split()) == " ".join(words[:18] + "right and what about Intel".split() + words[18:])
    _offsets_point_into_the_file(doc)
