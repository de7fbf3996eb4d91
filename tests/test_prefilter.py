"""Prefilters (kg/nlp/prefilter.py): every match contains one of the required literals."""

import random
import re

from kg.extract import load_discovery
from kg.nlp.discovery import Discovery
from kg.nlp.prefilter import Prefilter, PrefixScan, SentenceIndex, match_prefixes, required_literals


def test_literals_of_simple_patterns():
    assert required_literals(re.compile("(?:ab|cd)e")) == {"abe", "cde"}
    assert required_literals(re.compile(r"x\d+(?:公司|实验室)")) == {"公司", "实验室"}
    assert required_literals(re.compile(r"o[1-3]")) == {"o1", "o2", "o3"}
    assert required_literals(re.compile(r"[\u4e00-\u9fff]{2,8}")) is None
    assert required_literals(re.compile(r"a?b*")) is None
    assert required_literals(re.compile("abc", re.IGNORECASE)) is None


def test_discovery_patterns_never_match_without_their_literals():
    disc = Discovery(load_discovery())
    samples = [
        "Mira Chen 是 Halden Compute 的创始人,她说 Quartz-7B 模型很好。",
        "晶弦科技的创始人林柏宏表示,他们的芯片叫「玄武 T1」。",
        "The startup Ferrite Systems raised money; its CEO said its Q1 accelerator ships.",
        "丹尼尔·格罗斯 说 OpenAI 公司 和 Webvan 不一样", "林柏宏: 我们在做 AI芯片", "Ben: yes",
    ]
    for _, _, _, _, rx in disc.contexts:
        lits = required_literals(rx)
        for s in samples:
            if lits is not None and rx.search(s):
                assert any(lit in s for lit in lits), (rx.pattern, s)


def test_sentences_marks_literal_across_boundary():
    pre = Prefilter(re.compile("公司"))
    text = "甲乙公。司丙公司"
    # sentences [0, 4) and [4, 8); the second holds 公司
    assert pre.sentences(text, [0, 4], [4, 8]) == [1]
    assert pre.sentences("没有", [0], [2]) == []
    assert Prefilter(re.compile(r"\w+")).sentences("x", [0], [1]) is None


