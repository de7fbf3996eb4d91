"""A trained relation model over mention pairs (``kg_relation_model`` component).

The rules of ``kg_relations`` read the phrasings someone wrote down; real text states relations in
many more ways. This component scores *every* pair of mentions that the ontology allows to be
related, in one sentence (pronouns resolved by ``kg_anaphora`` included), with a linear model
trained on annotated interviews (``kg train``; ``kg/models/relations/``):

- **candidates**: each pair (a, b) of a sentence, a before b, whose types fit some relation in one
  direction or the other (ontology domains and ranges), at most ``max_gap`` characters apart;
- **features** (strings, ``features()``): the two types in order, the words between them (English
  words and word pairs; Chinese characters and character pairs, other mentions as their type; where one
  end is an item of a list, also the words between the other end and the list's near edge, the same for
  every item: ``list_between``),
  a few words before the first and after the second, distance, the mentions and clause breaks
  between, the sentence's cues (question, negation between, hypothetical, hedge, past), whether a
  mention is a pronoun, and **what the rules said** of the pair (``kg_relations``: relation and
  direction, rule id): the rules are evidence the model weighs, not the only road to a relation;
  and (a model trained with ``sectors``) **what the lexicon knows** of the two: each company's
  ``kg:sector`` (chip designer, cloud, AI lab, investor, ...; a person, a product or a company the
  lexicon does not know is its type), so a chip designer and a cloud, two AI labs, an investor and
  a start-up start from different odds whatever the words between them;
- **classes**: ``none``, or a relation with its direction (``investsIn>``: a invests in b;
  ``investsIn<``: b invests in a; ``competesWith`` has none); classes the pair's types do not fit
  are masked out;
- **assertion status** (``status()``): ``asserted``, ``question``, ``negated``, ``hypothetical`` or
  ``past``, from the cue patterns of ``ontology/relations.yaml``; questions, negations and
  hypotheticals are never asserted (they are also features, so the model learns how far a cue reaches).

Results go to ``doc._.kg_scored``: ``ScoredPair`` records (pair, sentence, class probabilities,
status). ``kg.extract`` aggregates them per interview (several weak sentences can make one
confident relation: noisy-OR) and keeps those at or above the threshold ``kg train`` tuned (or,
for a model trained with ``--group-thresholds``, its group's: core, develops+affiliatedWith).

The model is plain data (vocabulary, weights, threshold, and the trigger words it was trained with,
so that editing the rules does not shift its features) saved with ``to_disk`` and read with
``from_disk``: inference is a sparse dot product in NumPy; scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy
from .ents import company_counts, mentions as doc_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.language import Language
from spacy.tokens import Doc

from ..textnorm import Respelling
from .doctext import doc_text as _doc_text
from .featcache import ByTypes, Counted, Formatted, Prefixed, RuleHead
from .relations import PRODUCT_TYPES, Ref, _refs, developers_read, extended_makers, group_at as _group_at, most_named
from .serialise import DiskData, _decode
from .tokenizer import trie_regex
from .sentences import sentence_bounds
from .plain import MODEL_DIR

if not Doc.has_extension("kg_scored"):
    Doc.set_extension("kg_scored", default=None)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9'&.-]*|[$%]")
_BREAK = re.compile(r"[,;:，；：。!?()（）\[\]—–]|\s-\s")
STATUSES = ("asserted", "question", "negated", "hypothetical", "past")
DROPPED = frozenset({"question", "negated", "hypothetical"})
_SUBJECTS = frozenset({"Company", "Person"})  # what can be the salient entity of a sentence
_READ = "kg_relation_model.text"  # doc.user_data: the text as the model reads it (``regional``)

@dataclass(frozen=True)
class ScoredPair:
    """One candidate pair of one sentence, scored. Offsets are into ``doc.text``."""

    a: str  # entity ids, a before b in the text
    b: str
    a_type: str
    b_type: str
    sent_start: int
    sent_end: int
    probs: tuple  # (class, probability) for each class the types allow, "none" included
    status: str
    cue: str  # the words the status came from ("" when asserted)
    via: str = ""  # "cross": a and b in adjacent sentences; "drop": a is the unsaid subject of b's sentence
    anchor: int = -1  # start of b's sentence when ``via`` (sent_start..sent_end then covers both sentences)
    known: tuple = ()  # the classes ontology/known.yaml already holds for the pair ("investsIn>"), as the model read them

    @property
    def at(self) -> int:
        """The sentence this pair votes for (b's)."""
        return self.anchor if self.via else self.sent_start

    def relations(self):
        """(subject, relation, object, probability) for each relation class of this pair."""
        for cls, p in self.probs:
            if cls == "none":
                continue
            rel, arrow = cls[:-1], cls[-1]
            if arrow == "<":
                yield self.b, rel, self.a, p
            else:
                yield self.a, rel, self.b, p


_new, _set = object.__new__, object.__setattr__


def _scored_pair(a, b, a_type, b_type, sent_start, sent_end, probs, status, cue, via, anchor, known) -> ScoredPair:
    """``ScoredPair(...)`` with every field given, made without the frozen dataclass's ``__init__``
    (one ``object.__setattr__`` a field): the same object, its fields in the same order."""
    sp = _new(ScoredPair)
    _set(sp, "__dict__", {"a": a, "b": b, "a_type": a_type, "b_type": b_type, "sent_start": sent_start,
                          "sent_end": sent_end, "probs": probs, "status": status, "cue": cue, "via": via,
                          "anchor": anchor, "known": known})
    return sp


def class_names(signatures: dict) -> list[str]:
    """``none`` and one class per relation and direction (a symmetric relation has one)."""
    out = ["none"]
    for rel in sorted(signatures):
        out += [rel + "="] if signatures[rel].get("symmetric") else [rel + ">", rel + "<"]
    return out


def allowed(signatures: dict, classes: list[str], a_type: str, b_type: str) -> list[int]:
    """Indices of the classes that a pair of these types may take (``none`` always)."""
    out = [0]
    for i, cls in enumerate(classes[1:], 1):
        sig = signatures[cls[:-1]]
        s, o = (b_type, a_type) if cls.endswith("<") else (a_type, b_type)
        if s in sig["domain"] and o in sig["range"]:
            out.append(i)
    return out


# ------------------------------------------------------------------ candidates and features

def _lang(text: str, s0: int, s1: int) -> str:
    return "zh" if _CJK.search(text, s0, s1) else "en"


_ZH_WORD = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9][A-Za-z0-9'.-]*|[,;:!?()]")
# the key of a cue word class among the trigger words ("cue:partnership", relations.yaml ``cue_words``): read as a
# feature as a relation's trigger words are, never as a trigger (no pair across sentences, no unsaid subject, no topic)
CUE_PREFIX = "cue:"
SENTENCE_BREAK = "<S>"  # the word between the two sentences of a cross-sentence pair
_GROUP, _START, _END = re.Match.group, re.Match.start, re.Match.end


def _words(text: str, low: str | None, start: int, end: int, lang: str, toks: list, starts: list) -> None:
    """Words of text[start:end], lower-cased, with their offsets: English words, or the CJK
    characters and Latin words of Chinese."""
    rx = _EN_WORD if lang == "en" else _ZH_WORD
    if low is not None:
        found = list(rx.finditer(low, start, end))
        toks += map(_GROUP, found)
        starts += map(_START, found)
    else:  # lower-casing changed the length: match the text itself (English patterns want lower case)
        for m in (rx.finditer(text[start:end].lower()) if lang == "en" else rx.finditer(text, start, end)):
            toks.append(m.group().lower())
            starts.append(start + m.start() if lang == "en" else m.start())


def _trigger_words(text: str, low: str | None, s0: int, s1: int, triggers: dict, any_trigger) -> dict:
    """Relation -> (starts, ends) of its trigger words in the sentence text[s0:s1] (``finditer`` of
    each relation's pattern over the sentence in lower case)."""
    trig = {}
    if low is not None:
        first = s0
        if any_trigger is not None:
            # the pattern of all trigger words matches first where the first word of any relation
            # does (at each place it tries every word): no relation's scan finds anything before
            # that, so each starts there (``pos``: a look-behind still reads what precedes it)
            hit = any_trigger.search(low, s0, s1)
            if hit is None:
                return trig  # no trigger word of any relation here (one scan instead of one per relation)
            first = hit.start()
        for rel, rx in triggers.items():
            found = list(rx.finditer(low, first, s1))
            if found:
                trig[rel] = (list(map(_START, found)), list(map(_END, found)))
    else:  # lower-casing changed the length: the sentence alone, in lower case
        source = text[s0:s1].lower()
        if any_trigger is not None and not any_trigger.search(source):
            return trig
        for rel, rx in triggers.items():
            found = [(m.start() + s0, m.end() + s0) for m in rx.finditer(source)]
            if found:
                trig[rel] = ([x for x, _ in found], [y for _, y in found])
    return trig


class Unit:
    """The words of one sentence (or of two adjacent sentences of one speaker turn, with
    ``SENTENCE_BREAK`` between them), each mention written as its type ("<Company>"), with each
    word's offset (``toks``, ``starts``: tokenised once, when a pair first needs them, for all the
    pairs of the sentence); the sentence's clause breaks (``breaks``), the trigger words of each
    relation (``trig``: relation -> starts, ends) and whether it asks (``asked``), these two read
    when first needed too (given, for two sentences joined)."""

    __slots__ = ("s0", "s1", "lang", "_trig", "_asked", "_scan", "_toks", "_starts", "_breaks", "_source", "_ments")

    def __init__(self, s0: int, s1: int, lang: str, trig: dict | None, asked: bool | None, source, scan=None):
        self.s0, self.s1, self.lang, self._trig, self._asked = s0, s1, lang, trig, asked
        self._source = source  # (text, lowered text, mentions) of a sentence, or the two units joined
        self._scan = scan  # what ``trig`` and ``asked`` are read with when not given: (triggers, question, any_trigger)
        self._toks = self._starts = self._breaks = self._ments = None

    @classmethod
    def of_sentence(cls, text: str, low: str | None, sent: tuple[int, int], refs: list[Ref], lang: str,
                    triggers: dict, question, any_trigger=None) -> "Unit":
        """The unit of one sentence; its trigger words and whether it asks are read when first needed
        (a sentence none of whose pairs the types allow needs neither)."""
        return cls(sent[0], sent[1], lang, None, None, (text, low, refs), (triggers, question, any_trigger))

    @property
    def trig(self) -> dict:
        if self._trig is None:
            text, low, _refs = self._source
            triggers, _question, any_trigger = self._scan
            self._trig = _trigger_words(text, low, self.s0, self.s1, triggers, any_trigger)
        return self._trig

    @property
    def asked(self) -> bool:
        if self._asked is None:
            question = self._scan[1]
            self._asked = bool(question is not None and question.search(self._source[0][self.s0:self.s1].rstrip()))
        return self._asked

    def _tokenise(self) -> None:
        source = self._source
        if isinstance(source[0], Unit):  # two sentences
            first, second = source
            self._toks = first.toks + [SENTENCE_BREAK] + second.toks
            self._starts = first.starts + [second.s0 - 0.5] + second.starts
            self._breaks = first.breaks + second.breaks
            shift = len(first.toks) + 1
            self._ments = first.ments + [i + shift for i in second.ments]
            return
        text, low, refs = source
        toks, starts, ments = [], [], []
        pos, s1 = self.s0, self.s1
        for m in refs:
            if m.start_char < pos or m.end_char > s1 or m.start_char == m.end_char:
                continue
            _words(text, low, pos, m.start_char, self.lang, toks, starts)
            ments.append(len(toks))
            toks.append(f"<{m.label_}>")
            starts.append(m.start_char)
            pos = m.end_char
        _words(text, low, pos, s1, self.lang, toks, starts)
        self._toks, self._starts, self._ments = toks, starts, ments
        self._breaks = [m.start() for m in _BREAK.finditer(text, self.s0, s1)]

    @property
    def toks(self) -> list[str]:
        if self._toks is None:
            self._tokenise()
        return self._toks

    @property
    def starts(self) -> list:
        if self._toks is None:
            self._tokenise()
        return self._starts

    @property
    def ments(self) -> list[int]:
        """The indices in ``toks`` of the mentions (their type written as a word), rising."""
        if self._toks is None:
            self._tokenise()
        return self._ments

    @property
    def breaks(self) -> list[int]:
        if self._toks is None:
            self._tokenise()
        return self._breaks

    def joined(self, nxt: "Unit") -> "Unit":
        """This sentence and the next one as one unit (the break between them a word of its own)."""
        trig = {rel: (self.trig.get(rel, ([], []))[0] + nxt.trig.get(rel, ([], []))[0],
                      self.trig.get(rel, ([], []))[1] + nxt.trig.get(rel, ([], []))[1])
                for rel in sorted(set(self.trig) | set(nxt.trig))}
        return Unit(self.s0, nxt.s1, self.lang if self.lang == nxt.lang else "zh", trig, self.asked or nxt.asked,
                    (self, nxt))

    def first_trigger(self, start: int) -> int | None:
        """Where the first trigger word at or after ``start`` begins."""
        best = None
        for starts, _ends in _relation_trig(self.trig).values():
            i = bisect_left(starts, start)
            if i < len(starts) and (best is None or starts[i] < best):
                best = starts[i]
        return best


def _named_before_trigger(unit: "Unit", ments: list, body: int) -> bool:
    """Whether the sentence names a person or company before its first trigger word (its subject is said)."""
    first = unit.first_trigger(body)
    return first is None or any(body <= m.start_char < first and m.label_ in _SUBJECTS for m in ments)


def _relation_trig(trig: dict) -> dict:
    """``trig`` without its cue word classes: the trigger words of the relations only."""
    if any(rel.startswith(CUE_PREFIX) for rel in trig):
        return {rel: found for rel, found in trig.items() if not rel.startswith(CUE_PREFIX)}
    return trig


def _trigger_in(trig: dict, start: int, end: int) -> bool:
    """Whether a trigger word of some relation lies wholly in [start, end)."""
    for starts, ends in _relation_trig(trig).values():
        i = bisect_left(starts, start)
        if i < len(starts) and ends[i] <= end:
            return True
    return False


def trigger_words(rules: dict) -> dict[str, list[str]]:
    """Relation -> the trigger words of its rules (the literals every match of a rule's ``(?P<T>…)``
    group holds): the rules' vocabulary, which the model weighs wherever it stands, not only in the
    phrasing a rule spells out."""
    from .prefilter import required_literals
    from .rulewords import expand, word_lists

    out: dict[str, set[str]] = {}
    settings = rules.get("settings") or {}
    lists = {lang: word_lists(settings, lang) for lang in settings}
    for rule in rules.get("rules", []):
        pat = expand(rule.get("pattern", ""), lists.get(rule.get("lang"), {}), rule.get("id", "?"))
        at = pat.find("(?P<T>")
        if at < 0:
            continue
        group = _group_at(pat, at)
        group = re.sub(r"\{[A-Z]\d?(?::[A-Za-z|]+)?!?\}|…[+*]?", ".{0,3}", group)
        try:
            lits = required_literals(re.compile(group))
        except re.error:
            continue
        for lit in lits or ():
            lit = lit.strip().lower()
            if len(lit) >= (2 if _CJK.search(lit) else 3):
                out.setdefault(rule["relation"], set()).add(lit)
    return {rel: sorted(words) for rel, words in sorted(out.items())}


def status(cues: dict, asked: bool, between: str, before: str, after: str = "",
           past_from: int = 0) -> tuple[str, str]:
    """The assertion status of a pair from the sentence's cues: a question sentence (``asked``)
    asks it, a negation between the two mentions denies it, and so does one that opens the
    predicate right after the second mention in its clause (``after``: the text after it; cue
    ``negation_after``: "老股东君联资本这次没有跟投", "… Legend Capital did not join"), a
    hypothetical cue before the second mention in its clause makes it hypothetical, and so does a
    condition the sentence opens with (``before`` starts at the sentence; cue ``hypothetical_opening``:
    "如果这个计划成真，它将直接挑战 A"), an alternative in the pair's clause asks it (cue ``alternative``: "是 A 还是 B"),
    a past cue near it makes it past (cue ``past``: "前 CEO", "曾在", "former", "left"), read from
    ``past_from`` in ``between`` on (``_past_from``: a cue before another name between the two is that
    name's: "hired former Google engineer X"). ``cues``: the compiled cues of the sentence's language."""
    if asked:
        return "question", "?"
    neg, neg_after, undone = cues.get("negation"), cues.get("negation_after"), cues.get("deal_undone")
    # negation_after is anchored at the start of ``after`` and reads words only: it never crosses a clause break;
    # so is deal_undone, a deal that fell through ("… 的收购没有完成", "… acquisition of Arm collapsed")
    m = (neg.search(between) if neg is not None else None) or \
        (neg_after.match(after) if neg_after is not None and after else None) or \
        (undone.match(after) if undone is not None and after else None)
    if m:
        return "negated", m.group()
    alternative = cues.get("alternative")
    if alternative is not None:
        # "是 A 还是 B" in the pair's clause: an alternative, asked or left open ("微软是 OpenAI 的供应商还是竞争对手")
        m = alternative.search(_BREAK.split(before)[-1] + between + _BREAK.split(after, 1)[0])
        if m:
            return "question", m.group()
    opening = cues.get("hypothetical_opening")
    if opening is not None:
        m = opening.match(before)
        if m:  # the sentence opens with a condition: all of it is hypothetical
            return "hypothetical", m.group().strip()
    hyp = cues.get("hypothetical")
    if hyp is not None:
        clause = _BREAK.split(before)[-1] + between
        m = hyp.search(clause)
        if m:
            return "hypothetical", m.group()
    return past_status(cues, between, before, past_from)


def past_status(cues: dict, between: str, before: str, past_from: int = 0) -> tuple[str, str]:
    """("past", the cue) where a past cue speaks of the pair (cue ``past``: "前 CEO", "曾在 X 工作",
    "former", "ex-", "left X"): in ``between`` from ``past_from`` on, or, where no other name stands
    between the two (``past_from`` 0), also just before the first; else ("asserted", "")."""
    past = cues.get("past")
    m = (past.search(between, past_from) if past_from else past.search(before[-12:] + between)) \
        if past is not None else None
    if m:
        return "past", m.group()
    return "asserted", ""


# names joined as a list ("a former Google and Meta engineer"): a cue before the list speaks of each of them
_LIST_JOINER = re.compile(r"\s*(?:,|/|&|and|or|和|与|與|及|或|、)\s*", re.IGNORECASE)


def _past_from(unit: "Unit", text: str, a_end: int, b_start: int) -> int:
    """Where a past cue between two mentions starts to speak of the pair, as an offset into
    ``text[a_end:b_start]``: after the last other name between them, since a cue before that name is
    its tie's ("Zorvex hired former Google engineer X", "他曾在谷歌工作，现在是 Zorvex 的 CEO"); a name
    listed with the second mention ("and", "、") is read past. 0 where no other name stands between."""
    starts, ments = unit.starts, unit.ments
    inner = [i for i in ments if a_end <= starts[i] < b_start]
    cur = b_start
    for i in reversed(inner):
        end = min(int(starts[i + 1]) if i + 1 < len(starts) else cur, cur)
        if not _LIST_JOINER.fullmatch(text, end, cur):
            return end - a_end
        cur = int(starts[i])  # one name of a list that runs on to the second mention
    return 0


# the feature strings of a closed set of names (types, relations, states, sectors, counts, rule ids), each
# made once (kg.nlp.featcache): the same objects, their hashes computed once. The words' features are
# formatted in place: a table of words pays on repeated text only (tried: slower on real text, read once)
_F_K = Prefixed("K:")
_F_LANG, _F_ST, _F_X = Prefixed("lang:"), Prefixed("st:"), Prefixed("X:")
_F_TW = Formatted("TW:{}:{}")  # (relation, where)
_F_S = Formatted("S:{}>{}")  # (sector of a, sector of b)
_F_D, _F_M, _F_C = Counted("D:"), Counted("M:"), Counted("C:")
_F_TYPED = ByTypes()  # (type of a, type of b) -> "T:a>b" and "T:a>b|<feature>"
_RULE_HEAD = RuleHead()
_MENTION = Prefixed("<")  # a type -> "<type" (its mention word is that and ">")


def features(unit: Unit, a: Ref, b: Ref, rule_hits: list[str], state: str, cfg: dict, via: str = "",
             sectors: dict | None = None, known: dict | None = None) -> list[str]:
    """The features of the pair (a, b) of ``unit`` (``via``: "" for a pair of one sentence; "cross"
    for mentions in adjacent sentences, "cross-a" / "cross-b" / "cross-a-b" where a (b) is the salient
    entity of its sentence; "drop" for an unsaid subject taken from the sentence before)."""
    toks, starts = unit.toks, unit.starts
    i_a = bisect_left(starts, a.start_char)
    i0 = bisect_left(starts, a.end_char)
    i1 = bisect_left(starts, b.start_char)
    i2 = bisect_left(starts, b.end_char)
    btoks = toks[i0:i1]
    window = cfg.get("window", 4)
    # between two sentences only the words next to each mention: the rest is the sentences' own business
    cross = via.startswith("cross")
    cap = cfg.get("cross_cap", 6) if cross else cfg.get("between_cap", 14)
    left = toks[max(0, i_a - window):i_a]
    right = toks[i2:i2 + window]
    typed = _F_TYPED[(a.label_, b.label_)]  # "T:a>b", and any feature crossed with the types
    st = _F_ST[state]
    feats = [typed.head, _F_LANG[unit.lang], st, typed[st]]
    if via:
        x = _F_X[via]
        feats += [x, typed[x]]
    if len(btoks) > 2 * cap:
        feats.append("B:long")
        near = btoks[:cap] + ["…"] + btoks[-cap:]
    else:
        near = btoks
    feats += [f"B:{t}" for t in near]
    feats += [f"B2:{x}_{y}" for x, y in zip(near, near[1:])]
    if cfg.get("type_words", True) and not cross:  # models trained before 2026-12-03 weigh these
        feats += [f"{typed.prefix}B:{t}" for t in near if t[0] != "<"]
    feats += [f"L:{t}" for t in left]
    feats += [f"R:{t}" for t in right]
    if left:
        feats.append(f"L1:{left[-1]}")
    if right:
        feats.append(f"R1:{right[0]}")
        feats.append(f"{typed.prefix}R1:{right[0]}")
    n = len(btoks)
    feats.append(_F_D[0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3 if n <= 10 else 4 if n <= 20 else 5])
    ments = unit.ments
    m0, m1 = bisect_left(ments, i0), bisect_left(ments, i1)
    feats.append(_F_M[min(m1 - m0, 3)])
    # a mention of the same type as a (or b) between them is the closer candidate for b (or a)
    if m1 > m0:
        inner = [toks[i] for i in ments[m0:m1]]
        for side, ref in (("a", a), ("b", b)):
            if _MENTION[ref.label_] + ">" in inner:
                near_f = "NEAR:" + side
                feats.append(near_f)
                feats.append(typed[near_f])
    if cfg.get("enum"):
        feats += _enumeration(unit, i_a, i1, typed)
    if cfg.get("list_between") and not cross:
        feats += _list_between(unit, i_a, i0, i1, i2, typed)
    if cfg.get("list_context") and not cross:
        feats += _list_context(unit, i_a, i1, typed, cfg.get("list_context_window", 6))
    breaks = unit.breaks
    feats.append(_F_C[min(bisect_left(breaks, b.start_char) - bisect_left(breaks, a.end_char), 2)])
    if a.anaphor:
        feats.append("A:pron")
    if b.anaphor:
        feats.append("B:pron")
    if a.start_char - unit.s0 <= 2:
        feats.append("A:first")
    if unit.trig:
        reach = cfg.get("trigger_reach", 40)
        for where, (x0, x1) in (("B", (a.end_char, b.start_char)), ("L", (max(unit.s0, a.start_char - reach), a.start_char)),
                                ("R", (b.end_char, min(unit.s1, b.end_char + reach)))):
            if x1 <= x0:
                continue
            for rel, (t_starts, t_ends) in unit.trig.items():
                i = bisect_left(t_starts, x0)
                if i < len(t_starts) and t_ends[i] <= x1:  # starts and ends rise together (no overlaps)
                    tw = _F_TW[(rel, where)]
                    feats.append(tw)
                    feats.append(typed[tw])
    for hit in rule_hits:
        feats.append(hit)
        feats.append(typed[_RULE_HEAD[hit]])
    if cfg.get("sectors") and sectors is not None:
        # what the lexicon knows of the two companies (kg:sector): a chip designer and a cloud, two AI labs,
        # an investor and a start-up; an entity with no sector (a person, a product, a discovered name) is its type
        sa, sb = sectors.get(a.id_) or a.label_, sectors.get(b.id_) or b.label_
        feats.append(_F_S[(sa, sb)])
        if sa == sb and a.label_ == "Company" and b.label_ == "Company" and a.id_ in sectors:
            feats.append("S:same")
    if cfg.get("known") and known:
        # what is already known of the two (ontology/known.yaml: relations read in other texts): the
        # relation and its direction, so the words of this sentence need say less
        kinds = known.get((a.id_, b.id_))
        if kinds:
            feats += map(_F_K.__getitem__, kinds)
            feats.append("K:any")
    return feats


# the words that join the items of a list ("A, B and C", "A、B和C"; commas and 、 are no words of their own);
# not 与 nor 跟, which also say "with" ("X 与 A、B 和 C 竞争": X is no item of the list)
_LIST_JOINERS = frozenset({",", "和", "及", "以", "或", "and", "or", "&", "plus"})


def _list_run(toks: list, ments: list, k: int) -> tuple[int, int]:
    """The first and last index in ``ments`` of the list the mention ``ments[k]`` is an item of: the
    mentions of its type next to it with only list words (or nothing) between each two."""
    word = toks[ments[k]]
    lo = hi = k
    while lo > 0 and toks[ments[lo - 1]] == word and all(
            t in _LIST_JOINERS for t in toks[ments[lo - 1] + 1:ments[lo]]):
        lo -= 1
    while hi + 1 < len(ments) and toks[ments[hi + 1]] == word and all(
            t in _LIST_JOINERS for t in toks[ments[hi] + 1:ments[hi + 1]]):
        hi += 1
    return lo, hi


def _runs_of(unit: Unit, i_a: int, i_b: int) -> tuple[int, int, tuple[int, int], tuple[int, int]] | None:
    """(index in ``unit.ments`` of a, of b, the list run of each: ``_list_run``) for the mentions at the word
    indices ``i_a`` and ``i_b``; None where either word is no mention."""
    ments, toks = unit.ments, unit.toks
    ka, kb = bisect_left(ments, i_a), bisect_left(ments, i_b)
    if ka >= len(ments) or kb >= len(ments) or ments[ka] != i_a or ments[kb] != i_b:
        return None
    return ka, kb, _list_run(toks, ments, ka), _list_run(toks, ments, kb)


def _enumeration(unit: Unit, i_a: int, i_b: int, typed) -> list[str]:
    """Features of a pair and the lists its mentions are items of: both items of one list of three or
    more ("E:in", and "E:in:bare" where the sentence has no trigger word of any relation: the seven big
    tech companies in brackets compete no more than any seven names do), or one of them an item of a
    list the other is not in ("E:a", "E:b": "X competes with A, B and C")."""
    runs = _runs_of(unit, i_a, i_b)
    if runs is None:
        return []
    _ka, _kb, run_a, run_b = runs
    out = []
    if run_a == run_b:
        if run_a[1] - run_a[0] >= 2:
            out += ["E:in", typed["E:in"]]
            if not _relation_trig(unit.trig):
                out += ["E:in:bare", typed["E:in:bare"]]
        return out
    if run_a[1] > run_a[0]:
        out += ["E:a", typed["E:a"]]
    if run_b[1] > run_b[0]:
        out += ["E:b", typed["E:b"]]
    return out


def _list_between(unit: Unit, i_a: int, i0: int, i1: int, i2: int, typed) -> list[str]:
    """The words between one end of a pair and the list the other end is an item of ("BTV has backed the likes
    of AngelList, Charlie, Coast, and Unit": for BTV and each item, AngelList and Unit alike, the words up to
    AngelList; after a list, the words from its last item on), as features of their own ("LB:"): a list's items
    stand in the same relation to what stands before or after the list, whatever items come between (a model
    trained with ``list_between``)."""
    runs = _runs_of(unit, i_a, i1)
    if runs is None:
        return []
    ments, toks = unit.ments, unit.toks
    ka, kb, (a_lo, a_hi), (b_lo, b_hi) = runs
    if (a_lo, a_hi) == (b_lo, b_hi):
        return []
    if b_hi > b_lo and b_lo > ka:  # b is an item of a list after a: the words up to the list's first item
        words = toks[i0:ments[b_lo]]
    elif a_hi > a_lo and a_hi < kb:  # a is an item of a list before b: the words from the list's last item on
        words = toks[ments[a_hi] + 1:i1]
    else:
        return []
    if not words or len(words) > 14:
        return []
    out = ["LB:list"] + [f"LB:{t}" for t in words] + [f"LB2:{x}_{y}" for x, y in zip(words, words[1:])]
    return out + [typed[f] for f in out[:1]]


def _list_context(unit: Unit, i_a: int, i_b: int, typed, window: int) -> list[str]:
    """The words around the list both ends of a pair are items of ("六家大模型独角兽（MiniMax、月之暗面、智谱、百川）",
    "rivals such as A, B and C", "A, B and C are racing to ...", "A, B and C all raised money this year"): the same
    for every pair of the list's items, whichever two they are ("EC:L:" the ``window`` words before its first item,
    "EC:R:" those after its last, within the sentence), so that what makes a list of rivals, of backers or of
    customers is learnt from the list's frame, not from the two commas between two of its items (a model trained
    with ``list_context``)."""
    runs = _runs_of(unit, i_a, i_b)
    if runs is None:
        return []
    _ka, _kb, run_a, run_b = runs
    if run_a != run_b:
        return []
    ments, toks = unit.ments, unit.toks
    lo, hi = ments[run_a[0]], ments[run_a[1]]
    before = [t for t in toks[max(0, lo - window):lo] if t != SENTENCE_BREAK]
    after = [t for t in toks[hi + 1:hi + 1 + window] if t != SENTENCE_BREAK]
    size = run_a[1] - run_a[0] + 1
    out = ["EC:list", f"EC:n{min(size, 4)}"] + [f"EC:L:{t}" for t in before] + [f"EC:R:{t}" for t in after]
    return out + [typed[f] for f in out[:2]]


def feature_value(feature: str, rule_scale: float, known_scale: float = 1.0) -> float:
    """A feature's value: what the rules said of the pair counts ``rule_scale``, what is already known
    of it (``K:``) ``known_scale`` (a larger value is a weaker prior on its weight: strong evidence the
    model may still overrule)."""
    if feature.startswith("RULE") or "|RULE" in feature:
        return rule_scale
    return known_scale if feature.startswith("K:") else 1.0


class RelationModel:
    """Vocabulary, weights and threshold of the linear pair classifier."""

    def __init__(self, classes: list[str], vocab: dict[str, int], coef: numpy.ndarray, intercept: numpy.ndarray,
                 threshold: float = 0.5, config: dict | None = None, triggers: dict | None = None):
        self.classes = classes
        self.vocab = vocab
        self.coef = coef  # (n_features, n_classes)
        self.intercept = intercept
        self.threshold = threshold
        # relation -> its own threshold, tuned on dev per group (core, develops+affiliatedWith); a
        # relation not named here (or a model saved without them) takes ``threshold``
        self.thresholds: dict[str, float] | None = None
        self.config = config or {}
        # relation -> the trigger words the model was trained with (its ``TW:`` features): stored with
        # the model, so editing the rules does not shift the features of a trained model (None: a model
        # saved before 2026-12-03 reads the rules' trigger words)
        self.triggers = triggers

    def _values(self) -> numpy.ndarray:
        """Each feature's value (``feature_value``), by vocabulary index."""
        vals = getattr(self, "_vals", None)
        if vals is None or len(vals) != len(self.vocab):
            scale, known = self.config.get("rule_scale", 1.0), self.config.get("known_scale", 1.0)
            vals = numpy.ones(len(self.vocab), dtype=numpy.float32)
            for f, i in self.vocab.items():
                vals[i] = feature_value(f, scale, known)
            self._vals = vals
        return vals

    def predict_many(self, pairs: list[tuple[list[str], list[int]]]) -> list[list[tuple[str, float]]]:
        """(features, allowed class indices) of many pairs -> their class probabilities, in one
        gathering of weights for all of them."""
        if not pairs:
            return []
        vals = self._values()
        get = self.vocab.get
        offsets, idx = [], []
        for feats, _allowed in pairs:
            seen = set(map(get, feats))
            seen.discard(None)
            offsets.append(len(idx))
            idx += seen
        scores = numpy.tile(self.intercept, (len(pairs), 1))
        if idx:
            idx_arr = numpy.asarray(idx)
            scaled = getattr(self, "_scaled", None)
            if scaled is None or scaled.shape != self.coef.shape:  # each weight times its feature's value, once
                scaled = self._scaled = self.coef * vals[:, None]
            contrib = scaled[idx_arr]
            offs = numpy.asarray(offsets)
            has = numpy.diff(numpy.append(offs, len(idx))) > 0  # rows with at least one known feature
            scores[has] += numpy.add.reduceat(contrib, offs[has], axis=0)
        # the classes each pair may take, marked in one assignment (row of each allowed class, its index)
        lens = [len(allowed_idx) for _feats, allowed_idx in pairs]
        cols = [i for _feats, allowed_idx in pairs for i in allowed_idx]
        mask = numpy.zeros(scores.shape, dtype=bool)
        mask[numpy.repeat(numpy.arange(len(pairs)), lens), numpy.asarray(cols, dtype=numpy.intp)] = True
        scores = numpy.where(mask, scores, -numpy.inf)
        e = numpy.exp(scores - scores.max(axis=1, keepdims=True))
        probs = numpy.round(e / e.sum(axis=1, keepdims=True), 6).tolist()
        classes = self.classes
        return [[(classes[i], row[i]) for i in allowed_idx] for row, (_feats, allowed_idx) in zip(probs, pairs)]

    def predict(self, feats: list[str], allowed_idx: list[int]) -> list[tuple[str, float]]:
        return self.predict_many([(feats, allowed_idx)])[0]

    def to_disk(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        words = sorted(self.vocab, key=self.vocab.get)
        meta = {"classes": self.classes, "threshold": self.threshold, "config": self.config, "features": words}
        if self.triggers is not None:
            meta["triggers"] = self.triggers
        if self.thresholds:
            meta["thresholds"] = dict(sorted(self.thresholds.items()))
        (path / "model.json").write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        with open(path / "weights.npz", "wb") as fh:
            numpy.savez_compressed(fh, coef=self.coef.astype(numpy.float16), intercept=self.intercept)

    @classmethod
    def from_disk(cls, path: Path) -> "RelationModel":
        path = Path(path)
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        with numpy.load(path / "weights.npz") as npz:
            coef = npz["coef"].astype(numpy.float32)
            intercept = npz["intercept"].astype(numpy.float64)
        vocab = {w: i for i, w in enumerate(meta["features"])}
        model = cls(meta["classes"], vocab, coef, intercept, float(meta["threshold"]), meta.get("config"),
                    meta.get("triggers"))
        model.thresholds = {k: float(v) for k, v in meta["thresholds"].items()} if meta.get("thresholds") else None
        return model


@Language.factory("kg_relation_model",
                  default_config={"model_dir": "", "cues": {}, "signatures": {}, "triggers": {},
                                  "product_makers": {}, "anaphora_factor": 1.0, "turn": "", "sectors": {},
                                  "known": [], "regional": []})
def make_relation_model(nlp: Language, name: str, model_dir: str, cues: dict, signatures: dict, triggers: dict,
                        product_makers: dict, anaphora_factor: float, turn: str, sectors: dict, known: list,
                        regional: list):
    return RelationScorer(cues, signatures, model_dir or None, triggers, product_makers, anaphora_factor, turn, sectors,
                          known, regional)


class RelationScorer(DiskData):
    """Scores the candidate pairs of each sentence (``doc._.kg_scored``). Without a model (while
    training) it still lists the candidates, with no probabilities."""

    def __init__(self, cues: dict, signatures: dict, model_dir: str | None = None, triggers: dict | None = None,
                 product_makers: dict | None = None, anaphora_factor: float = 1.0, turn: str = "",
                 sectors: dict | None = None, known: list | None = None, regional: list | None = None):
        self.sectors = dict(sectors or {})  # company id -> its sector (lexicon kg:sector), for the model's S: features
        self.turn_source = turn or ""  # a speaker label (relations.yaml anaphora.turn) starts a new turn
        self.turn = re.compile(turn) if turn else None
        self.anaphora_factor = float(anaphora_factor)  # a pair read through a pronoun (relations.yaml anaphora.factor)
        self.product_makers = {k: set(v) for k, v in (product_makers or {}).items()}  # model/chip -> makers
        self.cue_source = cues or {}
        self.signatures = signatures or {}
        self.symmetric = {r for r, sig in self.signatures.items() if sig.get("symmetric")}
        self.trigger_source = triggers or {}  # the rules' trigger words (the model's own, when it stores them)
        self.cues = {lang: {k: re.compile(p, re.IGNORECASE) for k, p in kinds.items() if p}
                     for lang, kinds in self.cue_source.items()}
        self.model: RelationModel | None = None
        if model_dir:  # "package": the model kg ships (a worker on another machine finds its own copy)
            folder = MODEL_DIR if model_dir == "package" else Path(model_dir)
            if not (folder / "model.json").exists():
                raise FileNotFoundError(f"{folder}: no relation model here (kg train writes one)")
            self.model = RelationModel.from_disk(folder)
        self.use_triggers(self.model.triggers if self.model is not None and self.model.triggers is not None
                          else self.trigger_source)
        self._allowed: dict[tuple[str, str], list[int]] = {}
        self._develops: dict[tuple[str, str], bool] = {}  # whether the types allow a ``develops`` class
        self._fits = self._type_fits()
        # Taiwan and Hong Kong words read as the mainland's by the model (relations.yaml ``regional``; with
        # ``regional`` in the model's config): its words and trigger words, not the names or the offsets
        self.regional = Respelling([list(pair) for pair in regional or ()])
        self.known_facts = [tuple(f) for f in known or ()]  # (subject, relation, object, sources): ontology/known.yaml
        self._sources = {src for *_, sources in self.known_facts for src in sources}
        self._all_known = self._known_index("")
        self.known = self._all_known
        self._all_makers = self._maker_index("")
        self.makers = self._all_makers

    def hide_source(self, name: str) -> None:
        """Read the known facts as if those read only from the text ``name`` were not known (training
        labels a text's pairs with what other texts say of them, never with its own gold); "" shows them all."""
        hide = name in self._sources
        self.known = self._known_index(name) if hide else self._all_known
        self.makers = self._maker_index(name) if hide else self._all_makers

    def _text(self, doc: Doc) -> str:
        """The interview's text as the model reads it: with ``regional``, Taiwan and Hong Kong words in the
        mainland's spelling (晶片 芯片, 软体 软件), each as long as the word it stands for (offsets hold)."""
        if not (self.regional and self.config.get("regional")):
            return _doc_text(doc)
        read = doc.user_data.get(_READ)  # worked out once per doc: the candidates and the features both read it
        if read is None:
            read = doc.user_data[_READ] = self.regional(_doc_text(doc))
        return read

    def _maker_index(self, hidden: str) -> dict[str, frozenset]:
        """Model / chip id -> its developers, as the known facts (``developers.yaml``, and ``known.yaml``
        without the facts read only in the text ``hidden``) and the lexicon's maker-led names tell."""
        index: dict[str, set[str]] = {pid: set(m) for pid, m in self.product_makers.items()}
        for subj, rel, obj, sources in self.known_facts:
            if rel == "develops" and not (hidden and set(sources) <= {hidden}):
                index.setdefault(obj, set()).add(subj)
        return {pid: frozenset(m) for pid, m in index.items()}

    def _stand_ins(self, doc: Doc) -> dict[str, str]:
        """With ``product`` (the model's config): model / chip id -> the one company it stands for in
        this interview ("DeepSeek 的成本约相当于 Llama 3 的 7%": Meta's model, so Meta): its developer as the
        rules read it here, else as the known facts have it; of two (a lab and its parent), the one the
        interview names, or the one it names more."""
        found = developers_read(doc._.kg_relations or [])
        named = company_counts(doc)
        out = {}
        for e in doc_mentions(doc):
            if e.label_ not in PRODUCT_TYPES or e.id_ in out:
                continue
            makers = found.get(e.id_) or self.makers.get(e.id_) or extended_makers(doc, e.id_, self.makers)
            makers = most_named(makers, named)  # of two, none where the interview names neither more
            if len(makers) == 1:
                out[e.id_] = next(iter(makers))
        return out

    def _known_index(self, hidden: str) -> dict[tuple[str, str], list[str]]:
        """(a id, b id) -> the classes the known facts give the pair (relation and direction), without
        the facts read only in the text ``hidden``."""
        index: dict[tuple[str, str], list[str]] = {}
        for subj, rel, obj, sources in self.known_facts:
            if hidden and set(sources) <= {hidden}:
                continue
            fwd, back = ("=", "=") if rel in self.symmetric else (">", "<")
            index.setdefault((subj, obj), []).append(rel + fwd)
            index.setdefault((obj, subj), []).append(rel + back)
        return {k: sorted(set(v)) for k, v in index.items()}

    def use_triggers(self, triggers: dict) -> None:
        """Read these trigger words (relation -> words) for the ``TW:`` features and the candidates
        across sentences."""
        self.triggers = {rel: re.compile(trie_regex(words)) for rel, words in sorted(triggers.items()) if words}
        every = {w for words in triggers.values() for w in words}
        self.any_trigger = re.compile(trie_regex(every)) if every else None

    def _type_fits(self) -> set[tuple[str, str]]:
        out = set()
        for sig in self.signatures.values():
            for s in sig["domain"]:
                for o in sig["range"]:
                    out.add((s, o))
                    out.add((o, s))
        return out

    def _maker_check(self, idx: list[int], a: Ref, b: Ref) -> list[int]:
        """No ``develops`` of a product whose lexicon names lead with another maker ("Meta has
        H100s": the H100 is Nvidia's)."""
        out = idx
        for cls_i in idx:
            cls = self.model.classes[cls_i]
            if not cls.startswith("develops"):
                continue
            company, product = (b, a) if cls.endswith("<") else (a, b)
            makers = self.product_makers.get(product.id_)
            if makers and company.id_ not in makers:
                out = [i for i in out if i != cls_i]
        return out

    @property
    def config(self) -> dict:
        """The settings candidates and features follow: the model's, or while training the trainer's."""
        return (self.model.config if self.model else None) or getattr(self, "train_config", None) or {}

    def candidates(self, doc: Doc):
        """(unit, a, b, via, anchor, evidence span) for each pair the types allow: the mention pairs of each
        sentence; with ``cross`` (the model's config), also the pairs of a mention of a sentence and
        one of the next sentence of the same speaker turn where one of the two is the salient entity
        of its sentence, the first person or company it names (``via`` "cross", marked "-a" / "-b" for
        which; a pair both sentences already hold on their own is left to them), and, where a sentence leaves its subject unsaid
        (no person or company before its first trigger word), the salient entity of the sentence
        before (its first person or company) as that subject (``via`` "drop"); with ``round``, where a
        sentence speaks of a funding round it does not name the company of ("Sequoia led the round"),
        that company (the round the text told last: ``doc._.kg_rounds``) with each name of the sentence
        (``via`` "round"). ``anchor`` is the start of b's sentence."""
        text = self._text(doc)
        low = text.lower()
        if len(low) != len(text):
            low = None
        cfg = self.config
        refs = self._refs(doc, cfg)
        max_gap = cfg.get("max_gap", 160)
        cross = cfg.get("cross", False)
        cross_gap = cfg.get("cross_gap", 200)
        prev = None  # (unit, mentions after the label, ids, salient ref) of the previous sentence of the turn
        topic = self._topic(doc, cfg)
        # with ``round``: the company whose funding round a sentence speaks of without naming it
        # ("Sequoia led the round, with A and B joining"; doc._.kg_rounds, from kg_relations' round pass)
        rounds = {s0: company for s0, _s1, company in (doc._.kg_rounds or ())} \
            if cfg.get("round") and Doc.has_extension("kg_rounds") else {}
        stand_ins = self._stand_ins(doc) if cfg.get("product") else None
        # each sentence's mentions: from the first that starts in it up to the first that ends after it
        # (the mentions rise by start; by bisection where their ends rise too, as they do but for a
        # pronoun inside a mention)
        r_starts = [r.start_char for r in refs]
        r_ends = [r.end_char for r in refs]
        ends_rise = all(x <= y for x, y in zip(r_ends, r_ends[1:]))
        n_refs = len(refs)
        k = 0
        for sent in sentence_bounds(doc):
            k = bisect_left(r_starts, sent[0], k)
            if ends_rise:
                j = bisect_right(r_ends, sent[1], k)
            else:
                j = k
                while j < n_refs and r_ends[j] <= sent[1]:
                    j += 1
            if j == k:
                prev = None  # a sentence that names nothing: no pair, and nothing for the next one
                continue
            ments = refs[k:j]
            body = sent[0]
            if cross and self.turn is not None:
                label = self.turn.match(text, *sent)
                if label:
                    prev, body = None, label.end()
            if len(ments) < 2 and not (cross and prev is not None) and topic is None and sent[0] not in rounds:
                prev = None if not cross else self._next_prev(text, low, sent, ments, body, prev, None)
                continue
            lang = _lang(text, *sent)
            unit = Unit.of_sentence(text, low, sent, ments, lang, self.triggers, self.cues.get(lang, {}).get("question"),
                                    self.any_trigger)
            for x, a in enumerate(ments):
                for y in range(x + 1, len(ments)):
                    b = ments[y]
                    if b.start_char - a.end_char > max_gap:
                        break
                    if a.id_ == b.id_ or (a.label_, b.label_) not in self._fits or b.start_char < a.end_char:
                        continue
                    if b.anaphor and b.via == "speaker" and a.start_char < body:
                        continue  # the speaker's label and their own "we": the interview's affiliation, not this sentence's
                    yield unit, a, b, "", sent[0], sent
            if stand_ins:
                yield from self._product_pairs(unit, ments, stand_ins, body, max_gap, sent)
            topic_here = False
            if topic is not None and _relation_trig(unit.trig) and not any(m.id_ == topic for m in ments) and not (
                    cfg.get("topic_unsaid") and _named_before_trigger(unit, ments, body)):
                # the interview's topic, unnamed in a sentence that holds a trigger word, with each entity it names
                for pair in self._unnamed_pairs(unit, ments, topic, "topic", body, max_gap, sent):
                    topic_here = True
                    yield pair
            funded = rounds.get(sent[0])
            if funded is not None and not any(m.id_ == funded for m in ments):
                # the round's company, unnamed in a sentence that speaks of its round, with each entity it names
                yield from self._unnamed_pairs(unit, ments, funded, "round", body, max_gap, sent)
            if not cross:
                continue
            if prev is not None:
                _u, p_ments, p_ids, salient, p_sent, _m = prev
                here = {m.id_ for m in ments}
                dropped = None
                if salient is not None and salient.id_ not in here and not (topic_here and salient.id_ == topic):
                    first = unit.first_trigger(body)
                    if first is not None and not any(m.start_char < first and m.label_ in _SUBJECTS for m in ments
                                                     if m.start_char >= body):
                        dropped = Ref(salient.id_, salient.label_, body, body, True, "topic")
                if dropped is not None:
                    for b in ments:
                        if b.start_char >= body and b.id_ != dropped.id_ and (dropped.label_, b.label_) in self._fits \
                                and b.start_char - body <= max_gap:
                            yield unit, dropped, b, "drop", sent[0], (p_sent[0], sent[1])
                lead = next((m for m in ments if m.start_char >= body and m.label_ in _SUBJECTS), None)
                nearest: dict[tuple[str, str], tuple[Ref, Ref]] = {}  # the closest mentions of each pair of entities
                for a in p_ments:
                    for b in ments:
                        if b.start_char - a.end_char > cross_gap or a.id_ == b.id_ or a.id_ in here or b.id_ in p_ids:
                            continue
                        if (a.label_, b.label_) not in self._fits:
                            continue
                        if dropped is not None and a.id_ == dropped.id_:
                            continue  # read as the unsaid subject instead
                        if a is not salient and b is not lead:
                            continue  # neither end is what its sentence is about
                        key = (a.id_, b.id_)
                        cur = nearest.get(key)
                        if cur is None or (a.start_char, -b.start_char) > (cur[0].start_char, -cur[1].start_char):
                            nearest[key] = (a, b)
                joined = None
                p_unit = self._unit_of(text, low, prev) if nearest else None
                for a, b in nearest.values():
                    # a relation told across two sentences has its trigger word between the mentions
                    if not (_trigger_in(p_unit.trig, a.end_char, p_unit.s1) or _trigger_in(unit.trig, unit.s0, b.start_char)):
                        continue
                    if joined is None:
                        joined = p_unit.joined(unit)
                    # which ends are their sentence's salient entity (its first person or company)
                    yield joined, a, b, "cross" + ("-a" if a is salient else "") + ("-b" if b is lead else ""), \
                        sent[0], (joined.s0, joined.s1)
            prev = self._next_prev(text, low, sent, ments, body, prev, unit)

    def _unnamed_pairs(self, unit: "Unit", ments: list, company: str, via: str, body: int, max_gap: int, sent):
        """``company``, which the sentence does not name (the interview's topic, a round's company), paired
        with each entity the sentence names after its speaker's label, once each (``via`` "topic" / "round";
        the company stands at the start of the sentence's body)."""
        seen = set()
        for b in ments:
            if b.start_char < body or b.id_ in seen or ("Company", b.label_) not in self._fits \
                    or b.start_char - body > max_gap:
                continue
            seen.add(b.id_)
            yield unit, Ref(company, "Company", body, body, True, via), b, via, sent[0], sent

    def _product_pairs(self, unit: "Unit", ments: list, stand_ins: dict[str, str], body: int, max_gap: int, sent):
        """The company pairs of one sentence where a model or chip stands for its company (``via``
        "product"): its maker with each company the sentence names, and the makers of two products; not
        where the sentence names the maker itself (its own pairs are there)."""
        here = {m.id_ for m in ments}
        ends = []
        for m in ments:
            if m.start_char < body:
                continue
            if m.label_ == "Company":
                ends.append(m)
            elif m.label_ in PRODUCT_TYPES:
                maker = stand_ins.get(m.id_)
                if maker is not None and maker not in here:
                    ends.append(Ref(maker, "Company", m.start_char, m.end_char, m.anaphor, "product"))
        seen = set()
        for x, a in enumerate(ends):
            for b in ends[x + 1:]:
                if b.start_char - a.end_char > max_gap:
                    break
                if a.id_ == b.id_ or (a.via != "product" and b.via != "product") or (a.id_, b.id_) in seen:
                    continue
                seen.add((a.id_, b.id_))  # one pair of the two companies per sentence: the first
                yield unit, a, b, "product", sent[0], sent

    @staticmethod
    def _topic(doc: Doc, cfg: dict) -> str | None:
        """With ``topic`` (the model's config: the least number of mentions), the company the interview
        is about: the one it names most often, at least ``topic`` times and ``topic_lead`` times as
        often as the next."""
        least = cfg.get("topic")
        if not least:
            return None
        ranked = sorted(company_counts(doc).items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < least or (len(ranked) > 1 and ranked[0][1] < cfg.get("topic_lead", 1.5) * ranked[1][1]):
            return None
        return ranked[0][0]

    @staticmethod
    def _refs(doc: Doc, cfg: dict) -> list[Ref]:
        """The mentions and resolved pronouns the candidates pair; with ``speaker`` (the model's config),
        also a speaker's "we" (in a two-party interview, the addressee's "你们" / "you guys") as the rules
        read it: the company the interview ties that person to (``doc._.kg_speaker_refs``)."""
        refs = _refs(doc)
        extra = doc._.kg_speaker_refs if cfg.get("speaker") and Doc.has_extension("kg_speaker_refs") else None
        if extra:
            refs = sorted(refs + list(extra), key=lambda r: r.start_char)
        return refs

    def _next_prev(self, text, low, sent, ments, body, prev, unit):
        """What the next sentence needs of this one: its unit (made when a pair needs it), its
        mentions after the label, their ids and its salient entity (the first person or company it
        names)."""
        named = [m for m in ments if m.start_char >= body]
        if not named:
            return None
        salient = next((m for m in named if m.label_ in _SUBJECTS), None)
        return [unit, named, {m.id_ for m in named}, salient, sent, ments]

    def _unit_of(self, text, low, prev) -> Unit:
        if prev[0] is None:
            sent, ments = prev[4], prev[5]
            lang = _lang(text, *sent)
            prev[0] = Unit.of_sentence(text, low, sent, ments, lang, self.triggers,
                                       self.cues.get(lang, {}).get("question"), self.any_trigger)
        return prev[0]

    def rule_hits(self, doc: Doc) -> dict[tuple, list[str]]:
        """(sentence start, a id, b id) -> features naming what the rules said of the pair."""
        hits: dict[tuple, list[str]] = {}
        starts = [s0 for s0, _ in sentence_bounds(doc)]
        for rel in doc._.kg_relations or []:
            base = rel.rule.split("+")[0]
            s0 = starts[max(0, bisect_right(starts, rel.sent_start) - 1)] if starts else rel.sent_start
            for key, arrow in (((s0, rel.subject, rel.object), ">"), ((s0, rel.object, rel.subject), "<")):
                name = rel.predicate + ("=" if rel.predicate in self.symmetric else arrow)
                hits.setdefault(key, []).extend([f"RULE:{name}", f"RULEID:{base}|{arrow}"])
        return hits

    def pair_features(self, doc: Doc):
        """(evidence span, a, b, status, cue, features, via, anchor) of every candidate pair; the
        evidence span is the sentence, or both sentences of a cross-sentence pair."""
        text = self._text(doc)
        hits = self.rule_hits(doc)
        cfg = self.config
        for unit, a, b, marks, anchor, span in self.candidates(doc):
            via = marks.split("-")[0]  # "cross-a": a cross pair whose a is its sentence's salient entity
            cues = self.cues.get(unit.lang, {})
            key = (anchor, a.id_, b.id_)
            rule_hits = hits.get(key, []) if via != "cross" else []
            between, before = text[a.end_char:b.start_char], text[unit.s0:a.start_char]
            past_from = _past_from(unit, text, a.end_char, b.start_char)
            if rule_hits:
                # a rule read this pair here: the rules' own reading of questions, negations and
                # hypotheticals is finer (an asked last clause, a negation the trigger spells out);
                # the rules read no past cue ("former Google engineer X": a tie, and a past one)
                state, cue = past_status(cues, between, before, past_from)
            else:
                state, cue = status(cues, unit.asked, between, before, text[b.end_char:unit.s1], past_from)
            yield span, a, b, state, cue, features(unit, a, b, rule_hits, state, cfg, marks, self.sectors, self.known),\
                via, anchor

    def __call__(self, doc: Doc) -> Doc:
        out: list[ScoredPair] = []
        doc._.kg_scored = out
        if self.model is None:
            return doc
        pairs, batch = [], []
        allowed_of = self._allowed
        for sent, a, b, state, cue, feats, via, anchor in self.pair_features(doc):
            key = (a.label_, b.label_)
            idx = allowed_of.get(key)
            if idx is None:
                idx = allowed_of[key] = allowed(self.signatures, self.model.classes, *key)
                self._develops[key] = any(self.model.classes[i].startswith("develops") for i in idx)
            pairs.append((sent, a, b, state, cue, via, anchor))
            # only a pair whose types allow ``develops`` can lose a class to the makers' check
            batch.append((feats, self._maker_check(idx, a, b) if self._develops[key] else idx))
        factor = self.anaphora_factor
        known = self.known if self.config.get("known") else {}
        for (sent, a, b, state, cue, via, anchor), probs in zip(pairs, self.model.predict_many(batch)):
            if a.anaphor or b.anaphor or via:  # a pronoun's (or the sentence before's) reading is itself a guess: the rules' discount
                probs = [(c, q if c == "none" else round(q * factor, 6)) for c, q in probs]
            out.append(_scored_pair(a.id_, b.id_, a.label_, b.label_, sent[0], sent[1], tuple(probs), state, cue,
                                    via, anchor if via else -1, tuple(known.get((a.id_, b.id_), ()))))
        return doc

    # spaCy serialisation: settings in data.json (DiskData), the model's files in model/
    def to_disk(self, path, exclude=tuple()):
        super().to_disk(path, exclude)
        if self.model is not None:
            self.model.to_disk(Path(path) / "model")

    def from_disk(self, path, exclude=tuple()):
        state = json.loads((Path(path) / "data.json").read_text(encoding="utf-8"))
        args = _decode(state["args"])
        args["model_dir"] = str(Path(path) / "model") if (Path(path) / "model" / "model.json").exists() else None
        self.setup(**args)
        return self


# ------------------------------------------------------------------ one interview

@dataclass(frozen=True)
class DocRelation:
    """A relation of one interview with one of its evidence sentences."""

    subject: str
    predicate: str
    object: str
    sent_start: int
    sent_end: int
    confidence: float  # this sentence's probability
    doc_confidence: float  # the interview's, all its sentences together
    status: str
    rule: str
    trigger: str


def aggregate(scored: list[ScoredPair], rule_relations: list, signatures: dict, threshold: float,
              top_k: int = 3, evidence_floor: float = 0.2, rule_min: float = 0.0,
              thresholds: dict[str, float] | None = None, bare: dict[str, float] | None = None) -> list[DocRelation]:
    """Relations of one interview from its scored pairs. A sentence's probability for a relation is
    the model's, or, where a rule read the same relation there, the noisy-OR of the model's and the
    rule's confidence (two votes; the rules are labelling functions of known precision). A
    relation's probability is the noisy-OR of its ``top_k`` best sentences (several weak sentences
    can make one confident relation); it is asserted at or above ``threshold`` (or the relation's
    own, in ``thresholds``), with every sentence at or above ``evidence_floor`` (and the best one)
    as evidence. Questions, negations and hypotheticals give nothing. Relations the rules
    found between entities the model does not pair (a speaker's "we", a maker named in a product's
    name, an unsaid subject) keep the rule's confidence (at or above ``rule_min``). ``bare`` (relation ->
    threshold) asks more of a relation that only the model read: no rule read it in any of its sentences
    and ontology/known.yaml does not hold it."""
    symmetric = {r for r, s in signatures.items() if s.get("symmetric")}
    spans = sorted({(sp.at, sp.sent_end) for sp in scored})  # each pair's last sentence
    starts = [s0 for s0, _ in spans]

    def sentence_of(pos: int) -> int:  # a rule's evidence may start after a speaker label
        i = bisect_right(starts, pos) - 1
        return starts[i] if i >= 0 and pos < spans[i][1] else pos

    rules_at: dict[tuple, list] = {}
    for rel in rule_relations:
        rules_at.setdefault((sentence_of(rel.sent_start), frozenset((rel.subject, rel.object))), []).append(rel)
    covered: set[tuple] = set()
    by_rel: dict[tuple, dict[int, tuple[float, ScoredPair]]] = {}
    for sp in scored:
        at = sp.at  # the sentence the pair votes for (b's, for a pair across two sentences)
        key = (at, frozenset((sp.a, sp.b)))
        if sp.via != "cross":  # an unsaid subject is read in b's sentence, as the rules read it
            covered.add(key)
        if sp.status in DROPPED:
            continue
        for s, rel, o, p in sp.relations():
            # a rule that read this relation in this sentence is a second, independent vote
            for r in (rules_at.get(key, ()) if sp.via != "cross" else ()):
                if r.predicate == rel and (r.subject == s or rel in symmetric):
                    p = round(1.0 - (1.0 - p) * (1.0 - r.confidence), 6)
                    break
            if rel in symmetric and o < s:
                s, o = o, s
            by_rel.setdefault((s, rel, o), {})
            best = by_rel[(s, rel, o)].get(at)
            if best is None or p > best[0]:  # one sentence, one vote: its best pair of mentions
                by_rel[(s, rel, o)][at] = (p, sp)
    out: list[DocRelation] = []
    for (s, rel, o), per_sentence in by_rel.items():
        items = sorted(per_sentence.values(), key=lambda x: (-x[0], x[1].sent_start, x[1].at))
        miss = 1.0
        for p, _ in items[:top_k]:
            miss *= 1.0 - p
        pdoc = round(1.0 - miss, 6)
        if pdoc < (thresholds.get(rel, threshold) if thresholds else threshold):
            continue
        if bare and rel in bare and pdoc < bare[rel] and not any(
                (rel + ("=" if rel in symmetric else ">" if s == sp.a else "<")) in sp.known
                or (sp.via != "cross" and any(r.predicate == rel for r in rules_at.get((sp.at, frozenset((s, o))), ())))
                for _p, sp in items):
            continue
        for rank, (p, sp) in enumerate(items):
            if rank and p < evidence_floor:
                break
            fired = [r for r in rules_at.get((sp.at, frozenset((s, o))), []) if r.predicate == rel] \
                if sp.via != "cross" else []
            # "+known": ontology/known.yaml already held this relation of the pair (the model weighed it)
            cls = rel + ("=" if rel in symmetric else ">" if s == sp.a else "<")
            rule = "model" + ("+" + sp.via if sp.via else "") + ("+known" if cls in sp.known else "") + \
                ("|" + fired[0].rule if fired else "")
            out.append(DocRelation(s, rel, o, sp.sent_start, sp.sent_end, p, pdoc, sp.status, rule,
                                   fired[0].trigger if fired else ""))
    for rel in rule_relations:
        if (sentence_of(rel.sent_start), frozenset((rel.subject, rel.object))) in covered or rel.confidence < rule_min:
            continue
        s, o = rel.subject, rel.object
        if rel.predicate in symmetric and o < s:
            s, o = o, s
        out.append(DocRelation(s, rel.predicate, o, rel.sent_start, rel.sent_end, rel.confidence, rel.confidence,
                               "asserted", rel.rule, rel.trigger))
    out.sort(key=lambda r: (r.sent_start, r.predicate, r.subject, r.object))
    return out
