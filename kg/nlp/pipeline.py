"""Build the spaCy pipelines: ``zh`` (blank Chinese) and ``en`` (blank English).

Both share the lexicon tokenizer and the same components:

    kg_sentences -> kg_lexicon (the tokenizer's names -> candidates with entity ids) -> kg_mentions -> kg_discovery
    -> kg_names -> kg_anaphora
    -> kg_relations -> kg_relation_model

Inputs are plain data (surface forms, types, rules, relation signatures), so this module has no
knowledge of RDF.
"""

from __future__ import annotations

from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

import spacy
from spacy.language import Language

from . import anaphora as _anaphora  # noqa: F401  (registers kg_anaphora)
from . import discovery as _discovery  # noqa: F401  (registers kg_discovery)
from . import mentions as _mentions  # noqa: F401  (registers kg_mentions)
from . import names as _names  # noqa: F401  (registers kg_names)
from . import relations as _relations  # noqa: F401  (registers kg_relations)
from . import relmodel as _relmodel  # noqa: F401  (registers kg_relation_model)
from . import sentences as _sentences  # noqa: F401  (registers kg_sentences)
from .lowercase import lowercase_cues, lowercase_names
from .spellings import spelling_variants
from .mentions import lexicon_index, lexicon_patterns, standalone_given_names
from .plain import PipelineData  # noqa: F401  (named from here too)
from .relmodel import trigger_words
from . import tokenizer as _tokenizer  # noqa: F401  (registers kg.LexiconTokenizer.v1)


MAX_TEXT_LENGTH = 64_000_000  # characters; kg refuses a file over 32 MB before it reads it


def product_makers(data: PipelineData) -> dict[str, list[str]]:
    """Model / chip id -> its makers, as the lexicon's names led by a maker's name tell ("Nvidia H100",
    "AWS Trainium" and "Amazon Trainium")."""
    makers: dict[str, set[str]] = {}
    for form, maker in (data.maker_prefixes or {}).items():
        ids = data.forms.get(form, set())
        if len(ids) == 1:
            makers.setdefault(next(iter(ids)), set()).add(maker)
    return {pid: sorted(m) for pid, m in makers.items()}


# the settings of ontology/discovery.yaml that kg_names reads as kg_discovery does (both find names)
_SHARED_WITH_NAMES = ("ordinary_word_tags", "org_last_words", "phrase_heads", "headline_case", "english_words",
                      "company_suffixes_zh")


