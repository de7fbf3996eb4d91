"""Misspelt names: a capitalised Latin word one letter away from a lexicon name, inside the word.

Transcripts of speech and hurried writers misspell the long names ("Cerebrus", "Inferencia",
"Tranium", "Melanox", "Nematron", "Andreesen", "Infection、Facebook" for Inflection), and speech-to-text
writes a possessive without its apostrophe ("Anthropics secured $15 billion"): a word that is such a name and an "s"
is that name. A word counts as the lexicon name it is one edit from (a letter wrong, missing, doubled or two
letters swapped) when:
the name is one word of seven letters or more; the word's first and last letters are the name's
(an edit at either end makes other words: "Capital" is not CapitalG, "Partner" not Gartner,
"Megatron" not Pegatron, "Celestial" not Celestica); the word is no form of any lexicon name in any
case; and exactly one name (up to case) is that near. Names of companies, models and chips only
(``kg.nlp.pipeline`` chooses): a surname or a context label one letter from a word is too often
another word ("Georgia" is not Giorgia). ``LexiconTokenizer`` gives such a word the
name as its ``NORM``, so ``kg_lexicon`` finds the entity as it finds a name spelt right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAME = re.compile(r"[A-Z][A-Za-z]{6,}")
MIN_LETTERS = 7


def _inner_deletions(word: str) -> set[str]:
    """``word`` without one of its letters, never the first or the last."""
    return {word[:i] + word[i + 1:] for i in range(1, len(word) - 1)}


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b are one substitution, insertion, deletion or swap of neighbours apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                   and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


class NearNames:
    """The single-word names among ``names`` and the words one inner edit away from them; a word that
    is one of ``known`` (every form of the lexicon, context labels too), in any case, is itself."""

    def __init__(self, names: Iterable[str], known: Iterable[str] = ()):
        self._names, self._known = names, known  # read when a word first asks (start-up stays lean)
        self._index: dict[str, list[str]] | None = None  # built when a word first asks
        self.known: set[str] = set()

    def _build(self) -> dict[str, list[str]]:
        names = sorted({f for f in self._names if _NAME.fullmatch(f) and not f.isupper()})
        self.known = {f.casefold() for f in names} | {f.casefold() for f in self._known}
        index: dict[str, list[str]] = {}
        for name in names:
            for key in {name} | _inner_deletions(name):
                index.setdefault(key, []).append(name)
        return index

    def name_of(self, word: str) -> str | None:
        """The lexicon name ``word`` misspells, or None."""
        if len(word) < MIN_LETTERS or not _NAME.fullmatch(word) or word.isupper():
            return None
        if self._index is None:
            self._index = self._build()
        if word.casefold() in self.known:
            return None
        index = self._index
        if word[-1] == "s" and word[:-1] in index.get(word[:-1], ()):
            return word[:-1]  # a possessive a transcript wrote without its apostrophe: "Anthropics models"
        found = set()
        for key in {word} | _inner_deletions(word):
            for name in index.get(key, ()):
                if name[0] == word[0] and name[-1] == word[-1] and _one_edit(name, word):
                    found.add(name)
        if not found or len({n.casefold() for n in found}) > 1:
            return None
        return min(found)
