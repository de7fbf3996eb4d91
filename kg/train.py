"""Train the relation model (``kg train``) from annotated interviews.

For each interview of the train split the pipeline runs without a model (``kg_relation_model``
then only lists candidate pairs and their features). Gold entities are matched to the pipeline's
entities by name (any alias, folded as ``kg eval`` folds them); a pair of the sentence that a gold
relation's evidence quotes is a positive of that relation and direction; every other pair of every
sentence is a negative, except pairs the gold relates that co-occur in another sentence (that
sentence may say it too, or not: it is left out rather than guessed). A multinomial logistic
regression (scikit-learn, fixed seed, deterministic solver) is fitted; the threshold on the
interview-level probability is chosen (the best relation F1 at precision >= 0.7, of all relations and of
the core four, where there is one) on the out-of-fold readings of the train texts the splits file marks
``unfitted`` (``tune: {texts: unfitted, folds: K}``: published text no rule was written from, each read
by a model fitted on the other folds), or, without ``tune``, on the dev split. The model is written as
plain data (``kg/models/relations/``), with the trigger words it read. ``crossval`` (``kg train --cv K``)
scores the same training by file, K folds over the annotated interviews of the train split, without
reading dev.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy
import yaml

from .corpus import load_document
from .eval import Gold, load_gold
from .extract import Extractor
from .lexicon import Lexicon
from .nlp.nametyper import NAMES_FILE, NameTyper, fit_typer
from .nlp.relmodel import CUE_PREFIX, DROPPED, MODEL_DIR, RelationModel, class_names, feature_value
from .textnorm import fold

DEFAULT_SPLITS = Path("tests/realtext/splits.yaml")
SEED = 13
CORE = ("competesWith", "investsIn", "supplies", "hedgesAgainst")
DEV_AFF = ("develops", "affiliatedWith")
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]
DEFAULT_CONFIG = {"window": 4, "between_cap": 14, "max_gap": 160, "trigger_reach": 40, "top_k": 3, "evidence_floor": 0.2,
                  "min_count": 2, "C": 0.5, "none_weight": 1.0, "rule_scale": 3.0, "cross": True, "cross_gap": 200, "cross_cap": 6,
                  "type_words": False, "sectors": True, "known": True, "product": True,
                  "regional": True, "round": True, "typer": True, "typer_threshold": 0.4, "typer_C": 1.0, "list_between": True}


WEAK_WEIGHT = 0.3  # a weakly labelled pair counts this much (a gold one 1)


class TrainError(Exception):
    pass


@dataclass
class Example:
    file: str
    feats: list[str]
    label: str
    weight: float


def read_splits(path: Path) -> dict[str, list[dict]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise TrainError(f"{path}: cannot read the splits file: {str(err).splitlines()[0]}") from err
    base = Path(path).resolve().parent  # folders are named relative to the splits file
    out = {}
    for split, entries in data.items():
        if split == "tune":  # how the threshold is tuned: {texts: unfitted, folds: 5}; else on dev
            out["tune"] = dict(entries or {})
            continue
        items = []
        for e in entries or []:
            if "cases" in e:  # single sentences with the relations they must and must not give
                items.append({"cases": base / e["cases"], "weight": float(e.get("weight", 1.0))})
                continue
            if e.get("weak"):  # unlabelled texts, labelled by the rules (labelling functions)
                texts = Path(e["texts"])
                items.append({"weak": texts if texts.is_absolute() else base / texts,
                              "weight": float(e.get("weight", WEAK_WEIGHT))})
                continue
            texts, gold = Path(e["texts"]), Path(e["gold"])
            if not texts.is_absolute():
                texts, gold = base / texts, base / gold
            item = {"texts": texts, "gold": gold, "weight": float(e.get("weight", 1.0))}
            if "min_f1" in e:  # a guard: the thresholds must keep this set's relation F1 at or above it
                item["min_f1"] = float(e["min_f1"])
            if e.get("unfitted"):  # published text no rule was written from (the threshold's tuning text)
                item["unfitted"] = True
            items.append(item)
        out[split] = items
    return out


def gold_pairs(entries: list[dict]) -> list[tuple[Path, Gold, float]]:
    """(interview file, gold, weight) for every gold file of the entries whose interview exists."""
    out = []
    for e in entries:
        if "cases" in e or "weak" in e or not e["gold"].is_dir():
            continue
        for gpath in sorted(e["gold"].glob("*.yaml")):
            gold = load_gold(gpath)
            name = gold.document or gpath.stem
            text = e["texts"] / name
            if not text.exists():
                found = sorted(e["texts"].glob(gpath.stem + ".*"))
                if not found:
                    raise TrainError(f"{gpath}: no interview {name} in {e['texts']}")
                text = found[0]
            out.append((text, gold, e["weight"]))
    return out


def entity_names(extractor: Extractor, sdoc) -> dict[str, set[str]]:
    """Entity id -> folded names: the lexicon's and the surfaces this interview uses."""
    out: dict[str, set[str]] = {}
    for ent in sdoc.ents:
        out.setdefault(ent.id_, set()).add(fold(ent.text))
    for ent_id, keys in out.items():
        lex = extractor.lexicon.entities.get(ent_id)
        if lex is not None:
            keys |= {fold(n) for n in [*lex.pref.values(), *(a for a, _ in lex.alt)]}
    return {k: {n for n in v if n} for k, v in out.items()}


