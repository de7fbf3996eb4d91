"""A learned typer of the Latin names ``kg_discovery`` finds standing alone in Chinese text (rule
``zh.latin-name``: "Sierra", "WeLM", "Positron 的 Atlas 系统", "Ulrik").

The rule finds such names by their script alone and calls each a company at a confidence below the
assert threshold, unless a cue or a trigger adds to it: most are terms ("FP32", "LiDAR", "PyTorch"), and
of those that name something, many are models, chips or people. The typer reads what the document
says around every occurrence of the name (the characters or word before and after), the name's own
words and shape and how often it stands, and gives a probability for each type and for "no entity".
``kg train`` fits it (a multinomial logistic regression, scikit-learn, fixed seed) on the names the rule
finds in the train split's annotated texts, labelled by their gold entity's type (``NONE`` where the gold
has none), and writes it beside the relation model (``names.json``); the pipeline loads it from there.
``kg_discovery`` then gives such a name the typer's type, and asserts it where its probability of being a
name reaches the typer's threshold (the confidence is mapped so that the threshold falls on
``assert_threshold``). Measured by cross-validation over the seen sets: ``bench/experiments/latin_names_cv.py
typer``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .commonwords import alternation

NAMES_FILE = "names.json"  # the typer's file in a model folder

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9'’]+$")
_WORD_AFTER = re.compile(r"[A-Za-z0-9'’]+")
TITLE_REACH = 12  # characters before a name that a title may take (联合创始人兼首席执行官 is 11)


def title_before(titles: list[str]) -> re.Pattern | None:
    """A pattern that finds one of ``titles`` ending right before a name (a space between them or none),
    searched from ``TITLE_REACH`` characters before the name to the name's start."""
    if not titles:
        return None
    return re.compile(f"(?:{alternation(titles)}) ?$")


def _shape(word: str) -> str:
    return re.sub(r"\d+", "d", re.sub(r"[a-z]+", "x", re.sub(r"[A-Z]+", "X", word)))


def context_features(text: str, start: int, end: int, out: set[str]) -> None:
    """The characters (Chinese) or the word (Latin) on either side of one occurrence ``text[start:end]``."""
    k = start - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    c = text[k] if k >= 0 else "\n"
    if _CJK.match(c):
        out.add("p1=" + c)
        out.add("p2=" + text[max(0, k - 1):k + 1])
    elif c.isalnum():
        m = _WORD_BEFORE.search(text, max(0, k - 20), k + 1)
        out.add("pw=" + (m.group(0).lower() if m else c))
    else:
        out.add("pp=" + c)
    k = end
    while k < len(text) and text[k] == " ":
        k += 1
    c = text[k] if k < len(text) else "\n"
    if _CJK.match(c):
        out.add("n1=" + c)
        out.add("n2=" + text[k:k + 2])
    elif c.isalnum():
        m = _WORD_AFTER.match(text, k, k + 20)
        out.add("nw=" + (m.group(0).lower() if m else c))
    else:
        out.add("np=" + c)


def name_features(text: str, name: str, rule_type: str, spans: list[tuple[int, int]],
                  given: frozenset[str] = frozenset(), surnames: frozenset[str] = frozenset(),
                  titles: re.Pattern | None = None) -> list[str]:
    """The features of a name found in ``text`` at ``spans``, called ``rule_type`` by its rule; ``given``
    (lower case: names.yaml's given names) and ``surnames`` (pinyin surnames) tell a person's name by
    its words' kind where the words themselves were never seen in training ("Kenny Zhang", "Zhang Tao");
    ``titles`` (a pattern that matches a title at the end of the text before a name: names.yaml's zh_titles)
    tells a person by the title that introduces them, whichever title it is (创办人Dharmesh, 执行长Immad)."""
    words = name.split(" ")
    low = [w.lower() for w in words]
    out = {"bias", "shape=" + " ".join(map(_shape, words)), f"len={min(len(words), 4)}", "suf3=" + low[-1][-3:],
           "first=" + low[0], "last=" + low[-1], "rt=" + rule_type, f"cnt={min(len(spans), 3)}"}
    out.update("w=" + w for w in low)
    if low[0] in given:
        out.add("given:first" if len(low) > 1 else "given:alone")
    if len(low) > 1 and (low[0] in surnames or low[-1] in surnames):
        out.add("surname:" + ("last" if low[-1] in surnames else "first"))
    if name.isupper():
        out.add("caps")
    if any(ch.isdigit() for ch in name):
        out.add("digit")
    for a, b in spans:
        context_features(text, a, b, out)
        if titles is not None and titles.search(text, max(0, a - TITLE_REACH), a):
            out.add("title:before")
    return sorted(out)


