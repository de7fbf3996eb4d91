"""Entity mentions: lexicon patterns for the SpanRuler, and ``kg_mentions``, which resolves
context labels (bare first names and surnames) and writes the final ``doc.ents``.

Pattern ids are ``<entity id>`` for full names and ``ctx:<form>`` for context labels; a context
label counts only where the document also names one of its entities in full, and among several
such entities it goes to the one named most recently before it (else the first named after it).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .serialise import DiskData
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