def analysed(extractor: Extractor, path: Path):
    """(document, spaCy doc) of an interview, the pipeline run once per extractor (training, tuning
    and cross-validation read the same interviews many times; features are worked out again from the
    doc, so a change of feature settings needs no new analysis)."""
    cache = extractor.__dict__.setdefault("_train_docs", {})
    key = str(Path(path).resolve())
    if key not in cache:
        doc = load_document(path)
        cache[key] = (doc, extractor.analyse(doc))
    return cache[key]


def label_document(extractor: Extractor, path: Path, gold: Gold, weight: float) -> list[Example]:
    doc, sdoc = analysed(extractor, path)
    names = entity_names(extractor, sdoc)
    ids: dict[str, set[str]] = {}
    types = {e.id_: e.label_ for e in sdoc.ents}
    for g in gold.entities:
        ids[g.name] = {i for i, keys in names.items() if types.get(i) == g.type and keys & g.keys}
    evidence: dict[tuple, list[tuple[int, int]]] = {}
    raw = doc.raw
    for item in yaml.safe_load(Path(gold.path).read_text(encoding="utf-8")).get("relations") or []:
        rel = item.get("relation", item.get("predicate"))
        quote = str(item.get("evidence") or "")
        spans = []
        pos = raw.find(quote) if quote else -1
        while pos >= 0:
            spans.append((pos, pos + len(quote)))
            pos = raw.find(quote, pos + 1)
        evidence.setdefault((item["subject"], rel, item["object"]), []).extend(spans)
    related: dict[tuple[str, str], list[tuple[str, list]]] = {}
    for (s, rel, o), spans in evidence.items():
        for a in ids.get(s, ()):
            for b in ids.get(o, ()):
                related.setdefault((a, b), []).append((rel + ">", spans))
                related.setdefault((b, a), []).append((rel + "<", spans))
    symmetric = {r for r, sig in extractor.data.signatures.items() if sig.get("symmetric")}
    scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
    out = []
    with hidden(scorer, path):
        pairs = list(scorer.pair_features(sdoc))
    for sent, a, b, _state, _cue, feats, _via, _anchor in pairs:
        rs, re_ = doc.raw_span(*sent)
        label = "none"
        skip = False
        for cls, spans in related.get((a.id_, b.id_), []):
            if cls[:-1] in symmetric:
                cls = cls[:-1] + "="
            if any(s0 < re_ and rs < s1 for s0, s1 in spans):
                label = cls
                skip = False
                break
            skip = True
        if skip:
            continue
        out.append(Example(path.name, feats, label, weight))
    return out


@contextmanager
def hidden(scorer, path: Path):
    """The scorer reading the known facts (ontology/known.yaml) as if the text at ``path`` had told
    none of them: a text annotated for the facts is not taught, or scored, with its own gold."""
    scorer.hide_source(Path(path).name)
    try:
        yield
    finally:
        scorer.hide_source("")


def examples(extractor: Extractor, items) -> list[Example]:
    out = []
    for path, gold, weight in items:
        out += label_document(extractor, path, gold, weight)
    return out


