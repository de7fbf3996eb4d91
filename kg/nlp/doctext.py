"""The text of a Doc, taken once.

``Doc.text`` joins every token's text on each access (a Token object per token), and several
components read it. The lexicon tokenizer records the text it was given in ``doc._.kg_text``
(a Doc's text never changes: retokenizing keeps it); ``doc_text`` returns that, or ``doc.text``
for a Doc made some other way.
"""

from __future__ import annotations

from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.tokens import Doc

if not Doc.has_extension("kg_text"):
    Doc.set_extension("kg_text", default=None)


def doc_text(doc: Doc) -> str:
    text = doc._.kg_text
    if text is None:
        return doc.text
    return text
