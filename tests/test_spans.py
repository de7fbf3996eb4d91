"""Overlap tests by bisection (kg/nlp/spans.py) answer what a scan of every span answers."""

import random

from kg.nlp.spans import DisjointSpans, SpanSet


def test_span_set_overlaps_as_a_scan_does():
    rng = random.Random(1)
    for _ in range(2000):
        spans = sorted((a, a + rng.randint(0, 6)) for a in (rng.randint(0, 50) for _ in range(rng.randint(0, 30))))
        found = SpanSet(spans)
        for _ in range(30):
            a = rng.randint(-2, 55)
            b = a + rng.randint(-2, 8)
            assert found.overlaps(a, b) == any(s < b and e > a for s, e in spans), (spans, a, b)


def test_disjoint_spans_choose_as_a_scan_does():
    rng = random.Random(2)
    for trial in range(2000):
        chosen, free = [], DisjointSpans()
        for _ in range(40):
            a = rng.randint(0, 60)
            b = a + rng.randint(0 if trial % 3 == 0 else 1, 7)  # empty spans in a third of the trials
            expected = not any(a < e and b > s for s, e in chosen)
            if expected:
                chosen.append((a, b))
            assert free.add(a, b) == expected, (chosen, a, b)
