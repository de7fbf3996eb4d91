"""Overlap tests over many character spans by bisection, instead of a scan of every span per test.

Components test a found name against the document's mentions (thousands at corpus size) and the
names chosen so far; ``any(s < b and e > a for s, e in spans)`` per test made that quadratic.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from itertools import accumulate


class SpanSet:
    """A fixed list of spans ((start, end) pairs, sorted; they may overlap each other).
    ``overlaps(a, b)`` is ``any(s < b and e > a for s, e in spans)``: the spans that start before
    ``b`` are a prefix of the list, and one of them overlaps when the largest end among them is
    after ``a``."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [s for s, _ in spans]
        self.max_ends = list(accumulate((e for _, e in spans), max))

    def overlaps(self, a: int, b: int) -> bool:
        k = bisect_left(self.starts, b)
        return k > 0 and self.max_ends[k - 1] > a


class DisjointSpans:
    """Spans chosen one at a time, none overlapping another: ``add(a, b)`` adds ``[a, b)`` and returns
    True unless it overlaps one already chosen (``any(s < b and e > a ...)`` over them). Kept sorted;
    non-empty spans that do not overlap have their ends in the order of their starts, so among those
    that start before ``b`` the last ends last and alone decides (an empty span, which the components
    never choose, is tested against all)."""

    def __init__(self):
        self.spans: list[tuple[int, int]] = []
        self.empty = False  # an empty span was added: test by scanning

    def overlaps(self, a: int, b: int) -> bool:
        if self.empty or a >= b:
            return any(s < b and e > a for s, e in self.spans)
        k = bisect_left(self.spans, (b,))  # the spans that start before b: spans[:k]
        return k > 0 and self.spans[k - 1][1] > a

    def add(self, a: int, b: int) -> bool:
        if self.overlaps(a, b):
            return False
        insort(self.spans, (a, b))
        self.empty = self.empty or a >= b
        return True
