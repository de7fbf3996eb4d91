"""Prefilters (kg/nlp/prefilter.py): every match contains one of the required literals."""

import re

from kg.extract import load_discovery
from kg.nlp.discovery import Discovery
from kg.nlp.prefilter import Prefilter, required_literals


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
