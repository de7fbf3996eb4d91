"""Ordinary words found as names (``kg_discovery``, ``kg_names``): ``ordinary_name``.

A capitalised Latin name made only of words the same document also writes in lower case is ordinary
words capitalised by a headline or a sentence's start ("Top AI", "Neo Cloud", "Upcoming").

Ordinary Chinese words come from jieba's dictionary (a dependency, shipped with its package):
jieba's ``dict.txt`` lists some 350,000 words with a part-of-speech tag. A name the context rules
of ``kg_discovery`` find ("X 公司", "据 X 介绍") that the dictionary lists as a verb, an idiom, a
pronoun, a measure word or another word class that never names anything (``ordinary_word_tags``
in ``ontology/discovery.yaml``) is that word, not a name: 百花齐放 (an idiom), 多元化 (a verbal noun),
其中, 包括. Nouns are not among those tags: jieba tags many company names as nouns (百度, 小米).

The words are read when a document first needs them and kept in the start-up cache
(``kg.startcache``, kind ``words``) under the dictionary's size and the tags, as one string.
"""

from __future__ import annotations

import os
import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")


def alternation(words) -> str:
    """A regex alternation of ``words`` as literals: longest first; words of one length in a fixed order (the
    same pattern in every process, so the start-up cache finds it compiled: kg.nlp.rxcache). Literals of one
    length cannot both match at one place, so their order changes no match."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class Words:
    """A set of words kept as one string ("\\nword\\nword\\n"): read from the start-up cache in a
    millisecond (a set of 100,000 strings takes 30-40), each word looked up once by a substring search
    and remembered."""

    def __init__(self, joined: str):
        self.joined = joined
        self._memo: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = f"\n{word}\n" in self.joined
        return found


_STOP_VARIANT = re.compile(r"([A-Za-z][A-Za-z0-9]+)-[A-Za-z]{1,2}")


def stop_variant(name: str, stop) -> bool:
    """Is ``name`` a word of ``stop`` (casefolded) with a letter or two after a hyphen: a variant of a
    technology the stop-list holds (CoWoS-L, InFO-R), no product nor firm of its own?"""
    m = _STOP_VARIANT.fullmatch(name)
    return m is not None and m.group(1).casefold() in stop


def opens_sentence(text: str, at: int, ends: str = ".!?。！？\n", opening: str = "") -> bool:
    """Whether a word at ``at`` begins a sentence (or the text), where a capital says nothing: only spaces, and
    any of the ``opening`` marks, stand between it and one of ``ends``."""
    before = text[max(0, at - 40):at].rstrip(" \t" + opening)
    return not before or before[-1] in ends


_WORDS: dict[tuple, Words] = {}


def _dictionary() -> str | None:
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency
        return None
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    return path if os.path.exists(path) else None


def ordinary_words(tags: frozenset[str], min_freq: int = 0, lengths: tuple[int, int] = (2, 6)) -> Words:
    """The words of ``lengths`` (two to six) characters jieba's dictionary tags with one of ``tags`` ("*":
    any tag), at least ``min_freq`` times in its counts."""
    key = (*sorted(tags), min_freq, *lengths)
    if key in _WORDS:
        return _WORDS[key]
    path = _dictionary()
    joined = "\n"
    if path is not None and tags:
        from .. import startcache

        digest = startcache.key("words", path, str(os.path.getsize(path)), " ".join(map(str, key)))
        cached = startcache.get("words", digest)
        if isinstance(cached, str):
            joined = cached
        else:
            found = set()
            lo, hi = lengths
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and (parts[2] in tags or "*" in tags) and lo <= len(parts[0]) <= hi \
                            and int(parts[1]) >= min_freq:
                        found.add(parts[0])
            joined = "\n" + "\n".join(sorted(found)) + "\n"
            startcache.put("words", digest, joined)
    _WORDS[key] = Words(joined)
    return _WORDS[key]


def phrase_head(name: str, heads: dict | None) -> bool:
    """Whether a Chinese ``name`` opens with one of jieba's very common verbs, pronouns, adverbs,
    prepositions or conjunctions (``phrase_heads`` in ontology/discovery.yaml: its tags, the least count
    and the least length): a phrase, not a name (怎么凑齐资本, 提供算力)."""
    if not heads or not _CJK_WORD.fullmatch(name):
        return False
    shortest = int(heads.get("min_len", 2))
    words = ordinary_words(frozenset(heads.get("tags") or ()), int(heads.get("min_freq", 0)), (shortest, 3))
    return any(name[:n] in words for n in range(shortest, min(3, len(name) - 1) + 1))


def ordinary_name(text: str, name: str, tags: frozenset[str]) -> bool:
    """Whether ``name``, found in ``text`` by a context or a shape, is an ordinary word or words:
    Latin words the document also writes in lower case (``_ordinary_words``), or a Chinese word
    jieba's dictionary gives one of ``tags`` (``ordinary_words``)."""
    if _CJK.search(name):
        return bool(tags) and _CJK_WORD.fullmatch(name) is not None and name in ordinary_words(tags)
    return _ordinary_words(text, name)


