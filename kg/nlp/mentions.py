"""Entity mentions: ``kg_lexicon``, which finds the lexicon's names, and ``kg_mentions``, which
resolves context labels (bare first names and surnames) and writes the final ``doc.ents``.

Pattern ids are ``<entity id>`` for full names and ``ctx:<form>`` for context labels; a context
label counts only where the document also names one of its entities in full, and among several
such entities it goes to the one named most recently before it (else the first named after it).

``kg_lexicon`` does what spaCy's ``span_ruler`` with a ``PhraseMatcher`` on ``NORM`` did with the
same patterns, without compiling a pattern document per name: the lexicon tokenizer has already
found every name (an Aho-Corasick automaton, ``kg/nlp/tokenizer.py``) and made it one token whose
``NORM`` is the name, so a pattern matches exactly the tokens whose ``NORM`` is its own (as a
one-token phrase pattern does; a word outside the lexicon's spelling, "Lamda" for the form "lamda",
matches by its lower-case ``NORM`` as it did). The candidates go to ``doc.spans["kg_candidates"]``,
deduplicated and sorted as the SpanRuler left them.
"""

from __future__ import annotations

import numpy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .serialise import DiskData
from .tokenizer import collapse_space

CANDIDATES_KEY = "kg_candidates"
CTX_PREFIX = "ctx:"

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


@Language.factory("kg_lexicon")
def make_lexicon(nlp: Language, name: str):
    return LexiconMatcher()


class LexiconMatcher(DiskData):
    """Lexicon names -> candidate spans with entity ids (``doc.spans["kg_candidates"]``).

    ``setup(patterns=...)`` takes the patterns of ``lexicon_patterns`` (label, one-token phrase,
    id) and indexes them by the hash of the phrase's ``NORM``; a document's candidates are its
    tokens whose ``NORM`` is in that index, one span per pattern."""

    def __init__(self, patterns: list[dict] | None = None):
        self.index: dict[int, list[tuple[str, str]]] = {}  # NORM hash -> (label, id) of each pattern
        for p in patterns or []:
            key = get_string_id(collapse_space(p["pattern"]))
            entry = (p["label"], p.get("id", ""))
            known = self.index.setdefault(key, [])
            if entry not in known:
                known.append(entry)
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


class MentionResolver(DiskData):
    """Turns SpanRuler candidates into non-overlapping ``doc.ents`` with entity ids."""

    _saved_attrs = ("types",)

    def __init__(self, context_labels: dict[str, list[str]]):
        self.context_labels = {form: list(ids) for form, ids in context_labels.items()}
        self.types: dict[str, str] = {}

    def __call__(self, doc: Doc) -> Doc:
        spans = filter_spans(doc.spans.get(CANDIDATES_KEY, []))
        full = [s for s in spans if not s.id_.startswith(CTX_PREFIX)]
        named_at: dict[str, list[int]] = {}
        for s in full:
            named_at.setdefault(s.id_, []).append(s.start)
        ents = []
        seen_ids_at: dict[int, str] = {}
        for s in spans:
            if not s.id_.startswith(CTX_PREFIX):
                ents.append(s)
                continue
            entity_id = self._resolve(s, named_at)
            if entity_id is None:
                continue
            label = self.types.get(entity_id, s.label_)
            span = Span(doc, s.start, s.end, label=label, span_id=entity_id)
            span._.kg_context = True
            ents.append(span)
            seen_ids_at[s.start] = entity_id
        doc.ents = ents
        return doc

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
