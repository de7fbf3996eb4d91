"""Sentence boundaries for Chinese, English and mixed text (``kg_sentences`` component)."""

from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

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
_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "u.s",
           "u.k", "jr", "sr", "st", "no", "fig", "approx", "dept", "est", "gen", "gov", "sen", "rep"}


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str):
    return SentenceSplitter()


class SentenceSplitter:
    """Starts a sentence after 。!?; (and their closing quotes), after an English full stop that
    ends a word that is not an abbreviation, and after every line break."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        starts = numpy.full((n, 1), -1, dtype="int64")  # SENT_START: 1 starts a sentence, -1 does not
        starts[0, 0] = 1
        i = 0
        while i < n:
            tok = doc[i]
            text = tok.text
            boundary = False
            if "\n" in text and not text.strip():
                boundary = True
            elif text in _END or (len(text) > 1 and set(text) <= set("。!?…")):
                boundary = True
            elif text == "." and i + 1 < n and self._english_stop(doc, i):
                boundary = True
            if boundary:
                j = i + 1
                while j < n and (doc[j].text in _CLOSE or doc[j].text in _END):
                    j += 1
                if j < n:
                    starts[j, 0] = 1
                i = j
            else:
                i += 1
        doc.from_array([SENT_START], starts.view("uint64"))  # spaCy reads attribute arrays as uint64
        pos = doc.to_array([IDX, LENGTH])
        first = numpy.flatnonzero(starts[:, 0] == 1)
        last = numpy.append(first[1:] - 1, n - 1)
        doc._.kg_sent_bounds = list(zip(pos[first, 0].tolist(), (pos[last, 0] + pos[last, 1]).tolist()))
        return doc

    @staticmethod
    def _english_stop(doc: Doc, i: int) -> bool:
        prev = doc[i - 1].text.lower() if i > 0 else ""
        if prev in _ABBREV or (len(prev) == 1 and prev.isalpha()):
            return False
        if not doc[i].whitespace_ and not doc[i + 1].is_space:
            nxt = doc[i + 1].text
            # "3.5" is one token already; a "." glued to a CJK character ends a sentence
            return bool(re.match(r"[\u4e00-\u9fff]", nxt))
        return True
