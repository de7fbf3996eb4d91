"""Cheap prefilters for regular expressions: the literal strings some of which every match must contain.

``required_literals(pattern)`` reads a compiled pattern's parse tree and returns a set of strings
such that every match of the pattern contains at least one of them (or None when it cannot tell,
e.g. a match may consist of any CJK characters). A text that contains none of them cannot match,
so a component can skip the pattern there without changing what it finds. ``Prefilter`` turns
the set into one compiled alternation and marks the sentences of a document where the pattern
may match, with one scan over the whole text instead of a regular expression per sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain
from operator import itemgetter

import numpy

from .automaton import StringFinder, byte_automaton, byte_view, text_automaton
from .sentflags import code_points, sentences_matching

_FEW_FIRST_CHARACTERS = 48
_second = itemgetter(1)

try:  # Python 3.11+
    from re import _constants as C, _parser as P
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as C  # type: ignore
    import sre_parse as P  # type: ignore
try:
    from re._casefix import _EXTRA_CASES  # Python 3.11+: the characters IGNORECASE also equates
except ImportError:  # pragma: no cover
    _EXTRA_CASES = {}

_MAX_SET = 256  # at most this many strings in a set (else: no prefilter from that part)
_MAX_CLASS = 128  # a character class of at most this many characters counts as a set

# (strings, exact): every match of the node contains one of ``strings``; with ``exact`` the match
# *is* one of them. None: no constraint known.
_Info = tuple[frozenset, bool] | None
_EMPTY: _Info = (frozenset({""}), True)


def _charset(items) -> frozenset | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo + 1 > _MAX_CLASS:
                return None
            chars.update(chr(c) for c in range(lo, hi + 1))
        else:  # NEGATE, CATEGORY, BIGCHARSET ...: cannot enumerate
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars)


def _better(a: frozenset, b: frozenset) -> bool:
    """Is ``a`` the more selective necessary set? Longer shortest string first, then fewer strings."""
    return (min(map(len, a)), -len(a)) > (min(map(len, b)), -len(b))


def _seq(items) -> _Info:
    best: frozenset | None = None
    run: frozenset | None = _EMPTY[0]  # product of the current run of exact elements
    all_exact = True

    def consider(s: frozenset | None) -> None:
        nonlocal best
        if s and "" not in s and (best is None or _better(s, best)):
            best = s

    for op, av in items:
        info = _node(op, av)
        if info is not None and info[1] and run is not None:
            product = frozenset(a + b for a in run for b in info[0])
            if len(product) <= _MAX_SET:
                run = product
                continue
        # the run ends here
        consider(run)
        all_exact = False
        if info is not None:
            consider(info[0])
            run = info[0] if info[1] else None
        else:
            run = None
    consider(run)
    if all_exact and run is not None:
        return run, True
    return (best, False) if best is not None else None


def _node(op, av) -> _Info:
    if op is C.LITERAL:
        return frozenset({chr(av)}), True
    if op is C.IN:
        chars = _charset(av)
        return (chars, True) if chars else None
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return _EMPTY  # zero-width: consumes nothing
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            return None
        return _seq(sub)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, hi, sub = av
        if lo < 1:
            return None
        info = _seq(sub)
        if info is None:
            return None
        return info[0], info[1] and lo == hi == 1
    if op is C.BRANCH:
        out: set[str] = set()
        exact = True
        for branch in av[1]:
            info = _seq(branch)
            if info is None:
                return None
            out |= info[0]
            exact = exact and info[1]
            if len(out) > _MAX_SET:
                return None
        return frozenset(out), exact
    return None  # ANY, NOT_LITERAL, GROUPREF, ...: anything may match


# ---------------------------------------------------------------- case-insensitive literals

# ``re.IGNORECASE`` equates two characters when their simple lower cases are equal, or are in one
# of the groups of ``re._casefix`` (i/ı, s/ſ, k/K ...). ``fold`` maps each character to one member of
# its class, so a case-insensitive match of a literal is a plain occurrence of the folded literal
# in the folded text. ``str.lower`` is the simple lower case except for U+0130 (İ -> "i̇").
_SIMPLE_LOWER = {"\u0130": "i"}
_CLASS_OF: dict[str, str] = {}
for _lower, _others in _EXTRA_CASES.items():
    _group = sorted({_lower, *_others})
    for _c in _group:
        if _c != _group[0]:
            _CLASS_OF[chr(_c)] = chr(_group[0])
_SIMPLE_RX = re.compile("|".join(map(re.escape, _SIMPLE_LOWER)))
_CLASS_RX = re.compile("[" + "".join(map(re.escape, sorted(_CLASS_OF))) + "]") if _CLASS_OF else None


def fold(text: str) -> str:
    """``text`` with every character replaced by its ``re.IGNORECASE`` class representative (same
    length: the simple lower case of a character is one character)."""
    if text.isascii():
        return text.lower()
    if any(c in text for c in _SIMPLE_LOWER):  # a character whose lower case is two
        text = _SIMPLE_RX.sub(lambda m: _SIMPLE_LOWER[m.group(0)], text)
    text = text.lower()
    if _CLASS_RX is not None:
        text = _CLASS_RX.sub(lambda m: _CLASS_OF[m.group(0)], text)
    return text


def check_compilable(pattern: str, flags: int = 0):
    """Parse ``pattern`` as ``re.compile`` would, without generating its code (most of the cost of
    compiling): raises ``re.error`` for what ``re.compile`` rejects; returns the parse tree."""
    tree = P.parse(pattern, flags)

    def walk(items):
        for op, av in items:
            if op in (C.ASSERT, C.ASSERT_NOT):
                direction, sub = av
                if direction < 0:
                    lo, hi = sub.getwidth()
                    if lo != hi:
                        raise re.error("look-behind requires fixed-width pattern")
                walk(sub)
            elif op is C.SUBPATTERN:
                walk(av[-1])
            elif op is C.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
                walk(av[2])
            elif op is getattr(C, "ATOMIC_GROUP", None):
                walk(av)
            elif op is C.GROUPREF_EXISTS:
                walk(av[1])
                if av[2] is not None:
                    walk(av[2])

    if "(?<" in pattern:  # a look-behind: check its width
        walk(tree)
    return tree


def pattern_literals(pattern: str, flags: int = 0, tree=None) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` (compiled with ``flags``) contains; with
    ``re.IGNORECASE`` they are folded (``fold``) and hold for the folded text. None if none can be
    told. ``tree``: the pattern's parse tree, if already parsed."""
    try:
        info = _seq(tree if tree is not None else P.parse(pattern, flags))
    except Exception:  # an unusual construct: no literals, never wrong ones
        return None
    if info is None or not info[0] or "" in info[0]:
        return None
    if flags & re.IGNORECASE:
        return frozenset(fold(s) for s in info[0])
    return info[0]


