"""Feature strings of the relation model (``kg.nlp.relmodel.features``) made of a few names, each made once.

Many of a pair's features are short strings built from a closed set of names: the two types
("T:Company>Company"), a relation and where its trigger word stands ("TW:investsIn:B"), the status,
the sectors, a count, a rule's id, and any of those crossed with the types
("T:Company>Company|TW:investsIn:B"). They come back in pair after pair, so ``features`` takes each
from a table here instead of formatting it again: the one string object is then reused, and its
hash, computed once, serves every lookup of the model's vocabulary (``RelationModel.predict_many``).
The features of the words themselves ("B:invested") are formatted in place: their tables paid only
on text that repeats itself (measured slower on real text read once).

The tables are keyed on names, never on sentences; each is emptied when it grows past ``LIMIT``
entries, so a long run keeps its memory bounded. A string from a table is equal to the one
formatted in place: the features are the same lists either way.
"""

from __future__ import annotations

LIMIT = 1 << 16  # entries a table holds before it starts again


class _Table(dict):
    """A dict that makes a missing value with ``_make(key)``, and starts again past ``LIMIT`` entries."""

    __slots__ = ()

    def _make(self, key):
        raise NotImplementedError

    def __missing__(self, key):
        if len(self) >= LIMIT:
            self.clear()
        value = self[key] = self._make(key)
        return value


class Prefixed(_Table):
    """``prefix`` and the key written out, for each key looked up: a word (``table["B"]``) or a count."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def _make(self, key) -> str:
        return f"{self.prefix}{key}"


class Formatted(_Table):
    """``template.format(*key)`` for each key (a tuple of strings) looked up."""

    __slots__ = ("template",)

    def __init__(self, template: str):
        super().__init__()
        self.template = template

    def _make(self, key: tuple) -> str:
        return self.template.format(*key)


class Typed(_Table):
    """The features of one pair of types ("Company>Product"): ``head`` ("T:Company>Product") and,
    for each feature looked up, the feature crossed with the types ("T:Company>Product|" + feature)."""

    __slots__ = ("types", "head", "prefix")

    def __init__(self, types: str):
        super().__init__()
        self.types = types
        self.head = f"T:{types}"
        self.prefix = f"T:{types}|"

    def _make(self, feature: str) -> str:
        return self.prefix + feature


class ByTypes(dict):
    """(type of a, type of b) -> their ``Typed`` table."""

    def __missing__(self, key: tuple[str, str]) -> Typed:
        t = self[key] = Typed(f"{key[0]}>{key[1]}")
        return t


class RuleHead(_Table):
    """A rule feature ("RULEID:en.invest.led|>") -> the part before its "|" (what is crossed with the types)."""

    def _make(self, hit: str) -> str:
        return hit.split("|")[0]


Counted = Prefixed  # ``prefix + str(n)`` for each integer ``n`` looked up
