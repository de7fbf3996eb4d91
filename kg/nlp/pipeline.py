"""Build the spaCy pipelines: ``zh`` (blank Chinese) and ``en`` (blank English).

Both share the lexicon tokenizer and the same components:

    kg_sentences -> span_ruler "kg_lexicon" (patterns with entity ids) -> kg_mentions -> kg_discovery
    -> kg_anaphora
    -> kg_relations

Inputs are plain data (surface forms, types, rules, relation signatures), so this module has no
knowledge of RDF.
"""

from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.language import Language

from . import anaphora as _anaphora  # noqa: F401  (registers kg_anaphora)
from . import discovery as _discovery  # noqa: F401  (registers kg_discovery)
from . import mentions as _mentions  # noqa: F401  (registers kg_mentions)
from . import relations as _relations  # noqa: F401  (registers kg_relations)
from . import sentences as _sentences  # noqa: F401  (registers kg_sentences)
from .mentions import CANDIDATES_KEY, lexicon_patterns
from .tokenizer import LexiconTokenizer


@dataclass
class PipelineData:
    """Everything the pipeline needs, as plain Python data."""

    forms: dict[str, set[str]]  # normalised surface form -> entity ids
    context_forms: dict[str, set[str]]  # context label form -> entity ids
    types: dict[str, str]  # entity id -> Person | Company | Model | Chip
    rules: dict  # ontology/relations.yaml
    signatures: dict  # relation -> domain, range, symmetric
    sectors: dict = None  # entity id -> sector (for rules that orient a pair by sector)
    maker_prefixes: dict = None  # model/chip form led by its maker's name -> company id
    min_confidence: float = 0.5
    segmenter: str = "chunk"
    discovery: dict = None  # ontology/discovery.yaml (with its stop-list); None: no discovery


def product_makers(data: PipelineData) -> dict[str, list[str]]:
    """Model / chip id -> its makers, as the lexicon's names led by a maker's name tell ("Nvidia H100",
    "AWS Trainium" and "Amazon Trainium")."""
    makers: dict[str, set[str]] = {}
    for form, maker in (data.maker_prefixes or {}).items():
        ids = data.forms.get(form, set())
        if len(ids) == 1:
            makers.setdefault(next(iter(ids)), set()).add(maker)
    return {pid: sorted(m) for pid, m in makers.items()}


def build_pipeline(lang: str, data: PipelineData) -> Language:
    """A pipeline for ``lang`` ('zh' or 'en')."""
    nlp = spacy.blank("zh" if lang.startswith("zh") else "en")
    nlp.tokenizer = LexiconTokenizer(nlp.vocab, set(data.forms) | set(data.context_forms), data.segmenter)
    nlp.add_pipe("kg_sentences")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kg_lexicon",
        config={"spans_key": CANDIDATES_KEY, "phrase_matcher_attr": "NORM", "validate": False, "overwrite": True},
    )
    ruler.add_patterns(lexicon_patterns(data.forms, data.context_forms, data.types))
    context_labels = {form: sorted(ids) for form, ids in data.context_forms.items() if form not in data.forms}
    resolver = nlp.add_pipe("kg_mentions", config={"context_labels": context_labels})
    resolver.types = data.types
    if data.discovery:
        discovery = nlp.add_pipe("kg_discovery", config={"config": data.discovery})
        discovery.known = set(data.context_forms)
    nlp.add_pipe("kg_anaphora", config={"config": data.rules.get("anaphora", {})})
    nlp.add_pipe(
        "kg_relations",
        config={"rules": data.rules, "signatures": data.signatures, "sectors": data.sectors or {},
                "maker_prefixes": data.maker_prefixes or {},
                "product_makers": product_makers(data),
                "min_confidence": data.min_confidence},
    )
    return nlp
