"""Caption files as interviews: SubRip (``.srt``) and WebVTT (``.vtt``), as podcast and video sites
give a transcript (YouTube's "download captions", a podcast's subtitle track).

What a reader of the captions sees is kept, and nothing else: cue numbers, cue identifiers and timing lines
("00:00:01,000 --> 00:00:04,000 align:start"), the ``WEBVTT`` header and its ``Kind:`` / ``Language:`` lines,
``NOTE``, ``STYLE`` and ``REGION`` blocks, inline tags (``<c>``, ``<i>``, ``<00:00:01.520>``, SubRip's
``{\\an8}``) go. A WebVTT voice (``<v Jensen Huang>``) becomes a speaker label ("Jensen Huang: …") at each
change of speaker, as a transcript writes it, so the pipeline reads the speaker as it does in any transcript.
Character references (``&amp;``, ``&nbsp;``) are read as the characters they stand for.

Automatic captions scroll: each cue repeats the line before it and adds one (YouTube's auto-generated
WebVTT), and a cue of a few milliseconds repeats the last line alone. A line that repeats one of the last
lines kept is left out, so the text reads once.

Cues cut sentences, so the lines of punctuated captions are joined into one paragraph, as wrapped lines are
(no space between two Chinese characters); captions with no sentence punctuation (most automatic ones) are
joined into pieces of about a sentence's length (``UNPUNCTUATED_PIECE``), since they have no other bounds,
and an automatic caption's ">>" starts a new speaker's line. Offsets still point into the file:
``raw[offsets[i]] == clean[i]`` for every character kept, an inserted one (a space, a label's colon) maps to
where it stands.
"""

from __future__ import annotations

import html
import re
from array import array

from .textnorm import is_cjk, width


_TIMING = re.compile(r"[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->[ \t]+(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}")
_VTT_HEADER = re.compile(r"\A\ufeff?WEBVTT(?=[ \t\n]|\Z)")
_SRT_START = re.compile(r"\A\ufeff?\s*\d+[ \t]*\n[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->")
# inline markup of a cue: tags (<c.colorE5E5E5>, </c>, <i>, <00:00:01.520>, <v Speaker>, </v>) and SubRip's
# override blocks ({\an8}, {\i1})
_INLINE = re.compile(r"<(?P<voice>v(?:\.[\w.-]+)?[ \t]+(?P<who>[^>\n]{1,80}))>"
                     r"|</?[A-Za-z0-9:.\-]{1,40}(?:[ \t][^>\n]{0,80})?>|\{\\[^}\n]{0,40}\}"
                     r"|(?P<ref>&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});)")
_VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_TERMINAL = re.compile(r"[.!?。！？…][\"'”’」』)）\]]*$")
_REPEAT_WINDOW = 2  # a scrolling cue repeats the last line or two
# captions with no sentence punctuation (caption files, and a transcript's captions under timestamps of their own,
# kg.corpus) are read in pieces of about this many characters (a Chinese character counts two), a line break after
# the line that reaches it: about twenty English words, a sentence's length, so the words of a sentence cut over two
# or three lines are read together (bench/captions_unpunctuated.py: line by line, or all as one sentence, six English
# transcripts made into such captions lost about half their relations)
UNPUNCTUATED_PIECE = 120
# an automatic caption's mark of a new speaker at a line's start (">> so we…", written "&gt;&gt;" in WebVTT)
_NEW_SPEAKER = re.compile(r"(?:>>|&gt;&gt;)[ \t]*")
_SPACES = re.compile(r"[ \t]*")


def punctuated(lines: list[str]) -> bool:
    """Whether caption lines end sentences with punctuation: one in five of them at least (most automatic captions
    end none)."""
    return sum(1 for line in lines if _TERMINAL.search(line.rstrip())) >= 0.2 * max(1, len(lines))


def sniff_captions(text: str) -> bool:
    """Whether ``text`` is a WebVTT or SubRip caption file, whatever its name."""
    return bool(_VTT_HEADER.match(text) or _SRT_START.match(text))


