"""Entity mentions: ``kg_lexicon``, which finds the lexicon's names, and ``kg_mentions``, which
resolves context labels (bare first names and surnames) and writes the final ``doc.ents``.

Pattern ids are ``<entity id>`` for full names and ``ctx:<form>`` for context labels; a context
label counts where the document also names one of its entities in full, and among several
such entities it goes to the one named most recently before it (else the first named after it).
Where no entity of it is named in full, a label still counts, in the whole document, when
(``ontology/names.yaml``, ``context_labels:``) it is a person's given name no other entity of the
lexicon has and no common given name ("Elon", "Jensen", "Sundar"; not "Sam" or "David"); when it is a
model's and the document names its maker (R1 where DeepSeek is named); or when it is a
company's and one of its occurrences stands in a list beside a company named in full (字节、阿里;
像月之暗面、百川、MiniMax等).

``kg_lexicon`` does what spaCy's ``span_ruler`` with a ``PhraseMatcher`` on ``NORM`` did with the
same patterns, without compiling a pattern document per name: the lexicon tokenizer has already
found every name (an Aho-Corasick automaton, ``kg/nlp/tokenizer.py``) and made it one token whose
``NORM`` is the name, so a pattern matches exactly the tokens whose ``NORM`` is its own (as a
one-token phrase pattern does; a word outside the lexicon's spelling, "Lamda" for the form "lamda",
matches by its lower-case ``NORM`` as it did). The candidates go to ``doc.spans["kg_candidates"]``,
deduplicated and sorted as the SpanRuler left them.
"""

from __future__ import annotations

import re

import numpy
from .ents import set_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.attrs import NORM
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .commonwords import inside_word, label_holders
from .doctext import doc_text
from .serialise import DiskData
from .tokenizer import collapse_space, trie_regex

CANDIDATES_KEY = "kg_candidates"
CTX_PREFIX = "ctx:"
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")

if not Span.has_extension("kg_context"):
    Span.set_extension("kg_context", default=False)


def lexicon_patterns(forms: dict[str, set[str]], context_forms: dict[str, set[str]], types: dict[str, str]) -> list[dict]:
    """SpanRuler patterns (phrase patterns on NORM) with entity ids.

    ``forms``: surface form -> entity ids; ``context_forms``: the same for context labels;
    ``types``: entity id -> type label.
    """
    patterns = []
    for form, ids in sorted(forms.items()):
        for entity_id in sorted(ids):
            patterns.append({"label": types[entity_id], "pattern": form, "id": entity_id})
    for form, ids in sorted(context_forms.items()):
        if form in forms:  # a full name of some entity wins over a context label
            continue
        labels = sorted({types[i] for i in ids})
        patterns.append({"label": labels[0], "pattern": form, "id": CTX_PREFIX + form})
    return patterns


def lexicon_index(patterns: list[dict]) -> dict[int, list[tuple[str, str]]]:
    """The index ``LexiconMatcher`` reads: the hash of each pattern's phrase as a token's ``NORM``
    -> the (label, id) of every pattern of that phrase, in the patterns' order, each once. Plain
    data (the start-up cache keeps it with the pipeline's other data: ``kg.extract``)."""
    index: dict[int, list[tuple[str, str]]] = {}
    for p in patterns:
        key = get_string_id(collapse_space(p["pattern"]))
        entry = (p["label"], p.get("id", ""))
        known = index.setdefault(key, [])
        if entry not in known:
            known.append(entry)
    return index


@Language.factory("kg_lexicon")
def make_lexicon(nlp: Language, name: str):
    return LexiconMatcher()


class LexiconMatcher(DiskData):
    """Lexicon names -> candidate spans with entity ids (``doc.spans["kg_candidates"]``).

    ``setup(patterns=...)`` takes the patterns of ``lexicon_patterns`` (label, one-token phrase,
    id) and indexes them by the hash of the phrase's ``NORM`` (``lexicon_index``); ``setup(index=...)``
    takes that index as it is. A document's candidates are its tokens whose ``NORM`` is in the
    index, one span per pattern."""

    def __init__(self, patterns: list[dict] | None = None, index: dict | None = None):
        # NORM hash -> (label, id) of each pattern
        self.index: dict[int, list[tuple[str, str]]] = lexicon_index(patterns or []) if index is None else index
        self.keys = numpy.sort(numpy.fromiter(self.index, dtype="uint64", count=len(self.index)))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        if len(doc) and self.index:
            norms = doc.to_array(NORM)
            index, keys = self.index, self.keys
            at = numpy.minimum(numpy.searchsorted(keys, norms), len(keys) - 1)  # keys are sorted
            for i in numpy.flatnonzero(keys[at] == norms).tolist():
                for label, entity_id in index[int(norms[i])]:
                    spans.append(Span(doc, i, i + 1, label=label, span_id=entity_id))
            spans.sort()
        doc.spans[CANDIDATES_KEY] = spans
        return doc


