"""The sentences of a text that hold a literal of each of many patterns, with the per-hit work done
by numpy.

``LiteralSentences(literals)`` answers what ``prefilter.SentenceIndex(literals)`` answers (key ->
the indices of the sentences that wholly contain one of the key's literals; every sentence for a
key without literals), for a text with tens of thousands of literal occurrences (``kg_discovery``'s
contexts: 公司, 投资, CEO …): the occurrences come from one Aho-Corasick pass over the UTF-8 bytes
(``automaton.byte_automaton``, values stored as ints), and placing each in its sentence, checking
that it ends inside it and keeping one mark per sentence and group of keys is done on arrays
instead of in a Python loop per occurrence. A key whose literals are single characters (a class,
such as "any Latin letter") is answered by a lookup of every character of the text in a table.
"""

from __future__ import annotations

import ahocorasick
import numpy

from .automaton import byte_automaton

_LENGTH_BITS = 12  # an automaton value: (group of keys << _LENGTH_BITS) | the literal's length in characters


def _code_points(text: str) -> numpy.ndarray:
    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


class LiteralSentences:
    """Key -> the sentences holding one of its literals (see the module's docstring)."""

    def __init__(self, literals: dict):
        self.keys = list(literals)
        # a key without literals, or with one too long for an automaton value, is looked for in every sentence
        self.always = {k for k, lits in literals.items() if not lits or any(len(lit) >= 1 << _LENGTH_BITS for lit in lits)}
        self.classes = {k: frozenset(lits) for k, lits in literals.items()
                        if lits and all(len(lit) == 1 for lit in lits)}
        by_literal: dict[str, set] = {}
        for key, lits in literals.items():
            if key in self.always or key in self.classes:
                continue
            for lit in lits:
                by_literal.setdefault(lit, set()).add(key)
        # the literals with the same keys share a group (one mark per sentence and group)
        groups: dict[frozenset, int] = {}
        words = {}
        for lit in sorted(by_literal):
            group = groups.setdefault(frozenset(by_literal[lit]), len(groups))
            words[lit.encode("utf-8")] = (group << _LENGTH_BITS) | len(lit)
        self.groups = [sorted(keys, key=self.keys.index) for keys, _ in sorted(groups.items(), key=lambda kv: kv[1])]
        self.automaton = byte_automaton(words, ahocorasick.STORE_INTS)

    def sentences(self, text: str, starts: list[int], ends: list[int]) -> dict:
        """Key -> the indices (ascending) of the sentences ``[starts[i], ends[i])`` that wholly
        contain one of its literals (every sentence for a key without literals)."""
        everywhere = list(range(len(starts)))
        found: dict = {k: [] for k in self.keys if k not in self.always}
        if starts:
            start_at = numpy.asarray(starts, dtype=numpy.int64)
            end_at = numpy.asarray(ends, dtype=numpy.int64)
            codes = _code_points(text) if self.classes else None
            for key, chars in self.classes.items():
                found[key] = self._class_sentences(codes, chars, start_at, end_at)
            for i, group in self._literal_sentences(text, start_at, end_at):
                for key in self.groups[group]:
                    marked = found[key]
                    if not marked or marked[-1] != i:  # a key of several groups: once per sentence
                        marked.append(i)
        return {k: everywhere if k in self.always else found[k] for k in self.keys}

    @staticmethod
    def _class_sentences(codes: numpy.ndarray, chars: frozenset, start_at: numpy.ndarray, end_at: numpy.ndarray) -> list[int]:
        table = numpy.zeros(max(map(ord, chars)) + 2, dtype=bool)  # the last entry: every other character
        table[[ord(c) for c in chars]] = True
        before = numpy.zeros(len(codes) + 1, dtype=numpy.int64)  # before[k]: characters of the class in text[:k]
        numpy.cumsum(table[numpy.minimum(codes, len(table) - 1)], out=before[1:])
        return numpy.flatnonzero(before[end_at] > before[start_at]).tolist()

    def _literal_sentences(self, text: str, start_at: numpy.ndarray, end_at: numpy.ndarray) -> list[tuple[int, int]]:
        """(sentence index, group) of each sentence that wholly contains a literal of the group, in
        the order of the sentences, then of the groups."""
        if self.automaton is None:
            return []
        raw = text.encode("utf-8")
        hits = numpy.array(list(self.automaton.iter(raw.decode("latin-1"))), dtype=numpy.int64)
        if not len(hits):
            return []
        ends_b = hits[:, 0] + 1  # byte offsets after each occurrence
        if len(raw) == len(text):
            char_end = ends_b
        else:  # characters before each byte offset: a character starts at each byte that is no continuation byte
            before = numpy.zeros(len(raw) + 1, dtype=numpy.int64)
            numpy.cumsum((numpy.frombuffer(raw, dtype=numpy.uint8) & 0xC0) != 0x80, out=before[1:])
            char_end = before[ends_b]
        group = hits[:, 1] >> _LENGTH_BITS
        char_start = char_end - (hits[:, 1] & ((1 << _LENGTH_BITS) - 1))
        sentence = numpy.searchsorted(start_at, char_start, side="right") - 1
        inside = sentence >= 0
        inside[inside] &= char_end[inside] <= end_at[sentence[inside]]
        pairs = numpy.unique(sentence[inside] * len(self.groups) + group[inside])
        return [(int(p) // len(self.groups), int(p) % len(self.groups)) for p in pairs]
