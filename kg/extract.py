"""Document -> extraction records (mentions, relations with evidence), via the spaCy pipelines.

Records hold offsets into the *raw* decoded file, the clean sentence text, and ids from the
lexicon; no RDF here (``kg.graph`` makes the graph).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .corpus import Document
from .gctune import fewer_collections
from .lexicon import Lexicon, ontology_dir
from .nlp.pipeline import PipelineData, build_pipeline
from .nlp.discovery import NEW_PREFIX
from .nlp.relations import RuleError, _trim
from .nlp.relmodel import MODEL_DIR, aggregate
from .ontology import relation_signatures
from .textnorm import Respelling, normalise


@dataclass(frozen=True)
class Mention:
    entity: str
    type: str
    start: int  # raw offsets
    end: int
    surface: str  # as written in the source (markup removed)
    context: bool = False  # matched by a context label (first name, surname)
    confidence: float = 1.0  # below 1 for a discovered entity (id "new:<slug>")

    @property
    def discovered(self) -> bool:
        return self.entity.startswith(NEW_PREFIX)


@dataclass(frozen=True)
class Relation:
    subject: str
    predicate: str
    object: str
    start: int  # raw offsets of the evidence sentence
    end: int
    sentence: str  # the sentence as written, markup removed
    rule: str
    trigger: str
    confidence: float  # this sentence's (the model's probability, or the rule's confidence)
    doc_confidence: float | None = None  # the interview's: all its sentences together (None: as confidence)
    status: str = "asserted"  # or "past" (questions, negations and hypotheticals are not relations)


@dataclass
class Extraction:
    """What one interview says."""

    doc: Document
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def mention_counts(self) -> Counter:
        return Counter(m.entity for m in self.mentions)

    def surfaces(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for m in self.mentions:
            out.setdefault(m.entity, set()).add(m.surface)
        return out


def _load_yaml(path: Path):
    """``yaml.safe_load`` of a file, by libyaml's parser when PyYAML has it (about ten times faster);
    a file it rejects is read again by the pure-Python one, so errors read as they always did."""
    text = Path(path).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def load_rules(path: Path | None = None) -> dict:
    path = path or ontology_dir() / "relations.yaml"
    try:
        rules = _load_yaml(path)
    except (OSError, yaml.YAMLError) as err:
        raise RuleError(f"{path}: {str(err).splitlines()[0]}") from err
    if not isinstance(rules, dict) or "rules" not in rules:
        raise RuleError(f"{path}: no 'rules' list")
    return rules


def load_discovery(path: Path | None = None) -> dict:
    """ontology/discovery.yaml with its stop-list read in (``stoplist_words``)."""
    path = path or ontology_dir() / "discovery.yaml"
    try:
        config = _load_yaml(path) or {}
        stop = config.get("stoplist")
        words = []
        if stop:
            lines = (path.parent / stop).read_text(encoding="utf-8").splitlines()
            words = [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]
    except (OSError, yaml.YAMLError) as err:
        raise RuleError(f"{path}: {str(err).splitlines()[0]}") from err
    names = config.get("names")
    if isinstance(names, str):  # its own file (ontology/names.yaml): kg_names' data
        names_path = path.parent / names
        try:
            config["names"] = _load_yaml(names_path) or {}
        except (OSError, yaml.YAMLError) as err:
            raise RuleError(f"{names_path}: {str(err).splitlines()[0]}") from err
    return {**config, "stoplist_words": words}


def _fingerprint(data: PipelineData) -> str:
    """What the extraction depends on, hashed: kg's version and the pipeline's data (lexicon
    forms and types, rules, discovery settings, relation signatures, thresholds). ``kg build --into``
    re-extracts an interview whose stored fingerprint differs (the lexicon or rules changed)."""
    from . import __version__

    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (set, frozenset)):
            return sorted((plain(v) for v in value), key=repr)
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)

    settings = {"version": __version__, **{k: getattr(data, k) for k in data.__dataclass_fields__}}
    text = json.dumps(plain(settings), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Extractor:
    """Holds the lexicon and one pipeline per language; ``extract(doc)`` runs the right one."""

    def __init__(self, lexicon: Lexicon, rules: dict | None = None, min_confidence: float | None = None,
                 segmenter: str = "chunk", discovery: dict | bool = True, relation_model: Path | str | None = MODEL_DIR):
        """``min_confidence``: relations below it are not asserted (None: the threshold the relation
        model was tuned to on the dev split, or 0.5 for rules alone). ``relation_model``: the folder of a
        trained model (``kg train``); None or a folder without one: the rules alone."""
        self.lexicon = lexicon
        model_dir = Path(relation_model) if relation_model else None
        self.model_meta = None
        if model_dir is not None and (model_dir / "model.json").exists():
            self.model_meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
            self.model_meta.pop("features", None)
        else:
            model_dir = None
        if min_confidence is None:
            min_confidence = float(self.model_meta["threshold"]) if self.model_meta else 0.5
        self.min_confidence = min_confidence
        rule_min = 0.5 if self.model_meta else min_confidence
        if discovery is True:
            discovery = load_discovery()
        self.discovery = discovery or {}
        self.data = PipelineData(
            forms=lexicon.forms,
            context_forms=lexicon.context_forms,
            types={e.id: e.type for e in lexicon.entities.values()},
            rules=rules if rules is not None else load_rules(),
            signatures=relation_signatures(),
            sectors={e.id: e.sector for e in lexicon.entities.values() if e.sector},
            maker_prefixes=lexicon.maker_prefixes(),
            min_confidence=rule_min,
            segmenter=segmenter,
            discovery=self.discovery or None,
            relation_model=("package" if model_dir == MODEL_DIR else str(model_dir)) if model_dir else "",
        )
        self.fingerprint = _fingerprint(self.data)
        # colloquial written forms read as standard Chinese (relations.yaml, colloquial:)
        self.respell = Respelling((self.data.rules.get("colloquial") or {}).get("zh"))
        self._nlp: dict[str, object] = {}
        try:
            self.nlp("zh")  # compile the rules now: a bad rule file fails before any input is read
        except RuleError as err:
            source = "relation rules" if rules is not None else str(ontology_dir() / "relations.yaml")
            raise RuleError(f"{source}: {err}") from err

    def nlp(self, lang: str):
        key = "en" if lang == "en" else "zh"
        if key not in self._nlp:
            self._nlp[key] = build_pipeline(key, self.data)
        return self._nlp[key]

    def analyse(self, doc: Document):
        """The spaCy ``Doc`` of an interview, every component run (offsets into ``doc.norm``)."""
        text = doc.norm
        if doc.language != "en" and self.respell:
            respelled = self.respell(doc.clean)
            if respelled != doc.clean:
                text = normalise(respelled)
        return self.nlp(doc.language)(text)

    @fewer_collections()
    def extract(self, doc: Document) -> Extraction:
        sdoc = self.analyse(doc)
        out = Extraction(doc)
        for ent in sdoc.ents:
            start, end = doc.raw_span(ent.start_char, ent.end_char)
            out.mentions.append(Mention(ent.id_, ent.label_, start, end,
                                        doc.clean[ent.start_char:ent.end_char], bool(ent._.kg_context),
                                        ent._.kg_confidence if ent._.kg_confidence is not None else 1.0))
        if self.model_meta is None:
            found = [(rel, rel.confidence, None, "asserted") for rel in sdoc._.kg_relations]
        else:
            cfg = self.model_meta.get("config") or {}
            found = [(rel, rel.confidence, rel.doc_confidence, rel.status)
                     for rel in aggregate(sdoc._.kg_scored or [], sdoc._.kg_relations, self.data.signatures,
                                          self.min_confidence, cfg.get("top_k", 3), cfg.get("evidence_floor", 0.2),
                                          max(self.min_confidence, 0.5))]
        for rel, conf, doc_conf, state in found:
            start, end = doc.raw_span(*_trim(doc.clean, rel.sent_start, rel.sent_end))
            sentence = " ".join(doc.clean[rel.sent_start:rel.sent_end].split())
            out.relations.append(Relation(rel.subject, rel.predicate, rel.object, start, end, sentence,
                                          rel.rule, rel.trigger, conf, doc_conf, state))
        return out
