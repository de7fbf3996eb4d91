"""Two learned readers of Latin-script names, measured on the seen train and dev sets: the typer was built
(kg/nlp/nametyper.py), the span classifier was not (README, Discovery, and "Headlines, titles, captions,
alternatives, a name typer and the twenty-first locked set"):

    python bench/experiments/latin_names_cv.py spans     # a classifier over every capitalised run no mention covers
    python bench/experiments/latin_names_cv.py typer     # a typer of the names zh.latin-name finds in Chinese text

Both run the shipped pipeline over the 194 texts of train…train8 and dev…dev3 (seen: their misses were read), label
each candidate by the gold (an alias of that type, folded as ``kg eval`` folds names, or none) and score a logistic
regression (scikit-learn, fixed folds by file) by 5-fold cross-validation. ``spans`` counts, per text, the distinct
names it would add: right (a gold entity the pipeline missed), a gold entity the pipeline already has, or wrong.
``typer`` fits the shipped typer (``kg.nlp.nametyper``) per fold on ``kg train``'s own rows (the features of every
name the rule finds, before overlaps are resolved) and counts the names it would assert, against those
``kg_discovery`` asserts without it (confidence >= 0.6; the names that survive overlaps). About a minute.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from kg.corpus import load_document
from kg.extract import Extractor
from kg.lexicon import Lexicon, default_lexicon_paths
from kg.textnorm import fold
from kg.nlp.nametyper import NameTyper, _shape, context_features, fit_typer
from kg.train import analysed, gold_pairs, typer_rows as kg_typer_rows

ROOT = Path(__file__).resolve().parents[2]
SETS = ["train", "train2", "train3", "train4", "train5", "train6", "train7", "train8", "dev", "dev2", "dev3"]
WORD = (r"(?:[A-Z][A-Za-z0-9]*(?:[.&'’+-][A-Za-z0-9]+)*|[a-z]{1,3}[A-Z][A-Za-z0-9]*(?:[.&'’+-][A-Za-z0-9]+)*"
        r"|[A-Za-z]*\d[A-Za-z0-9]*(?:[.+-][A-Za-z0-9]+)*)")
LINKS = ("of", "for", "&", "de", "du", "la", "von", "van")
RUN = re.compile(rf"(?<![A-Za-z0-9.&'’+-]){WORD}(?:(?: | (?:{'|'.join(LINKS)}) ){WORD})*(?![A-Za-z0-9&'’+-])")
TOKEN = re.compile(rf"{WORD}|{'|'.join(LINKS)}")
LOWER = re.compile(r"(?<![A-Za-z])[a-z][a-z]+(?![A-Za-z])")


def documents():
    extractor = Extractor(Lexicon.load(default_lexicon_paths()))
    R = ROOT / "tests" / "realtext"
    for s in SETS:
        for path, gold, _w in gold_pairs([{"texts": R / s / "texts", "gold": R / s / "gold", "weight": 1.0}]):
            sdoc = extractor.analyse(load_document(path))
            keys = {}
            for g in gold.entities:
                for k in g.keys:
                    keys.setdefault(k, g.type)
            yield path, sdoc, gold, keys


def name_features(name: str, lang: str) -> dict:
    words = name.split(" ")
    low = [w.lower() for w in words]
    f = {"bias": 1, "shape=" + " ".join(map(_shape, words)): 1, f"len={min(len(words), 4)}": 1, "lang=" + lang: 1,
         "suf3=" + low[-1][-3:]: 1, "first=" + low[0]: 1, "last=" + low[-1]: 1}
    for w in low:
        f["w=" + w] = 1
    if name.isupper():
        f["caps"] = 1
    if re.search(r"\d", name):
        f["digit"] = 1
    return f


def spans_rows():
    rows = []  # (doc, [(a, b)], [features], [labels], gold, found gold names)
    for path, sdoc, gold, keys in documents():
        text = sdoc.text
        covered = bytearray(len(text) + 1)
        for e in sdoc.ents:
            covered[e.start_char:e.end_char] = b"\x01" * (e.end_char - e.start_char)
        lower = set(LOWER.findall(text))
        cands = []
        for m in RUN.finditer(text):
            toks = [(t.start() + m.start(), t.end() + m.start(), t.group(0)) for t in TOKEN.finditer(m.group(0))]
            for i in range(len(toks)):
                for j in range(i, min(len(toks), i + 4)):
                    if toks[i][2] in LINKS or toks[j][2] in LINKS:
                        continue
                    a, b = toks[i][0], toks[j][1]
                    if not any(covered[a:b]):
                        cands.append((a, b, i > 0, j < len(toks) - 1))
        counts = Counter(text[a:b] for a, b, _l, _r in cands)
        feats, labels = [], []
        for a, b, left, right in cands:
            name = text[a:b]
            f = name_features(name, sdoc.lang_ if hasattr(sdoc, "lang_") else "")
            f.update({"sub_left": int(left), "sub_right": int(right), f"cnt={min(counts[name], 3)}": 1})
            low = [w.lower() for w in name.split(" ")]
            if low[0] in lower:
                f["lc_first"] = 1
            if all(w in lower for w in low):
                f["lc_all"] = 1
            around: set[str] = set()
            context_features(text, a, b, around)
            f.update(dict.fromkeys(around, 1))
            feats.append(f)
            labels.append(keys.get(fold(name), "NONE"))
        by_type = defaultdict(set)
        for e in sdoc.ents:
            by_type[e.label_].add(fold(e.text))
        found = {g.name for g in gold.entities if by_type[g.type] & g.keys}
        rows.append((str(path), [(a, b) for a, b, *_ in cands], feats, labels, gold, found, text))
    return rows


def typer_rows():
    """kg train's rows over the seen sets (``kg.train.typer_rows``: the shipped features of each name zh.latin-name
    finds, and its gold label), and (gold label, type, confidence) of each such name as discovery gives it
    without a typer."""
    extractor = Extractor(Lexicon.load(default_lexicon_paths()), relation_model=None)
    R = ROOT / "tests" / "realtext"
    items = [it for s in SETS for it in gold_pairs([{"texts": R / s / "texts", "gold": R / s / "gold", "weight": 1.0}])]
    rows = kg_typer_rows(extractor, items)
    plain = []
    for path, gold, _w in items:
        keys: dict[str, str] = {}
        for g in gold.entities:
            for k in sorted(g.keys):
                keys.setdefault(k, g.type)
        for info in (analysed(extractor, path)[1]._.kg_discovered or {}).values():
            if info.get("rule") == "zh.latin-name":
                plain.append((keys.get(fold(info["name"]), "NONE"), info["type"], info["confidence"]))
    return rows, plain


def folds(docs: list[str], k: int = 5) -> dict[str, int]:
    docs = sorted(set(docs))
    random.Random(7).shuffle(docs)
    return {d: i % k for i, d in enumerate(docs)}


def fit_predict(train_x, train_y, test_x, C: float):
    v = DictVectorizer()
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(v.fit_transform(train_x), train_y)
    return [dict(zip(clf.classes_, p)) for p in clf.predict_proba(v.transform(test_x))]


def run_spans(C: float) -> None:
    rows = spans_rows()
    fold_of = folds([r[0] for r in rows])
    probs = {}
    for k in range(5):
        tr = [r for r in rows if fold_of[r[0]] != k]
        te = [r for r in rows if fold_of[r[0]] == k and r[2]]
        if not te:
            continue
        flat = fit_predict([f for r in tr for f in r[2]], [y for r in tr for y in r[3]], [f for r in te for f in r[2]], C)
        at = 0
        for r in te:
            probs[r[0]] = flat[at:at + len(r[2])]
            at += len(r[2])
    print(f"candidates {sum(len(r[1]) for r in rows)}, of them a gold name {sum(y != 'NONE' for r in rows for y in r[3])}")
    for threshold in (0.3, 0.5, 0.7):
        right, already, wrong = set(), 0, 0
        for doc, spans, _f, _y, gold, found, text in rows:
            picks = []
            for (a, b), p in zip(spans, probs.get(doc, [])):
                t = max((c for c in p if c != "NONE"), key=p.get)
                if p[t] >= threshold:
                    picks.append((p[t], a, b, t))
            taken, names = [], {}
            for _p, a, b, t in sorted(picks, reverse=True):
                if not any(a < y and x < b for x, y in taken):
                    taken.append((a, b))
                    names.setdefault(text[a:b], t)
            for name, t in names.items():
                g = next((g for g in gold.entities if g.type == t and fold(name) in g.keys), None)
                if g is None:
                    wrong += 1
                elif g.name in found:
                    already += 1
                else:
                    right.add((doc, g.name))
        print(f"threshold {threshold}: names added right {len(right)}, already found {already}, wrong {wrong}")


def run_typer(C: float) -> None:
    rows, plain = typer_rows()
    fold_of = folds([r[0] for r in rows])
    pred = [None] * len(rows)
    for k in range(5):
        tr = [i for i, r in enumerate(rows) if fold_of[r[0]] != k]
        te = [i for i, r in enumerate(rows) if fold_of[r[0]] == k]
        typer = NameTyper(fit_typer([rows[i][1] for i in tr], [rows[i][2] for i in tr], 0.4, C=C, seed=13))
        for i in te:
            pred[i] = typer.predict(rows[i][1])

    def tally(picks) -> str:
        c = Counter("right" if label == t else "no entity" if label == "NONE" else "wrong type"
                    for label, t in picks if t is not None)
        return ", ".join(f"{k} {c[k]}" for k in ("right", "wrong type", "no entity"))

    print(f"names zh.latin-name found {len(rows)}, of them a gold entity {sum(r[2] != 'NONE' for r in rows)}")
    print("asserted by discovery (confidence >= 0.6):",
          tally((label, t if conf >= 0.6 else None) for label, t, conf in plain))
    for threshold in (0.3, 0.4, 0.5, 0.6):
        picks = []
        for r, p in zip(rows, pred):
            t = max((c for c in p if c != "NONE"), key=p.get)
            picks.append((r[2], t if 1 - p["NONE"] >= threshold else None))
        print(f"typer, P(a name) >= {threshold}:", tally(picks))


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "spans"
    C = float(sys.argv[2]) if len(sys.argv) > 2 else (10.0 if which == "spans" else 1.0)
    run_spans(C) if which == "spans" else run_typer(C)
