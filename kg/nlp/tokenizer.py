"""A tokenizer that keeps every lexicon name whole, for Chinese, English and mixed text.

Lexicon names are found first, leftmost-longest, by an Aho-Corasick automaton of all surface forms
(``NameFinder``; Latin names only at word boundaries, so "AI" never matches inside "OpenAI"; a
space inside a name matches a run of one to three whitespace characters); they become single
tokens whose ``NORM`` is the name with its whitespace collapsed, which is what ``kg_lexicon``
(``kg/nlp/mentions.py``) looks the entities up by. The text between names is split into Latin
words, numbers, punctuation and runs of CJK characters; with ``segmenter="jieba"`` the CJK runs
are segmented into words by jieba (slower; the relation rules do not need it). A capitalised word
one letter from a company's, model's or chip's name ("Cerebrus", "Tranium") gets that name as its
``NORM`` (``kg/nlp/nearnames.py``).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import product
from pathlib import Path

import ahocorasick
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .automaton import CharOffsets, byte_automaton, kept_automaton
from .commonwords import opens_sentence
from .lowercase import LOWER_WORD, in_word
from .nearnames import NearNames
from .spellings import accepted
from .doctext import doc_text as _doc_text  # noqa: F401  (registers Doc._.kg_text)

_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")
_GAP = re.compile(
    r"""
    (?P<space>[ ]+)                                      # single spaces become token.whitespace_
    |(?P<ws>\s+)                                         # other whitespace is a token
    |(?P<word>(?:\$(?=[0-9]))?[A-Za-z0-9]+(?:[-.'’+][A-Za-z0-9]+)*\+*)  # Latin words, numbers, $3M, 3.5, GPT-5, don't
    |(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+) # a run of CJK characters
    |(?P<other>.)                                        # punctuation, symbols, emoji
    """,
    re.VERBOSE | re.DOTALL,
)
# the same tokens without the group names (``findall`` then returns the strings)
_GAP_TOKENS = re.compile(re.sub(r"\(\?P<\w+>", "(?:", _GAP.pattern), re.VERBOSE | re.DOTALL)


_TRIES: list[tuple[dict, dict]] = []  # inside ``kept_tries``: (patterns given, patterns made or used)


@contextmanager
def kept_tries(entries: dict):
    """Inside: ``trie_regex`` of a set of forms in ``entries`` (tuple of the sorted forms -> pattern)
    is that pattern, not made again (the relation model's and the names' trigger words: a third of
    building a pipeline). Yields a dict that collects the patterns made or used inside: what to
    keep for next time (``kg.extract`` keeps them in the start-up cache)."""
    used: dict = {}
    _TRIES.append((entries, used))
    try:
        yield used
    finally:
        _TRIES.pop()


def trie_regex(forms: Iterable[str]) -> str:
    """A regular expression matching any of ``forms``, longest first at each position.

    A form that starts (ends) with a Latin letter or digit must not be preceded (followed) by
    one; a form that starts with a digit not by a dollar sign or a number's point or comma either
    ("$3M", "715.3M" hold no 3M). A space inside a form matches any run of spaces or a line break.

    The pattern starts with the first characters of the forms, so the regex engine skips quickly
    over positions where no form starts; the "not preceded by a Latin letter or digit" check of
    a Latin form therefore comes right after its first character, as ``(?<![A-Za-z0-9].)``.
    """
    if _TRIES:
        entries, used = _TRIES[-1]
        key = tuple(sorted({form for form in forms if form}))
        pattern = entries.get(key)
        if not isinstance(pattern, str):
            pattern = _trie_regex(key)
        used[key] = pattern
        return pattern
    return _trie_regex(forms)


def _trie_regex(forms: Iterable[str]) -> str:
    trie: dict = {}
    for form in forms:
        if not form:
            continue
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = form

    def emit(node: dict, top: bool = False) -> str:
        branches = []
        for ch in sorted(c for c in node if c):
            head = r"\s{1,3}" if ch == " " else re.escape(ch)
            if top and ch in _DIGITS:
                # no letter or digit before it, nor a dollar sign, nor a number's point or comma ("$3M",
                # "715.3M" hold no 3M; "公司,360" is 360, a comma of a clause)
                head += r"(?<![A-Za-z0-9$].)(?<![0-9][.,].)"
            elif top and _LATIN_CHAR.match(ch):
                head += r"(?<![A-Za-z0-9].)"  # the character before this one is no letter or digit
            branches.append(head + emit(node[ch]))
        if "" in node:  # a form ends here; this alternative comes last so longer forms win
            branches.append(r"(?![A-Za-z0-9])" if _LATIN_CHAR.match(node[""][-1]) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie, top=True) if trie else r"(?!x)x"


def collapse_space(text: str) -> str:
    """Each run of whitespace as one space. A printable text holds no whitespace but " " (Python counts
    every other whitespace character unprintable), so one with no two spaces in a row is returned as
    it is, without the regular expression (a start-up reads the lexicon's 22,000 names through it)."""
    if "  " not in text and text.isprintable():
        return text
    return _SPACES.sub(" ", text)


_SPACES = re.compile(r"\s+")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_DIGITS = frozenset("0123456789")
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than " " (line breaks, tabs, U+3000 ...)
_MAX_VARIANTS = 729  # a name with more than 6 spaces is checked by its own regular expression
# the automaton's flags of a weak name, of a name led by its maker's, and of a name that may break a led one
_WEAK, _LED, _BREAKS = 0x80000, 0x100000, 0x200000
_FLAGS = _WEAK | _LED | _BREAKS


class NameFinder:
    """Leftmost-longest occurrences of ``forms`` in a text, by one Aho-Corasick automaton (over the
    text's UTF-8 bytes, ``kg/nlp/automaton.py``).

    The same matches as ``trie_regex(forms)`` with ``finditer`` (``tests/test_trie_regex.py``
    compares them): a form that starts (ends) with a Latin letter or digit is not preceded
    (followed) by one; a space in a form matches one to three whitespace characters. The text is
    scanned with every whitespace character read as " ", and each space of a form enters the
    automaton as one, two and three spaces. At each position the longest form that passes its
    boundary checks wins, and the scan resumes after it (``spans``). ``covering_spans``, which the
    tokenizer reads, differs only where names overlap at a Chinese character, or where one of the ``breakers``
    starts inside a ``led`` name (a product's name led by its maker's) and runs past it ("Anthropic Claude" and
    "Claude 3 Opus"): there the names that cover the most of the text win, a ``weak`` name (a context label) or
    the broken led name giving way in a tie.
    """

    def __init__(self, forms: Iterable[str], weak: Iterable[str] = (), led: Iterable[str] = (),
                 breakers: Iterable[str] = ()):
        forms = [form for form in forms if form]
        # names that count only where the document confirms them (the lexicon's context labels: 国美, 中微):
        # where one overlaps another name, ``covering_spans`` counts it for a little less than its length
        self.weak = frozenset(form for form in weak if form)
        # products' names led by their maker's name, and the names of other entities that may start inside one and
        # run past it ("Anthropic Claude" and "Claude 3 Opus"): there the maker and that name are read, not the led
        # name and a loose rest (kg.lexicon.Lexicon.led_names)
        self.led = frozenset(form for form in led if form)
        self.breakers = frozenset(form for form in breakers if form)
        # forms with whitespace other than spaces, or too many spaces to spell out: found by their
        # first word, then checked by their own regular expression
        others: dict[str, list[re.Pattern]] = {}
        spelled = []
        for form in forms:
            if _spelled_out(form):
                spelled.append(form)
            else:
                prefix = _OTHER_SPACE.sub(" ", form).split(" ")[0] or " "
                others.setdefault(prefix, []).append(re.compile(trie_regex([form])))
        # the automaton of the spelled-out forms is kept in the start-up cache (built in a fifth of
        # a one-line build's pipeline otherwise), under the text of the forms
        weak_spelled = sorted(self.weak.intersection(spelled))
        led_spelled = sorted(self.led.intersection(spelled))
        breakers_spelled = sorted(self.breakers.intersection(spelled))
        self.automaton = kept_automaton("names", "\n".join(spelled) + "\0" + "\n".join(weak_spelled)
                                        + "\0" + "\n".join(led_spelled) + "\0" + "\n".join(breakers_spelled),
                                        lambda: _names_automaton(spelled, self.weak, self.led, self.breakers))
        self.others = byte_automaton({prefix.encode("utf-8"): (len(prefix.encode("utf-8")), regexes)
                                      for prefix, regexes in others.items()})

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) character offsets of the names in ``text``, in order, not overlapping: at each
        position the longest name, and the scan resumes after it."""
        return self._spans(text, covering=False)

    def covering_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) character offsets of the names in ``text``, in order, not overlapping: of names
        that overlap, those that cover the most of the text together (``_covering``), so that a name that
        starts inside another is not lost to it. "带领英伟达" is 英伟达, not 领英 (LinkedIn); "华为升腾910C" is 华为
        and 升腾910C, not 华为升腾 and a loose 910C; "美国美光" is 美光, not the context label 国美. Where no
        choice covers more, the same as ``spans``."""
        return self._spans(text, covering=True)

    def _spans(self, text: str, covering: bool) -> list[tuple[int, int]]:
        if not text or (self.automaton is None and self.others is None):
            return []
        spaced = _OTHER_SPACE.sub(" ", text)
        raw = spaced.encode("utf-8")
        ascii_only = len(raw) == len(spaced)
        scan = raw.decode("latin-1")  # one character per byte: byte offsets
        n = len(scan)
        latin = _LATIN
        longest: dict[int, int] = {}  # start -> end of the longest valid name starting there
        get = longest.get
        found: list[tuple[int, int, int]] = []  # with ``covering``: every valid name (start, end, weak)
        if self.automaton is not None:
            for last, value in self.automaton.iter(scan):
                end = last + 1
                start = end - (value & 0xFFFF)
                # a byte below 0x80 is the ASCII character itself; any other is no Latin letter
                if value & 0x10000 and start and scan[start - 1] in latin:
                    continue
                if value & 0x40000 and start and (scan[start - 1] == "$" or (
                        scan[start - 1] in ".," and start > 1 and scan[start - 2] in _DIGITS)):
                    continue  # "$3M", "715.3M" hold no 3M; "公司,360" is 360
                if value & 0x20000 and end < n and scan[end] in latin:
                    continue
                if covering:
                    found.append((start, end, value & _FLAGS))
                if get(start, 0) < end:
                    longest[start] = end
        if self.others is not None:
            chars = None
            for last, (size, regexes) in self.others.iter(scan):
                b0 = last + 1 - size
                if chars is None:
                    chars = CharOffsets(raw)
                c0 = chars.at(b0) if not ascii_only else b0
                for rx in regexes:
                    m = rx.match(text, c0)
                    if m is not None and m.end() > c0:
                        end = b0 + len(spaced[c0:m.end()].encode("utf-8"))
                        if covering:
                            found.append((b0, end, 0))
                        if get(b0, 0) < end:
                            longest[b0] = end
        out = []
        pos = 0
        overlap = False
        for start in sorted(longest):
            if start >= pos:
                pos = longest[start]
                out.append((start, pos))
            else:
                overlap = True
        if covering and overlap:  # else leftmost-longest covers the most already
            out = _covering(found, scan)
        if ascii_only or not out:
            return out
        chars = CharOffsets(raw)
        return [(chars.at(a), chars.at(b)) for a, b in out]


def _spelled_out(form: str) -> bool:
    """Whether the automaton holds ``form`` (as every spelling of its spaces: ``_space_variants``)."""
    # a printable form holds no whitespace but " " (collapse_space): the regular expression only for the others
    return len(form) < 0x2000 and (form.isprintable() or not _OTHER_SPACE.search(form)) \
        and 3 ** form.count(" ") <= _MAX_VARIANTS


def _covering(found: list[tuple[int, int, int]], scan: str) -> list[tuple[int, int]]:
    """Of the names ``found`` (start, end, flags: ``_WEAK``, ``_LED``, ``_BREAKS``; byte offsets into ``scan``, overlapping),
    spans that do not overlap. Overlapping names form runs; a run where a name starts inside another at a Chinese
    character (no space marks a word's start there), or inside a led name and ends past it ("Anthropic Claude" and
    "Claude 3 Opus"), gets the names that cover the most bytes together (``_most_covering``); any other run
    (English names that share a word: "Grace Hopper" and "Hopper superchip") the leftmost-longest, as
    ``NameFinder.spans`` gives."""
    spans = sorted(set(found), key=lambda s: (s[0], -s[1], s[2]))
    out: list[tuple[int, int]] = []
    i, m = 0, len(spans)
    while i < m:
        first, reach, j = spans[i][0], spans[i][1], i + 1
        cjk = False
        while j < m and spans[j][0] < reach:
            if spans[j][0] > first and scan[spans[j][0]] >= "\x80":
                cjk = True
            reach = max(reach, spans[j][1])
            j += 1
        run = spans[i:j]
        # a led name that a name of another entity starts inside and runs past ("Anthropic Claude", "Claude 3 Opus"):
        # the run is resolved by what covers most, the led name giving way in a tie as a weak one does
        broken = {(a, b) for a, b, flags in run if flags & _LED
                  and any(f & _BREAKS and a < b0 < b < b1 for b0, b1, f in run)}
        run = [(a, b, flags & _WEAK or ((a, b) in broken)) for a, b, flags in run]
        out += _most_covering(run) if cjk or broken else _leftmost_longest([(start, end) for start, end, _weak in run])
        i = j
    return out


def _most_covering(spans: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Of ``spans`` (start, end, weak; sorted by start, the longer first), those that do not overlap and cover
    the most bytes together, a weak name (a context label) counting one half-byte less; of choices that cover as
    much, the one of fewer names, then the one that takes the earlier and longer name. Dynamic programming over
    the intervals, from the last back."""
    m = len(spans)
    starts = [s[0] for s in spans]
    score = [0] * (m + 1)  # the best (twice the bytes covered, less one for each weak name) of spans[j:]
    count = [0] * (m + 1)  # the number of names of that choice
    take = [False] * m
    nxt = [0] * m
    for j in range(m - 1, -1, -1):
        start, end, weak = spans[j]
        k = bisect_left(starts, end, j + 1)
        nxt[j] = k
        s_take, c_take = 2 * (end - start) - (1 if weak else 0) + score[k], 1 + count[k]
        if (s_take, -c_take) >= (score[j + 1], -count[j + 1]):
            score[j], count[j], take[j] = s_take, c_take, True
        else:
            score[j], count[j] = score[j + 1], count[j + 1]
    out = []
    j = 0
    while j < m:
        if take[j]:
            out.append(spans[j][:2])
            j = nxt[j]
        else:
            j += 1
    return out


def _names_automaton(forms: list[str], weak: frozenset = frozenset(), led: frozenset = frozenset(),
                     breakers: frozenset = frozenset()) -> ahocorasick.Automaton | None:
    """The automaton of ``forms`` (each spelled out): value the length in bytes, then bit 16: a
    Latin start, bit 17: a Latin end, bit 18: a digit's start, bit 19: a weak name (``NameFinder.weak``),
    bit 20: a name led by a maker's (``NameFinder.led``), bit 21: a name that may break one (``NameFinder.breakers``)."""
    words: dict[bytes, int] = {}
    for form in forms:
        flags = (form[0] in _LATIN) << 16 | (form[-1] in _LATIN) << 17 | (form[0] in _DIGITS) << 18 \
            | (form in weak) << 19 | (form in led) << 20 | (form in breakers) << 21
        for v in _space_variants(form):
            b = v.encode("utf-8")
            words[b] = len(b) | flags | words.get(b, 0)
    return byte_automaton(words, ahocorasick.STORE_INTS)


def _space_variants(form: str) -> set[str] | None:
    """The spellings of ``form`` with each space as one to three spaces; None when it has other
    whitespace or too many spaces to spell out."""
    if _OTHER_SPACE.search(form):
        return None
    parts = form.split(" ")
    if len(parts) == 1:
        return {form}
    if 3 ** (len(parts) - 1) > _MAX_VARIANTS:
        return None
    out = set()
    for gaps in product((" ", "  ", "   "), repeat=len(parts) - 1):
        out.add("".join(p + g for p, g in zip(parts, gaps)) + parts[-1])
    return out


def _leftmost_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of overlapping spans, the one that starts first (the longest of those that start there)."""
    out = []
    pos = 0
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if a >= pos:
            out.append((a, b))
            pos = b
    return out


class LexiconTokenizer:
    """spaCy tokenizer: lexicon names whole, the rest by script."""

    def __init__(self, vocab: Vocab, forms: Iterable[str], segmenter: str = "chunk", near: Iterable[str] = (),
                 lower: dict[str, str] | None = None, cues: Iterable[str] = (),
                 variants: dict[str, list[str]] | None = None, weak: Iterable[str] = (), led: Iterable[str] = (),
                 breakers: Iterable[str] = ()):
        self.vocab = vocab
        self.forms = sorted(set(forms))
        self.segmenter = segmenter
        # the forms that are only context labels: of overlapping names, they give way (NameFinder.covering_spans)
        self.weak = sorted(set(weak).intersection(self.forms))
        # the products' names led by their maker's name ("Anthropic Claude") and the names that may break one
        # ("Claude 3 Opus"): kg.lexicon.Lexicon.led_names
        self.led = sorted(set(led).intersection(self.forms))
        self.breakers = sorted(set(breakers).intersection(self.forms))
        self._names = NameFinder(self.forms, self.weak, self.led, self.breakers)
        # lower-case spellings of names ("tsmc", kg/nlp/lowercase.py) -> the name, and the words of theirs that
        # are no English word: none unless given. Their automaton is read when a text first holds one of
        # those words in lower case (a text in its own case seldom does)
        self.lower = dict(sorted((lower or {}).items()))
        self.cues = frozenset(cues) if self.lower else frozenset()
        self._lower_names: NameFinder | None = None
        # other spellings of names ("Open-AI", "o3 Mini", "KIMI"; kg/nlp/spellings.py): lower-case spelling ->
        # [name, kind], none unless given; their automaton is read when a text is first tokenised
        self.variants = dict(sorted((variants or {}).items()))
        self._variant_names: NameFinder | None = None
        # the names a misspelt word may stand for (kg/nlp/nearnames.py): none unless given
        self.near = list(near)
        self._near = NearNames(self.near, self.forms)
        if segmenter == "jieba":
            import jieba

            self._jieba = jieba
            for form in self.forms:
                if " " not in form:
                    jieba.add_word(form, freq=10_000_000)
        elif segmenter != "chunk":
            raise ValueError(f"unknown segmenter {segmenter!r} (chunk or jieba)")

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        names: list[int] = []  # token indices of lexicon names
        last = 0
        gap = self._gap if self.segmenter == "jieba" else self._chunks
        spans = self._names.covering_spans(text)
        low: set[tuple[int, int]] = set()  # names written in lower case
        if self.cues and any(m.group() in self.cues for m in LOWER_WORD.finditer(text)):
            if self._lower_names is None:
                self._lower_names = NameFinder(list(self.lower))
            low = {(a, b) for a, b in self._lower_names.spans(text) if not in_word(text, a, b)}
            if low:
                spans = _leftmost_longest(spans + sorted(low))
        spelt = self._spelt(text) if self.variants else {}
        if spelt:
            spans = _leftmost_longest(spans + sorted(spelt))
        lowered: dict[int, str] = {}  # their token indices -> the name they spell
        for start, end in spans:
            if start > last:
                gap(text, last, start, words, spaces)
            if (start, end) in low:
                lowered[len(words)] = self.lower[collapse_space(text[start:end])]
            elif (start, end) in spelt:
                lowered[len(words)] = spelt[(start, end)]
            names.append(len(words))
            words.append(text[start:end])
            spaces.append(False)
            last = end
        gap(text, last, len(text), words, spaces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for i in names:
            word = collapse_space(words[i])
            doc[i].norm_ = lowered.get(i, word)
        near = self._near.name_of if self.near else None
        for i, word in enumerate(words if near else ()):
            if len(word) >= 7 and "A" <= word[0] <= "Z":
                name = near(word)
                if name is not None and not opens_sentence(text, doc[i].idx):
                    doc[i].norm_ = name
        doc._.kg_text = text
        return doc

    def _spelt(self, text: str) -> dict[tuple[int, int], str]:
        """(start, end) -> name, of the other spellings of names in ``text`` (``kg.nlp.spellings``)."""
        folded = text.lower()
        if len(folded) != len(text):  # a character whose lower case is longer: offsets would shift
            return {}
        if self._variant_names is None:
            self._variant_names = NameFinder(list(self.variants))
        out = {}
        # the spellings are ASCII: every other character read as "?" (one byte, where a Chinese character is three)
        for a, b in self._variant_names.spans(folded.encode("ascii", "replace").decode("ascii")):
            form, kind = self.variants[collapse_space(folded[a:b])]
            if not in_word(text, a, b) and accepted(collapse_space(text[a:b]), form, kind):
                out[(a, b)] = form
        return out

    @staticmethod
    def _chunks(text: str, start: int, end: int, words: list[str], spaces: list[bool]) -> None:
        """``_gap`` without jieba: the tokens of ``_GAP`` in one ``findall``; a run of spaces after a
        token is that token's trailing space (and the rest of the run a token of its own)."""
        tokens = _GAP_TOKENS.findall(text, start, end)
        if text.find(" ", start, end) < 0:  # no run of spaces
            words += tokens
            spaces += [False] * len(tokens)
            return
        for tok in tokens:
            if tok[0] == " " and words and not spaces[-1]:
                spaces[-1] = True
                if len(tok) > 1:
                    words.append(tok[1:])
                    spaces.append(False)
            else:
                words.append(tok)
                spaces.append(False)

    def _gap(self, text: str, start: int, end: int, words: list[str], spaces: list[bool]) -> None:
        for m in _GAP.finditer(text, start, end):
            kind = m.lastgroup
            tok = m.group(0)
            if kind == "space":
                if words and not spaces[-1]:
                    spaces[-1] = True
                    if len(tok) > 1:
                        words.append(tok[1:])
                        spaces.append(False)
                else:
                    words.append(tok)
                    spaces.append(False)
            elif kind == "cjk" and self.segmenter == "jieba":
                for w in self._jieba.cut(tok, HMM=True):
                    words.append(w)
                    spaces.append(False)
            else:
                words.append(tok)
                spaces.append(False)

    # spaCy calls these when a pipeline is saved or loaded: the names and the segmenter
    def to_bytes(self, **kwargs) -> bytes:
        return json.dumps({"forms": self.forms, "segmenter": self.segmenter, "near": sorted(set(self.near)),
                           "lower": self.lower, "cues": sorted(self.cues), "variants": self.variants,
                           "weak": self.weak, "led": self.led, "breakers": self.breakers},
                          ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "LexiconTokenizer":
        state = json.loads(data.decode("utf-8"))
        self.__init__(self.vocab, state["forms"], state["segmenter"], state.get("near") or (), state.get("lower"),
                      state.get("cues") or (), state.get("variants"), state.get("weak") or (), state.get("led") or (),
                      state.get("breakers") or ())
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_bytes())

    def from_disk(self, path, **kwargs) -> "LexiconTokenizer":
        return self.from_bytes(Path(path).read_bytes())


@spacy.registry.tokenizers("kg.LexiconTokenizer.v1")
def create_lexicon_tokenizer(segmenter: str = "chunk"):
    """The tokenizer as spaCy's config names it: its names arrive with ``from_disk`` (a saved pipeline)
    or ``set_forms`` (``kg.nlp.pipeline.build_pipeline``)."""

    def make(nlp) -> LexiconTokenizer:
        return LexiconTokenizer(nlp.vocab, [], segmenter)

    return make
