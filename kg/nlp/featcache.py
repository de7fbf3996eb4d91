"""Feature strings of the relation model (``kg.nlp.relmodel.features``), each made once.

A pair's features are short strings built from a prefix and a word ("B:" + "invested"), a pair of
words ("B2:" + "invested_in") or a few names ("T:Company>Company|TW:investsIn:B"). The same words
come back in pair after pair and sentence after sentence, so ``features`` takes each string from a
table here instead of formatting it again: the one string object is then reused, and its hash,
computed once, serves every lookup of the model's vocabulary (``RelationModel.predict_many``).

The tables are keyed on words and names, never on sentences; each is emptied when it grows past
``LIMIT`` entries, so a long run over many texts keeps its memory bounded. A string from a table
is equal to the one formatted in place: the features are the same lists either way.
"""

from __future__ import annotations

LIMIT = 1 << 18  # entries a table holds before it starts again


class Prefixed(dict):
    """``prefix + word`` for each word looked up (``table[word]``)."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, word: str) -> str:
        if len(self) >= LIMIT:
            self.clear()
        s = self[word] = self.prefix + word
        return s


class Formatted(dict):
    """``template.format(*key)`` for each key (a tuple of strings) looked up."""

    __slots__ = ("template",)

    def __init__(self, template: str):
        super().__init__()
        self.template = template

    def __missing__(self, key: tuple) -> str:
        if len(self) >= LIMIT:
            self.clear()
        s = self[key] = self.template.format(*key)
        return s


class Typed(dict):
    """The features of one pair of types ("Company>Product"): ``head`` ("T:Company>Product") and,
    for each feature looked up, the feature crossed with the types ("T:Company>Product|" + feature)."""

    __slots__ = ("types", "head", "prefix")

    def __init__(self, types: str):
        super().__init__()
        self.types = types
        self.head = f"T:{types}"
        self.prefix = f"T:{types}|"

    def __missing__(self, feature: str) -> str:
        if len(self) >= LIMIT:
            self.clear()
        s = self[feature] = self.prefix + feature
        return s


class ByTypes(dict):
    """(type of a, type of b) -> their ``Typed`` table."""

    def __missing__(self, key: tuple[str, str]) -> Typed:
        t = self[key] = Typed(f"{key[0]}>{key[1]}")
        return t


class Counted(dict):
    """``prefix + str(n)`` for each integer ``n`` looked up."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, n: int) -> str:
        if len(self) >= LIMIT:
            self.clear()
        s = self[n] = f"{self.prefix}{n}"
        return s


class RuleHead(dict):
    """A rule feature ("RULEID:en.invest.led|>") -> the part before its "|" (what is crossed with the types)."""

    def __missing__(self, hit: str) -> str:
        if len(self) >= LIMIT:
            self.clear()
        s = self[hit] = hit.split("|")[0]
        return s