@Language.factory("kg_mentions", default_config={"context_labels": {}})
def make_mentions(nlp: Language, name: str, context_labels: dict[str, list[str]]):
    return MentionResolver(context_labels)


def standalone_given_names(forms: dict[str, set[str]], context_forms: dict[str, set[str]],
                           types: dict[str, str], config: dict | None) -> list[str]:
    """The context labels that stand alone: a Latin given name (the first word of one of the
    entity's full names) of exactly one entity of the lexicon, a person, at least
    ``min_letters`` long and not one of ``common_given_names`` (``names.yaml``, ``context_labels:``)."""
    config = config or {}
    if not config.get("standalone_given_names", True):
        return []
    min_letters = int(config.get("min_letters", 4))
    common = {str(w).casefold() for w in config.get("common_given_names") or []}
    firsts: dict[str, set[str]] = {}
    for form, ids in forms.items():
        head, sep, _ = form.partition(" ")
        if sep:
            firsts.setdefault(head, set()).update(ids)
    out = []
    for form, ids in context_forms.items():
        if form in forms or len(ids) != 1 or form.casefold() in common or len(form) < min_letters:
            continue
        (entity_id,) = ids
        if types.get(entity_id) != "Person" or not form.isascii() or not form.replace("-", "").isalpha():
            continue
        if not form[0].isupper() or entity_id not in firsts.get(form, ()):
            continue
        out.append(form)
    return sorted(out)