def common_noun(name: str, tags: frozenset[str], min_freq: int) -> bool:
    """Whether the Chinese ``name`` is a word jieba's dictionary gives one of ``tags`` (its nouns) and counts at
    least ``min_freq`` times: a common noun ("观点", "太空"), no person's name."""
    return bool(tags) and _CJK_WORD.fullmatch(name) is not None and name in ordinary_words(tags, min_freq)


# the words that end a company's name ("Ferrite Systems"): kg_discovery reads the head before one as a
# short form of the name; here they and a few more are no evidence that a name is ordinary words
COMPANY_WORDS = ("Lab", "Labs", "AI", "Systems", "Robotics", "Technologies", "Technology", "Dynamics", "Networks",
                 "Capital", "Ventures", "Partners", "Semiconductor", "Semiconductors", "Computing", "Holdings",
                 "Inc", "Corp")


# one word of a person's Latin name: capitalised, with a hyphen or apostrophe part (Jean-Paul, O'Brien) or a
# surname prefix before a capital (McBee, MacKenzie, DeVos, LeCun, DiCaprio); a person's name: two or three such
# words, an initial between them ("Dana J. Whitfield")
NAME_WORD = r"(?:Mc|Mac|De|Di|Da|Du|La|Le|O')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
PERSON = rf"(?<![A-Za-z0-9])(?:{NAME_WORD})(?: (?:[A-Z]\.|{NAME_WORD})){{1,2}}(?![A-Za-z0-9])"
PERSON_RX = re.compile("^" + PERSON + "$")


def org_tail(words: frozenset[str]):
    """A test of whether a Latin name ends with one of ``words``, the last words of an organisation's name
    ("Fusion Fund", "Deepwater Asset Management": ``org_last_words`` in ontology/discovery.yaml): such a
    name is no person's, whatever the context rule that found it said."""
    if not words:
        return lambda _name: False
    rx = re.compile(" (?:" + "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))) + ")$")
    return lambda name: rx.search(name) is not None


def generic_phrase(heads: frozenset[str], english):
    """A test of whether a Latin name ends with one of ``heads`` (case aside) and every word before it is
    one of ``english`` (anything with ``in``: the English words): "Liquid Cooling Technology", "Quantum
    Computing", "Test-time Compute" are a term's words, not a firm's name ("Zorvex Technology" is one)."""
    if not heads:
        return lambda _name: False

    def test(name: str) -> bool:
        words = [w for w in re.split(r"[ -]+", name) if w]
        return len(words) > 1 and words[-1].casefold() in heads and all(w.lower() in english for w in words[:-1])

    return test


_GENERIC_WORDS = frozenset(COMPANY_WORDS) | {"Cloud", "Intelligence", "Research", "Group"}
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _ordinary_words(text: str, name: str) -> bool:
    """Whether a capitalised Latin ``name`` is only words the same document also writes in lower case
    (besides a company word like "AI" or "Labs" after them, and acronyms): ordinary words capitalised
    by a headline or a sentence's start ("Top AI", "Neo Cloud", "Upcoming", "Day"), not a name.
    "ZT Systems" (an acronym), "Cerebras" (never written in lower case) stay."""
    if not name[:1].isupper() or _CJK.search(name):
        return False
    words = _NAME_WORD.findall(name)
    while len(words) > 1 and words[-1] in _GENERIC_WORDS:
        words.pop()
    if any(len(w) > 1 and w.isupper() for w in words):
        return False
    words = [w for w in words if len(w) > 1]
    return bool(words) and all(_written_lower(text, w.lower()) for w in words)


