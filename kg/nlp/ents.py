"""The document's mentions, read once for as long as they stay the same.

spaCy builds ``doc.ents`` anew at every read: a pass over all tokens and a ``Span`` for each mention,
about 13 ms for the 7,000 mentions of a 500 KB interview. Nine components read them eleven times per
document and only three of them change them (``kg_mentions``, ``kg_discovery``, ``kg_names``), so
``mentions(doc)`` keeps the last read (one document, the one being processed) and ``set_mentions`` is
how a component writes new ones (and forgets what was kept). ``forget(doc)`` lets the document go
after the pipeline; nothing else of the document is held.

Whoever writes ``doc.ents`` directly between two reads must call ``forget(doc)``; the components of
this package write only through ``set_mentions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # spaCy is imported by the components (kg.nlp.spacy_import), not here
    from spacy.tokens import Doc, Span

_kept: list = [None, ()]  # the document last read, and its mentions then


def mentions(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, from the last read if ``doc`` is the document read then."""
    if _kept[0] is doc:
        return _kept[1]
    ents = doc.ents
    _kept[0], _kept[1] = doc, ents
    return ents


def company_counts(doc: Doc) -> dict[str, int]:
    """Company id -> how many times the interview names it (its mentions; pronouns are none)."""
    counts: dict[str, int] = {}
    for e in mentions(doc):
        if e.label_ == "Company":
            counts[e.id_] = counts.get(e.id_, 0) + 1
    return counts


def set_mentions(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.ents = spans``, and the next ``mentions(doc)`` reads them anew."""
    forget(doc)
    doc.ents = spans


def forget(doc: Doc | None = None) -> None:
    """Drop what was kept of ``doc`` (of any document, when None)."""
    if doc is None or _kept[0] is doc:
        _kept[0], _kept[1] = None, ()
