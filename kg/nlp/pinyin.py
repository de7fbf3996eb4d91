"""Chinese people's names written in pinyin ("Chen Yunfei", "Xuezhi Wang"), read by their shape.

A name is two capitalised words: a surname of ``names.yaml``'s ``pinyin_people.surnames`` and a given name of
one or two pinyin syllables (``syllables``, ``max_given_syllables``) written together that is no English word,
in either order. ``kg_names`` finds such names in the text (rule ``any.person.pinyin-name``; not where the text
also writes the given name in lower case), and
``kg_discovery`` makes none of them a company, a model or a chip unless a company's strong cue stands beside
it (``company_over_person_label``): "Chen Yunfei, the developer of …" is a person.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

# a capitalised word ("Chen", "Wang's"; not "McKinsey", "AI-based", "M&A")
_CAP_WORD = re.compile(r"(?<![A-Za-z0-9&.-])[A-Z][a-z]+(?![A-Za-z0-9&-])")


class PinyinNames:
    """The pinyin names' shape, from the ``pinyin_people`` settings and a set of English words."""

    def __init__(self, config: dict | None, english: Iterable[str] | object = ()) -> None:
        config = config or {}
        self.confidence = float(config.get("confidence", 0) or 0)
        self.surnames = frozenset(str(w).lower() for w in config.get("surnames") or ())
        self.syllables = frozenset(str(w).lower() for w in config.get("syllables") or ())
        self.most = int(config.get("max_given_syllables", 2))
        self.not_names = frozenset(config.get("not_names") or ())
        self.english = english
        self.enabled = bool(self.surnames and self.syllables)
        self._memo: dict[tuple[str, int], bool] = {}

    def _split(self, word: str, most: int) -> bool:
        if not word:
            return True
        if most == 0:
            return False
        key = (word, most)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) > 100_000:  # (the words of very many documents)
                self._memo.clear()
            found = self._memo[key] = any(word[:k] in self.syllables and self._split(word[k:], most - 1)
                                          for k in range(min(6, len(word)), 0, -1))
        return found

    def syllabic(self, word: str, most: int | None = None) -> bool:
        """Whether ``word`` is ``most`` pinyin syllables or fewer written together (Yunfei, Jiaming)."""
        return self._split(word.lower(), self.most if most is None else most)

    def given(self, word: str) -> str | None:
        """``word`` in lower case where it can be a given name: pinyin syllables and no English word."""
        low = word.lower()
        return low if low not in self.english and self._split(low, self.most) else None

    def given_of(self, first: str, second: str) -> str | None:
        """The given name (lower case) of the name ``first second`` where it has a pinyin name's shape."""
        if f"{first} {second}" in self.not_names:
            return None
        if first.lower() in self.surnames:
            g = self.given(second)
            if g is not None:
                return g
        if second.lower() in self.surnames:
            return self.given(first)
        return None

    def is_name(self, name: str) -> bool:
        """Whether ``name`` ("Chen Yunfei") is two words with a pinyin name's shape."""
        words = name.split(" ")
        return (self.enabled and len(words) == 2 and all(_CAP_WORD.fullmatch(w) for w in words)
                and self.given_of(*words) is not None)

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, given name in lower case) of each name of that shape in ``text`` that no further
        capitalised word goes on ("Hong Kong Exchange") and no pinyin word comes before ("Zhong Guan Cun");
        ``kg_names`` drops those whose given name the text also writes in lower case."""
        if not self.enabled:
            return
        words = list(_CAP_WORD.finditer(text))
        for i in range(len(words) - 1):
            w1, w2 = words[i], words[i + 1]
            if text[w1.end():w2.start()] != " ":
                continue
            given = self.given_of(w1.group(), w2.group())
            if given is None:
                continue
            if i + 2 < len(words) and text[w2.end():words[i + 2].start()] == " ":
                continue  # a longer name goes on
            if i and text[words[i - 1].end():w1.start()] == " " and self.syllabic(words[i - 1].group()):
                continue
            yield w1.start(), w2.end(), given
