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


def sentences_with_chars(text: str, starts: list[int], ends: list[int],
                         ranges: tuple[tuple[int, int], ...]) -> list[bool]:
    """flags[i]: sentence i holds a character whose code point is in one of ``ranges`` (inclusive
    bounds), as ``re.search("[lo-hi...]", sentence)`` would tell."""
    if not starts:
        return []
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    hit = numpy.zeros(len(codes), dtype=bool)
    for lo, hi in ranges:
        hit |= (codes >= lo) & (codes <= hi)
    before = numpy.zeros(len(codes) + 1, dtype=numpy.int64)  # before[k]: such characters in text[:k]
    numpy.cumsum(hit, out=before[1:])
    return (before[numpy.asarray(ends)] > before[numpy.asarray(starts)]).tolist()


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