def build_pipeline(lang: str, data: PipelineData) -> Language:
    """A pipeline for ``lang`` ('zh' or 'en'). Each component gets its data with ``setup`` after it is
    added, not through spaCy's config (``kg.nlp.serialise``), so ``nlp.to_disk`` and ``spacy.load``
    give the same pipeline back."""
    nlp = spacy.blank("zh" if lang.startswith("zh") else "en",
                      config={"nlp": {"tokenizer": {"@tokenizers": "kg.LexiconTokenizer.v1", "segmenter": data.segmenter}}})
    derived = data.__dict__.setdefault("_derived", {})  # worked out once per PipelineData (zh and en share it)
    if "near" not in derived:
        # a misspelt word may stand for a company's, a model's or a chip's name (kg/nlp/nearnames.py)
        derived["near"] = [form for form, ids in data.forms.items() if all(data.types.get(i) != "Person" for i in ids)]
    lower_config = ((data.discovery or {}).get("names") or {}).get("lowercase_names")
    if "lower" not in derived:
        # names written in lower case ("tsmc" in an automatic transcript: kg/nlp/lowercase.py)
        derived["lower"] = lowercase_names({**data.context_forms, **data.forms}, lower_config)
        derived["lower_cues"] = lowercase_cues(derived["lower"], lower_config)
    if "variants" not in derived:
        # names spelt with other spacing, hyphens or capitals ("Open-AI", "o3 Mini", "KIMI": kg/nlp/spellings.py); the
        # English words that are never a name in capitals are those of the lower-case spellings (read or not)
        ordinary = (lower_config or {}).get("ordinary")
        derived["variants"] = spelling_variants(data.forms, data.types, ordinary) if ordinary is not None else {}
    nlp.tokenizer.__init__(nlp.vocab, set(data.forms) | set(data.context_forms), data.segmenter, derived["near"],
                           derived["lower"], derived["lower_cues"], derived["variants"],
                           set(data.context_forms).difference(data.forms), *(data.led_names or ((), ())))
    # spaCy refuses texts over a million characters (for its parser and NER, which these pipelines
    # do not have; their memory grows with the text): an interview up to the input limit is read
    nlp.max_length = max(nlp.max_length, MAX_TEXT_LENGTH)
    nlp.add_pipe("kg_sentences")
    if "lexicon_index" not in derived:
        derived["lexicon_index"] = lexicon_index(lexicon_patterns(data.forms, data.context_forms, data.types))
    nlp.add_pipe("kg_lexicon").setup(index=derived["lexicon_index"])
    context_labels = {form: sorted(ids) for form, ids in data.context_forms.items() if form not in data.forms}
    # the rules and the model check products' makers alike; both, and the rules' trigger words (which
    # kg_names and the model read too), are worked out once per PipelineData (the zh and en pipelines share them)
    if "makers" not in derived:
        derived["makers"] = product_makers(data)
        derived["triggers"] = trigger_words(data.rules)
    # context labels that count with no full name in the document (names.yaml, context_labels:)
    label_config = ((data.discovery or {}).get("names") or {}).get("context_labels") or {}
    if "standalone" not in derived:
        derived["standalone"] = (standalone_given_names(data.forms, data.context_forms, data.types, label_config)
                                 + [f for f in label_config.get("standalone_labels") or [] if f in data.context_forms]) \
            if label_config else []
    resolver = nlp.add_pipe("kg_mentions").setup(
        context_labels=context_labels, standalone=derived["standalone"],
        makers={i: m for i, m in derived["makers"].items()
                if data.types.get(i) in (label_config.get("maker_named") or ())},
        employers=(data.employers or {}) if label_config.get("employer_named") else {},
        common=list(label_config.get("common_given_names") or []),
        employer_window=int(label_config.get("employer_window") or 0),
        list_joiners=list(label_config.get("list_joiners") or []), not_after=label_config.get("not_after") or {},
        company_cue=label_config.get("company_cue") or {},
        inside_words=label_config.get("inside_words"),
        outlets=list(((data.discovery or {}).get("names") or {}).get("outlets") or []),
        venues=((data.discovery or {}).get("names") or {}).get("venues") or {})
    resolver.types = data.types
    if data.discovery:
        # the typer of Latin names in Chinese text, trained with the relation model (kg/nlp/nametyper.py): read
        # from the model's folder when a document first needs it, never from the start-up cache (whose key does
        # not cover the model)
        discovery = nlp.add_pipe("kg_discovery").setup(config=data.discovery, typer=data.relation_model or None)
        discovery.known = set(data.context_forms)
        if "person_labels" not in derived:  # worked out once per PipelineData (the zh and en pipelines share it)
            derived["person_labels"] = {form for form, ids in data.context_forms.items()
                                        if all(data.types.get(i) == "Person" for i in ids)}
        discovery.person_labels = derived["person_labels"]
        if data.discovery.get("names"):
            names = nlp.add_pipe("kg_names").setup(
                config={**data.discovery["names"], **{k: data.discovery.get(k) for k in _SHARED_WITH_NAMES}},
                triggers=derived["triggers"],
                macros=data.discovery.get("macros") or {}, stop=data.discovery.get("stoplist_words") or [])
            names.known = set(data.context_forms)
    nlp.add_pipe("kg_anaphora").setup(config=data.rules.get("anaphora", {}))
    makers = derived["makers"]
    nlp.add_pipe("kg_relations").setup(
        rules=data.rules, signatures=data.signatures, sectors=data.sectors or {},
        maker_prefixes=data.maker_prefixes or {}, product_makers=makers,
        min_confidence=data.min_confidence, employers=data.employers or {})
    nlp.add_pipe("kg_relation_model").setup(
        model_dir=data.relation_model or None, cues=data.rules.get("cues", {}), signatures=data.signatures,
        triggers=derived["triggers"],
        product_makers=makers,
        anaphora_factor=float((data.rules.get("anaphora") or {}).get("factor", 0.8)),
        turn=(data.rules.get("anaphora") or {}).get("turn") or "",
        sectors=data.sectors or {}, known=data.known or [], regional=(data.rules.get("regional") or {}).get("zh") or [])
    return nlp