def case_examples(extractor: Extractor, entries: list[dict]) -> list[Example]:
    """Examples from files of single-sentence cases (``tests/data/relation_cases.yaml``): a pair a
    case expects is a positive; a pair it rejects, or any pair of a case that expects none, is a
    negative; other pairs of a case say nothing (the case did not list every relation)."""
    from .corpus import document_from_text
    from .nlp.discovery import new_id

    by_name: dict[str, str] = {}
    for ent in extractor.lexicon.entities.values():
        by_name.setdefault(ent.name, ent.id)
    symmetric = {r for r, sig in extractor.data.signatures.items() if sig.get("symmetric")}
    out = []
    for e in entries:
        if "cases" not in e:
            continue
        try:
            cases = yaml.safe_load(Path(e["cases"]).read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as err:
            raise TrainError(f"{e['cases']}: cannot read the cases: {str(err).splitlines()[0]}") from err
        for n, case in enumerate(cases):
            labels: dict[tuple[str, str], str] = {}
            for key, positive in (("reject", False), ("expect", True)):
                for s_name, rel, o_name in case.get(key) or []:
                    a, b = by_name.get(s_name) or new_id(s_name), by_name.get(o_name) or new_id(o_name)
                    if rel in symmetric:
                        labels[(a, b)] = labels[(b, a)] = (rel + "=") if positive else "none"
                    else:
                        labels[(a, b)] = (rel + ">") if positive else "none"
                        labels.setdefault((b, a), (rel + "<") if positive else "none")
            cache = extractor.__dict__.setdefault("_train_docs", {})
            key = ("case", case["text"])
            if key not in cache:
                doc = document_from_text(case["text"], f"case-{n}.txt")
                cache[key] = (doc, extractor.analyse(doc))
            doc, sdoc = cache[key]
            scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
            for _sent, a, b, _state, _cue, feats, _via, _anchor in scorer.pair_features(sdoc):
                label = labels.get((a.id_, b.id_), "none" if case.get("none") else None)
                if label is not None:
                    out.append(Example(f"case-{n}", feats, label, e["weight"]))
    return out


def _is_rule_feature(feature: str) -> bool:
    return feature.startswith("RULE") or "|RULE" in feature


def weak_label(feats: list[str], state: str) -> str | None:
    """The label the labelling functions give a pair of unlabelled text, or None (they abstain):
    - the rules: a pair the rules read as one relation and direction is a positive of it (two
      readings that disagree: abstain);
    - the cues: a question, negation or hypothetical is "none";
    - no trigger: a pair with no trigger word of any relation between or near it, that no rule read,
      is "none"."""
    said = {f[len("RULE:"):] for f in feats if f.startswith("RULE:")}
    if said:
        return next(iter(said)) if len(said) == 1 and state not in DROPPED else None
    if state in DROPPED:
        return "none"
    if not any(f.startswith("TW:") and not f.startswith("TW:" + CUE_PREFIX) for f in feats):
        return "none"  # (a cue word is no trigger word)
    return None


def weak_examples(extractor: Extractor, entries: list[dict]) -> tuple[list[Example], list[Path]]:
    """Weakly labelled pairs of the unlabelled texts of ``entries`` (``weak_label``), weighted below
    the gold ones. What the rules said is left out of their features: the model learns the words
    around a relation the rules found, not to repeat the rules (Snorkel's end model)."""
    out, files = [], []
    for e in entries:
        if "weak" not in e:
            continue
        folder = e["weak"]
        if not folder.is_dir():
            raise TrainError(f"{folder}: no folder of unlabelled texts")
        for path in sorted(folder.glob("*.txt")):
            files.append(path)
            doc, sdoc = analysed(extractor, path)
            scorer = extractor.nlp(doc.language).get_pipe("kg_relation_model")
            for _sent, _a, _b, state, _cue, feats, _via, _anchor in scorer.pair_features(sdoc):
                label = weak_label(feats, state)
                if label is not None:
                    out.append(Example(path.name, [f for f in feats if not _is_rule_feature(f)], label, e["weight"]))
    return out, files


def set_triggers(base: Extractor, triggers: dict) -> None:
    """Candidates and features of ``base`` from now on read these trigger words."""
    for lang in ("zh", "en"):
        base.nlp(lang).get_pipe("kg_relation_model").use_triggers(triggers)


@dataclass
class Design:
    """The examples as a learner reads them: the vocabulary (features seen ``min_count`` times), the
    sparse feature matrix, the classes present, each example's class (index into ``present``) and weight."""
    vocab: dict[str, int]
    x: object  # scipy.sparse.csr_matrix, examples x features
    present: list[str]
    y: numpy.ndarray
    w: numpy.ndarray


def design(train: list[Example], classes: list[str], config: dict) -> Design:
    from scipy.sparse import csr_matrix

    counts = Counter(f for ex in train for f in set(ex.feats))
    words = sorted(f for f, n in counts.items() if n >= config["min_count"])
    vocab = {w: i for i, w in enumerate(words)}
    rows, cols, vals = [], [], []
    for r, ex in enumerate(train):
        feats = {vocab[f]: feature_value(f, config["rule_scale"], config.get("known_scale", 1.0)) for f in ex.feats if f in vocab}
        for i in sorted(feats):
            rows.append(r)
            cols.append(i)
            vals.append(feats[i])
    x = csr_matrix((numpy.asarray(vals, dtype=numpy.float32), (rows, cols)), shape=(len(train), len(vocab)))
    present = sorted({ex.label for ex in train}, key=classes.index)
    y = numpy.array([present.index(ex.label) for ex in train])
    w = numpy.array([ex.weight * (config["none_weight"] if ex.label == "none" else 1.0) for ex in train])
    return Design(vocab, x, present, y, w)


def fit(train: list[Example], classes: list[str], config: dict, triggers: dict | None = None) -> RelationModel:
    from sklearn.linear_model import LogisticRegression

    d = design(train, classes, config)
    vocab, x, present, y, w = d.vocab, d.x, d.present, d.y, d.w
    clf = LogisticRegression(C=config["C"], max_iter=2000, solver="lbfgs", random_state=SEED)
    clf.fit(x, y, sample_weight=w)
    coef = numpy.full((len(vocab), len(classes)), 0.0, dtype=numpy.float32)
    intercept = numpy.full(len(classes), -30.0)
    for k, cls in enumerate(present):
        col = classes.index(cls)
        if len(present) == 2:  # binary: scikit-learn keeps one row
            sign = 1.0 if k == 1 else -1.0
            coef[:, col] = sign * clf.coef_[0] / 2
            intercept[col] = sign * clf.intercept_[0] / 2
        else:
            coef[:, col] = clf.coef_[k]
            intercept[col] = clf.intercept_[k]
    return RelationModel(classes, vocab, coef, intercept, 0.5, config, triggers)


def extract_with(base: Extractor, model: RelationModel, path: Path, min_confidence: float):
    """The extraction of one interview as ``kg build`` gives it with ``model`` at ``min_confidence``,
    from ``base``'s analysis (``analysed``: the pipeline is not run again; only the model scores)."""
    import copy

    doc, sdoc = analysed(base, path)
    scorer = base.nlp(doc.language).get_pipe("kg_relation_model")
    saved = scorer.model, scorer.triggers, scorer.any_trigger
    scorer.model, scorer._allowed = model, {}
    if model.triggers is not None:
        compiled = model.__dict__.get("_compiled")
        if compiled is None:
            scorer.use_triggers(model.triggers)
            model._compiled = scorer.triggers, scorer.any_trigger
        scorer.triggers, scorer.any_trigger = model._compiled
    try:
        with hidden(scorer, path):
            scorer(sdoc)
    finally:
        (scorer.model, scorer.triggers, scorer.any_trigger), scorer._allowed = saved, {}
    ev = copy.copy(base)
    ev.model_meta = {"config": model.config, "threshold": model.threshold}
    ev.min_confidence, ev.rule_min = min_confidence, 0.5
    ev.analyse = lambda _doc: sdoc
    return ev.extract(doc)


def score_curve(extractions: list, golds: list, lexicon: Lexicon, thresholds) -> list[dict]:
    """Scores of these extractions at each threshold on the interview-level probability, as ``kg build``
    would give them with that threshold as the model's: relations only the rules found keep the
    rules' own threshold (0.5)."""
    from dataclasses import replace

    from .eval import evaluate, lexicon_aliases
    from .graph import add_extraction, new_dataset, union_graph

    aliases = lexicon_aliases(lexicon)
    out = []
    for t in thresholds:
        ds = new_dataset(with_ontology=False)
        for ext in extractions:
            kept = [r for r in ext.relations if not r.rule.startswith("model")
                    or (r.doc_confidence if r.doc_confidence is not None else r.confidence) >= t]
            add_extraction(ds, replace(ext, relations=kept), lexicon)
        res = evaluate(golds, union_graph(ds), 0.0, aliases=aliases)
        core = _group(res, CORE)
        dev_aff = _group(res, DEV_AFF)
        out.append({"threshold": round(t, 3), "all": res.total("relations").as_dict(), "core": core.as_dict(),
                    "develops+affiliatedWith": dev_aff.as_dict(),
                    "relations": {r: res.relations[r].as_dict() for r in sorted(res.relations)}})
    return out


def threshold_curve(base: Extractor, model: RelationModel, items, thresholds) -> list[dict]:
    """``score_curve`` of the dev items with ``model``."""
    extractions = [extract_with(base, model, path, min(thresholds)) for path, _gold, _w in items]
    return score_curve(extractions, [g for _p, g, _w in items], base.lexicon, thresholds)


def _group(res, rels):
    from .eval import Score

    s = Score()
    for r in rels:
        s.add(res.relations[r])
    return s


def choose_threshold(curve: list[dict], min_precision: float = 0.7, tie: float = 0.005,
                     allowed: set[float] | None = None) -> float:
    """The threshold of the best relation F1 at precision >= ``min_precision``, of all relations and of
    the core four alike (the aim's floor is the core relations'; where no threshold holds both, of all
    relations), among those in ``allowed`` (the thresholds that keep a guard set at its floor, if given);
    of thresholds whose F1 is within ``tie`` of the best (about two relations' worth on the dev split: a
    tie), the highest, so that a lower threshold is picked only for a gain it shows, not for the same F1
    at a lower precision. Two relations, not one: text the threshold was not tuned on reads at a lower
    precision than dev (core 0.53 on train4…train6 against 0.80 on dev, 2026-12-05; README), so a lower
    threshold must earn more than the noise of one or two relations."""
    if allowed:
        curve = [c for c in curve if c["threshold"] in allowed] or curve
    ok = [c for c in curve if c["all"]["precision"] >= min_precision]
    ok = [c for c in ok if "core" not in c or c["core"]["precision"] >= min_precision] or ok or curve
    top = max(c["all"]["f1"] for c in ok)
    return max(c["threshold"] for c in ok if c["all"]["f1"] >= top - tie)


GROUPS = {"core": (CORE, 0.7), "develops+affiliatedWith": (DEV_AFF, 0.0)}  # group -> relations, precision floor


def combined_f1(curve: list[dict], thresholds: dict[str, float]) -> float:
    """Relation F1 of a curve's set with each relation at its own threshold (``score_curve``
    scores each relation on its own, so the counts of each at its threshold add up)."""
    tp = fp = fn = 0
    for rel, t in thresholds.items():
        c = next(c for c in curve if c["threshold"] == t)["relations"][rel]
        tp, fp, fn = tp + c["tp"], fp + c["fp"], fn + c["fn"]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose_group_thresholds(curve: list[dict], single: float, guard: tuple | None = None) -> dict[str, float]:
    """Relation -> threshold, one per group of ``GROUPS``, in turn: the best F1 of the group at or
    above its precision floor (core: 0.7, the aim's; develops+affiliatedWith: none) among the
    thresholds that keep the guard set's relation F1 (to 3 places, as ``kg eval`` prints it) at or
    above its floor (``guard``: its curve and floor; the others keep ``single`` meanwhile); a group that reaches its floor nowhere keeps
    ``single``."""
    out = {r: single for rels, _f in GROUPS.values() for r in rels}
    for group, (rels, floor) in GROUPS.items():
        ok = [c for c in curve if c[group]["precision"] >= floor and c[group]["tp"]]
        if guard is not None:
            g_curve, g_floor = guard
            ok = [c for c in ok if round(combined_f1(g_curve, {**out, **{r: c["threshold"] for r in rels}}), 3) >= g_floor]
        t = max(ok, key=lambda c: (c[group]["f1"], c["threshold"]))["threshold"] if ok else single
        out.update({r: t for r in rels})
    return out


def typer_rows(extractor: Extractor, items) -> list[tuple[str, list[str], str]]:
    """(interview file, features, gold type or NONE) of each Latin name ``kg_discovery``'s rule zh.latin-name
    finds standing alone in the Chinese text of ``items`` (``extractor``: a pipeline with no typer, whose
    analysis of these interviews is its first), labelled by the gold entity it names (folded as ``kg eval``
    folds names)."""
    pipes = [extractor.nlp(lang).get_pipe("kg_discovery") for lang in ("zh", "en")]
    rows = []
    for path, gold, _weight in items:
        log: list = []
        for pipe in pipes:
            pipe.typer_log = log
        try:
            analysed(extractor, path)
        finally:
            for pipe in pipes:
                pipe.typer_log = None
        keys: dict[str, str] = {}
        for g in gold.entities:
            for k in sorted(g.keys):
                keys.setdefault(k, g.type)
        rows += [(str(path), feats, keys.get(fold(name), NameTyper.NONE)) for name, feats in log]
    return rows


def fit_name_typer(rows: list[tuple[str, list[str], str]], config: dict) -> dict | None:
    """The typer fitted on ``rows`` (``typer_rows``), or None if they hold fewer than two kinds of label."""
    if len({y for _p, _f, y in rows}) < 2:
        return None
    return fit_typer([f for _p, f, _y in rows], [y for _p, _f, y in rows], float(config["typer_threshold"]),
                     C=float(config["typer_C"]), seed=SEED)


def set_typer(extractor: Extractor, typer: dict | None) -> None:
    """Give ``extractor``'s pipelines the name typer (None: the rule's types), before it analyses anything."""
    for lang in ("zh", "en"):
        pipe = extractor.nlp(lang).get_pipe("kg_discovery")
        pipe.typer = NameTyper(typer) if typer else None
        pipe._setup_args = {**pipe._setup_args, "typer": typer}
    extractor.__dict__.pop("_train_docs", None)


def base_extractor(lexicon: Lexicon, config: dict) -> tuple[Extractor, dict]:
    """The pipeline without a model, listing candidates and features as a model trained with
    ``config`` sees them, and the trigger words it reads (the rules' now; stored with the model)."""
    base = Extractor(lexicon, relation_model=None)
    triggers = None
    for lang in ("zh", "en"):
        scorer = base.nlp(lang).get_pipe("kg_relation_model")
        scorer.train_config = config
        triggers = {rel: list(words) for rel, words in sorted(scorer.trigger_source.items())}
    if config.get("cue_words"):
        # the cue words of relations.yaml (a partnership's words, ...): features, stored with the trigger words
        for name, words in sorted((base.data.rules.get("cue_words") or {}).items()):
            triggers[f"{CUE_PREFIX}{name}"] = sorted({str(w).lower() for w in words})
    return base, triggers


@dataclass
class Fitted:
    model: RelationModel
    examples: list[Example]  # the gold pairs and the cases
    weak: list[Example]
    weak_files: list[Path]


def fit_on(base: Extractor, items, entries: list[dict], classes: list[str], config: dict,
           triggers: dict) -> Fitted:
    """Label the pairs of ``items`` (annotated interviews), of the cases and of the weakly labelled
    texts of ``entries``, reading these trigger words, and fit a model on them (which stores the
    trigger words it read)."""
    set_triggers(base, triggers)
    ex = examples(base, items) + case_examples(base, entries)
    weak, files = weak_examples(base, entries)
    return Fitted(fit(ex + weak, classes, config, triggers), ex, weak, files)


def train(splits_path: Path = DEFAULT_SPLITS, out_dir: Path = MODEL_DIR, lexicon: Lexicon | None = None,
          config: dict | None = None, log=print) -> dict:
    """Train on the train split, tune the threshold (on the out-of-fold readings of the unfitted train texts
    when the splits file says ``tune: {texts: unfitted, folds: K}``; else on dev), write the model to ``out_dir``."""
    t0 = time.time()
    config = {**DEFAULT_CONFIG, **(config or {})}
    splits = read_splits(splits_path)
    lexicon = lexicon or Lexicon.load()
    base, triggers = base_extractor(lexicon, config)
    train_items = gold_pairs(splits.get("train", []))
    dev_items = gold_pairs(splits.get("dev", []))
    if not train_items:
        raise TrainError(f"{splits_path}: the train split has no gold files")
    typer = None
    if config.get("typer"):
        # the typer of Latin names in Chinese text first (the pipeline without it), then every pair is read with it
        rows = typer_rows(Extractor(lexicon, relation_model=None), train_items)
        typer = fit_name_typer(rows, config)
        if typer:
            log(f"name typer: {typer['names']} Latin names in Chinese text, {typer['named']} of them entities, "
                f"{len(typer['features'])} features, threshold {typer['threshold']}")
    set_typer(base, typer)
    classes = class_names(base.data.signatures)
    fitted = fit_on(base, train_items, splits.get("train", []), classes, config, triggers)
    model, train_ex, weak_ex, weak_files = fitted.model, fitted.examples, fitted.weak, fitted.weak_files
    labels = Counter(ex.label for ex in train_ex)
    log(f"train: {len(train_items)} interviews, {len(train_ex)} pairs, {sum(v for k, v in labels.items() if k != 'none')} positive")
    if weak_files:
        weak_labels = Counter(ex.label for ex in weak_ex)
        log(f"weak: {len(weak_files)} unlabelled texts, {len(weak_ex)} pairs labelled by the rules and cues, "
            f"{sum(v for k, v in weak_labels.items() if k != 'none')} positive")
    log(f"fitted {len(model.vocab)} features x {len(classes)} classes in {time.time() - t0:.1f} s")
    curve = []
    guard_entries = [e for e in splits.get("guard", []) if "min_f1" in e]
    guard_items = gold_pairs(guard_entries)
    tune = splits.get("tune") or {}
    tune_curve, tuned_on = [], "dev"
    if tune.get("texts") == "unfitted":
        # the threshold is tuned on the train split's published texts no rule was written from, each read by a
        # model fitted on the other folds (text like the locked sets; dev's texts are ones the rules were written from)
        unfitted = {str(p) for p, _g, _w in gold_pairs([e for e in splits.get("train", []) if e.get("unfitted")])}
        if not unfitted:
            raise TrainError(f"{splits_path}: tune: texts: unfitted, but no train entry is marked unfitted")
        folds = int(tune.get("folds", 5))
        tune_curve = out_of_fold_curve(base, train_items, splits.get("train", []), classes, config, triggers, folds,
                                       unfitted)
        tuned_on = f"{len(unfitted)} unfitted train texts, {folds}-fold cross-validated"
        log(f"tuned on the out-of-fold readings of {tuned_on} ({time.time() - t0:.1f} s)")
    if dev_items:
        curve = threshold_curve(base, model, dev_items, THRESHOLDS)
    if tune_curve or dev_items:
        guard = None
        if guard_items:
            guard = (threshold_curve(base, model, guard_items, THRESHOLDS), min(e["min_f1"] for e in guard_entries))
        # the one threshold too keeps the guard set's relation F1 (to 3 places, as kg eval prints it) at its floor
        allowed = {c["threshold"] for c in guard[0] if round(c["all"]["f1"], 3) >= guard[1]} if guard else None
        model.threshold = choose_threshold(tune_curve or curve, allowed=allowed)
        if config.get("group_thresholds"):
            model.thresholds = choose_group_thresholds(tune_curve or curve, model.threshold, guard)
    meta = {"train_files": [p.name for p, _g, _w in train_items], "dev_files": [p.name for p, _g, _w in dev_items],
            "weak_files": [p.name for p in weak_files], "guard_files": [p.name for p, _g, _w in guard_items], "labels": dict(sorted(labels.items())), "seed": SEED,
            "dev_curve": curve, "tuned_on": tuned_on}
    if tune_curve:
        meta["tune_curve"] = tune_curve
    model.config = {**config, "trained_on": meta}
    model.to_disk(Path(out_dir))
    typer_path = Path(out_dir) / NAMES_FILE
    if typer:
        typer_path.write_text(json.dumps(typer, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    elif typer_path.exists():
        typer_path.unlink()  # a model trained without the typer reads the rule's types
    best = next((c for c in tune_curve or curve if c["threshold"] == model.threshold), None)
    log(f"threshold {model.threshold} ({tuned_on})" + (
        f": relations P {best['all']['precision']:.3f} R {best['all']['recall']:.3f} F1 {best['all']['f1']:.3f}, "
        f"core P {best['core']['precision']:.3f} R {best['core']['recall']:.3f} F1 {best['core']['f1']:.3f}" if best else ""))
    at_dev = next((c for c in curve if c["threshold"] == model.threshold), None) if tune_curve else None
    if at_dev:
        log(f"  on dev there: relations P {at_dev['all']['precision']:.3f} R {at_dev['all']['recall']:.3f} "
            f"F1 {at_dev['all']['f1']:.3f}")
    if model.thresholds and curve:
        for group, (rels, _floor) in GROUPS.items():
            t = model.thresholds[rels[0]]
            at = next(c for c in curve if c["threshold"] == t)[group]
            log(f"threshold {t} for {group} (dev): P {at['precision']:.3f} R {at['recall']:.3f} F1 {at['f1']:.3f}")
    log(f"model written to {out_dir} in {time.time() - t0:.1f} s")
    return {"threshold": model.threshold, "curve": curve, **meta}


def read_out_of_fold(items, entries: list[dict], classes: list[str], config: dict, triggers: dict, folds: int,
                     base_of, picked: list[int] | None = None, log=None) -> dict[int, object]:
    """Index -> the extraction of each interview of ``items`` (those of ``picked``, or all) by a model fitted on the
    other folds (``fold_of``; the cases and weak labels of ``entries`` in every fold's training), as ``kg build``
    gives it at the lowest threshold. ``base_of(fold, held)``: the pipeline that reads the fold (``held``: the
    paths of its interviews)."""
    if folds < 2:
        raise TrainError(f"cross-validation needs 2 folds or more, not {folds}")
    assign = fold_of(items, folds)
    picked = range(len(items)) if picked is None else picked
    out = {}
    for f in range(folds):
        held = [i for i in picked if assign[i] == f]
        if not held:
            continue
        base = base_of(f, {str(items[i][0]) for i in range(len(items)) if assign[i] == f})
        model = fit_on(base, [it for i, it in enumerate(items) if assign[i] != f], entries, classes, config,
                       triggers).model
        for i in held:
            out[i] = extract_with(base, model, items[i][0], min(THRESHOLDS))
        if log is not None:
            log(f, assign.count(f))
    return out


def out_of_fold_curve(base: Extractor, items, entries: list[dict], classes: list[str], config: dict, triggers: dict,
                      folds: int, select: set[str]) -> list[dict]:
    """``score_curve`` of the interviews of ``items`` whose path is in ``select``, each read out of fold
    (``read_out_of_fold``). The pipeline (and its name typer) is the final model's: only the relation model is
    fitted again."""
    picked = [i for i, (path, _g, _w) in enumerate(items) if str(path) in select]
    read = read_out_of_fold(items, entries, classes, config, triggers, folds, lambda _f, _held: base, picked)
    return score_curve([read[i] for i in picked], [items[i][1] for i in picked], base.lexicon, THRESHOLDS)


def write_json(path: Path, data) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def fold_of(items: list[tuple[Path, Gold, float]], folds: int) -> list[int]:
    """The fold of each interview: by file, in turn within each set (sorted by set and name), so each
    fold holds some of every set."""
    from .eval import gold_set

    order = sorted(range(len(items)), key=lambda i: (gold_set(items[i][1]), items[i][0].name))
    out = [0] * len(items)
    for n, i in enumerate(order):
        out[i] = n % folds
    return out


def crossval(splits_path: Path = DEFAULT_SPLITS, folds: int = 5, lexicon: Lexicon | None = None,
             config: dict | None = None, log=print) -> dict:
    """K-fold cross-validation by file over the annotated interviews of the train split: each fold's
    interviews are scored by a model fitted on the other folds (with the single-sentence cases and the
    weak labels, which are in every fold's training), as ``kg build`` would, and the predictions of all
    folds are scored together at each threshold, per set (the gold folder, relative to the splits
    file) and over all. Nothing is written; dev is not read."""
    if folds < 2:
        raise TrainError(f"cross-validation needs 2 folds or more, not {folds}")
    t0 = time.time()
    config = {**DEFAULT_CONFIG, **(config or {})}
    splits = read_splits(splits_path)
    lexicon = lexicon or Lexicon.load()
    base, triggers = base_extractor(lexicon, config)
    items = gold_pairs(splits.get("train", []))
    if len(items) < folds:
        raise TrainError(f"{splits_path}: {len(items)} annotated interviews in the train split, too few for {folds} folds")
    classes = class_names(base.data.signatures)
    rows = typer_rows(Extractor(lexicon, relation_model=None), items) if config.get("typer") else []

    def base_of(_fold: int, held: set[str]) -> Extractor:
        if not config.get("typer"):
            return base
        # each fold's typer learns from the other folds' texts, and its pipeline reads every text with it
        fold_base, _ = base_extractor(lexicon, config)
        set_typer(fold_base, fit_name_typer([r for r in rows if r[0] not in held], config))
        return fold_base

    read = read_out_of_fold(items, splits.get("train", []), classes, config, triggers, folds, base_of,
                            log=lambda f, n: log(f"fold {f + 1}/{folds}: {n} interviews held out ({time.time() - t0:.0f} s)"))
    extractions = [read[i] for i in range(len(items))]
    sets: dict[str, list[int]] = {}
    here = Path(splits_path).resolve().parent
    for i, (_p, g, _w) in enumerate(items):  # a set: its gold folder, as the splits file names it
        sets.setdefault(os.path.relpath(Path(g.path).resolve().parent, here), []).append(i)
    out = {"folds": folds, "files": len(items), "config": {k: v for k, v in config.items() if k != "trained_on"}, "sets": {}}
    for name, idx in [("all", list(range(len(items)))), *sorted(sets.items())]:
        curve = score_curve([extractions[i] for i in idx], [items[i][1] for i in idx], lexicon, THRESHOLDS)
        best = next(c for c in curve if c["threshold"] == choose_threshold(curve))
        out["sets"][name] = {"files": len(idx), "best": best, "curve": curve}
    log(f"cross-validation: {len(items)} interviews, {folds} folds by file, in {time.time() - t0:.0f} s")
    return out


def cv_table(result: dict) -> list[str]:
    """The cross-validation result as table lines: per set, the threshold picked as on dev (best
    relation F1 at precision >= 0.7) and the scores there."""
    lines = ["| set | files | threshold | relations P | R | F1 | core P | core R | core F1 | develops+affiliatedWith F1 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in result["sets"].items():
        b = r["best"]
        lines.append(f"| {name} | {r['files']} | {b['threshold']} | {b['all']['precision']:.3f} | {b['all']['recall']:.3f} | "
                     f"{b['all']['f1']:.3f} | {b['core']['precision']:.3f} | {b['core']['recall']:.3f} | "
                     f"{b['core']['f1']:.3f} | {b['develops+affiliatedWith']['f1']:.3f} |")
    return lines