def class_needs(tree, blocks: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Characters of given blocks (code point ranges, e.g. the relation rules' placeholders of each
    type) that every match must hold, read off a parse tree (``check_compilable``): ``(mask, count)``
    pairs, each saying that a match holds at least ``count`` characters (at distinct places) of the
    union of the blocks whose bits are in ``mask``. Only classes that are exactly a union of whole
    blocks count, and only where the match cannot avoid them (not in an alternative, an optional
    part or a look-around): a text without enough such characters cannot match."""
    counts: dict[int, int] = {}

    def mask_of(items) -> int:
        mask = 0
        for op, av in items:
            if op is not C.RANGE:
                return 0
            lo, hi = av
            bits = [i for i, (a, b) in enumerate(blocks) if lo <= a and b <= hi]
            if not bits or sum(blocks[i][1] - blocks[i][0] + 1 for i in bits) != hi - lo + 1:
                return 0  # not exactly whole blocks (blocks are disjoint)
            for i in bits:
                mask |= 1 << i
        return mask

    def walk(items) -> None:
        for op, av in items:
            if op is C.IN:
                mask = mask_of(av)
                if mask:
                    counts[mask] = counts.get(mask, 0) + 1
            elif op is C.SUBPATTERN:
                walk(av[-1])
            elif op is getattr(C, "ATOMIC_GROUP", None):
                walk(av)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
                if av[0] >= 1:
                    walk(av[2])  # present at least once
            # BRANCH, ASSERT, ASSERT_NOT, GROUPREF_EXISTS ...: nothing that every match must hold

    walk(tree)
    return tuple(sorted(counts.items()))


def best_literals(*sets: frozenset[str] | None) -> frozenset[str] | None:
    """The most selective of several sets each of which is necessary (None: no constraint)."""
    best = None
    for s in sets:
        if s and (best is None or _better(s, best)):
            best = s
    return best


class LiteralIndex:
    """Which of many patterns a text may match, by their literals (``pattern_literals``), in one
    Aho-Corasick pass (``kg/nlp/automaton.py``): ``candidates(text)`` is the set of keys whose
    literals occur in ``text``, plus every key without literals. ``folded``: the literals are
    folded (``fold``) and so is the text. ``also``: for some keys a second set of literals every
    match holds too (a rule's trigger beside its whole pattern): such a key is a candidate only
    where one of each set occurs."""

    def __init__(self, literals: dict, folded: bool = False, also: dict | None = None):
        self.folded = folded
        self.always = frozenset(k for k, lits in literals.items() if lits is None)
        # the token that stands for a key's second set in the automaton's values
        self.second = {k: _Also(k) for k, lits in (also or {}).items() if lits and k in literals}
        by_literal: dict[bytes, set] = {}
        for key, lits in literals.items():
            for lit in lits or ():
                by_literal.setdefault(lit.encode("utf-8"), set()).add(key)
        for key, token in self.second.items():
            for lit in also[key]:
                by_literal.setdefault(lit.encode("utf-8"), set()).add(token)
        self.automaton = byte_automaton({lit: frozenset(keys) for lit, keys in by_literal.items()})

    def candidates(self, text: str) -> set:
        out = set(self.always)
        if self.automaton is not None:
            # the union of the keys of every hit, without a Python step per hit
            out.update(*map(_second, self.automaton.iter(byte_view(fold(text) if self.folded else text))))
        if self.second:
            second = self.second
            out = {k for k in out if type(k) is not _Also and (k not in second or second[k] in out)}
        return out


class _Also:
    """A key's second set of literals (``LiteralIndex``): equal to itself only, never to a key."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key


def _place(marked: numpy.ndarray, hit_starts, hit_ends, bits, starts, ends) -> tuple:
    """OR into ``marked`` (a bit mask per sentence) the ``bits`` of each hit ``[hit_starts[n],
    hit_ends[n])`` that lies wholly in a sentence ``[starts[i], ends[i])``; returns those hits'
    sentences and numbers."""
    i = numpy.searchsorted(starts, hit_starts, side="right") - 1
    inside = numpy.flatnonzero((i >= 0) & (hit_ends <= ends[numpy.maximum(i, 0)]))
    i = i[inside]
    numpy.bitwise_or.at(marked, i, bits[inside])
    return i.tolist(), inside.tolist()


def _byte_offsets(text: str, *offsets: list[int]) -> list[list[int]]:
    """Character offsets into ``text`` -> offsets into its UTF-8 encoding (each list converted):
    the running sum of the characters' encoded lengths, computed over the whole text at once."""
    codes = code_points(text)
    sizes = 1 + (codes >= 0x80).astype(numpy.int64) + (codes >= 0x800) + (codes >= 0x10000)
    cum = numpy.zeros(len(codes) + 1, dtype=numpy.int64)
    numpy.cumsum(sizes, out=cum[1:])
    return [cum[numpy.asarray(o, dtype=numpy.int64)].tolist() for o in offsets]


class SentenceIndex:
    """The sentences of a text that hold a literal of each of many patterns, in one Aho-Corasick
    pass over the text (instead of a scan of the text per pattern, as ``Prefilter`` does):
    ``literals`` maps each pattern's key to its literals (None: it may match anywhere); the keys in
    ``folded`` have folded literals (``fold``), looked for in the folded text (a second pass).

    Each key with literals has a bit; each hit (an automaton's, or a character of a one-character
    literal found by a lookup table) carries the bits of its keys, and the hits are placed in their
    sentences all at once (numpy ``searchsorted`` over the sentence starts, an OR per sentence):
    one Python step per marked sentence, not per hit."""

    _BITS = 63  # keys with literals beyond this many: their hits are placed one by one

    def __init__(self, literals: dict, folded: frozenset | set = frozenset()):
        self.keys = list(literals)
        self.always = {k for k, lits in literals.items() if not lits}
        indexed = [k for k, lits in literals.items() if lits]
        self.bit_keys = indexed[:self._BITS]
        bit = {key: 1 << n for n, key in enumerate(self.bit_keys)}
        self._keys_of: dict[int, frozenset] = {}
        # keys whose literals are single characters (a class: "any Latin letter", ":"): a lookup
        # table over the text's code points; a class with a character outside the Basic Multilingual
        # Plane, or a key without a bit, is found by a search for the class that, once a sentence
        # is marked, resumes at its end
        singles = [(key, lits) for key, lits in literals.items() if lits and all(len(lit) == 1 for lit in lits)]
        self.tables: dict[bool, numpy.ndarray] = {}
        self.classes = []
        for key, lits in singles:
            f = key in folded
            if key in bit and all(ord(c) < 0xFFFF for c in lits):
                table = self.tables.setdefault(f, numpy.zeros(0x10000, dtype=numpy.uint64))
                for c in lits:
                    table[ord(c)] |= numpy.uint64(bit[key])
            else:
                self.classes.append((key, f, re.compile("[" + "".join(map(re.escape, sorted(lits))) + "]")))
        by_class = {key for key, _ in singles}
        words: dict[bool, dict[str, set]] = {False: {}, True: {}}
        for key, lits in literals.items():
            if key in by_class:
                continue
            for lit in lits or ():
                words[key in folded].setdefault(lit, set()).add(key)
        # literals that start with few distinct characters: an automaton over the characters (no
        # offsets to convert); else over the UTF-8 bytes (``kg/nlp/automaton.py``). A hit's value is
        # the number of its literal n: ``self.words[folded]`` holds each literal's length, the bits
        # of its keys, and its keys without a bit
        self.bytewise = len({w[0] for ws in words.values() for w in ws}) > _FEW_FIRST_CHARACTERS
        self.words: dict[bool, tuple] = {}
        self.automata = {}
        for f, ws in words.items():
            order = sorted(ws)
            if self.bytewise:
                sizes = [len(w.encode("utf-8")) for w in order]
                self.automata[f] = byte_automaton({w.encode("utf-8"): n for n, w in enumerate(order)})
            else:
                sizes = [len(w) for w in order]
                self.automata[f] = text_automaton({w: n for n, w in enumerate(order)})
            masks = [sum(bit.get(k, 0) for k in ws[w]) for w in order]
            rest = [frozenset(k for k in ws[w] if k not in bit) for w in order]
            self.words[f] = (numpy.asarray(sizes, dtype=numpy.int64), numpy.asarray(masks, dtype=numpy.uint64),
                             rest if any(rest) else None)

    def _keys(self, mask: int) -> frozenset:
        """The keys whose bits are set in ``mask``."""
        keys = self._keys_of.get(mask)
        if keys is None:
            keys = self._keys_of[mask] = frozenset(k for n, k in enumerate(self.bit_keys) if mask >> n & 1)
        return keys

    def marks(self, text: str, starts: list[int], ends: list[int]) -> dict[int, set]:
        """Sentence index -> the keys (with literals) one of whose literals the sentence
        ``[starts[i], ends[i])`` wholly contains; sentences with none are left out."""
        out: dict[int, set] = {}
        if not starts:
            return out
        folded_text = None
        starts_a = numpy.asarray(starts, dtype=numpy.int64)
        ends_a = numpy.asarray(ends, dtype=numpy.int64)
        marked = numpy.zeros(len(starts), dtype=numpy.uint64)  # the bits of each sentence's keys
        for folded, table in self.tables.items():
            if folded and folded_text is None:
                folded_text = fold(text)
            codes = code_points(folded_text if folded else text)
            bits = table[numpy.minimum(codes, 0xFFFF)]  # U+FFFF and above: in no table
            at = numpy.flatnonzero(bits)
            _place(marked, at, at + 1, bits[at], starts_a, ends_a)
        late: list[tuple[int, frozenset]] = []  # keys without a bit, by sentence
        for folded, automaton in self.automata.items():
            if automaton is None:
                continue
            if folded and folded_text is None:
                folded_text = fold(text)
            scanned = folded_text if folded else text  # folding keeps the characters' offsets
            starts_x, ends_x = starts_a, ends_a
            if self.bytewise:
                raw = scanned.encode("utf-8")
                if len(raw) != len(scanned):  # the sentences' byte offsets: the automaton reports bytes
                    starts_x, ends_x = (numpy.asarray(o, dtype=numpy.int64) for o in _byte_offsets(scanned, starts, ends))
                scanned = raw.decode("latin-1")
            hits = list(automaton.iter(scanned))
            if not hits:
                continue
            flat = numpy.fromiter(chain.from_iterable(hits), dtype=numpy.int64, count=2 * len(hits)).reshape(-1, 2)
            sizes, masks, rest = self.words[folded]
            word = flat[:, 1]
            end = flat[:, 0] + 1
            in_sents, in_hits = _place(marked, end - sizes[word], end, masks[word], starts_x, ends_x)
            if rest is not None:  # (the keys without a bit of each hit's word)
                late += [(i, rest[w]) for i, w in zip(in_sents, word[in_hits].tolist()) if rest[w]]
        nonzero = numpy.flatnonzero(marked)
        for i, mask in zip(nonzero.tolist(), marked[nonzero].tolist()):
            out[i] = set(self._keys(mask))
        for i, keys in late:
            out.setdefault(i, set()).update(keys)
        for key, folded, rx in self.classes:
            if folded and folded_text is None:
                folded_text = fold(text)
            # a search for the class that, once a sentence is marked, resumes at its end
            flags = sentences_matching(rx, folded_text if folded else text, starts, ends)
            for i in (i for i, hit in enumerate(flags) if hit):
                out.setdefault(i, set()).add(key)
        return out

    def sentences(self, text: str, starts: list[int], ends: list[int]) -> dict:
        """Key -> the indices (ascending) of the sentences ``[starts[i], ends[i])`` that wholly
        contain one of its literals (every sentence for a key without literals)."""
        found: dict = {k: [] for k in self.keys if k not in self.always}
        for i, keys in sorted(self.marks(text, starts, ends).items()):
            for k in keys:
                found[k].append(i)
        everywhere = list(range(len(starts)))
        return {k: everywhere if k in self.always else found[k] for k in self.keys}


# ---------------------------------------------------------------- where a match can start

_MAX_PREFIXES = 512
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)


def _prefixes(items: list, limit: int = _MAX_PREFIXES) -> set[str] | None:
    """Non-empty strings one of which every match of the sequence ``items`` starts with; None if
    unknown (or if a match may be empty, or more than ``limit`` strings)."""
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    rest = list(items[i + 1:])
    if op is C.LITERAL or op is C.IN:
        first = {chr(av)} if op is C.LITERAL else _charset(av)
        if not first:
            return None
        out = set(first)
        # lengthen by the literals and small classes that follow ("o" + [1-9] -> o1 ... o9)
        for op2, av2 in rest:
            more = {chr(av2)} if op2 is C.LITERAL else _charset(av2) if op2 is C.IN else None
            if not more or len(out) * len(more) > limit:
                break
            out = {a + b for a in out for b in more}
        return out
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None
        return _prefixes(list(sub) + rest, limit)
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            p = _prefixes(list(branch) + rest, limit)
            if p is None or len(out | p) > limit:
                break
            out |= p
        else:
            return out
        if not rest:
            return None
        # too many once lengthened by what follows ("Anna|Bob|…" then " [A-Z]"): what each branch
        # alone starts with, which every match of the whole starts with too
        return _prefixes([items[i]], limit)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, hi, sub = av
        p = _prefixes(list(sub), limit)
        if lo >= 1 or p is None:
            return p
        q = _prefixes(rest, limit)  # the repeat may be absent
        return None if q is None or len(p | q) > limit else p | q
    return None


PREFIXES: dict[tuple[str, int], frozenset | None] = {}
"""``match_prefixes`` of each (pattern, flags) seen: kept between runs in the start-up cache (``kg.extract``), as
``REQUIRED`` is (the given names' pattern alone takes some 50 ms to parse)."""


def match_prefixes(pattern: re.Pattern, limit: int = _MAX_PREFIXES) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` starts with (None: unknown, or more than ``limit``)."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    key = (pattern.pattern, int(pattern.flags) | limit << 32)  # (pattern, flags) as the start-up cache keeps them
    if key in PREFIXES:
        return PREFIXES[key]
    try:
        out = _prefixes(list(P.parse(pattern.pattern, pattern.flags)), limit)
    except Exception:  # an unusual construct: no prefixes, never wrong ones
        out = None
    PREFIXES[key] = frozenset(out) if out and "" not in out else None
    return PREFIXES[key]


class PrefixScan:
    """``finditer`` of several patterns over one text, each match tried only where one of the
    strings every match of the pattern starts with stands (``match_prefixes``): one Aho-Corasick pass
    finds them for all patterns, then ``pattern.match`` runs at those places, left to right, each
    search resuming where the last match ended, as ``finditer`` does. A pattern without such
    strings is run by ``finditer``."""

    # one automaton finds them all, so a pattern may have many (4,817 given names, each then a space)
    LIMIT = 16384

    def __init__(self, patterns: list[re.Pattern]):
        self.patterns = patterns
        self.prefixes = [match_prefixes(rx, self.LIMIT) for rx in patterns]
        self.finder = StringFinder({p for ps in self.prefixes if ps for p in ps})

    def finditer(self, text: str) -> list[list[re.Match]]:
        """The matches of each pattern in ``text``."""
        found = self.finder.find(text)
        out = []
        for rx, prefixes in zip(self.patterns, self.prefixes):
            if prefixes is None:
                out.append(list(rx.finditer(text)))
                continue
            # the strings found in the text are few; a pattern's prefixes may be thousands
            starts = sorted({a for p, at in found.items() if p in prefixes for a in at})
            matches = []
            pos = 0
            for a in starts:
                if a < pos:
                    continue
                m = rx.match(text, a)
                if m is not None:
                    matches.append(m)
                    pos = m.end()
            out.append(matches)
        return out


REQUIRED: dict[tuple[str, int], frozenset | None] = {}
"""``required_literals`` of each (pattern, flags) seen: kept between runs in the start-up cache
(``kg.extract``), as parsing the patterns again is most of what it costs."""


def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains; None if none can be told."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    key = (pattern.pattern, int(pattern.flags))
    if key in REQUIRED:
        return REQUIRED[key]
    try:
        info = _seq(P.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unusual construct: no prefilter, never a wrong one
        info = None
    REQUIRED[key] = None if info is None or not info[0] or "" in info[0] else frozenset(info[0])
    return REQUIRED[key]


class Prefilter:
    """Which sentences of a text may hold a match of ``pattern`` (every sentence, if unknown)."""

    def __init__(self, pattern: re.Pattern):
        literals = required_literals(pattern)
        self.literals = literals
        self.regex = re.compile("|".join(map(re.escape, sorted(literals, key=lambda s: (-len(s), s))))) \
            if literals else None

    def sentences(self, text: str, starts: list[int], ends: list[int]) -> list[int] | None:
        """Indices (ascending) of the sentences ``[starts[i], ends[i])`` that contain one of the
        literals; None when there is no prefilter (every sentence may match). A literal found
        across a sentence boundary marks every sentence it touches (a scan finds each literal
        occurrence unless an earlier one overlaps it, and then that one touches its sentence; after a
        match the scan resumes at the end of the last sentence it marked)."""
        if self.regex is None:
            return None
        if not starts:
            return []
        marked: list[int] = []
        search = self.regex.search
        m = search(text)
        while m is not None:
            i = max(bisect_right(starts, m.start()) - 1, 0)
            last = max(bisect_right(starts, m.end() - 1) - 1, i)
            marked.extend(range(max(i, marked[-1] + 1) if marked else i, last + 1))
            # the rest of the last marked sentence is marked already
            m = search(text, max(m.end(), ends[last]))
        return marked
