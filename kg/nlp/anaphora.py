"""Pronouns that stand for a company or a person (``kg_anaphora`` component).

Interviews are talk: "在 OpenAI 这方面……他们对 4o 的演示" names the company once and then says
"they". This component resolves such pronouns to the most *salient* entity of the fitting type,
a small form of centering: each entity mentioned (or referred to by a resolved pronoun) in the
last ``window`` sentences of the same speaker turn scores ``decay ** distance``, twice that when it
is the first reference of its type in its sentence (the likely subject); the pronoun goes to the
highest score, and only when it leads the runner-up by ``margin`` and no other entity of the type
is named earlier in the pronoun's own sentence. A speaker label ("Ben:", "**Nat Friedman:**") starts a
new turn and forgets the centre.

Results go to ``doc._.kg_anaphora``: ``(start_char, end_char, entity_id, type)`` tuples. They are
not mentions (no ``doc.ents``, no labels or counts); ``kg_relations`` uses them as slot fillers with
a lower confidence, so "他们对 4o 的演示" can still say who develops 4o.

First-person pronouns in a turn whose speaker label names a person are recorded in
``doc._.kg_first_person`` as ``(start_char, end_char, speaker_id, number)``: "我" / "I" is the
speaker ("singular"); "我们" / "we" is usually the speaker's company ("plural"), which
``kg_relations`` learns from the interview's own affiliatedWith relations. Second-person pronouns
("你" / "you", "你们") in a turn stand for the *addressee*: in an interview whose speaker labels name
exactly two people, or one person and a host label that names nobody ("主持人：", "Host:"), the
addressee of each turn is the other party; they are recorded in ``doc._.kg_first_person`` too,
with the addressee as the person. ``doc._.kg_speakers`` lists ``(sent_start, sent_end, speaker_id)``
for every sentence of a turn whose label names a person (rules whose object is "the speaker's
company" use it).

A label that names no one may still stand for the interview's *guest*: the answer of a question-and-answer
interview ("A:", "答："), the guest's own label ("Guest:", "嘉宾："), and, of a machine transcript's anonymous
speakers ("SPEAKER_01:", "Speaker 2:"), the one who says the most (``answerer`` and ``anonymous_speaker``). The
guest is the person the text names first within ``guest_reach`` characters of its start (its title and
introduction) and, among those, most often; none such, no guest. The host's label stays a label that names
nobody, so the host's "you" is the guest.

Pronoun patterns are data (``anaphora:`` in ``ontology/relations.yaml``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .ents import mentions as doc_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text
from .prefilter import SentenceIndex, pattern_literals
from .serialise import DiskData
from .sentences import sentence_bounds

if not Doc.has_extension("kg_anaphora"):
    Doc.set_extension("kg_anaphora", default=None)
if not Doc.has_extension("kg_first_person"):
    Doc.set_extension("kg_first_person", default=None)
if not Doc.has_extension("kg_speakers"):
    Doc.set_extension("kg_speakers", default=None)

_CJK = re.compile(r"[\u3400-\u9fff]")
_QUESTION = re.compile(r"[?？]\s*[\"'”’)）]*\s*$|吗\s*[。.!]?\s*$")
_TURN, _ASKS = ("turn",), ("asks",)  # the index's keys of the speaker label and of the question
_CUES = frozenset({_TURN, _ASKS})


@Language.factory("kg_anaphora", default_config={"config": {}})
def make_anaphora(nlp: Language, name: str, config: dict):
    return AnaphoraResolver(config)


class AnaphoraResolver(DiskData):
    def __init__(self, config: dict):
        config = config or {}
        self.window = int(config.get("window", 6))
        self.decay = float(config.get("decay", 0.7))
        self.margin = float(config.get("margin", 1.5))
        self.turn = re.compile(config["turn"]) if config.get("turn") else None
        # labels that stand for the interview's guest (see the module's docstring)
        self.answerer = re.compile(config["answerer"]) if config.get("answerer") else None
        self.anonymous = re.compile(config["anonymous_speaker"]) if config.get("anonymous_speaker") else None
        self.guest_reach = int(config.get("guest_reach", 0))
        self.pronouns = {
            lang: [(t, re.compile(p, 0 if lang == "zh" else re.IGNORECASE)) for t, p in by_type.items()]
            for lang, by_type in (config.get("pronouns") or {}).items()
        }
        # "I" is matched case-sensitively: lower-case "i" is not a pronoun
        self.first_person = [(number, lang, re.compile(p))
                             for number, by_lang in (config.get("first_person") or {}).items()
                             for lang, p in by_lang.items()]
        self.second_person = [(number, lang, re.compile(p))
                              for number, by_lang in (config.get("second_person") or {}).items()
                              for lang, p in by_lang.items()]
        # the sentences each pattern may match in, found for all patterns in one pass over the text:
        # the pronouns, the speaker label (``_TURN``) and the question (``_ASKS``)
        patterns = {("first", i): rx for i, (_, _, rx) in enumerate(self.first_person)}
        patterns.update({("second", i): rx for i, (_, _, rx) in enumerate(self.second_person)})
        patterns.update({(lang, t): rx for lang, pairs in self.pronouns.items() for t, rx in pairs})
        if self.turn is not None:
            patterns[_TURN] = self.turn
        patterns[_ASKS] = _QUESTION
        self.index = SentenceIndex({key: pattern_literals(rx.pattern, rx.flags) for key, rx in patterns.items()},
                                   folded={key for key, rx in patterns.items() if rx.flags & re.IGNORECASE})
        # each language's patterns with their keys in the index
        langs = {lang for _, lang, _ in self.first_person + self.second_person} | set(self.pronouns)
        self.first_by_lang = {lang: [(("first", i), number, rx) for i, (number, pattern_lang, rx)
                                     in enumerate(self.first_person) if pattern_lang == lang] for lang in langs}
        self.second_by_lang = {lang: [(("second", i), number, rx) for i, (number, pattern_lang, rx)
                                      in enumerate(self.second_person) if pattern_lang == lang] for lang in langs}
        self.pronouns_by_lang = {lang: [((lang, t), t, rx) for t, rx in self.pronouns.get(lang, [])] for lang in langs}
        # decay ** distance, for the distances inside the window
        self.weights = [self.decay ** d for d in range(max(self.window, 0))]

    def __call__(self, doc: Doc) -> Doc:
        resolved: list[tuple[int, int, str, str]] = []
        first_person: list[tuple[int, int, str, str]] = []
        speakers: list[tuple[int, int, str]] = []
        doc._.kg_anaphora = resolved
        doc._.kg_first_person = first_person
        doc._.kg_speakers = speakers
        if not self.pronouns:
            return doc
        text = doc_text(doc)
        ents = [_Ent(e.start_char, e.end_char, e.id_, e.label_) for e in doc_mentions(doc)]  # read once
        bounds = sentence_bounds(doc)
        # the pronoun patterns, the speaker label and the question each sentence may hold (a
        # sentence without their literals: none)
        may = self.index.marks(text, [b[0] for b in bounds], [b[1] for b in bounds])
        nothing: frozenset = frozenset()
        # each sentence's speaker label, read once for the parties and the turns
        labels = None
        if self.turn is not None and _TURN in self.index.always:  # no literal to look for
            labels = [self.turn.match(text, s0, s1) for s0, s1 in bounds]
        elif self.turn is not None:
            labels = [None] * len(bounds)
            for idx, keys in may.items():
                if _TURN in keys:
                    labels[idx] = self.turn.match(text, *bounds[idx])
        question_anywhere = _ASKS in self.index.always
        short_names = _short_names(text, ents)
        guest_labels = self._guest_labels(text, bounds, labels)
        guest = self._guest(ents) if guest_labels else None
        if guest is None:
            guest_labels = frozenset()
        parties = self._parties(doc, text, ents, short_names, labels, guest_labels, guest)
        history: list[tuple[int, str, str, float]] = []  # (sentence index, entity id, type, weight)
        speaker: str | None = None  # the person named by the current turn's label
        addressee: str | None = None  # the other party of the interview, for "你" / "you"
        k = 0
        n_ents = len(ents)
        asked: int | None = None  # the last sentence that asks, if it was the last to name someone
        window = self.window
        for idx, (s0, s1) in enumerate(bounds):
            label_end = s0
            here = may.get(idx, nothing)
            if labels is not None:
                m = labels[idx]
                if m:
                    # a new turn forgets the centre, except the question it answers names it:
                    # "岚图是做什么的？" — "他们做推理云" ("谷歌做得很好。" — "他们…": no antecedent)
                    last = history[-1][0] if history else None  # history is in sentence order
                    history[:] = [h for h in history if h[0] == last == asked]
                    label_end = m.end()
                    speaker = None
            while k < n_ents and ents[k].start_char < s0:
                k += 1
            if label_end > s0:
                speaker = _labelled(ents, k, text[s0:label_end], label_end, short_names, guest_labels, guest)
                addressee = self._addressee(parties, speaker)
            if speaker is not None:
                speakers.append((s0, s1, speaker))
            # a name or a pronoun may stand here (a sentence that may hold only a label or a question: none)
            if (k < n_ents and ents[k].end_char <= s1) or (here and not _CUES.issuperset(here)):
                self._sentence(text, idx, s0, s1, label_end, k, ents, here, speaker, addressee, history,
                               resolved, first_person)
            # history is in sentence order: what fell out of the window is at its head
            stale = 0
            while stale < len(history) and idx - history[stale][0] >= window:
                stale += 1
            if stale:
                del history[:stale]
            if (question_anywhere or _ASKS in here) and _QUESTION.search(text, s0, s1):
                asked = idx
        return doc

    def _sentence(self, text: str, idx: int, s0: int, s1: int, label_end: int, k: int, ents: list, here,
                  speaker: str | None, addressee: str | None, history: list, resolved: list,
                  first_person: list) -> None:
        """One sentence ``idx`` (``[s0, s1)``, its label up to ``label_end``; ``ents[k]`` its first
        name, ``here`` the keys of the patterns it may match): its first- and second-person
        pronouns, its pronouns resolved to the centre of ``history``, and its references added to it."""
        refs: list[tuple[int, int, str, str, bool]] = []  # (start, end, id, type, is_pronoun)
        j = k
        while j < len(ents) and ents[j].end_char <= s1:
            e = ents[j]
            if e.start_char >= label_end:
                refs.append((e.start_char, e.end_char, e.id_, e.label_, False))
            j += 1
        if here:
            lang = "zh" if _CJK.search(text, s0, s1) else "en"
            taken = [(r[0], r[1]) for r in refs]
            if speaker is not None:
                for key, number, pattern in self.first_by_lang.get(lang, ()):
                    if key in here:
                        first_person.extend(
                            (m.start(), m.end(), speaker, number) for m in pattern.finditer(text, label_end, s1)
                            if not any(a < m.end() and m.start() < b for a, b in taken))
            if self.turn is not None and addressee is not None:
                for key, number, pattern in self.second_by_lang.get(lang, ()):
                    if key in here:
                        first_person.extend(
                            (m.start(), m.end(), addressee, number) for m in pattern.finditer(text, label_end, s1)
                            if not any(a < m.end() and m.start() < b for a, b in taken))
            for key, type_name, pattern in self.pronouns_by_lang.get(lang, ()):
                if key not in here:
                    continue
                for m in pattern.finditer(text, label_end, s1):
                    if not any(a < m.end() and m.start() < b for a, b in taken):
                        refs.append((m.start(), m.end(), "", type_name, True))
                        taken.append(m.span())
        if not refs:
            return
        refs.sort()
        first_of_type: set[str] = set()
        named_here: dict[str, set[str]] = {}  # type -> entities named earlier in this sentence
        for start, end, entity_id, type_name, is_pronoun in refs:
            if is_pronoun:
                entity_id = self._centre(history, idx, type_name)
                if entity_id is None or named_here.get(type_name, {entity_id}) != {entity_id}:
                    continue  # no centre, or the sentence itself names a rival antecedent
                resolved.append((start, end, entity_id, type_name))
            else:
                named_here.setdefault(type_name, set()).add(entity_id)
            weight = 1.0 if type_name in first_of_type else 2.0
            first_of_type.add(type_name)
            history.append((idx, entity_id, type_name, weight))

    def _guest_labels(self, text: str, bounds: list[tuple[int, int]], labels: list | None) -> frozenset[str]:
        """The labels (``_label_key``) that stand for the guest: an answerer's ("A:", "嘉宾："), and the anonymous
        speaker's who says the most of two or more ("SPEAKER_01:")."""
        if labels is None or (self.answerer is None and self.anonymous is None):
            return frozenset()
        out: set[str] = set()
        said: dict[str, int] = {}
        for (s0, s1), m in zip(bounds, labels):
            if not m:
                continue
            label = text[s0:m.end()]
            if self.answerer is not None and self.answerer.fullmatch(label):
                out.add(_label_key(label))
            elif self.anonymous is not None and self.anonymous.fullmatch(label):
                key = _label_key(label)
                said[key] = said.get(key, 0) + s1 - m.end()
        if len(said) >= 2:
            ranked = sorted(said.items(), key=lambda kv: (-kv[1], kv[0]))
            if ranked[0][1] > ranked[1][1]:
                out.add(ranked[0][0])
        return frozenset(out)

    def _guest(self, ents: list) -> str | None:
        """The interview's guest: of the people named within ``guest_reach`` characters of the text's start, the
        one named most often (the first named of those tied)."""
        first: dict[str, int] = {}
        count: dict[str, int] = {}
        for e in ents:
            if e.label_ == "Person":
                first.setdefault(e.id_, e.start_char)
                count[e.id_] = count.get(e.id_, 0) + 1
        early = [i for i, at in first.items() if at < self.guest_reach]
        return max(early, key=lambda i: (count[i], -first[i])) if early else None

    def _parties(self, doc: Doc, text: str, ents: list, short_names: dict[str, set[str]],
                 labels: list | None = None, guest_labels: frozenset = frozenset(),
                 guest: str | None = None) -> tuple[set[str], bool] | None:
        """The people named by speaker labels (a guest's label names the guest), and whether some label names
        nobody (a host label). ``labels``: each sentence's match of the turn pattern, if already read."""
        if self.turn is None:
            return None
        people: set[str] = set()
        anonymous = False
        k = 0
        bounds = sentence_bounds(doc)
        for i in ([i for i, m in enumerate(labels) if m] if labels is not None else range(len(bounds))):
            s0, s1 = bounds[i]
            m = labels[i] if labels is not None else self.turn.match(text, s0, s1)
            if not m:
                continue
            while k < len(ents) and ents[k].start_char < s0:
                k += 1
            who = _labelled(ents, k, text[s0:m.end()], m.end(), short_names, guest_labels, guest)
            if who is None:
                anonymous = True
            else:
                people.add(who)
        return people, anonymous

    @staticmethod
    def _addressee(parties: tuple[set[str], bool] | None, speaker: str | None) -> str | None:
        """Whom a turn of ``speaker`` addresses: the other party of a two-party interview."""
        if parties is None:
            return None
        people, anonymous = parties
        if speaker is None:
            return next(iter(people)) if anonymous and len(people) == 1 else None
        others = people - {speaker}
        if len(others) == 1 and len(people) == 2:
            return next(iter(others))
        if not others and anonymous:
            return None  # the guest speaking to an unnamed host
        return None

    def _centre(self, history: list[tuple[int, str, str, float]], idx: int, type_name: str) -> str | None:
        scores: dict[str, float] = {}
        last: dict[str, int] = {}
        window, weights = self.window, self.weights
        for n, (i, entity_id, t, weight) in enumerate(history):
            if t != type_name or idx - i >= window:
                continue
            scores[entity_id] = scores.get(entity_id, 0.0) + weight * weights[idx - i]  # decay ** (idx - i)
            last[entity_id] = n
        if not scores:
            return None
        if len(scores) == 1:  # one candidate: no runner-up to lead
            return next(iter(scores))
        ranked = sorted(scores, key=lambda e: (round(scores[e], 6), last[e]), reverse=True)
        if len(ranked) > 1 and scores[ranked[0]] < self.margin * scores[ranked[1]]:
            return None  # two candidates about equally salient: leave the pronoun alone
        return ranked[0]


