"""Document -> extraction records (mentions, relations with evidence), via the spaCy pipelines.

Records hold offsets into the *raw* decoded file, the clean sentence text, and ids from the
lexicon; no RDF here (``kg.graph`` makes the graph).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .corpus import Document
from .gctune import no_collections
from .lexicon import Lexicon, ontology_dir
from .nlp.plain import MODEL_DIR, NEW_PREFIX, PipelineData, RuleError, SectorBans, trim as _trim
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


def load_discovery(path: Path | None = None, forms=None) -> dict:
    """ontology/discovery.yaml with its stop-list read in (``stoplist_words``), names.yaml's list of given names
    (``given_name_people.names_file``) read into ``given_name_people.listed_names``, and, given the lexicon's
    ``forms``, the English words among their lower-case spellings (names.yaml ``lowercase_names``:
    ``ordinary``, read from its ``words`` file; without ``forms`` no lower-case spelling is read as a name)."""
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
    people = (config.get("names") or {}).get("given_name_people")
    if isinstance(people, dict) and people.get("names_file"):
        # a list of given names of its own (ontology/given-names.txt), read into ``given_names``
        names_path = path.parent / people["names_file"]
        try:
            lines = names_path.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise RuleError(f"{names_path}: {str(err).splitlines()[0]}") from err
        people["listed_names"] = sorted({w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")})
    lower = (config.get("names") or {}).get("lowercase_names")
    english = ""
    if isinstance(lower, dict) and lower.get("words"):
        from .nlp.lowercase import english_words, ordinary_words  # only when the settings are not cached
        words_path = path.parent / lower["words"]
        try:
            english = english_words(words_path)
        except OSError as err:
            raise RuleError(f"{words_path}: {str(err).splitlines()[0]}") from err
        if forms is not None:
            lower["ordinary"] = ordinary_words(english, forms)
    # the English words (one string, "\nword\n…"): what discovery asks of a name's words
    return {**config, "stoplist_words": words, "english_words": english}


KNOWN_FILES = ("known.yaml", "affiliations.yaml", "developers.yaml", "industry.yaml")


def load_known(lexicon: Lexicon, relations, path: Path | None = None) -> list[list]:
    """Relations between lexicon entities known before a text is read, as ``[subject, relation,
    object, sources]`` (the relation model's ``K:`` features, a prior, never a relation by itself),
    from the files of ``load_known_files``; ``path``: one such file instead. ``relations``: the
    ontology's relation names (``relation_signatures``)."""
    if path is not None:
        return _known_facts(lexicon, relations, path)
    return [fact for facts in load_known_files(lexicon, relations).values() for fact in facts]


def load_known_files(lexicon: Lexicon, relations) -> dict[str, list[list]]:
    """The facts of each file of ``KNOWN_FILES`` in the ontology folder (a missing file holds none):
    ``known.yaml`` (relations annotators read in published texts; ``kg known`` writes it),
    ``affiliations.yaml`` (people's current companies), ``developers.yaml`` (who develops each model
    and chip) and ``industry.yaml`` (who invests in, supplies, competes with and hedges against whom), all
    three general knowledge, by hand. Facts naming an entity this lexicon does not hold are
    left out (no mention can name it)."""
    return {name: _known_facts(lexicon, relations, ontology_dir() / name) for name in KNOWN_FILES}


def employers_of(affiliations: list[list]) -> dict[str, list[str]]:
    """Person id -> the companies the facts of ``affiliations.yaml`` say they work for now (general
    knowledge, read in no text we measure on): a bare first name or surname of the person counts in a
    document that names one of them (``kg_mentions``, names.yaml ``employer_named``)."""
    out: dict[str, set[str]] = {}
    for subj, rel, obj, _sources in affiliations:
        if rel == "affiliatedWith":
            out.setdefault(subj, set()).add(obj)
    return {person: sorted(companies) for person, companies in sorted(out.items())}


def _known_facts(lexicon: Lexicon, relations, path: Path) -> list[list]:
    if not path.exists():
        return []
    try:
        data = _load_yaml(path) or {}
    except (OSError, yaml.YAMLError) as err:
        raise RuleError(f"{path}: {str(err).splitlines()[0]}") from err
    out = []
    for n, fact in enumerate(data.get("facts") or [], 1):
        if not isinstance(fact, dict):
            raise RuleError(f"{path}: fact {n} is not a mapping")
        subj, rel, obj = fact.get("subject"), fact.get("relation"), fact.get("object")
        if rel not in relations:
            raise RuleError(f"{path}: fact {n}: unknown relation {rel!r}")
        if not (isinstance(subj, str) and isinstance(obj, str)):
            raise RuleError(f"{path}: fact {n}: subject and object must be entity ids")
        if subj not in lexicon or obj not in lexicon:
            continue
        out.append([subj, rel, obj, sorted(str(s) for s in fact.get("sources") or [])])
    return out


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


PIPELINES_BUILT: Counter = Counter()
"""Pipelines built in this process, by language ("zh", "en"): a run builds only those it uses."""


def _settings_key(lexicon: Lexicon, rule_min: float, segmenter: str, model: str) -> str | None:
    """The start-up cache key of an extractor's settings: the lexicon's files (``Lexicon.load``),
    every file of the ontology folder (rules, discovery settings and stop-list, kg.ttl), the
    thresholds; None for a lexicon not read from files (nothing cached)."""
    from . import startcache

    lexicon_key = getattr(lexicon, "content_key", None)
    if lexicon_key is None or startcache.cache_dir() is None:
        return None
    parts = [lexicon_key, repr((rule_min, segmenter, model))]
    folder = ontology_dir()
    try:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                parts += [path.name, path.read_bytes()]
    except OSError:
        return None
    return startcache.key("extractor", *parts)


def _cached_settings(key: str | None) -> dict | None:
    from . import startcache

    value = startcache.get("extractor", key) if key is not None else None
    if not isinstance(value, dict) or not all(isinstance(value.get(k), dict) for k in ("rules", "discovery", "signatures")) \
            or not isinstance(value.get("fingerprint"), str):
        return None
    return value


@contextmanager
def _kept_derived(settings_key: str | None, data: PipelineData):
    """Build a pipeline with what ``build_pipeline`` works out of the lexicon and the rules once per
    ``PipelineData`` (its ``_derived``: the index of the lexicon's names, the names a misspelt word
    may stand for, the rules' trigger words, products' makers, ...), from the start-up cache as it
    was last time with the same settings; stored for next time when the build added to it. A
    sixth of building a pipeline. Settings not from the ontology's files: worked out as usual."""
    if settings_key is None:
        yield
        return
    from . import startcache

    key = startcache.key("derived", settings_key)
    derived = data.__dict__.setdefault("_derived", {})
    value = startcache.get("derived", key)
    if isinstance(value, dict):
        for name, v in value.items():
            derived.setdefault(name, v)
    before = set(derived)
    yield
    if set(derived) != before:
        startcache.put("derived", key, dict(derived))


@contextmanager
def _compiled_regexes(settings_key: str | None, lang: str):
    """Build a pipeline with the regular expressions (and the rules' literals) it compiled last time
    with the same settings, from the start-up cache (``kg.nlp.rxcache``); stored for next time when
    some were new; with them what ``re`` makes of the relation rules, which compile on first use
    (``kg.nlp.relations.record_code``: the caller records them inside when this yields True).
    Settings not from the ontology's files (``settings_key`` None): compiled as usual."""
    if settings_key is None:
        yield False
        return
    from . import startcache
    from .nlp import prefilter, relations, rxcache, tokenizer

    key = startcache.key("regex", settings_key, lang)
    value = startcache.get("regex", key)
    memos = {"literals": relations._LITERALS, "needs": relations._NEEDS, "required": prefilter.REQUIRED,
             "prefixes": prefilter.PREFIXES, "code": relations._CODE}
    if not (isinstance(value, dict) and all(isinstance(value.get(k), dict) for k in ("regex", *memos))):
        value = {"regex": {}, **{k: {} for k in memos}}
    for name, memo in memos.items():
        for k, lits in value[name].items():
            memo.setdefault(k, lits)
    tries = value.get("tries") if isinstance(value.get("tries"), dict) else {}
    with rxcache.compiled(value["regex"]) as used, tokenizer.kept_tries(tries) as tries_used:
        yield True
    now = {name: {(pattern, int(flags)): v for (pattern, flags), v in memo.items()} for name, memo in memos.items()}
    if used.keys() != value["regex"].keys() or any(now[k].keys() != value[k].keys() for k in memos) \
            or tries_used.keys() != tries.keys():
        startcache.put("regex", key, {"regex": used, **now, "tries": tries_used})


class Extractor:
    """Holds the lexicon and one pipeline per language; ``extract(doc)`` runs the right one.

    A pipeline is built the first time a document of its language comes (an English interview
    never builds the Chinese pipeline; a parent process whose workers extract builds none); the
    rules are checked at once, so a bad rule file fails before any input is read."""

    def __init__(self, lexicon: Lexicon, rules: dict | None = None, min_confidence: float | None = None,
                 segmenter: str = "chunk", discovery: dict | bool = True, relation_model: Path | str | None = MODEL_DIR):
        """``min_confidence``: relations below it are not asserted (None: the threshold the relation
        model was tuned to on the dev split, or 0.5 for rules alone; relations only the rules found keep
        the rules' 0.5 unless a higher one is given). ``relation_model``: the folder of a
        trained model (``kg train``); None or a folder without one: the rules alone."""
        self.lexicon = lexicon
        self._rule_source = "relation rules" if rules is not None else str(ontology_dir() / "relations.yaml")
        model_dir = Path(relation_model) if relation_model else None
        self.model_meta = None
        if model_dir is not None and (model_dir / "model.json").exists():
            self.model_meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
            self.model_meta.pop("features", None)
        else:
            model_dir = None
        self.rule_min = 0.5 if min_confidence is None else max(min_confidence, 0.5)
        # the model's threshold per relation (tuned on dev per group), unless one is given for all
        self.thresholds = None
        if min_confidence is None:
            min_confidence = float(self.model_meta["threshold"]) if self.model_meta else 0.5
            if self.model_meta and self.model_meta.get("thresholds"):
                self.thresholds = {k: float(v) for k, v in self.model_meta["thresholds"].items()}
        self.min_confidence = min_confidence
        rule_min = 0.5 if self.model_meta else min_confidence
        model = ("package" if model_dir == MODEL_DIR else str(model_dir)) if model_dir else ""
        # rules, discovery settings, relation signatures and the fingerprint, from the start-up
        # cache when they come from the ontology's files and the lexicon from its own
        cache_key = _settings_key(lexicon, rule_min, segmenter, model) if rules is None and discovery is True else None
        cached = _cached_settings(cache_key)
        if cached is not None:
            rules, discovery, signatures = cached["rules"], cached["discovery"], cached["signatures"]
            known = cached.get("known") or []
            employers = cached.get("employers") or {}
        else:
            from .ontology import relation_signatures  # rdflib: only when not cached

            if discovery is True:
                discovery = load_discovery(forms=set(lexicon.forms) | set(lexicon.context_forms))
            signatures = relation_signatures()
            by_file = load_known_files(lexicon, signatures)
            known = [fact for facts in by_file.values() for fact in facts]
            employers = employers_of(by_file["affiliations.yaml"])
        self.discovery = discovery or {}
        self.data = PipelineData(
            forms=lexicon.forms,
            context_forms=lexicon.context_forms,
            types={e.id: e.type for e in lexicon.entities.values()},
            rules=rules if rules is not None else load_rules(),
            signatures=signatures,
            sectors={e.id: e.sector for e in lexicon.entities.values() if e.sector},
            known=known,
            employers=employers,
            maker_prefixes=lexicon.maker_prefixes(),
            led_names=lexicon.led_names(),
            min_confidence=rule_min,
            segmenter=segmenter,
            discovery=self.discovery or None,
            relation_model=model,
        )
        # colloquial written forms read as standard Chinese (relations.yaml, colloquial:)
        self.respell = Respelling((self.data.rules.get("colloquial") or {}).get("zh"))
        self._nlp: dict[str, object] = {}
        self._cache_key = cache_key
        if cached is not None:
            self.fingerprint = cached["fingerprint"]
            return
        self.fingerprint = _fingerprint(self.data)
        self.check_rules()  # a bad rule file fails now, before any input is read
        if cache_key is not None:
            from . import startcache

            startcache.put("extractor", cache_key, {"rules": self.data.rules, "discovery": self.discovery,
                                                    "signatures": signatures, "fingerprint": self.fingerprint,
                                                    "known": known, "employers": employers})

    def check_rules(self) -> None:
        """Compile the relation rules (as the pipelines will): ``RuleError`` naming the rule file
        if one is bad. Cached entries hold only rules that passed."""
        from .nlp.relations import RelationExtractor

        try:
            RelationExtractor(self.data.rules, self.data.signatures, self.data.min_confidence)
        except RuleError as err:
            raise RuleError(f"{self._rule_source}: {err}") from err

    def nlp(self, lang: str):
        key = "en" if lang == "en" else "zh"
        if key not in self._nlp:
            try:
                from .nlp import rxcache

                # spaCy, the pipeline's components and their indexes of the lexicon's names (a hundred
                # thousand objects that live as long as the pipeline), made without the collector
                # walking them over and over: a tenth of a one-line build (kg.gctune.no_collections)
                with no_collections(), rxcache.kept("pipeline-imports"):  # spaCy's and kg's module-level patterns
                    from .nlp.pipeline import build_pipeline  # spaCy: only in a process that extracts

                with no_collections(), _compiled_regexes(getattr(self, "_cache_key", None), key) as caching, \
                        _kept_derived(getattr(self, "_cache_key", None), self.data):
                    self._nlp[key] = build_pipeline(key, self.data)
                    if caching:
                        from .nlp.relations import record_code

                        record_code(self._nlp[key].get_pipe("kg_relations"))
            except RuleError as err:
                raise RuleError(f"{getattr(self, '_rule_source', 'relation rules')}: {err}") from err
            PIPELINES_BUILT[key] += 1
        return self._nlp[key]

    def pipeline_text(self, doc: Document) -> str:
        """The text the pipeline reads: ``doc.norm``, or for Chinese text the normalised respelling of
        its colloquial forms (``rules.colloquial``), where there are any."""
        if doc.language != "en" and self.respell:
            respelled = self.respell(doc.clean)
            if respelled != doc.clean:
                return normalise(respelled)
        return doc.norm

    def analyse(self, doc: Document):
        """The spaCy ``Doc`` of an interview, every component run (offsets into ``doc.norm``)."""
        return self.nlp(doc.language)(self.pipeline_text(doc))

    @cached_property
    def sector_bans(self) -> SectorBans:
        """The sectors whose companies are never a relation's subject (relations.yaml), read once."""
        return SectorBans(self.data.rules, self.data.sectors)

    @no_collections()
    def extract(self, doc: Document) -> Extraction:
        from .nlp.ents import forget, mentions as doc_mentions  # here: a --jobs parent never extracts

        sdoc = self.analyse(doc)
        out = Extraction(doc)
        ents = doc_mentions(sdoc)
        forget(sdoc)  # the components' reads of doc.ents were kept for this document (kg.nlp.ents)
        for ent in ents:
            start, end = doc.raw_span(ent.start_char, ent.end_char)
            out.mentions.append(Mention(ent.id_, ent.label_, start, end,
                                        doc.clean[ent.start_char:ent.end_char], bool(ent._.kg_context),
                                        ent._.kg_confidence if ent._.kg_confidence is not None else 1.0))
        if self.model_meta is None:
            found = [(rel, rel.confidence, None, "asserted") for rel in sdoc._.kg_relations]
        else:
            from .nlp.relmodel import aggregate

            cfg = self.model_meta.get("config") or {}
            found = [(rel, rel.confidence, rel.doc_confidence, rel.status)
                     for rel in aggregate(sdoc._.kg_scored or [], sdoc._.kg_relations, self.data.signatures,
                                          self.min_confidence, cfg.get("top_k", 3), cfg.get("evidence_floor", 0.2),
                                          self.rule_min, getattr(self, "thresholds", None), cfg.get("bare_threshold"))]
        for rel, conf, doc_conf, state in found:
            if self.sector_bans.bans(rel.predicate, rel.subject):
                continue  # the model's reading of a relation the subject's sector never has (relations.yaml)
            start, end = doc.raw_span(*_trim(doc.clean, rel.sent_start, rel.sent_end))
            sentence = " ".join(doc.clean[rel.sent_start:rel.sent_end].split())
            out.relations.append(Relation(rel.subject, rel.predicate, rel.object, start, end, sentence,
                                          rel.rule, rel.trigger, conf, doc_conf, state))
        return _without_provenance(out, [doc.meta.get(k) for k in ("source_line", "date_line")])


def _without_provenance(out: Extraction, spans: list[tuple[int, int] | None]) -> Extraction:
    """``out`` without the entities named only in the header's source and date lines (``spans``, raw
    offsets: "source: <url> (a podcast's feed, with its hosts A and B; archived by ...)", "date:
    2024-10-18 (publication date of the YouTube episode)"): the outlet, feed or archive a text came from
    is not what it discusses. A name there that the text uses again stays (with its mention there: a
    host's full name read once in the source line still tells who a first name in the text is);
    relations of a dropped entity go with it."""
    spans = [span for span in spans if span]
    if not spans or not out.mentions:
        return out
    outside = {m.entity for m in out.mentions if not any(lo <= m.start and m.end <= hi for lo, hi in spans)}
    dropped = {m.entity for m in out.mentions} - outside
    if not dropped:
        return out
    out.mentions = [m for m in out.mentions if m.entity in outside]
    # (an end with no mention of its own, a maker read in a product's name, is not dropped)
    out.relations = [r for r in out.relations if r.subject not in dropped and r.object not in dropped]
    return out
