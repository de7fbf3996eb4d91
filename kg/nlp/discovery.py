"""Entities the lexicon does not list (``kg_discovery`` component, after ``kg_mentions``).

Rules are data (``ontology/discovery.yaml`` and its stop-list): model and chip names by their
shape (GPT-5, MI300X, Ascend 910B), names marked by context (X 公司, 投资人 X, X 模型, "CEO of X",
"X Inc."), transliterated names with a middle dot (丹尼尔·格罗斯) and Latin-script names standing
alone in Chinese sentences (Webvan, Kiva Systems). Every hit votes for a type with a confidence;
the votes for one name in one document are pooled, and every further occurrence of the name is
marked too. Discovered mentions join ``doc.ents`` (never overlapping a lexicon mention) with span
id ``new:<slug>``; ``Span._.kg_confidence`` holds their confidence and ``doc._.kg_discovered``
maps each id to its name, type, confidence, rule and mention count.

Token boundaries: the lexicon tokenizer splits unknown text into Latin words and runs of CJK
characters, so a Chinese name may start or end inside a token; such tokens are split.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from .ents import mentions as doc_mentions, set_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..textnorm import normalise
from .automaton import StringFinder
from .nametyper import NameTyper, name_features, title_before
from .commonwords import (COMPANY_WORDS, PERSON_RX, Headlines, Words, common_noun, generic_phrase, given_names, ordinary_name,
                          org_tail, phrase_head, opens_sentence, stop_variant)
from .pinyin import PinyinNames
from .prefilter import Prefilter, PrefixScan, SentenceIndex, match_prefixes
from .sentflags import sentences_with_chars
from .doctext import doc_text
from .serialise import DiskData
from .sentences import sentence_bounds
from .spans import DisjointSpans
from .plain import MODEL_DIR, NEW_PREFIX

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RANGES = ((0x3400, 0x9fff), (0xf900, 0xfaff))  # _CJK's characters
# a version after a product line's name: "v5", "v2.1a"; a number of up to four digits, not a year ("300", "910D", "3.5")
_V_VERSION = r"[vV]\d+(?:\.\d+)?[a-z]?"
_NUMBER_VERSION = r"(?!(?:19|20)\d\d(?![\d.]))\d{1,4}(?:\.\d+)?[A-Z]?"
_CODE_WORD = re.compile(r"\d\w*$")  # a last word that holds a digit: MI300X, B200A
# a version's further digits right after a name that ends in one, not a decimal of a longer number, and
# not ".0" ("RDNA 3.0" is RDNA 3)
_VERSION_TAIL = re.compile(r"\.(?!0(?!\d))\d+(?![\d.]?\d)(?![A-Za-z])")
_MACRO = re.compile(r"\{(LATIN|PERSON|TRANSLIT|CJK|CNHEAD|FAMILY|COMPOUND)\}")
# the tests of ``Discovery._clean``, compiled once (it runs for every hit)
_LEADING_WORD = re.compile(r"([A-Za-z][\w&/'.-]*) ")
_TRAILING_WORD = re.compile(r" ([A-Za-z][\w&/'.-]*)$")
_TITLE_WORD = re.compile(r"C[A-Z]O|VP|CEOs")
_NAME_START = re.compile(r"[A-Z\u4e00-\u9fff]|[a-z]{1,2}[A-Z]")
_POSSESSIVE = re.compile(r"[A-Za-z0-9](?:'s|’s|') ")
# what may stand between a sentence's end and its first word besides spaces: quotes, brackets, list and heading marks
_OPENING_MARKS = "\"'“‘([*_#>-"
_ACRONYM = re.compile(r"[A-Z]{1,3}s?")
_NUMBER = re.compile(r"[\d.\s-]+")
_YEAR_TAIL = re.compile(r"[ -](?:19[5-9]\d|20[0-4]\d)$")  # a name that ends with a year
_SHORT_WORD = re.compile(r"[A-Za-z0-9]{1,3}")
_DIGIT = re.compile(r"\d")
_NAME_DOTS = "·•‧・"  # the middle dots between the parts of a transliterated name

if not Span.has_extension("kg_confidence"):
    Span.set_extension("kg_confidence", default=None)
if not Doc.has_extension("kg_discovered"):
    Doc.set_extension("kg_discovered", default=None)


def strip_edges(text: str, a: int, b: int) -> tuple[int, int]:
    """``text[a:b]`` without spaces, commas, quotes and brackets at its edges (a full stop at its end)
    and without a possessive "'s" (at its end, or at its start where a mention was cut away before it:
    "Nvidia's Christmas Present" less Nvidia is "Christmas Present", never "s Christmas Present")."""
    while a < b and text[a] == " ":
        a += 1
    if text.startswith(("'s ", "’s "), a):
        a += 3
    while a < b and text[a] in " ,\"'「」『』":
        a += 1
    while b > a and text[b - 1] in " ,\"'「」『』.":
        b -= 1
    if text[a:b].endswith(("'s", "’s")):
        b -= 2
    return a, b


def slug(name: str) -> str:
    """A stable, IRI-safe key for a name: normalised, lower-case, words joined by '-'."""
    s = normalise(name).casefold()
    s = re.sub(r"[\s·_/&+'’,:;]+", "-", s)
    s = re.sub(r"[^\w.\-]", "", s)
    return re.sub(r"-{2,}", "-", s).strip("-.") or "x"


def new_id(name: str) -> str:
    return NEW_PREFIX + slug(name)


@dataclass
class Hit:
    start: int
    end: int
    type: str
    confidence: float
    rule: str
    extends: bool = False
    short: bool = False  # the context is strong enough for a short name ("its Q1 accelerator")
    head: int = -1  # a short name the text defines: the end of the name it stands for ("… Ventures" of "(BTV)")


@Language.factory("kg_discovery", default_config={"config": {}})
def make_discovery(nlp: Language, name: str, config: dict):
    return Discovery(config)


class Discovery(DiskData):
    _saved_attrs = ("known", "person_labels")

    def __init__(self, config: dict, typer: dict | str | None = None):
        # the learned typer of the Latin names found standing alone in Chinese text (kg/nlp/nametyper.py): its data,
        # or the folder of the model it was trained with ("package": the shipped one), read when a document first
        # needs it (an English text, a Chinese one with no such name never does); None: the rule's own type
        self._typer_source = typer
        self._typer: NameTyper | None = NameTyper(typer) if isinstance(typer, dict) else None
        self.typer_log: list | None = None  # kg train: (name, features) of each such name, to fit the typer on
        self.assert_threshold = float(config.get("assert_threshold", 0.6))
        macros = config.get("macros", {})

        def expand(p: str) -> str:
            return _MACRO.sub(lambda m: "(?:" + macros[m.group(1)] + ")", p)

        self.enabled = bool(config)
        self.org_tail = org_tail(frozenset(config.get("org_last_words") or ()))
        self.phrase_heads = config.get("phrase_heads")
        self.shapes = [(s["id"], s["type"], float(s["confidence"]), bool(s.get("extends")), re.compile(expand(s["pattern"])))
                       for s in config.get("shapes", [])]
        self.contexts = [(c["id"], c.get("lang", "any"), c["type"], float(c["confidence"]), re.compile(expand(c["pattern"])))
                         for c in config.get("contexts", [])]
        self.shape_scan = PrefixScan([rx for *_, rx in self.shapes])
        self.context_filters = [Prefilter(rx) for *_, rx in self.contexts]
        self.short_ok = {c["id"] for c in config.get("contexts", []) if c.get("short")}
        # the rules whose name stands right before its kind word ("X chips", "X 模型"): a lexicon mention that
        # ends the name is the thing named, and the words before it are none (``kind_after:``)
        self.kind_after = {c["id"] for c in config.get("contexts", []) if c.get("kind_after")}
        # the rules whose name is all that stands before its cue ("Fury, a foundation model"): a lexicon mention inside
        # it leaves no name, as what is left of "Taiwan Semiconductor Manufacturing Limited" is none (``whole:``)
        self.whole = {c["id"] for c in config.get("contexts", []) if c.get("whole")}
        # the rules whose context a person shares with a firm ("X raised $5 million", "X sold his stake to"): a name
        # of a person's shape they find, a given name and a surname and no firm's last word, is a person
        # (``person_shape:``; "Dana Whitfield raised $5 million for the fund")
        self.person_shape = {c["id"] for c in config.get("contexts", []) if c.get("person_shape")}
        # rule -> how many times a name it alone found must occur in the interview (``recur:``)
        self.recur = {c["id"]: int(c["recur"]) for c in config.get("contexts", []) if c.get("recur")}
        self.rejects = {ci: re.compile(expand(c["reject"])) for ci, c in enumerate(config.get("contexts", [])) if c.get("reject")}
        # the English words (ontology/english-words.txt): a name made of them and a generic head word
        # ("Liquid Cooling Technology", "Quantum Computing") is a phrase, not a firm (``generic_heads:``)
        english = self.english = Words(config.get("english_words") or "")
        self.generic = {ci: generic_phrase(frozenset(str(w).casefold() for w in c["generic_heads"]), english)
                        for ci, c in enumerate(config.get("contexts", [])) if c.get("generic_heads")}
        suffixes = sorted(config.get("company_suffixes_zh") or [], key=len, reverse=True)
        self.cn_suffix = re.compile("^([\u4e00-\u9fff]{2,})(?:" + "|".join(map(re.escape, suffixes)) + ")$") \
            if suffixes else None
        lic = config.get("latin_in_chinese") or {}
        self.latin = re.compile(expand("(?P<N>{LATIN})")) if "LATIN" in macros else None
        self.latin_filter = Prefilter(self.latin) if self.latin is not None else None
        # the characters every Latin name starts with: a sentence's search for names starts at the first of them
        first = match_prefixes(self.latin) if self.latin is not None else None
        self.latin_first = re.compile("[" + "".join(map(re.escape, sorted(first))) + "]") \
            if first and all(len(p) == 1 for p in first) else None
        # the sentences each context (and the Latin-name pattern) may match in, in one pass
        literals = {ci: pre.literals for ci, pre in enumerate(self.context_filters)}
        if self.latin_filter is not None:
            literals["latin"] = self.latin_filter.literals
        self.sentence_index = SentenceIndex(literals)
        self.person = re.compile("^" + macros["PERSON"] + "$") if "PERSON" in macros else None
        self.latin_conf = float(lic.get("confidence", 0.5))
        self.latin_person_conf = float(lic.get("person_confidence", 0.5))
        self.latin_type = lic.get("type", "Company")
        self.company_words = re.compile(" (?:" + "|".join(COMPANY_WORDS) + ")$")
        self.stop = {w.casefold() for w in config.get("stoplist_words", [])}
        self.repeat_bonus = float(config.get("repeat_bonus", 0.05))
        self.max_conf = float(config.get("max_confidence", 0.95))
        self.known: set[str] = set()  # lexicon context labels (first names, surnames): never new names
        # ... except those of people alone, where one of these strong cues of a company stands beside the word:
        # "the CEO of Turing", "Turing CEO Jonathan Siddharth" (Turing is Alan Turing's surname)
        self.person_labels: set[str] = set()
        self.company_over_person = frozenset(config.get("company_over_person_label") or ())
        # a Chinese person's name in pinyin ("Chen Yunfei, the developer of …") is no new company, model or chip
        # unless one of those strong cues stands beside it (kg_names makes it a person: names.yaml, pinyin_people:)
        self.pinyin = PinyinNames((config.get("names") or {}).get("pinyin_people"), english)
        # the typer's words of a person's name (nametyper.name_features): names.yaml's given names and pinyin surnames
        self.typer_given = frozenset(str(w).lower() for w in given_names(config.get("names") or {})[0])
        # ... and the titles that introduce a person in Chinese (names.yaml's zh_titles: 创办人Dharmesh)
        self.typer_titles = title_before((config.get("names") or {}).get("zh_titles") or [])
        # the word classes of jieba's dictionary that never name anything (kg/nlp/commonwords.py)
        self.ordinary_tags = frozenset(config.get("ordinary_word_tags") or ())
        # context rules whose names a line in headline case does not vouch for (kg/nlp/commonwords.py)
        self.headlines = Headlines(config.get("headline_case"))
        nouns = config.get("person_common_nouns") or {}
        self.person_nouns = (frozenset(nouns.get("tags") or ()), int(nouns.get("min_freq", 0)))
        labels = config.get("first_name_labels") or {}
        self.first_name_label = re.compile(labels["label"], re.MULTILINE) if labels.get("label") else None
        self.first_name_conf = float(labels.get("confidence", 0.8))
        # a lexicon name that ends in a version number, written with more of it ("Opus 4" in "Opus 4.6"):
        # another version, a name of its own (``version_continued:``)
        cont = config.get("version_continued") or {}
        self.continued_types = frozenset(cont.get("types") or ())
        self.continued_conf = float(cont.get("confidence", 0.85))
        # a lexicon name that ends in no digit, then a version ("MTIA" in "MTIA 300", "TPU" in "TPU v5"): that
        # version, a name of its own (``version_added:``); not a year, nor a count or a measure ("H100 80 GB")
        added = config.get("version_added") or {}
        self.added_types = frozenset(added.get("types") or ())
        self.added_conf = float(added.get("confidence", 0.8))
        # (after a Chinese name: models only; a chip's Chinese name that holds its maker's, 华为昇腾, is followed
        # by a version the lexicon holds on its own, 昇腾910B: a chip's version still needs its space)
        self.added_types_zh = frozenset(added.get("types_zh") or ()) & self.added_types
        tiers = "|".join(re.escape(w) for w in added.get("tiers") or ())
        measures = "|".join(re.escape(w) for w in added.get("not_before") or ())
        zh_measures = "|".join(re.escape(w) for w in added.get("not_before_zh") or ())
        # (after a space: v5, 300, 910D, or a letter or two and a number, "Skywork OR1", "Kimi K3"; after a hyphen:
        # a number, "Gaudi-3", "MiniCPM-V-4")
        self.added_version = re.compile(
            rf"(?: (?:{_V_VERSION}|[A-Z]{{1,2}}\d{{1,3}}(?:\.\d+)?|{_NUMBER_VERSION})|-{_NUMBER_VERSION})(?![\w%-]|[.,]\d)"
            + (f"(?: (?:{tiers})(?![\\w-]))?" if tiers else "")
            + (f"(?! ?(?i:{measures})(?![A-Za-z]))" if measures else "")) if self.added_types else None
        # Chinese writes the version right after the name (豆包1.5 Pro, 千问3, 盘古5.0) and a variant after a
        # hyphen (混元-lite, 混元-T1): after a Chinese name the space is optional and a hyphen and a Latin word
        # is a variant
        self.added_version_cjk = re.compile(
            rf"(?: ?(?:{_V_VERSION}|{_NUMBER_VERSION})(?![A-Za-z0-9_%-]|[.,]\d)"
            r"|-[A-Za-z][A-Za-z0-9]*(?:\.\d+)?(?![A-Za-z0-9_.-]))"
            + (f"(?: (?:{tiers})(?![A-Za-z0-9_-]))?" if tiers else "")
            + (f"(?! ?(?i:{measures})(?![A-Za-z]))" if measures else "")
            + (f"(?! ?(?:{zh_measures}))" if zh_measures else "")) if self.added_types else None
        # a short name defined right after the name it stands for: initials in parentheses, 以下简称“…” (``defined_short_names:``)
        defined = config.get("defined_short_names") or {}
        self.defined_conf = float(defined.get("confidence", 0.9))
        self.defined = [(kind, re.compile(defined[kind])) for kind in ("acronym", "said") if defined.get(kind)]

    # ------------------------------------------------------------------ finding hits

    def _hits(self, text: str, doc: Doc) -> list[Hit]:
        hits: list[Hit] = []
        # the shapes run where the strings their matches start with stand (one pass finds them all)
        for (rid, typ, conf, extends, rx), matches in zip(self.shapes, self.shape_scan.finditer(text)):
            for m in matches:
                hits.append(Hit(*m.span("N"), typ, conf, rid, extends))
        bounds = sentence_bounds(doc)
        # the sentences each context (and the Latin-name pattern) may match in, in one pass over
        # the text: a sentence without any of a pattern's required literals is skipped
        starts = [b[0] for b in bounds]
        ends = [b[1] for b in bounds]
        todo: dict[int, list[int]] = {}  # sentence index -> context indices, in rule order
        marked = self.sentence_index.sentences(text, starts, ends)
        for ci in range(len(self.contexts)):
            for si in marked[ci]:
                todo.setdefault(si, []).append(ci)
        latin = marked["latin"] if self.latin is not None else ()
        for si in latin:
            todo.setdefault(si, [])
        latin = set(latin)
        cjk = sentences_with_chars(text, starts, ends, _CJK_RANGES)  # which sentences are Chinese
        for si in sorted(todo):
            start, end = bounds[si]
            sent = text[start:end]
            lang = "zh" if cjk[si] else "en"
            for ci in todo[si]:
                rid, rlang, typ, conf, rx = self.contexts[ci]
                if rlang not in ("any", lang):
                    continue
                reject = self.rejects.get(ci)
                generic = self.generic.get(ci)
                for m in rx.finditer(sent):
                    a, b = m.span("N" if m.group("N") is not None or "N2" not in rx.groupindex else "N2")
                    if reject is not None and reject.search(sent, a, b):
                        continue
                    if generic is not None and generic(sent[a:b]):
                        continue
                    hits.append(Hit(start + a, start + b, typ, conf, rid, short=rid in self.short_ok))
            if lang == "zh" and si in latin:
                first = self.latin_first.search(sent) if self.latin_first is not None else None
                for m in self.latin.finditer(sent, first.start() if first else 0):
                    name = m.group("N")
                    if self.company_words.search(name):
                        typ, conf = "Company", self.latin_conf + 0.15
                    elif self.person is not None and self.person.match(name):
                        typ, conf = "Person", self.latin_person_conf
                    else:
                        typ, conf = self.latin_type, self.latin_conf
                    hits.append(Hit(start + m.start("N"), start + m.end("N"), typ, conf, "zh.latin-name"))
        hits.extend(self._first_name_speakers(text))
        hits.extend(self._continued_versions(text, doc))
        hits.extend(self._defined_short_names(text, doc, hits))
        return hits

    def _defined_short_names(self, text: str, doc: Doc, hits: list[Hit]) -> list[Hit]:
        """Short names the text defines right after a name, a mention of the lexicon or a name found
        here: the initials of its words in parentheses ("Better Tomorrow Ventures (BTV)") or the name
        it says it will use ("（以下简称“月之暗面”）"). A hit of the name's type (its own type if a found
        name with several readings: the first), marked with where the name ends (``head``): every use
        of the short name is then that entity, not one of its own (``_defined``)."""
        # each definition as the patterns find it, from its parenthesis on (a pattern that opened with the spaces
        # before it would be tried at every space of the text)
        found = sorted(((d.start(), kind, d) for kind, rx in self.defined for d in rx.finditer(text)), key=lambda f: f[0])
        if not found:
            return []
        heads: dict[int, list[tuple[int, str]]] = {}  # end -> (start, type) of each name ending there
        for e in doc_mentions(doc):
            if e.label_ in ("Company", "Person", "Model", "Chip"):
                heads.setdefault(e.end_char, []).append((e.start_char, e.label_))
        for h in hits:
            if h.rule != "zh.latin-name":  # (a bare Latin word in Chinese text: its type a guess, and perhaps no name)
                heads.setdefault(h.end, []).append((h.start, h.type))
        out = []
        for end, kind, d in found:
            while end > 0 and text[end - 1] == " ":  # "Better Tomorrow Ventures (BTV)": the name ends before the space
                end -= 1
            named = heads.get(end)
            if not named:
                continue
            a, b = d.span("N")
            short = text[a:b].strip()
            if not short:
                continue
            for start, typ in sorted(named):
                if kind == "acronym" and not _initials_of(text[start:end], short):
                    continue
                out.append(Hit(a, a + len(short), typ, self.defined_conf, "any.defined-" + kind, head=end))
                break
        return out

    def _person_shaped(self, name: str) -> bool:
        """A person's Latin name (``PERSON_RX``: two or three name words) whose first word is a given name
        (names.yaml's) and whose last is no firm's ("Dana Whitfield"; not "Morgan Stanley Capital", nor "Harvey AI")."""
        return PERSON_RX.match(name) is not None and name.split(" ")[0].lower() in self.typer_given \
            and not self.org_tail(name) and name.rsplit(" ", 1)[-1] not in COMPANY_WORDS

    def _continued_versions(self, text: str, doc: Doc) -> list[Hit]:
        """A lexicon mention of a model or chip that ends in a digit and goes on with a point and more
        digits ("Opus 4" of "Opus 4.6", "Claude Opus 4" of "Claude Opus 4.8"): the lexicon does not hold
        that version (the longest match would have taken it), so the whole is a name of its own, found
        as a longer shape is, over the mention (``extends``)."""
        if not self.continued_types and not self.added_types:
            return []
        hits = []
        starts = [e.start_char for e in doc_mentions(doc)] if self.added_types else None
        for ent in doc_mentions(doc):
            if ent.label_ in self.continued_types and text[ent.end_char - 1:ent.end_char].isdigit():
                m = _VERSION_TAIL.match(text, ent.end_char)
                if m:
                    hits.append(Hit(ent.start_char, m.end(), ent.label_, self.continued_conf,
                                    "any.version-continued", extends=True))
            elif ent.label_ in self.added_types and self.added_version is not None and text[ent.end_char - 1:ent.end_char].isalpha() \
                    and not _CODE_WORD.search(ent.text):  # (a code has its version: "MI300X V5" is a cloud instance)
                cjk = ent.label_ in self.added_types_zh and "\u4e00" <= text[ent.end_char - 1] <= "\u9fff"
                m = (self.added_version_cjk if cjk else self.added_version).match(text, ent.end_char)
                if m and not (starts is not None and bisect_left(starts, ent.end_char + 1) < bisect_left(starts, m.end())):
                    # (not where the version is a name of its own: "Blackwell B200", "Grace H100")
                    hits.append(Hit(ent.start_char, m.end(), ent.label_, self.added_conf, "any.version-added", extends=True))
        return hits

    def _first_name_speakers(self, text: str) -> list[Hit]:
        """Turns labelled by a first name only ("**Priyanka:**"): the full name that begins with it
        elsewhere in the interview ("Priyanka Desai") is a person."""
        if self.first_name_label is None:
            return []
        words = {m.group("N") for m in _finditer_lines(self.first_name_label, text)} - {""}
        words = {w for w in words if w.casefold() not in self.stop}
        if not words:
            return []
        # a first name not preceded by a Latin letter or digit: the check follows each name
        # ("Anna(?<![A-Za-z0-9]Anna)", the same test as a look-behind before it), so that the pattern
        # starts with the names' first characters and the regex engine skips the places none stands at
        full = re.compile(r"(?:" + "|".join(f"{re.escape(w)}(?<![A-Za-z0-9]{re.escape(w)})" for w in sorted(words)) +
                          r") [A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?![A-Za-z0-9])")
        return [Hit(m.start(), m.end(), "Person", self.first_name_conf, "any.person.first-name-label")
                for m in full.finditer(text)]

    def _clean(self, text: str, hit: Hit, taken: list[tuple[int, int]], taken_starts: list[int] | None = None,
               taken_ends: list[int] | None = None, taken_types: list[str] | None = None) -> Hit | None:
        """Cut a hit away from lexicon mentions, strip stop-words at its edges; None if nothing is left,
        or where a mention of the hit's own type opens it: "launched Claude Science" names a variant of
        Claude, and "Science" is no model of its own."""
        a, b = hit.start, hit.end
        # ``taken`` is sorted and its spans do not overlap: only those from the first that ends
        # after ``a`` to the last that starts before ``b`` can overlap (a and b only shrink)
        first = bisect_right(taken_ends, a) if taken_ends is not None else 0
        last = bisect_left(taken_starts, b) if taken_starts is not None else len(taken)
        for i in range(first if taken_starts is not None else 0, last):
            s, e = taken[i]
            if s < b and e > a:
                if hit.extends:
                    continue  # resolved later against the mention's type
                if s <= a and e < b and taken_types is not None and taken_types[i] == hit.type:
                    return None
                if e >= b and hit.rule in self.kind_after or hit.rule in self.whole:
                    return None  # "Adding Trainium chips": Trainium is the chip, "Adding" no name
                # keep the larger piece outside the mention
                left, right = (a, s) if s > a else (a, a), (e, b) if e < b else (b, b)
                a, b = max(left, right, key=lambda p: p[1] - p[0])
                if a >= b:
                    return None
        if hit.rule in self.kind_after:
            # the name just before its kind is what follows an owner's possessive ("Quillon's Vesperine server CPU")
            for own in _POSSESSIVE.finditer(text, a, b):
                a = own.end()
        # strip whitespace, stop-words and possessives at the edges (Latin words only)
        while True:
            before = (a, b)
            a, b = strip_edges(text, a, b)
            name = text[a:b]
            if " " in name:  # (without a space there is no leading nor trailing word to strip)
                m = _LEADING_WORD.match(name)
                # not from a name that extends a lexicon mention: its first word is that mention ("TPU v5e")
                if m and m.group(1).casefold() in self.stop and not hit.extends:
                    a += m.end()
                    name = text[a:b]
                m = _TRAILING_WORD.search(name)
                # a trailing stop-word goes only if it is a title ("Mira Chen CEO"), not a name part ("Vireo AI")
                if m and m.group(1).casefold() in self.stop and _TITLE_WORD.fullmatch(m.group(1)):
                    b = a + m.start()
            if (a, b) == before:
                break
        name = text[a:b]
        if not name or name.casefold() in self.stop or len(name) < 2:
            return None
        if stop_variant(name, self.stop):
            return None
        if hit.rule in self.kind_after and hit.rule.startswith("en.") and " " not in name \
                and name.casefold() in self.english and opens_sentence(text, a, ".!?:;。！？\n", _OPENING_MARKS):
            return None  # "Alternative inference chips are…", "Custom chips…": a capital a sentence's first word has anyway
        if name[0] in _NAME_DOTS or name[-1] in _NAME_DOTS:
            return None  # a transliterated name one part of which the lexicon holds (杰夫·辛顿): that mention stands
        if hit.rule.startswith(("zh.", "en.")) and not _NAME_START.match(name):
            return None
        if _ACRONYM.fullmatch(name) and not hit.rule.startswith(("zh.company", "en.company")) \
                and not (hit.short and _DIGIT.search(name)) and hit.head < 0:
            return None  # a bare acronym needs a context cue
        if name in self.known and not (hit.rule in self.company_over_person and name in self.person_labels):
            return None
        if hit.type != "Person" and hit.rule not in self.company_over_person and self.pinyin.is_name(name):
            return None
        if _NUMBER.fullmatch(name) or _YEAR_TAIL.search(name):
            return None  # (a year last: an event or a plan, "Auto China 2026", "Rubin 2026", "GPT 2027")
        if _SHORT_WORD.fullmatch(name) and hit.rule.startswith(("zh.", "en.")) \
                and not hit.rule.startswith(("zh.company", "en.company")) and not hit.short:
            return None  # "P0", "Q3": too short to be a name without its shape
        return Hit(a, b, hit.type, hit.confidence, hit.rule, hit.extends, hit.short, hit.head)

    @property
    def typer(self) -> NameTyper | None:
        if self._typer is None and isinstance(self._typer_source, str) and self._typer_source:
            data = NameTyper.load(MODEL_DIR if self._typer_source == "package" else self._typer_source)
            self._typer, self._typer_source = (NameTyper(data) if data else None), None
        return self._typer

    @typer.setter
    def typer(self, value: NameTyper | None) -> None:
        self._typer, self._typer_source = value, None

    # ------------------------------------------------------------------ the component

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled:
            return doc
        text = doc_text(doc)
        ents = list(doc_mentions(doc))
        taken = [(e.start_char, e.end_char) for e in ents]
        hits = []
        replaced: set[int] = set()  # indices of lexicon mentions a longer shape replaces
        extended: dict[str, tuple[str, str]] = {}  # name key -> (id, type) of the mention it extends
        taken_starts = [s for s, _ in taken]  # sorted, and so are the ends: ents do not overlap
        taken_ends = [e for _, e in taken]
        taken_types = [e.label_ for e in ents]
        for h in self._hits(text, doc):
            if self.headlines.drops(text, h.rule, h.start):
                continue
            h = self._clean(text, h, taken, taken_starts, taken_ends, taken_types)
            if h is None:
                continue
            over = [i for i in range(bisect_right(taken_ends, h.start), bisect_left(taken_starts, h.end))
                    if taken[i][0] < h.end and taken[i][1] > h.start]
            if over:
                if not h.extends or not all((ents[i].label_ == h.type or ents[i].label_ == "Company") and h.start <= taken[i][0] and taken[i][1] <= h.end
                                            and (taken[i][1] - taken[i][0]) < (h.end - h.start) for i in over):
                    continue
                if not re.match(r"[ .\-]?[\dA-Za-z]", text[max(taken[i][1] for i in over):h.end] or "x"):
                    continue
                replaced.update(over)
                # a version or variant of the entity it extends ("Opus 4.6" of Claude Opus 4, "DeepSeek-V3" of
                # the company DeepSeek): the first such entity, for who makes it (``extends`` in kg_discovered)
                extended.setdefault(slug(text[h.start:h.end]), (ents[min(over)].id_, ents[min(over)].label_))
            hits.append(h)
        if not hits:
            return doc

        # pool the votes per name
        votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        best: dict[str, dict[str, Hit]] = defaultdict(dict)
        surfaces: dict[str, Counter] = defaultdict(Counter)
        rules_of: dict[str, set[str]] = defaultdict(set)
        for i, h in enumerate(hits):
            if h.type == "Person" and self.org_tail(text[h.start:h.end]):  # "Fusion Fund": an organisation
                h = hits[i] = replace(h, type="Company")
            elif h.type == "Company" and h.rule in self.person_shape and self._person_shaped(text[h.start:h.end]):
                h = hits[i] = replace(h, type="Person")
            key = slug(text[h.start:h.end])
            rules_of[key].add(h.rule)
            votes[key][h.type] += h.confidence
            if h.type not in best[key] or best[key][h.type].confidence < h.confidence:
                best[key][h.type] = h
            surfaces[key][text[h.start:h.end]] += 1

        # every further occurrence of a found name counts too
        occupied = [(s, e) for i, (s, e) in enumerate(taken) if i not in replaced]
        occupied_starts = [s for s, _ in occupied]
        occupied_ends = [e for _, e in occupied]
        spans_by_key: dict[str, set[tuple[int, int]]] = defaultdict(set)
        defined: dict[str, int] = {}  # a short name the text defines -> the end of the name it stands for
        for h in hits:
            spans_by_key[slug(text[h.start:h.end])].add((h.start, h.end))
            if h.head >= 0:
                defined.setdefault(slug(text[h.start:h.end]), h.head)
        short_forms: set[str] = set()
        for key, counter in list(surfaces.items()):
            for surface in list(counter):
                head = self.company_words.sub("", surface)
                cn = self.cn_suffix.match(surface) if self.cn_suffix is not None else None
                if cn:  # 晶弦科技 -> 晶弦
                    head = cn.group(1)
                if head != surface and (len(head) >= 4 or cn) and head.casefold() not in self.stop \
                        and max(votes[key], key=votes[key].get) == "Company":
                    counter[head] += 0  # the short form names the same company in this document
                    short_forms.add(head)
        # a short form inside a longer name found by its own context is part of it: 云岬 in 「云岬 E1」
        hit_spans = [(h.start, h.end) for h in hits]
        # every surface's occurrences in one pass over the text (not a scan of the text per surface)
        found = _occurrences(text, {surface for counter in surfaces.values() for surface in counter})
        for key, counter in surfaces.items():
            for surface in counter:
                for a, b in found.get(surface, ()):
                    lo, hi = bisect_right(occupied_ends, a), bisect_left(occupied_starts, b)
                    if not any(s < b and e > a for s, e in occupied[lo:hi]) \
                            and not (surface in short_forms and _inside_longer((a, b), hit_spans)):
                        spans_by_key[key].add((a, b))

        # resolve overlaps between names: more confident, then longer, wins
        info = {}
        ranks: dict[str, float] = {}  # the confidence overlaps are resolved by: the rules', before the typer's
        for key, vs in votes.items():
            name = surfaces[key].most_common(1)[0][0]
            typ = max(vs, key=lambda t: (vs[t], t))
            # (a person's surname may be such a word: 何, 任, 尚)
            if ordinary_name(text, name, self.ordinary_tags) or (typ != "Person" and phrase_head(name, self.phrase_heads)) \
                    or (typ == "Person" and common_noun(name, *self.person_nouns)):
                spans_by_key.pop(key, None)
                continue
            h = best[key][typ]
            count = len(spans_by_key[key])
            if self.recur and count < min(self.recur.get(r, 1) for r in rules_of[key]):
                spans_by_key.pop(key, None)  # a label used once of a name the text never uses again: a heading
                continue
            conf = h.confidence
            if h.rule != "zh.latin-name":  # repetition alone does not make a bare Latin word a name
                conf = min(self.max_conf, conf + self.repeat_bonus * (count - 1))
            ranks[key] = round(conf, 3)
            if h.rule == "zh.latin-name" and (self.typer is not None or self.typer_log is not None):
                # what the document says around the name tells its type, or that it names nothing (which of two
                # overlapping names stands is still the rules' call: "Quiet-STaR" over the "STaR" inside it)
                feats = name_features(text, name, typ, sorted(spans_by_key[key]), self.typer_given, self.pinyin.surnames,
                                      self.typer_titles)
                if self.typer_log is not None:
                    self.typer_log.append((name, feats))
                if self.typer is not None:  # "Harlow Fund" is no person, whatever the context
                    typ, conf = self.typer.judge(feats, self.assert_threshold,
                                                 exclude=("Person",) if self.org_tail(name) else ())
            info[key] = {"name": surfaces[key].most_common(1)[0][0], "type": typ,
                         "confidence": round(conf, 3), "rule": h.rule}
            if key in extended:
                info[key]["extends"] = extended[key]
        candidates = sorted(((s, e, key) for key, spans in spans_by_key.items() for s, e in spans),
                            key=lambda c: (-ranks[c[2]], -(c[1] - c[0]), c[0]))
        chosen: list[tuple[int, int, str]] = []
        free = DisjointSpans()
        for s, e, key in candidates:
            if free.add(s, e):
                chosen.append((s, e, key))
        if not chosen:
            return doc

        kept = [(e.start_char, e.end_char, e.label_, e.id_) for i, e in enumerate(ents) if i not in replaced]
        # the kept mentions, as spans of the tokens after the split (their own spans if nothing was
        # split); their extension values (kg_context) stay, as spaCy keeps them by character offsets
        if _split_at(doc, {b for s, e, _ in chosen for b in (s, e)}):
            new_ents = [doc.char_span(s, e, label=label, span_id=ent_id) for s, e, label, ent_id in kept]
        else:
            new_ents = [e for i, e in enumerate(ents) if i not in replaced]
        glossed = self._short_names(text, chosen, info, kept)
        glosses = _glosses(text, chosen, info, kept)
        if defined:
            resolved = _defined(chosen, info, kept, defined)
            glosses.update(resolved)
            # a defined short name whose name was dropped after all names nothing of its own
            chosen = [c for c in chosen if c[2] not in defined or c[2] in resolved]
        short = glossed.keys() - glosses.keys()
        glossed.update(glosses)
        used = Counter()
        for s, e, key in chosen:
            ent_id, label = glossed.get(key, (NEW_PREFIX + key, info[key]["type"]))
            span = doc.char_span(s, e, label=label, span_id=ent_id)
            if span is None:
                continue
            span._.kg_confidence = info[key]["confidence"]
            # a short name ("Bhandari" after "Gautam Bhandari") is read like a context label: it names the
            # entity, it is not its name (a gloss is a name of its own)
            span._.kg_context = key in short
            new_ents.append(span)
            if key not in glossed:
                used[key] += 1
        set_mentions(doc, sorted(new_ents, key=lambda sp: sp.start))
        doc._.kg_discovered = {NEW_PREFIX + k: {**info[k], "count": n} for k, n in used.items()}
        return doc


    def _short_names(self, text: str, chosen: list[tuple[int, int, str]], info: dict,
                     kept: list[tuple]) -> dict[str, tuple[str, str]]:
        """Found names that are the short name of an entity the interview names in full: "Agility"
        for "Agility Robotics" (its company word dropped), "Lena" for the person "Lena Varga" (a
        first or last name): key -> (that entity's id, type), not a second entity."""
        named = [(text[s:e], ent_id, label) for s, e, label, ent_id in kept if label in ("Company", "Person")]
        named += [(text[s:e], NEW_PREFIX + key, info[key]["type"]) for s, e, key in chosen
                  if info[key]["type"] in ("Company", "Person")]
        short: dict[str, set[tuple[str, str]]] = {}
        for surface, ent_id, label in named:
            words = surface.split()
            forms = {self.company_words.sub("", surface)} if label == "Company" else {words[0], words[-1]}
            for form in forms:
                if form != surface and len(form) >= 3:
                    short.setdefault(form.casefold(), set()).add((ent_id, label))
        out = {}
        for s, e, key in chosen:
            owners = short.get(text[s:e].casefold(), set()) - {(NEW_PREFIX + key, info[key]["type"])}
            if len(owners) == 1:
                out[key] = next(iter(owners))
        return out


def _name_ends(chosen: list[tuple[int, int, str]], info: dict, kept: list[tuple], leave=()) -> dict[int, tuple[str, str]]:
    """End offset -> (id, type) of each mention that ends there: the kept ones, then the found names (but for the
    keys in ``leave``)."""
    ends = {e: (ent_id, label) for s, e, label, ent_id in kept}
    ends.update({e: (NEW_PREFIX + key, info[key]["type"]) for s, e, key in chosen if key not in leave})
    return ends


def _glosses(text: str, chosen: list[tuple[int, int, str]], info: dict, kept: list[tuple]) -> dict[str, tuple[str, str]]:
    """Found names that first appear as a gloss, in parentheses right after a name of the same
    type ("穹顶机器人(Dome Robotics)", "黎咏芝(Winnie Lai)"), and found names glossed by a name of
    the lexicon of the same type ("乐瑞·艾里森(Larry Ellison)": a transliteration the lexicon does
    not spell): key -> (the named entity's id, type), so that every mention of the name is that
    entity, not a second one."""
    heads = _name_ends(chosen, info, kept)
    known_at = {s: (e, ent_id, label) for s, e, label, ent_id in kept if not ent_id.startswith(NEW_PREFIX)}
    out: dict[str, tuple[str, str]] = {}
    for s, e, key in sorted(chosen):
        after = re.match(r"\s*\(\s*", text[e:e + 4])
        gloss = known_at.get(e + after.end()) if after else None
        if gloss is not None and gloss[2] == info[key]["type"] and re.match(r"\s*\)", text[gloss[0]:gloss[0] + 3]):
            out.setdefault(key, (gloss[1], gloss[2]))
    for s, e, key in sorted(chosen):
        if key in out:
            continue
        before = re.search(r"\(\s*$", text[max(0, s - 3):s])
        if before is None or not re.match(r"\s*\)", text[e:e + 3]):
            continue
        paren = s - len(before.group(0))
        name_end = paren
        while name_end > 0 and text[name_end - 1].isspace():  # "穹顶机器人 (Dome Robotics)"
            name_end -= 1
        head = heads.get(name_end)
        if head is not None and head[1] == info[key]["type"] and head[0] != NEW_PREFIX + key:
            out[key] = head
    return out


def _defined(chosen: list[tuple[int, int, str]], info: dict, kept: list[tuple], defined: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Short names the text defines (``Discovery._defined_short_names``): key -> (id, type) of the
    mention, kept or found, that ends where the definition stands."""
    heads = _name_ends(chosen, info, kept, leave=defined.keys())
    out = {}
    for key in {key for _s, _e, key in chosen if key in defined}:
        head = heads.get(defined[key])
        if head is not None and head[0] != NEW_PREFIX + key:
            out[key] = head
    return out


def _initials_of(name: str, short: str) -> bool:
    """Whether ``short`` is made of the first letters of ``name``'s words, a word in capitals giving
    all its letters ("Wafer-Scale Engine": WSE; "Microsoft AI": MAI); "&" and "and", "of" … may
    be left out or kept."""
    words = [w for w in re.split(r"[\s\-/]+", name) if w]
    if len(words) < 2 or not all(w[:1].isalpha() or w == "&" for w in words):
        return False
    want = short.upper()
    # each word gives its initial, or (in capitals) all its letters; a small word may give nothing
    ends = {0}
    for w in words:
        small = w.casefold() in ("and", "of", "the", "for", "&", "de")
        options = {w[0].upper()} | ({w.upper()} if w.isupper() and len(w) > 1 else set())
        nxt = set(ends) if small else set()
        for i in ends:
            for o in options:
                if want.startswith(o, i):
                    nxt.add(i + len(o))
        ends = nxt
        if not ends:
            return False
    return len(want) in ends


_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _occurrences(text: str, surfaces: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Where each of ``surfaces`` stands in ``text`` as a name: what ``re.finditer`` of the surface
    gives with a Latin first (last) character not preceded (followed) by a Latin letter or digit,
    and never followed by "-" or "." and a letter or digit ("Parallax" is not inside "Parallax-2",
    nor 灵枢 in 灵枢-VLA1). All surfaces are found in one Aho-Corasick pass; then each surface's
    occurrences are checked and taken left to right, without overlapping each other."""
    out: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    for surface, starts in StringFinder(surfaces).find(text).items():
        size = len(surface)
        left, right = surface[0] in _LATIN, surface[-1] in _LATIN
        spans = []
        pos = 0
        for a in starts:
            b = a + size
            if a < pos:
                continue
            if left and a and text[a - 1] in _LATIN:
                continue
            if b < n:
                after = text[b]
                if right and after in _LATIN:
                    continue
                if after in "-." and b + 1 < n and text[b + 1] in _LATIN:
                    continue
            spans.append((a, b))
            pos = b
        if spans:
            out[surface] = spans
    return out


def _anchored_at_line_starts(rx: re.Pattern) -> bool:
    """Does every match of ``rx`` start at a line's start (the pattern begins with ``^`` under MULTILINE)?"""
    if not rx.flags & re.MULTILINE or not isinstance(rx.pattern, str):
        return False
    try:
        from re import _constants as C, _parser as P
        items = list(P.parse(rx.pattern, rx.flags))
    except Exception:  # another Python: no shortcut
        return False
    return bool(items) and items[0] == (C.AT, C.AT_BEGINNING)


def _finditer_lines(rx: re.Pattern, text: str) -> list[re.Match]:
    """``rx.finditer(text)``; for a pattern anchored at line starts, by a match at each line start
    (after the last match's end) instead of a try at every place of the text."""
    if not _anchored_at_line_starts(rx):
        return list(rx.finditer(text))
    out = []
    pos = 0
    start = 0
    while start <= len(text):
        if start >= pos:
            m = rx.match(text, start)
            if m is not None:
                if m.end() == m.start():  # an empty match: finditer's own stepping decides what follows
                    return list(rx.finditer(text))
                out.append(m)
                pos = m.end()
        nl = text.find("\n", start)
        if nl < 0:
            break
        start = nl + 1
    return out


def _inside_longer(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    a, b = span
    return any(s <= a and b <= e and e - s > b - a for s, e in spans)


def _split_at(doc: Doc, bounds: set[int]) -> bool:
    """Split the tokens that have one of ``bounds`` (character offsets) strictly inside them; whether
    any was split (spans of the doc taken before then no longer hold)."""
    if not bounds or not len(doc):
        return False
    pos = doc.to_array([IDX, LENGTH])  # token offsets without building a Token per token
    starts = pos[:, 0].tolist()
    ends = (pos[:, 0] + pos[:, 1]).tolist()
    cuts: dict[int, list[int]] = {}
    for x in sorted(bounds):
        i = bisect_right(starts, x) - 1
        if i >= 0 and starts[i] < x < ends[i]:
            cuts.setdefault(i, []).append(x - starts[i])
    if not cuts:
        return False
    text = doc_text(doc)
    with doc.retokenize() as retok:
        for i in sorted(cuts):
            tok = doc[i]
            a, b = starts[i], ends[i]
            offsets = cuts[i]
            pieces = [text[a + j:a + k] for j, k in zip([0, *offsets], [*offsets, b - a])]
            retok.split(tok, pieces, heads=[(tok, n) for n in range(len(pieces))])
    return True