def cue_lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) in ``raw`` of every line of cue text, in order; empty where ``raw`` has no cue. A cue is
    the lines after a timing line up to an empty line or the next timing line; a line of spaces alone stays
    inside its cue (YouTube's automatic captions open cues with one), and a number alone right before a
    timing line is the next cue's number, not text (a SubRip file whose blank lines hold spaces)."""
    out: list[tuple[int, int]] = []
    skipping = bool(_VTT_HEADER.match(raw))  # the WebVTT header block, then NOTE, STYLE and REGION blocks
    in_cue = False
    previous = None
    pos = 0
    for line in raw.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if skipping:
            skipping = line != ""
        elif _TIMING.match(line):
            if out and out[-1] == previous and raw[previous[0]:previous[1]].strip().isdigit():
                out.pop()
            in_cue = True
        elif line == "":
            in_cue = False
        elif in_cue:
            if line.strip():
                out.append((start, end))
        elif _VTT_BLOCK.match(line):
            skipping = True
        previous = (start, end)
    return out


def _line_text(raw: str, start: int, end: int) -> tuple[list[tuple[str, int, bool]], tuple[str, int] | None]:
    """The visible characters of one cue line as (text, position in ``raw``, replaced) pieces, its edges' spaces
    left out (``replaced``: a character reference, each of its characters at the reference's position), and the
    speaker a voice tag names in it with that name's position (None if none)."""
    pieces: list[tuple[str, int, bool]] = []
    who = None
    last = start
    mark = _NEW_SPEAKER.match(raw, _SPACES.match(raw, start, end).end(), end)
    if mark:
        last = mark.end()
        who = ("", mark.start())  # a new speaker, unnamed
    for m in _INLINE.finditer(raw, last, end):
        if m.start() > last:
            pieces.append((raw[last:m.start()], last, False))
        if m.group("voice"):
            who = (m.group("who").strip(), m.start("who"))
        elif m.group("ref"):
            pieces.append((html.unescape(m.group("ref")).replace("\xa0", " "), m.start(), True))
        last = m.end()
    if end > last:
        pieces.append((raw[last:end], last, False))
    while pieces and not pieces[0][0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        text, pos, replaced = pieces[0]
        cut = len(text) - len(text.lstrip())
        pieces[0] = (text[cut:], pos if replaced else pos + cut, replaced)
        text, pos, replaced = pieces[-1]
        pieces[-1] = (text.rstrip(), pos, replaced)
    return pieces, who


def strip_captions(raw: str, cues: list[tuple[int, int]] | None = None) -> tuple[str, array]:
    """(clean text, offsets) of a caption file: its cue text read once, with speaker labels; see the module.
    ``cues``: its ``cue_lines``, where the caller has them already."""
    lines = []
    for start, end in (cue_lines(raw) if cues is None else cues):
        pieces, who = _line_text(raw, start, end)
        if pieces or who:
            lines.append((pieces, "".join(t for t, _p, _r in pieces), who))
    joined = punctuated([text for _p, text, _w in lines])
    parts: list[str] = []
    offsets = array("i")
    recent: list[str] = []  # the last lines kept, as a scrolling cue would repeat them
    speaker = None
    run = 0  # the width written since the last line break (unpunctuated captions)

    def put(text: str, pos: int, replaced: bool = True) -> None:
        """``text`` at ``pos`` of ``raw``: each character at its own place, or (``replaced``, an inserted
        character) all at ``pos``."""
        parts.append(text)
        offsets.extend([pos] * len(text) if replaced else range(pos, pos + len(text)))

    for pieces, text, who in lines:
        key = " ".join(text.split()).casefold()
        if who is None and key in recent:
            continue  # a scrolling cue's repeat of a line already read
        if key:
            recent = (recent + [key])[-_REPEAT_WINDOW:]
        if who is not None and (who[0] != speaker or not who[0]):
            # a new speaker: a line of their own, with a label where the captions name them
            speaker, (name, at) = who[0], who
            if parts:
                put("\n", at)
            if name:
                put(name, at, replaced=False)
                put(": ", at)
            run = 0
        elif parts and pieces:
            # a cue cuts a sentence: joined as a wrapped line is (no space between two Chinese characters); in
            # captions with no sentence punctuation, a line break once a piece is a sentence long
            last, first = parts[-1][-1], text[0]
            if not joined and run >= UNPUNCTUATED_PIECE:
                put("\n", pieces[0][1])
                run = 0
            elif not (is_cjk(last) and is_cjk(first)) and last not in " \n":
                put(" ", pieces[0][1])
        for piece in pieces:
            put(*piece)
        run += width(text)
    return "".join(parts), offsets


def title_of(raw: str) -> str | None:
    """The title a WebVTT header may carry ("WEBVTT - Episode 12"), else None."""
    m = re.match(r"\ufeff?WEBVTT[ \t]+(?:-[ \t]*)?(\S[^\n]*)", raw)
    return m.group(1).strip() if m else None