def given_names(names_cfg: dict) -> tuple[set[str], set[str]]:
    """names.yaml's given names (``given_name_people``: those chosen by hand, ``context_labels``' common ones
    and the long list read into ``listed_names``, less ``not_given_names``), and those of the long list
    alone (not chosen by hand)."""
    gp = names_cfg.get("given_name_people") or {}
    chosen = set(gp.get("given_names") or []) | set(((names_cfg.get("context_labels") or {}).get("common_given_names")) or [])
    listed = set(gp.get("listed_names") or []) - chosen
    return (chosen | listed) - set(gp.get("not_given_names") or []), listed


# a run of printable ASCII (a URL or a path is one, however long), and, inside one, a domain's ending
_ASCII_RUN = re.compile(r"[!-~]+")
_DOMAIN = re.compile(r"[A-Za-z0-9]\.(?:com|org|net|io|ai|co|cn|tw|hk|uk|md|html?|dev|app|gov|edu)(?![A-Za-z])")


def _address(run: str) -> bool:
    """Whether a run of ASCII is a web address, a file path or an e-mail address."""
    return "://" in run or run.startswith("www.") or run.count("/") >= 2 or "@" in run.strip("@") \
        or _DOMAIN.search(run) is not None


_PROSE: list = [None, ""]  # the last text asked about, and it with its addresses blanked


def prose(text: str) -> str:
    """``text`` with its web addresses, file paths and e-mail addresses blanked, as many spaces (offsets
    hold): the lower-case words of ".../bili-bv14jen66ekc-kenny-zhang/transcript.md" or
    "example.com/people/dana-whitfield" are no prose, and say nothing of how the text writes a name."""
    if _PROSE[0] is not text:
        out, pos = [], 0
        if "/" in text or "@" in text or "." in text:
            for m in _ASCII_RUN.finditer(text):
                if _address(m.group()):
                    out += [text[pos:m.start()], " " * (m.end() - m.start())]
                    pos = m.end()
        _PROSE[0], _PROSE[1] = text, ("".join(out) + text[pos:] if out else text)
    return _PROSE[1]


_SEEN: list = [None, {}]  # the last text asked about, and word -> whether it is written in lower case there


def _written_lower(text: str, word: str) -> bool:
    """Whether ``word`` (lower case) stands in ``text`` as a word of its own (each word looked for
    once per text: a long document's names ask about the same words again and again)."""
    if _SEEN[0] is not text:
        _SEEN[0], _SEEN[1] = text, {}
    memo = _SEEN[1]
    found = memo.get(word)
    if found is None:
        found = memo[word] = _scan_lower(prose(text), word)
    return found


def _scan_lower(text: str, word: str) -> bool:
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and text[at - 1].isalpha()) and not (end < len(text) and text[end].isalpha()):
            return True
        at = text.find(word, at + 1)
    return False


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def headline_case(line: str, min_words: int = 3, min_share: float = 1.0, max_chars: int = 160,
                  minor: frozenset[str] = frozenset(), short_minor: frozenset[str] | None = None) -> bool:
    """Whether ``line`` is written in headline case: no Chinese, at most ``max_chars`` characters, and of
    its words of four letters or more (besides ``minor`` words a style may leave in lower case: "with",
    "from"), at least ``min_words`` and a ``min_share`` of them capitalised ("The Tech CEO Leading Nvidia's
    Main Rival", "Is AMD a Good Long-Term Investment?"). In such a line a capital letter says nothing of a
    name. A sentence dense with names still has a word in lower case ("Former Quillfin CEO Dana Whitfield
    spoke"), if only a short one: with ``short_minor`` (the short words a headline leaves in lower case:
    articles, conjunctions, short prepositions), any other word of fewer than four letters in lower case
    makes the line a sentence, as a headline capitalises its verbs and pronouns ("Mira Chen is the CEO of
    Zentrix.")."""
    if len(line) > max_chars or _CJK.search(line):
        return False
    words = _LATIN_WORD.findall(line)
    long = [w for w in words if len(w) >= 4 and w not in minor]
    if len(long) < min_words:
        return False
    if short_minor is not None and any(len(w) < 4 and w[0].islower() and w not in short_minor for w in words):
        return False
    return sum(1 for w in long if w[0].isupper()) >= min_share * len(long)