class NameTyper:
    """Type -> probability for a name's features (plain data: classes, feature index, weights)."""

    NONE = "NONE"

    def __init__(self, data: dict):
        self.classes: list[str] = list(data["classes"])
        self.index: dict[str, int] = {f: i for i, f in enumerate(data["features"])}
        self.coef: list[list[float]] = data["coef"]  # one row per feature: a weight per class
        self.intercept: list[float] = list(data["intercept"])
        self.threshold = float(data["threshold"])
        self.data = data

    def predict(self, features: list[str]) -> dict[str, float]:
        scores = list(self.intercept)
        for f in features:
            i = self.index.get(f)
            if i is not None:
                for c, w in enumerate(self.coef[i]):
                    scores[c] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def judge(self, features: list[str], assert_threshold: float,
              exclude: frozenset[str] | tuple = ()) -> tuple[str, float]:
        """(type, confidence): the likeliest type other than none (and other than those in ``exclude``, which
        the name's own words rule out), and a confidence that reaches ``assert_threshold`` exactly where the
        probability of a name reaches the typer's threshold."""
        p = self.predict(features)
        typ = max((c for c in self.classes if c != self.NONE and c not in exclude), key=lambda c: (p[c], c))
        named = 1.0 - p.get(self.NONE, 0.0)
        t = self.threshold
        if named >= t:
            conf = assert_threshold + (1.0 - assert_threshold) * (named - t) / max(1e-9, 1.0 - t)
        else:
            conf = assert_threshold * named / max(1e-9, t)
        return typ, round(min(conf, 0.95), 3)

    @staticmethod
    def load(folder: Path | str | None) -> dict | None:
        """The typer's data in a model folder, or None (read once per process while the file stays the same:
        the Chinese and the English pipeline share it)."""
        if not folder:
            return None
        path = Path(folder) / NAMES_FILE
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (str(path.resolve()), st.st_mtime_ns, st.st_size)
        if _LOADED.get("stamp") != stamp:
            _LOADED.update(stamp=stamp, data=json.loads(path.read_text(encoding="utf-8")))
        return _LOADED["data"]


_LOADED: dict = {}  # the last typer file read: its path, time and size, and its data


def fit_typer(rows: list[list[str]], labels: list[str], threshold: float, C: float = 1.0, seed: int = 13) -> dict:
    """Fit the typer (scikit-learn's multinomial logistic regression, lbfgs, fixed seed) on the features of
    ``rows`` and their gold types (``NONE``: no entity); plain data, rounded for a stable file."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: 1 for f in r} for r in rows])
    clf = LogisticRegression(C=C, max_iter=3000, solver="lbfgs", random_state=seed)
    clf.fit(x, labels)
    classes = [str(c) for c in clf.classes_]
    coef = clf.coef_
    if len(classes) == 2:  # a binary fit gives one row: the second class against the first
        coef = [[-w, w] for w in coef[0]]
        intercept = [-float(clf.intercept_[0]), float(clf.intercept_[0])]
        per_feature = coef
    else:
        intercept = [float(v) for v in clf.intercept_]
        per_feature = [[float(coef[c][i]) for c in range(len(classes))] for i in range(coef.shape[1])]
    features = list(vec.get_feature_names_out())
    keep = [i for i, row in enumerate(per_feature) if any(abs(w) >= 1e-6 for w in row)]
    return {"classes": classes, "features": [str(features[i]) for i in keep],
            "coef": [[round(float(w), 6) for w in per_feature[i]] for i in keep],
            "intercept": [round(v, 6) for v in intercept], "threshold": threshold, "C": C, "seed": seed,
            "names": len(rows), "named": sum(1 for y in labels if y != NameTyper.NONE)}
