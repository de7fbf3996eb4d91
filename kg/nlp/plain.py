"""What the NLP layer's callers need of it without spaCy: the pipeline's settings as plain data, the
prefix of discovered entities' ids, the rule error, where the relation model lives.

A process that extracts nothing itself (``kg build --jobs N``'s parent, whose workers build the
pipelines) builds an ``kg.extract.Extractor`` from these alone and never imports spaCy; the
components import them from here, so each is one object wherever it is named from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NEW_PREFIX = "new:"  # the id of an entity found by kg_discovery, not in the lexicon: "new:<slug>"

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "relations"  # the shipped relation model


class RuleError(ValueError):
    """A relation rule that cannot be compiled (one line, naming the rule)."""


@dataclass
class PipelineData:
    """Everything the pipeline needs, as plain Python data."""

    forms: dict[str, set[str]]  # normalised surface form -> entity ids
    context_forms: dict[str, set[str]]  # context label form -> entity ids
    types: dict[str, str]  # entity id -> Person | Company | Model | Chip
    rules: dict  # ontology/relations.yaml
    signatures: dict  # relation -> domain, range, symmetric
    sectors: dict = None  # entity id -> sector (for rules that orient a pair by sector)
    known: list = None  # [subject, relation, object, sources] already known (ontology/known.yaml), for the model
    employers: dict = None  # person id -> the companies they work for now (ontology/affiliations.yaml)
    maker_prefixes: dict = None  # model/chip form led by its maker's name -> company id
    led_names: tuple = None  # (led names, their breakers): Lexicon.led_names, for the tokenizer
    min_confidence: float = 0.5
    segmenter: str = "chunk"
    discovery: dict = None  # ontology/discovery.yaml (with its stop-list); None: no discovery
    relation_model: str = ""  # folder of the trained relation model; "": candidates only, not scored


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the white space at either edge of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class SectorBans:
    """The sectors whose companies are never the subject of a relation (``sector_never_subject`` in
    ontology/relations.yaml: a foundry develops no chip of its own), for the rules and the model alike."""

    def __init__(self, rules: dict, sectors: dict | None):
        self.never = {rel: frozenset(secs) for rel, secs in (rules.get("sector_never_subject") or {}).items()}
        self.sectors = sectors or {}

    def __bool__(self) -> bool:
        return bool(self.never)

    def bans(self, predicate: str, subject: str) -> bool:
        """Whether ``subject``'s sector is never the subject of ``predicate``."""
        secs = self.never.get(predicate)
        return bool(secs) and self.sectors.get(subject) in secs