class MentionResolver(DiskData):
    """Turns SpanRuler candidates into non-overlapping ``doc.ents`` with entity ids."""

    _saved_attrs = ("types",)

    def __init__(self, context_labels: dict[str, list[str]], standalone: list[str] | None = None,
                 makers: dict[str, list[str]] | None = None, list_joiners: list[str] | None = None,
                 not_after: dict[str, list[str]] | None = None, outlets: list[str] | None = None,
                 employers: dict[str, list[str]] | None = None, common: list[str] | None = None,
                 employer_window: int = 0, venues: dict | None = None, company_cue: dict | None = None,
                 inside_words: int | None = None):
        """``standalone``: context labels that count with no full name in the document;
        ``makers``: model / chip id -> its makers' ids (a label of the product counts where a maker
        is named); ``list_joiners``: what joins the members of a list (a company's label beside a
        company named in full, across one of these, counts in the whole document); ``not_after``: label
        -> what may not stand right before it when it counts that way (千字节 is a kilobyte); ``outlets``:
        publications whose names hold a company's name (腾讯新闻, 腾讯科技): a name inside one is no mention;
        ``employers``: person id -> the companies they work for now (a bare first name or surname counts
        where one of them is named, and no other person of that label has a company named: "Sam" is
        Sam Altman where OpenAI is named, not where Sam Lessin's company is too); ``common``: given names
        many people share ("Sam", "David"), which count that way only within ``employer_window``
        characters of a company of theirs (a host "David" is not DeepMind's David Silver because the
        text names DeepMind somewhere); ``venues``: platforms (``entities``) named as the place where
        people post ("on Twitter", "all over X", "推特上": a regular expression ``before`` that ends right
        before the name, or ``after`` that starts right after it, and no possessive after it) are no
        mention of the company there (names.yaml, ``venues``); ``company_cue``: a company's label counts in the
        whole document where a word for a company stands right beside one of its occurrences ("成立了蝴蝶效应",
        "Monica 公司", "the startup Figure": a regular expression ``before`` that ends right before the label,
        or ``after`` that starts right after it); ``inside_words``: a Chinese context label that stands inside a
        longer word of jieba's dictionary (counted at least this many times) beginning before it is part of
        that word, not a mention (金山 in 旧金山); None: not checked."""
        self.inside_words = None if inside_words is None else int(inside_words)
        self._holders: frozenset[str] | None = None
        self.context_labels = {form: list(ids) for form, ids in context_labels.items()}
        self.standalone = set(standalone or ())
        self.makers = {k: list(v) for k, v in (makers or {}).items()}
        self.employers = {k: list(v) for k, v in (employers or {}).items()}
        self.common = {str(w).casefold() for w in common or ()}
        self.employer_window = int(employer_window)
        self.list_joiners = set(list_joiners or ())
        self.not_after = {form: tuple(v) for form, v in (not_after or {}).items()}
        self.outlets = re.compile(trie_regex(outlets), re.IGNORECASE) if outlets else None
        venues = venues or {}
        self.venue_ids = frozenset(venues.get("entities") or ())
        self.venue_before = re.compile(f"(?:{venues['before']})$", re.IGNORECASE) if venues.get("before") else None
        self.venue_after = re.compile(venues["after"]) if venues.get("after") else None
        cue = company_cue or {}
        self.cue_before = re.compile(f"(?:{cue['before']})$") if cue.get("before") else None
        self.cue_after = re.compile(cue["after"]) if cue.get("after") else None
        self.types: dict[str, str] = {}

    def __call__(self, doc: Doc) -> Doc:
        spans = filter_spans(doc.spans.get(CANDIDATES_KEY, []))
        if self.outlets is not None and spans:
            spans = self._outside_outlets(doc, spans)
        if self.venue_ids and spans:
            text = doc_text(doc)
            spans = [s for s in spans if not self._of_venue(s) or not self._at_venue(text, s)]
        if self.inside_words is not None and spans:
            text = doc_text(doc)
            cjk = [s for s in spans if s.id_.startswith(CTX_PREFIX) and _CJK_CHAR.match(text, s.start_char)]
            if cjk:
                if self._holders is None:  # the dictionary's words that hold a Chinese context label, on first need
                    self._holders = label_holders(frozenset(self.context_labels), self.inside_words)
                inside = {id(s) for s in cjk if inside_word(text, s.start_char, s.end_char, self._holders)}
                spans = [s for s in spans if id(s) not in inside]
        full = [s for s in spans if not s.id_.startswith(CTX_PREFIX)]
        named_at: dict[str, list[int]] = {}
        for s in full:
            named_at.setdefault(s.id_, []).append(s.start)
        ents = []
        seen_ids_at: dict[int, str] = {}
        licensed = self._licensed(doc, spans, full, named_at)
        for s in spans:
            if not s.id_.startswith(CTX_PREFIX):
                ents.append(s)
                continue
            entity_id = self._resolve(s, named_at)
            if entity_id is None:
                form = s.id_[len(CTX_PREFIX):]
                entity_id = licensed.get(form)
                if entity_id is not None and self._as_unit(doc_text(doc), s, form):
                    entity_id = None
                if entity_id is not None and (form in self.standalone or entity_id in self.employers) \
                        and _surname_follows(doc, s):
                    entity_id = None  # "Mira Chen" is not Mira Murati, "Sam Smith" not Sam Altman
            if entity_id is None:
                continue
            label = self.types.get(entity_id, s.label_)
            span = Span(doc, s.start, s.end, label=label, span_id=entity_id)
            span._.kg_context = True
            ents.append(span)
            seen_ids_at[s.start] = entity_id
        set_mentions(doc, ents)
        return doc

    def _outside_outlets(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """The candidates that do not stand inside an outlet's name ("腾讯科技讯 3月30日消息": no Tencent)."""
        inside = [(m.start(), m.end()) for m in self.outlets.finditer(doc_text(doc))]
        if not inside:
            return spans
        return [s for s in spans if not any(o0 <= s.start_char and s.end_char <= o1 for o0, o1 in inside)]

    def _of_venue(self, span: Span) -> bool:
        """Whether the candidate names a platform of ``venues`` (in full, or by a context label: "X")."""
        if span.id_.startswith(CTX_PREFIX):
            return any(i in self.venue_ids for i in self.context_labels.get(span.id_[len(CTX_PREFIX):], ()))
        return span.id_ in self.venue_ids

    def _at_venue(self, text: str, span: Span) -> bool:
        """Whether a platform's name stands as the place where people post: "on Twitter", "推特上" (not
        "Twitter's valuation", "YouTube上线")."""
        if re.match(r"\s?['’]s\b", text[span.end_char:span.end_char + 3]):
            return False
        return _beside(text, span, self.venue_before, self.venue_after, 20)

    def _licensed(self, doc: Doc, spans: list[Span], full: list[Span], named_at: dict[str, list[int]]) -> dict[str, str]:
        """Context label form -> entity, for labels that count in this document although none of
        their entities is named in full (see the module's docstring)."""
        out: dict[str, str] = {}
        company_at = None  # (starts, ends) of the companies named in full, made on first need
        for s in spans:
            if not s.id_.startswith(CTX_PREFIX):
                continue
            form = s.id_[len(CTX_PREFIX):]
            if form in out or any(i in named_at for i in self.context_labels.get(form, ())):
                continue
            ids = self.context_labels.get(form, [])
            if form in self.standalone and len(ids) == 1 and not self._unit_in(doc, spans, form):
                out[form] = ids[0]
                continue
            made = [i for i in ids if any(m in named_at for m in self.makers.get(i, ()))]
            if len(made) == 1:
                out[form] = made[0]
                continue
            employed = [i for i in ids if any(c in named_at for c in self.employers.get(i, ()))]
            if len(employed) == 1 and (form.casefold() not in self.common
                                       or self._employer_near(doc, s, self.employers[employed[0]], named_at)):
                out[form] = employed[0]
                continue
            companies = [i for i in ids if self.types.get(i) == "Company"]
            if len(companies) == 1 and len(ids) == 1 and self._company_cued(doc, s):
                out[form] = companies[0]
                continue
            if len(companies) == 1 and self.list_joiners:
                if company_at is None:
                    named = [f for f in full if self.types.get(f.id_, f.label_) == "Company"]
                    company_at = ({f.start for f in named}, {f.end for f in named})
                if self._in_list(doc, s, *company_at):
                    out[form] = companies[0]
        return out

    def _company_cued(self, doc: Doc, span: Span) -> bool:
        """Does a word for a company stand right before or after ``span`` (``company_cue``)?"""
        return _beside(doc_text(doc), span, self.cue_before, self.cue_after, 24)

    def _unit_in(self, doc: Doc, spans: list[Span], form: str) -> bool:
        """Whether the document writes the label ``form`` as a unit somewhere (one of its ``not_after`` before it:
        一个字节, 艾字节): then it is the unit there, one sense per document, and does not count alone."""
        if form not in self.not_after:
            return False
        text = doc_text(doc)
        return any(s.id_ == CTX_PREFIX + form and self._as_unit(text, s, form) for s in spans)

    def _as_unit(self, text: str, span: Span, form: str) -> bool:
        """Whether the label ``form`` at ``span`` follows one of its ``not_after`` (艾字节: an exabyte)."""
        before = self.not_after.get(form)
        return bool(before) and text[max(0, span.start_char - 3):span.start_char].endswith(before)

    def _employer_near(self, doc: Doc, span: Span, companies: list[str], named_at: dict[str, list[int]]) -> bool:
        """Is one of ``companies`` named in full within ``employer_window`` characters of ``span``?"""
        at = span.start_char
        return any(abs(doc[t].idx - at) <= self.employer_window for c in companies for t in named_at.get(c, ()))

    def _in_list(self, doc: Doc, span: Span, starts: set[int], ends: set[int]) -> bool:
        """Does ``span`` stand next to a company named in full (``starts`` and ``ends``: their token
        offsets), a list's joiner between them?"""
        i = span.start - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i >= 0 and doc[i].text.strip() in self.list_joiners:
            j = i - 1
            while j >= 0 and doc[j].is_space:
                j -= 1
            if j >= 0 and j + 1 in ends:
                return True
        i = span.end
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i < len(doc) and doc[i].text.strip() in self.list_joiners:
            j = i + 1
            while j < len(doc) and doc[j].is_space:
                j += 1
            if j in starts:
                return True
        return False

    def _resolve(self, span: Span, named_at: dict[str, list[int]]) -> str | None:
        form = span.id_[len(CTX_PREFIX):]
        candidates = [i for i in self.context_labels.get(form, []) if i in named_at]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        before = [(max((p for p in named_at[c] if p < span.start), default=-1), c) for c in candidates]
        best = max(before)
        if best[0] >= 0:
            return best[1]
        return min((min(named_at[c]), c) for c in candidates)[1]


def _beside(text: str, span: Span, before: re.Pattern | None, after: re.Pattern | None, reach: int) -> bool:
    """Whether ``before`` ends right before ``span`` (within ``reach`` characters) or ``after`` starts right after it."""
    a, b = span.start_char, span.end_char
    return bool(before is not None and before.search(text, max(0, a - reach), a)
                or after is not None and after.match(text, b))


def _surname_follows(doc: Doc, span: Span) -> bool:
    """Is the given name ``span`` the first word of a longer name (a capitalised word after it)?"""
    rest = doc_text(doc)[span.end_char:span.end_char + 40]
    stripped = rest.lstrip(" ")
    return len(stripped) < len(rest) and stripped[:1].isupper() and stripped[:1].isascii()
