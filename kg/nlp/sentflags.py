"""Yes/no facts about every sentence of a text, worked out over the whole text at once.

A component that asks each sentence "does it hold a CJK character?" or "does it hold one of these
words?" pays a regular-expression call per sentence (tens of thousands at corpus size) even where
the answer is no. These helpers answer for all sentences at once: by counting characters of a
class over the whole text (numpy), or by one scan of the text with a pattern that resumes after the
sentence each match marked. The sentences are ``[starts[i], ends[i])``, in text order.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy


def code_points(text: str) -> numpy.ndarray:
    """The code point of each character of ``text`` (one array entry per character, so offsets agree)."""
    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


def sentences_with_chars(text: str, starts: list[int], ends: list[int],
                         ranges: tuple[tuple[int, int], ...]) -> list[bool]:
    """flags[i]: sentence i holds a character whose code point is in one of ``ranges`` (inclusive
    bounds), as ``re.search("[lo-hi...]", sentence)`` would tell."""
    if not starts:
        return []
    codes = code_points(text)
    hit = numpy.zeros(len(codes), dtype=bool)
    for lo, hi in ranges:
        hit |= (codes >= lo) & (codes <= hi)
    return _any_between(hit, starts, ends)


def sentences_matching(rx: re.Pattern, text: str, starts: list[int], ends: list[int]) -> list[bool]:
    """flags[i]: a match of ``rx`` over the whole text starts in sentence i (once a sentence is
    marked, the scan resumes at its end). For a pattern without look-behind every sentence that
    wholly contains a match of ``rx`` of its own is marked (a match found earlier and reaching into it
    marks the sentence it starts in and resumes before it); a sentence may be marked for a match
    that runs past its end, so a caller still runs its own test on the marked sentences."""
    flags = [False] * len(starts)
    search = rx.search
    m = search(text)
    while m is not None:
        at = m.start()
        i = bisect_right(starts, at) - 1
        if i >= 0 and at < ends[i]:
            flags[i] = True
            m = search(text, max(ends[i], at + 1))
        else:  # between sentences
            m = search(text, at + 1)
    return flags


def sentences_with_any(text: str, starts: list[int], ends: list[int], chars) -> list[bool]:
    """flags[i]: sentence i holds one of the characters ``chars``."""
    if not starts:
        return []
    codes = code_points(text)
    table = numpy.zeros(max(map(ord, chars), default=0) + 2, dtype=bool)  # the last entry: any other character
    table[[ord(c) for c in chars]] = True
    hit = table[numpy.minimum(codes, len(table) - 1)]
    return _any_between(hit, starts, ends)


def _any_between(hit: numpy.ndarray, starts: list[int], ends: list[int]) -> list[bool]:
    """flags[i]: ``hit`` is true somewhere in ``[starts[i], ends[i])``."""
    before = numpy.zeros(len(hit) + 1, dtype=numpy.int64)  # before[k]: true entries in hit[:k]
    numpy.cumsum(hit, out=before[1:])
    return (before[numpy.asarray(ends)] > before[numpy.asarray(starts)]).tolist()
