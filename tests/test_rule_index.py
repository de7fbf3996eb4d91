"""The relation rules' literal index (kg/nlp/relations.py, kg/nlp/prefilter.py): a sentence tries
only the rules whose literals it holds, and that never skips a rule that would have matched."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest
import yaml

from kg.nlp.prefilter import LiteralIndex, check_compilable, class_needs, fold, pattern_literals
from kg.nlp.relations import _fits_needs

ROOT = Path(__file__).resolve().parent.parent


def _rule_test_texts() -> list[str]:
    """Every sentence the rule tests use: the case files, the string constants of the relation
    tests, the test interviews, the corpus, and the train, dev and held-out texts (never the
    locked test set)."""
    texts = []
    for path in sorted((ROOT / "tests" / "data").glob("*.yaml")):
        texts += [c["text"] for c in yaml.safe_load(path.read_text(encoding="utf-8")) if isinstance(c, dict) and "text" in c]
    for name in ("test_relations.py", "test_relmodel.py", "test_discovery.py", "test_interviews.py"):
        tree = ast.parse((ROOT / "tests" / name).read_text(encoding="utf-8"))
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        texts += [s for s in strings if (len(s) >= 12 and " " in s) or re.search(r"[\u4e00-\u9fff]{4}", s)]
    folders = [ROOT / "corpus", ROOT / "tests" / "interviews", ROOT / "tests" / "realtext" / "train" / "texts",
               ROOT / "tests" / "realtext" / "dev" / "texts", *sorted((ROOT / "tests" / "heldout").glob("*/interviews"))]
    for folder in folders:
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()]
    return texts


@pytest.fixture(scope="module")
def texts():
    found = _rule_test_texts()
    assert len(found) > 250
    return found


def test_index_never_skips_a_rule_that_matches(extractor, texts):
    """Over every abstract sentence the rule tests produce (each variant a rule reads), every rule
    whose trigger and pattern match that sentence is among the index's candidates."""
    from kg.corpus import document_from_text

    checked = {"sentences": 0, "matches": 0, "needs": 0}
    # case-insensitive rules compile their placeholder classes without IGNORECASE ("(?-i:...)"):
    # the same matches as the classes compiled case-insensitively
    cased = {}
    for lang in ("zh", "en"):
        component = extractor.nlp(lang).get_pipe("kg_relations")
        for index_lang, index in component.index.items():
            rules = component.by_lang[index_lang]
            for rule in rules:
                if rule.flags & re.IGNORECASE:
                    assert "(?-i:" in rule.source
                    cased[rule.id] = re.compile(rule.source.replace("(?-i:", "(?:"), rule.flags)
            plain = index.candidates

            def spy(text, plain=plain, rules=rules):
                found = plain(text)
                checked["sentences"] += 1
                for rule in rules:
                    pre = rule.prefilter
                    if rule.id in cased:
                        assert [m.span() for m in rule.regex.finditer(text)] == \
                               [m.span() for m in cased[rule.id].finditer(text)], (rule.id, text)
                    if (pre is None or pre.search(text)) and rule.regex.search(text):
                        checked["matches"] += 1
                        assert rule.pos in found, f"index skips {rule.id} on {text!r} (literals {sorted(rule.literals)})"
                        # and the placeholders the sentence holds are enough for what the rule needs
                        have: dict[int, int] = {}
                        for ch in text:
                            if "\ue000" <= ch <= "\uefff":
                                bit = 1 << ((ord(ch) - 0xE000) // 0x400)
                                have[bit] = have.get(bit, 0) + 1
                        assert _fits_needs(rule.needs, have), f"needs skip {rule.id} on {text!r} ({rule.needs})"
                        checked["needs"] += bool(rule.needs)
                return found

            index.candidates = spy
        try:
            for i, text in enumerate(texts):
                extractor.analyse(document_from_text(text, f"t{i}.txt"))
        finally:
            for index in component.index.values():
                del index.candidates
    assert checked["sentences"] > 2000 and checked["matches"] > 500 and checked["needs"] > 500, checked


def test_index_and_plain_scan_give_the_same_relations(extractor, texts):
    """Every document of the rule tests: the same rule matches with the index as with every rule
    tried on every sentence."""
    from kg.corpus import document_from_text

    docs = [document_from_text(text, f"t{i}.txt") for i, text in enumerate(texts)]
    with_index = [extractor.analyse(d)._.kg_relations for d in docs]
    components = [extractor.nlp(lang).get_pipe("kg_relations") for lang in ("zh", "en")]
    for c in components:
        c.indexed = False
    try:
        plain = [extractor.analyse(d)._.kg_relations for d in docs]
    finally:
        for c in components:
            c.indexed = True
    assert with_index == plain
    assert sum(map(len, plain)) > 300


def test_every_rule_has_literals_where_its_pattern_tells():
    """The index is read off the rules' data: almost every rule is indexed (a rule without a
    required literal runs on every sentence)."""
    from kg.extract import load_rules
    from kg.nlp.relations import RelationExtractor
    from kg.ontology import relation_signatures

    ex = RelationExtractor(load_rules(), relation_signatures())
    unindexed = [r.id for r in ex.rules if r.literals is None]
    assert len(unindexed) <= len(ex.rules) // 20, unindexed
    by_id = {r.id: r for r in ex.rules}
    # a trigger's words are literals; English rules are folded to lower case
    assert any("对冲" in lit for lit in by_id["zh.hedge.noun"].literals)
    assert all(lit == fold(lit) for r in ex.rules if r.lang == "en" for lit in r.literals or ())


def test_literals_of_case_insensitive_patterns():
    assert pattern_literals("Invested in", re.IGNORECASE) == {"invested in"}
    assert pattern_literals("(?:BACKED|funded) by", re.IGNORECASE) == {"backed by", "funded by"}
    assert pattern_literals("x[a-c]", re.IGNORECASE) == {"xa", "xb", "xc"}
    assert pattern_literals(r"\w+", re.IGNORECASE) is None


def test_fold_agrees_with_ignorecase():
    """A case-insensitive match of a literal is an occurrence of the folded literal in the folded
    text, for the characters IGNORECASE treats specially too (İ, ı, ſ, K, µ, Σ/ς)."""
    import _sre

    # str.lower is the regex engine's simple lower case for every character but the ones fold maps
    special = [c for c in range(0x110000) if chr(c).lower() != chr(_sre.unicode_tolower(c))]
    assert special == [0x130]
    rng = random.Random(4)
    alphabet = "aAiIİıkKKsSſµΜμσςΣxX ."
    for _ in range(4000):
        lit = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        if re.search(re.escape(lit), text, re.IGNORECASE):
            assert fold(lit) in fold(text), (lit, text)
    index = LiteralIndex({"a": frozenset({fold("ſtake")}), "b": None}, folded=True)
    assert index.candidates("a STAKE in") == {"a", "b"}
    assert index.candidates("no trigger") == {"b"}


def test_bad_patterns_are_refused_when_the_rules_load():
    """Rules compile on first use, so loading checks them as re.compile would."""
    from kg.nlp.relations import RuleError, compile_rule

    for bad in ("(?<=a+)x", "a(b", "[z-a]"):
        with pytest.raises(re.error):
            check_compilable(bad)
    settings = {"zh": {"gap": 12, "wide_gap": 30, "separator": "(?:、|和)"}}
    for pattern in ("{S}(?<=投资+){O}", "{S}(?P<T>投资({O}"):
        with pytest.raises(RuleError, match="relation rule t: bad pattern"):
            compile_rule({"id": "t", "lang": "zh", "relation": "investsIn", "pattern": pattern}, settings)


def test_abstract_sentence_spaces_as_a_substitution_per_run_gave_them():
    # a run of whitespace in an abstract Chinese sentence is dropped, or one space between two
    # Latin letters or digits (the substitution with a function per run it replaced)
    from kg.nlp.relations import _zh_spaces

    def per_run(text):
        def repl(m):
            a, b = m.start() - 1, m.end()
            latin = a >= 0 and b < len(text) and re.match(r"[A-Za-z0-9]", text[a]) and re.match(r"[A-Za-z0-9]", text[b])
            return " " if latin else ""
        return re.sub(r"\s+", repl, text)

    rng = random.Random(4)
    alphabet = ["a", "Z", "9", "中", "\ue400", " ", "  ", "\n", "\t", "\u3000", "。", "-"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _zh_spaces(text) == per_run(text), repr(text)


def test_placeholders_a_pattern_needs():
    # the four blocks of the relation rules' placeholders; only classes of whole blocks that every
    # match must pass through count, once per place
    blocks = [(0xE000, 0xE3FF), (0xE400, 0xE7FF), (0xE800, 0xEBFF), (0xEC00, 0xEFFF)]
    person, company, chips = "[\ue000-\ue3ff]", "[\ue400-\ue7ff]", "[\ue800-\uebff\uec00-\uefff]"

    def needs(pattern, flags=0):
        return class_needs(check_compilable(pattern, flags), blocks)

    assert needs(f"(?P<S>{company})投资了(?P<O>{company})") == ((2, 2),)
    assert needs(f"{person}.*?(?:CEO|founder) of (?-i:{company}(?:, {company})*)", re.IGNORECASE) == ((1, 1), (2, 1))
    assert needs(f"{company}(?:{chips})+") == ((2, 1), (12, 1))
    assert needs("[\ue000-\uefff]{2}") == ((15, 1),)  # a repeat counts once (at least one place)
    # optional, alternative, look-around, partial or mixed classes: nothing needed
    assert needs(f"{company}?买") == ()
    assert needs(f"(?:{company}|{person})买") == ((3, 1),)  # re merges single-class alternatives
    assert needs(f"(?:{company}买|卖)") == ()
    assert needs(f"(?={company})买") == ()
    assert needs("[\ue400-\ue5ff]买") == ()
    assert needs(f"[\ue400-\ue7ff,]买") == ()
    assert needs(f"[^\ue400-\ue7ff]买") == ()
    # what a sentence holds against what a rule needs: (type bit -> count)
    assert _fits_needs(((2, 2),), {2: 2}) and not _fits_needs(((2, 2),), {2: 1, 1: 3})
    assert _fits_needs(((2, 1), (12, 1)), {2: 1, 8: 1}) and not _fits_needs(((2, 1), (12, 1)), {2: 1, 1: 1})
    assert _fits_needs((), {})