class Headlines:
    """The context rules whose names a headline-case line does not vouch for (``headline_case`` in
    ``ontology/discovery.yaml``): rules that find a name's edge by its capital letters next to a cue word
    ("CEO X", "X Research", "X AI"). In a headline every word has a capital, so "The Tech CEO Leading
    Nvidia's Main Rival" would give a company "Tech" and a person "Leading". A name such a rule finds
    there counts only if another hit finds it elsewhere."""

    def __init__(self, config: dict | None):
        cfg = config or {}
        self.rules = frozenset(cfg.get("rules") or ())
        self.min_words = int(cfg.get("min_words", 3))
        self.min_share = float(cfg.get("min_capitalised", 1.0))
        self.max_chars = int(cfg.get("max_chars", 160))
        self.minor = frozenset(cfg.get("minor_words") or ())
        short = cfg.get("short_minor_words")
        self.short_minor = frozenset(short) if short is not None else None
        self._text: str | None = None
        self._lines: dict[int, bool] = {}

    def drops(self, text: str, rule: str, start: int) -> bool:
        """Whether a hit of ``rule`` at ``start`` stands in a headline-case line and is left out."""
        if rule not in self.rules:
            return False
        if self._text is not text:
            self._text, self._lines = text, {}
        line_start = text.rfind("\n", 0, start) + 1
        found = self._lines.get(line_start)
        if found is None:
            end = text.find("\n", start)
            line = text[line_start:len(text) if end < 0 else end]
            found = self._lines[line_start] = headline_case(line, self.min_words, self.min_share, self.max_chars,
                                                             self.minor, self.short_minor)
        return found


_HOLDERS: dict[tuple, frozenset[str]] = {}


def label_holders(labels: frozenset[str], min_freq: int = 1) -> frozenset[str]:
    """The words of jieba's dictionary (three to six characters, any tag, counted ``min_freq`` times or
    more) that hold one of the Chinese ``labels`` beginning at their second or third character (旧金山
    holds 金山): worked out once per lexicon and kept in the start-up cache (``kg.startcache``, kind
    ``holders``), a few hundred words rather than jieba's 221,000 (556 with the lexicon of 2026-12-07)."""
    labels = frozenset(w for w in labels if _CJK_WORD.fullmatch(w))
    key = (labels, min_freq)
    if key in _HOLDERS:
        return _HOLDERS[key]
    path = _dictionary()
    found: set[str] = set()
    if path is not None and labels:
        from .. import startcache

        digest = startcache.key("holders", path, str(os.path.getsize(path)), str(min_freq), "\n".join(sorted(labels)))
        cached = startcache.get("holders", digest)
        if isinstance(cached, list):
            found = set(cached)
        else:
            import ahocorasick

            automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
            for label in labels:
                automaton.add_word(label)
            automaton.make_automaton()
            joined = ordinary_words(frozenset({"*"}), min_freq, (3, 6)).joined  # "\nword\nword\n"
            for last, size in automaton.iter(joined):
                first = last - size + 1
                line = joined.rfind("\n", 0, first) + 1
                if 1 <= first - line <= 2:
                    found.add(joined[line:joined.index("\n", last)])
            startcache.put("holders", digest, sorted(found))
    _HOLDERS[key] = frozenset(found)
    return _HOLDERS[key]


def inside_word(text: str, start: int, end: int, holders: frozenset[str]) -> bool:
    """Whether the Chinese characters ``text[start:end]`` stand inside a longer word of ``holders`` (jieba's
    words that hold a label after their first or second character, ``label_holders``) that begins one or
    two characters before them: 金山 in 旧金山, a place."""
    for k in (1, 2):
        if start - k < 0 or not _CJK.match(text, start - k):
            break
        for j in range(0, 3):
            if end + j > len(text) or (j and not _CJK.match(text, end + j - 1)):
                break
            if end + j - (start - k) <= 6 and text[start - k:end + j] in holders:
                return True
    return False