def test_prefix_scan_finds_what_finditer_finds():
    """Discovery's shapes run only where their matches can start: the same matches as finditer,
    including matches that overlap another candidate start and optional leading parts."""
    import random

    patterns = [re.compile(p) for p in (
        r"(?<![A-Za-z0-9])(?P<N>G?[HBAL]\d{2,3}[A-Z]?)(?![A-Za-z0-9])",
        r"(?<![A-Za-z0-9-])(?P<N>o[1-9](?:-(?:mini|pro))?)(?![A-Za-z0-9])",
        r"(?:GPT|Llama)[- ]?\d+(?:\.\d+)?", r"aa", r"(?:ab)+c?", r"\d+x",  # the last: no prefixes
    )]
    assert match_prefixes(patterns[1]) == {f"o{i}" for i in range(1, 10)}
    assert match_prefixes(patterns[0]) == {"G", "H", "B", "A", "L"}
    assert match_prefixes(patterns[5]) is None and match_prefixes(re.compile("a?")) is None
    scan = PrefixScan(patterns)
    rng = random.Random(2)
    alphabet = ["H100", "GB200", "A", "x", "o1", "o3-mini", "-", " ", "GPT-4", "Llama 3.1", "aaa", "ab", "c", "9",
                "英伟达", "é", "L40S", "B", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for rx, got in zip(patterns, scan.finditer(text)):
            assert [m.span() for m in got] == [m.span() for m in rx.finditer(text)], (rx.pattern, text)


def test_prefixes_of_a_long_alternation_are_its_own_when_lengthened_would_be_too_many():
    """A list of given names then a capitalised surname: lengthened by " [A-Z]" the starts would be
    26 per name, too many to look for; every match still starts with one of the names, so those are
    its prefixes (a pattern of kg_names, tried only where a name stands), and the scan finds what
    finditer finds."""
    import random

    names = [f"{c}{v}n" for c in "BCDFGHJKLMNPRSTVWZ" for v in "ae"]  # 36 names x 26 capitals > 512
    rx = re.compile(f"(?<![A-Za-z])(?P<N>(?:{'|'.join(names)}) [A-Z][a-z]+)")
    assert match_prefixes(rx) == set(names)
    assert match_prefixes(re.compile("(?:a|b)")) == {"a", "b"}
    assert match_prefixes(re.compile("(?:a|)")) is None  # a branch may be empty: unknown
    scan = PrefixScan([rx])
    rng = random.Random(5)
    alphabet = names[:6] + [" ", "Lee", "lee", "x", "B", "Ban Lee", "\n"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert [m.span() for m in scan.finditer(text)[0]] == [m.span() for m in rx.finditer(text)], text


def test_a_scan_looks_for_thousands_of_names_at_once():
    """More alternatives than match_prefixes gives by default (the census's 4,817 given names): the scan still
    looks only where one stands, and finds what finditer finds."""
    import random
    from itertools import product

    names = ["".join(t) for t in product("BCDFGHKLMN", "aeiou", "lnrst", "aeiou")][:2000]  # 2,000 > 512
    rx = re.compile(f"(?<![A-Za-z])(?P<N>(?:{'|'.join(names)}) [A-Z][a-z]+)")
    assert match_prefixes(rx) is None  # the default limit
    scan = PrefixScan([rx])
    assert scan.prefixes[0] == set(names)  # (lengthened by " [A-Z]" they would be too many)
    rng = random.Random(7)
    alphabet = names[:4] + names[-4:] + [" ", "Lee", "lee", "x", "Bala Lee", "\n", "Zz"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert [m.span() for m in scan.finditer(text)[0]] == [m.span() for m in rx.finditer(text)], text


def test_sentence_index_marks_the_sentences_holding_a_literal():
    text = "他们说 It works.\n我们 IT 部门。Nothing here."
    second, third = text.index("我们"), text.index("Nothing")
    starts, ends = [0, second, third], [second, third, len(text)]
    index = SentenceIndex({"they": {"他们"}, "we": {"我们"}, "it": {"it"}, "none": None}, folded={"it"})
    found = index.sentences(text, starts, ends)
    assert found == {"they": [0], "we": [1], "it": [0, 1], "none": [0, 1, 2]}
    assert index.marks(text, starts, ends) == {0: {"they", "it"}, 1: {"we", "it"}}


def test_sentence_index_marks_what_a_scan_of_each_sentence_finds():
    # one-character literals (searched as a class) beside longer ones (the automaton), folded keys,
    # text between sentences, non-ASCII text (the automaton's byte offsets)
    from kg.nlp.prefilter import fold

    rng = random.Random(11)
    literals = {"latin": frozenset("abcXYZ"), "colon": frozenset({":"}), "we": frozenset({"我们", "咱们"}),
                "it": frozenset({"it", "ſt"}), "mixed": frozenset({"他", "他们"}), "none": None}
    folded = {"it"}
    index = SentenceIndex(literals, folded=folded)
    alphabet = ["a", "X", ":", "我们", "咱", "们", "他", "It", "IT", "ſt", "é", " ", "\n", "。", "中文", "😀"]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(1, 6))))
        starts, ends = [], []
        for a, b in zip(cuts, cuts[1:]):
            if rng.random() < 0.8:  # some stretches are no sentence
                starts.append(a)
                ends.append(b)
        expected = {}
        for i, (a, b) in enumerate(zip(starts, ends)):
            for key, lits in literals.items():
                sent = fold(text[a:b]) if key in folded else text[a:b]
                if lits and any(lit in sent for lit in lits):
                    expected.setdefault(i, set()).add(key)
        assert index.marks(text, starts, ends) == expected, (text, starts, ends)


def test_sentence_index_marks_keys_beyond_its_bits():
    # more keys with literals than a sentence's bit mask holds: the keys past it are placed hit by hit, each
    # with its own word's keys (not the keys of the word at the hit's number)
    rng = random.Random(5)
    words = [f"w{n:02d}x" for n in range(SentenceIndex._BITS + 12)]
    literals = {f"k{n}": frozenset({w}) for n, w in enumerate(words)}
    literals["pair"] = frozenset({words[-1], "zz"})
    index = SentenceIndex(literals)
    for _ in range(300):
        pieces = [rng.choice(words + ["zz", " ", "。", "中文"]) for _ in range(rng.randint(0, 12))]
        text = "".join(pieces)
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(1, 5))))
        starts, ends = cuts[:-1], cuts[1:]
        expected = {}
        for i, (a, b) in enumerate(zip(starts, ends)):
            for key, lits in literals.items():
                if any(lit in text[a:b] for lit in lits):
                    expected.setdefault(i, set()).add(key)
        assert index.marks(text, starts, ends) == expected, (text, starts, ends)
