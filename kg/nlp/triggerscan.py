"""Where the relation trigger words stand in each sentence, for all sentences of a text at once.

``kg_names`` looks for a name next to every trigger word of a Chinese sentence: ``finditer`` of one
pattern of all trigger words (``trie_regex``) over the sentence in lower case. Run per sentence
that costs a scan of every sentence by a pattern of hundreds of alternatives. ``TriggerScan`` gives
the same matches cheaper, by splitting the words in two families whose matches cannot meet:

- words made of CJK characters only: they have no case and no word-boundary checks, so their
  matches are found by one ``finditer`` over the whole text; a match that is not inside one
  sentence (it runs over a sentence's edge, or stands between sentences) sends the sentences it
  touches to a scan of their own;
- words with no CJK character: found by one ``finditer`` over the whole text in lower case (when
  lowering keeps the text's length, the sentences' lower case side by side); besides the sentences
  a match reaches into without standing inside, those with a Latin letter or digit on both sides
  of an edge (a word's boundary check would read across it there, not in a sentence alone) are
  scanned alone.

At a place of the text, a word of one family can match only where a word of the other cannot (a
CJK character starts the first, never the second), and a match of one family covers only
characters the other never starts at, so the pattern of all words matches, left to right, exactly
the matches of both families.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .sentflags import sentences_with_any
from .tokenizer import trie_regex

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# the characters other than ASCII whose lower case holds an ASCII character (İ -> i̇, the Kelvin sign -> k)
_LOWER_TO_ASCII = frozenset("\u0130\u212a")


def _lower(sent: str) -> str:
    """The sentence as the trigger words are looked for in it: in lower case, unless that changes its length."""
    low = sent.lower()
    return low if len(low) == len(sent) else sent


class TriggerScan:
    """``finditer`` of ``trie_regex(words)`` over each sentence in lower case, for many sentences."""

    def __init__(self, words):
        words = sorted(words)
        self.full = re.compile(trie_regex(words))
        cjk = [w for w in words if all(_CJK.match(ch) for ch in w)]
        rest = [w for w in words if not _CJK.search(w)]
        self.split = len(cjk) + len(rest) == len(words)  # no word mixes CJK and other characters
        self.cjk = re.compile(trie_regex(cjk)) if self.split and cjk else None
        self.rest = re.compile(trie_regex(rest)) if self.split and rest else None
        # a sentence can hold a match of ``rest`` only if its lower case holds a first character of
        # one of them: with ASCII first characters, the sentence holds that character, its upper case
        # or a character whose lower case is ASCII
        first = {w[0] for w in rest}
        self.rest_gate = frozenset(first | {c.upper() for c in first} | _LOWER_TO_ASCII) \
            if all(c.isascii() for c in first) else None

    def sentences(self, text: str, bounds: list[tuple[int, int]], todo: list[bool]) -> dict[int, list[tuple[int, int, str]]]:
        """Sentence index -> (start, end, matched text) of each trigger word found in it (offsets in
        the sentence, left to right), for each sentence ``i`` with ``todo[i]``."""
        out: dict[int, list[tuple[int, int, str]]] = {}
        if not self.split:
            for i, (start, end) in enumerate(bounds):
                if todo[i]:
                    out[i] = [(*m.span(), m.group()) for m in self.full.finditer(_lower(text[start:end]))]
            return out
        starts = [a for a, _ in bounds]
        ends = [b for _, b in bounds]
        cjk_inside, cjk_own = _whole_text_matches(self.cjk, text, starts, ends)
        rest_inside, rest_own, gate = {}, set(), None
        low = text.lower()
        if self.rest is not None and len(low) == len(text):
            # the whole text in lower case is each sentence's lower case, side by side; a match that
            # is not inside one sentence, and a sentence whose edge a boundary check could read
            # across, send the sentences concerned to a scan of their own
            rest_inside, rest_own = _whole_text_matches(self.rest, low, starts, ends)
            rest_own |= _alnum_at_edges(low, bounds)
        elif self.rest is not None:
            rest_own = set(range(len(bounds)))
            if self.rest_gate is not None:
                gate = sentences_with_any(text, starts, ends, self.rest_gate)
        for i, (start, end) in enumerate(bounds):
            if not todo[i]:
                continue
            if i in cjk_own:
                found = [(*m.span(), m.group()) for m in self.cjk.finditer(text[start:end])]
            else:
                found = cjk_inside.get(i, [])
            if i in rest_own and (gate is None or gate[i]):
                more = [(*m.span(), m.group()) for m in self.rest.finditer(_lower(text[start:end]))]
            else:
                more = rest_inside.get(i)
            if more:
                found = sorted(found + more)  # the two families' matches do not overlap
            out[i] = found
        return out


_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _alnum_at_edges(text: str, bounds: list[tuple[int, int]]) -> set[int]:
    """The sentences where a word's boundary check could read past the sentence: one that starts
    with a Latin letter or digit right after one (the check before a word that starts so), or ends
    with one right before one (the check after a word that ends so)."""
    n = len(text)
    return {i for i, (a, b) in enumerate(bounds) if a < b and (
            (a > 0 and text[a - 1] in _ALNUM and text[a] in _ALNUM) or (b < n and text[b] in _ALNUM and text[b - 1] in _ALNUM))}


def _whole_text_matches(rx: re.Pattern | None, text: str, starts: list[int], ends: list[int]) -> tuple[dict, set[int]]:
    """``rx``'s matches over the whole text, by sentence (sentence offsets), and the sentences a
    match reaches into without standing inside them (a match over a sentence's edge, or from
    between sentences): those are scanned alone. In every other sentence the whole text's scan
    arrives at the sentence's start free of earlier matches and finds what a scan of the sentence
    finds (for a pattern whose tests read nothing outside its match; see the callers)."""
    inside: dict[int, list[tuple[int, int, str]]] = {}
    own_scan: set[int] = set()
    if rx is None:
        return inside, own_scan
    for m in rx.finditer(text):
        p, q = m.span()
        i = bisect_right(starts, p) - 1
        if i >= 0 and q <= ends[i]:
            inside.setdefault(i, []).append((p - starts[i], q - starts[i], m.group()))
            continue
        last = bisect_right(starts, q - 1) - 1
        own_scan.update(k for k in range(max(i, 0), last + 1) if starts[k] < q and ends[k] > p)
    return inside, own_scan
