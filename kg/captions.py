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
(no space between two Chinese characters); captions with no sentence punctuation (most automatic ones)
keep each line apart, since their cues are the only bounds they have. Offsets still point into the file:
``raw[offsets[i]] == clean[i]`` for every character kept, an inserted one (a space, a label's colon) maps to
where it stands.
"""

from __future__ import annotations

import html
import re
from array import array

from .textnorm import is_cjk


_TIMING = re.compile(r"[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->[ \t]+(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}")
_VTT_HEADER = re.compile(r"\A\ufeff?WEBVTT(?=[ \t\n]|\Z)")
_SRT_START = re.compile(r"\A\ufeff?\s*\d+[ \t]*\n[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]+-->")
# inline markup of a cue: tags (<c.colorE5E5E5>, </c>, <i>, <00:00:01.520>, <v Speaker>, </v>) and SubRip's
# override blocks ({\an8}, {\i1})
_INLINE = re.compile(r"<(?P<voice>v(?:\.[\w.-]+)?[ \t]+(?P<who>[^>\n]{1,80}))>|</?[A-Za-z0-9:.\-]{1,40}(?:[ \t][^>\n]{0,80})?>|\{\\[^}\n]{0,40}\}"
                     r"|(?P<ref>&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});)")
_VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_TERMINAL = re.compile(r"[.!?。！？…][\"'”’」』)）\]]*$")
_REPEAT_WINDOW = 2  # a scrolling cue repeats the last line or two


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


def _line_text(raw: str, start: int, end: int) -> tuple[list[tuple[str, int]], str | None]:
    """The visible characters of one cue line as (text, raw position) pieces, and the speaker a voice tag
    names in it (None if none)."""
    pieces: list[tuple[str, int]] = []
    who = None
    last = start
    for m in _INLINE.finditer(raw, start, end):
        if m.start() > last:
            pieces.append((raw[last:m.start()], last))
        if m.group("voice"):
            who = (m.group("who").strip(), m.start("who"))
        elif m.group("ref"):
            pieces.append((html.unescape(m.group("ref")).replace("\xa0", " "), -m.start() - 1))
        last = m.end()
    if end > last:
        pieces.append((raw[last:end], last))
    return pieces, who


def strip_captions(raw: str) -> tuple[str, array]:
    """(clean text, offsets) of a caption file: its cue text read once, with speaker labels; see the module."""
    lines = []
    for start, end in cue_lines(raw):
        pieces, who = _line_text(raw, start, end)
        text = "".join(t for t, _ in pieces).strip()
        if text or who:
            lines.append((pieces, text, who))
    punctuated = sum(1 for _p, text, _w in lines if _TERMINAL.search(text)) >= 0.2 * max(1, len(lines))
    parts: list[str] = []
    offsets = array("i")
    recent: list[str] = []
    speaker = None
    prev = ""  # the last character written

    def put(text: str, pos: int) -> None:
        nonlocal prev
        if not text:
            return
        parts.append(text)
        offsets.extend(range(pos, pos + len(text)) if pos >= 0 else [-pos - 1] * len(text))
        prev = text[-1]

    for pieces, text, who in lines:
        key = " ".join(text.split()).casefold()
        if not who and key in recent:
            continue  # a scrolling cue's repeat of a line already read
        if key:
            recent = (recent + [key])[-_REPEAT_WINDOW:]
        new_speaker = who is not None and who[0] != speaker
        if new_speaker:
            speaker = who[0]
            if parts:
                put("\n", who[1])
            put(who[0], who[1])
            put(": ", -who[1] - 1)
            prev = " "
        elif parts and prev != "\n":
            first = text[:1] or " "
            if not punctuated:
                put("\n", pieces[0][1] if pieces and pieces[0][1] >= 0 else offsets[-1])
            elif not (is_cjk(prev) and is_cjk(first)):
                put(" ", pieces[0][1] if pieces and pieces[0][1] >= 0 else offsets[-1])
        # the line's own characters, its edges' spaces left out
        lead = True
        for t, pos in pieces:
            if lead:
                stripped = t.lstrip()
                if not stripped:
                    continue
                if pos >= 0:
                    pos += len(t) - len(stripped)
                t, lead = stripped, False
            put(t, pos)
        while parts and parts[-1] and parts[-1][-1] in " \t":
            parts[-1] = parts[-1][:-1]
            offsets.pop()
            if not parts[-1]:
                parts.pop()
        prev = parts[-1][-1] if parts else ""
    return "".join(parts), offsets


def title_of(raw: str) -> str | None:
    """The title a WebVTT header may carry ("WEBVTT - Episode 12"), else None."""
    m = re.match(r"\ufeff?WEBVTT[ \t]+(?:-[ \t]*)?(\S[^\n]*)", raw)
    return m.group(1).strip() if m else None