class _Ent(NamedTuple):
    start_char: int
    end_char: int
    id_: str
    label_: str


def _short_names(text: str, ents: list) -> dict[str, set[str]]:
    """First and last names of the people the document names in full: "Rafael" -> the person
    "Rafael Okonkwo-Bright", for speaker labels that give only one of them ("**Rafael:**")."""
    out: dict[str, set[str]] = {}
    for e in ents:
        if e.label_ != "Person":
            continue
        words = text[e.start_char:e.end_char].split()
        if len(words) >= 2:
            for word in (words[0], words[-1]):
                out.setdefault(word.casefold(), set()).add(e.id_)
    return out


def _label_key(label: str) -> str:
    """A speaker label as a key, without its emphasis, spaces and colon: "**Rafael:**" is "rafael", "SPEAKER_01："
    and "_SPEAKER_01:_" are one speaker."""
    return re.sub(r"[\s*_:：]+", "", label).casefold()


def _labelled(ents: list, k: int, label: str, end: int, short_names: dict[str, set[str]],
              guest_labels: frozenset, guest: str | None) -> str | None:
    """The person a turn's ``label`` (ending at ``end``) stands for: one it names (``ents[k:]``), one it names by a
    first or last name, or the guest, for a label of ``guest_labels``."""
    return _person_in(ents, k, end) or _named_by(label, short_names) \
        or (guest if _label_key(label) in guest_labels else None)


def _named_by(label: str, short_names: dict[str, set[str]]) -> str | None:
    """The one person a label ("Rafael:", "**Okonkwo-Bright:**") names by a first or last name."""
    ids = short_names.get(_label_key(label))
    return next(iter(ids)) if ids and len(ids) == 1 else None


def _person_in(ents: list, k: int, end: int) -> str | None:
    """The first person named in ``ents[k:]`` before character ``end`` (a speaker label)."""
    for i in range(k, len(ents)):
        e = ents[i]
        if e.start_char >= end:
            return None
        if e.label_ == "Person":
            return e.id_
    return None
