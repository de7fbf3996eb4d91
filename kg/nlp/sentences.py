"""Sentence boundaries for Chinese, English and mixed text (``kg_sentences`` component)."""

from __future__ import annotations

import re

import numpy
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from ..textnorm import width
from .doctext import doc_text

if not Doc.has_extension("kg_sent_bounds"):
    Doc.set_extension("kg_sent_bounds", default=None)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, as ``kg_sentences`` recorded them (iterating
    ``doc.sents`` builds a Token object per token; components that need only offsets use this)."""
    bounds = doc._.kg_sent_bounds
    if bounds is None:
        bounds = [(s.start_char, s.end_char) for s in doc.sents]
    return bounds

# After normalisation full-width ！？； are half-width; 。 and … stay as they are.
_END = {"。", "!", "?", ";", "…", "……", "!!", "??", "?!"}
_CLOSE = set("\"'”’」』）)】]》")
_FIRST = frozenset("。!?;….")  # the first characters of the tokens in _END, of "." and of runs of 。!?…
_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "u.s",
           "u.k", "jr", "sr", "st", "no", "fig", "approx", "dept", "est", "gen", "gov", "sen", "rep"}


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str):
    return SentenceSplitter()


class SentenceSplitter:
    """Starts a sentence after 。!?; (and their closing quotes), after an English full stop that
    ends a word that is not an abbreviation, and after every line break; a run-on of transcribed speech
    with no such mark is cut into pieces (``_cut_run_ons``)."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # token offsets and flags from arrays and the text: no Token object, nor a string, per token
        text = doc_text(doc)
        arr = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE])
        idx, length = arr[:, 0].tolist(), arr[:, 1].tolist()
        pos = _Rows(arr)

        def word(k: int) -> str:
            return text[idx[k]:idx[k] + length[k]]

        words = _Words(word, n)
        starts = numpy.full((n, 1), -1, dtype="int64")  # SENT_START: 1 starts a sentence, -1 does not
        starts[0, 0] = 1
        # only a token that starts with one of 。!?;…. or holds a line break can end a sentence: the
        # tokens holding such a character, then those where it is the first or a line break
        chars = [m.start() for m in _CANDIDATE_CHARS.finditer(text)]
        candidates = []
        if chars:
            holders = (numpy.searchsorted(arr[:, 0], chars, side="right") - 1).tolist()
            last = -1
            for p, k in zip(chars, holders):
                if k == last or k < 0 or p >= idx[k] + length[k]:
                    continue  # the token is a candidate already, or the character is trailing space
                if text[p] == "\n" or p == idx[k]:
                    candidates.append(k)
                    last = k
        i = 0  # tokens before i are passed (the closing quotes and marks after a boundary)
        for c in candidates:
            if c < i:
                continue
            word_c = words[c]
            boundary = False
            if "\n" in word_c and not word_c.strip():
                boundary = True
            elif word_c in _END or (len(word_c) > 1 and set(word_c) <= set("。!?…")):
                boundary = True
            elif word_c == "." and c + 1 < n and self._english_stop(words, pos, c):
                boundary = True
            if boundary:
                j = c + 1
                while j < n and (words[j] in _CLOSE or words[j] in _END):
                    j += 1
                if j < n:
                    starts[j, 0] = 1
                i = j
        self._cut_run_ons(text, idx, length, pos, words, starts, n)
        doc.from_array([SENT_START], starts.view("uint64"))  # spaCy reads attribute arrays as uint64
        first = numpy.flatnonzero(starts[:, 0] == 1).tolist()
        last_tokens = [f - 1 for f in first[1:]] + [n - 1]
        doc._.kg_sent_bounds = [(idx[f], idx[la] + length[la]) for f, la in zip(first, last_tokens)]
        return doc

    @staticmethod
    def _cut_run_ons(text: str, idx: list, length: list, pos, words, starts, n: int) -> None:
        """A "sentence" wider than ``_RUN_ON`` (``kg.textnorm.width``) with hardly a comma is a run-on of
        transcribed speech ("right you know they were going to become the factory for the industry and again these
        factories are so expensive …"): it is cut into pieces of half to five sixths of that, each starting at a
        clause's first word where one comes (``_CLAUSE_STARTS``), else at a word, so that its clauses are read as
        sentences are (a relation's evidence is its piece, not hundreds of words)."""
        first = numpy.flatnonzero(starts[:, 0] == 1).tolist() + [n]
        for f, nxt in zip(first, first[1:]):
            end = idx[nxt - 1] + length[nxt - 1]
            if end - idx[f] <= _RUN_ON // 2:
                continue  # short whatever its script
            span = width(text, idx[f], end)
            if span <= _RUN_ON or len(_COMMAS.findall(text, idx[f], end)) > span // 200:
                continue
            mark = idx[f]
            for k in range(f + 1, nxt):
                if not pos[k - 1][2] or words[k].isspace():
                    continue  # a piece starts at a word
                run = width(text, mark, idx[k])
                # at a clause's first word once the piece is half a run-on long, else wherever it reaches one
                if (run >= _RUN_ON // 2 and words[k].lower() in _CLAUSE_STARTS) or run >= _RUN_ON * 5 // 6:
                    starts[k, 0] = 1
                    mark = idx[k]

    @staticmethod
    def _english_stop(words, pos, i: int) -> bool:
        """``words[i]`` is "."; ``pos`` rows are (idx, length, trailing space, is space)."""
        prev = words[i - 1].lower() if i > 0 else ""
        if prev in _ABBREV or (len(prev) == 1 and prev.isalpha()):
            return False
        if not pos[i][2] and not pos[i + 1][3]:
            nxt = words[i + 1]
            # "3.5" is one token already; a "." glued to a CJK character ends a sentence
            return bool(re.match(r"[\u4e00-\u9fff]", nxt))
        return True


# a run-on: wider than this (a Chinese character counts two) with at most one comma-like mark in 200 (kg_sentences
# cuts it)
_RUN_ON = 300

_COMMAS = re.compile(r"[,，、;；]")
# the words that open a clause of run-on speech, where a piece of it best starts
_CLAUSE_STARTS = frozenset({"and", "so", "but", "then", "because", "or", "which", "where", "when", "while", "if",
                            "然后", "所以", "但是", "但", "因为", "而且", "就是说", "那么", "其实", "如果"})
# a character that can make a token a candidate end: the first characters of _END's tokens, or a
# line break anywhere in a token
_CANDIDATE_CHARS = re.compile("[" + re.escape("".join(sorted(_FIRST))) + "\n]")


class _Words:
    """``words[k]``: the text of token ``k``, cut from the text when asked."""

    __slots__ = ("word", "n")

    def __init__(self, word, n: int):
        self.word, self.n = word, n

    def __getitem__(self, k: int) -> str:
        if k < 0:
            k += self.n
        return self.word(k)


class _Rows:
    """``pos[k]``: the row (idx, length, trailing space, is space) of token ``k``."""

    __slots__ = ("arr",)

    def __init__(self, arr):
        self.arr = arr

    def __getitem__(self, k: int) -> list[int]:
        return self.arr[k].tolist()
