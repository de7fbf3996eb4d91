"""Which relation rules may match in which sentence of a document, before any sentence is abstracted.

``kg_relations`` rewrites a sentence into an abstract sentence (mentions as placeholder characters,
whitespace collapsed or dropped, glosses dropped, an aside cut out) and then tries the rules whose
literals that abstract sentence holds. Most sentences that a later pass reads (the document's and
the speaker's company, the pronouns read again) hold none, and abstracting them costs more than
the rules. ``DocRuleIndex`` tells it beforehand, with one Aho-Corasick pass over the whole
document (``prefilter.SentenceIndex``), from what survives every rewriting:

- a run of the abstract sentence with no whitespace and no placeholder is a substring of the
  original sentence with its whitespace removed: the rewritings only replace text by placeholders,
  change or drop whitespace, and cut text out where a placeholder (a gloss) or whitespace (an
  aside that ends before whitespace, ``cut_before_space``) bounds the cut;
- so the longest whitespace-free word of a literal that the abstract sentence holds is in the
  sentence's text with its whitespace removed (folded, for case-insensitive rules).

The index marks a superset of the rules the exact per-sentence index (``LiteralIndex`` over the
abstract sentence) gives: a sentence it marks with no rule of the pass (that fits the sentence's
mentions, ``RelationExtractor._fit``) is not abstracted, as no rule could match it.
"""

from __future__ import annotations

import re

import numpy

from .prefilter import SentenceIndex
from .sentflags import code_points

try:  # Python 3.11+
    from re import _constants as C, _parser as P
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as C  # type: ignore
    import sre_parse as P  # type: ignore

# every whitespace character (``str.isspace``, which is what ``\s`` matches) is below U+3001
_SPACE_LIMIT = 0x3001
_IS_SPACE = numpy.array([chr(c).isspace() for c in range(_SPACE_LIMIT + 1)], dtype=bool)


def word_of(literal: str) -> str:
    """The longest whitespace-free run of ``literal`` (the first of the longest)."""
    words = literal.split()
    return max(words, key=len) if words else ""


def word_literals(literals: frozenset | None) -> frozenset | None:
    """The longest word of each literal (None: no literals, or a literal that is all whitespace)."""
    if not literals:
        return None
    words = frozenset(word_of(lit) for lit in literals)
    return None if "" in words else words


def cut_before_space(pattern: str, flags: int = 0) -> bool:
    """Does every match of ``pattern`` end with a look-ahead for one whitespace character
    (``...(?=\\s)``)? Cutting such a match out of a text leaves whitespace at the cut, so no
    whitespace-free run of the result spans the cut."""
    try:
        tree = P.parse(pattern, flags)
    except Exception:
        return False
    return _ends_before_space(list(tree))


def _ends_before_space(items: list) -> bool:
    if not items:
        return False
    op, av = items[-1]
    if op is C.BRANCH:
        return all(_ends_before_space(list(branch)) for branch in av[1])
    if op is C.SUBPATTERN:
        return _ends_before_space(list(av[-1]))
    if op is C.ASSERT:
        direction, sub = av
        sub = list(sub)
        return direction == 1 and len(sub) == 1 and sub[0][0] is C.IN and \
            all(o is C.CATEGORY and a in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE) for o, a in sub[0][1])
    return False


def strip_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """``text`` without its whitespace, and each of ``offsets`` (into ``text``) as an offset into it."""
    codes = code_points(text)
    space = _IS_SPACE[numpy.minimum(codes, _SPACE_LIMIT)]
    kept = numpy.zeros(len(codes) + 1, dtype=numpy.int64)
    numpy.cumsum(~space, out=kept[1:])
    return "".join(text.split()), kept[numpy.asarray(offsets, dtype=numpy.int64)].tolist()


class DocRuleIndex:
    """The rules (by key) each sentence of a document may match, read off the sentence's text.

    ``literals``: key -> the rule's literals (None: it may match anywhere); the keys in ``folded``
    have case-folded literals (case-insensitive rules). ``keep_whole``: keys whose literals may be
    looked for whole (with their whitespace removed) rather than by their longest word (the rules of
    a language without asides: no cut joins two runs of text)."""

    def __init__(self, literals: dict, folded: frozenset | set = frozenset(), keep_whole: frozenset | set = frozenset()):
        words = {}
        for key, lits in literals.items():
            if key in keep_whole and lits:
                whole = frozenset("".join(lit.split()) for lit in lits)
                words[key] = None if "" in whole else whole
            else:
                words[key] = word_literals(lits)
        self.always = frozenset(k for k, w in words.items() if w is None)
        self.index = SentenceIndex(words, folded=folded)

    def sentences(self, text: str, bounds: list[tuple[int, int]]) -> list[frozenset]:
        """For each sentence ``bounds[i]``: the keys it may match (the keys without literals included)."""
        if not bounds:
            return []
        stripped, offsets = strip_spaces(text, [b for s in bounds for b in s])
        marks = self.index.marks(stripped, offsets[0::2], offsets[1::2])
        always = self.always
        return [always | marks[i] if i in marks else always for i in range(len(bounds))]
