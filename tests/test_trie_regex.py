"""The lexicon tokenizer's name finder (kg/nlp/tokenizer.py: an Aho-Corasick automaton) and the
trie regex (the relation model's trigger words) find what a plain search would."""

import random
import re

from kg.nlp.tokenizer import NameFinder, trie_regex

FORMS = ["AI", "OpenAI", "Open AI", "GPT-4", "GPT-4o", "英伟达", "英特尔", "英伟", "a16z", "字节跳动", "4o"]


def reference(forms, text):
    """Leftmost-longest search, Latin forms only at word boundaries, a space matching 1-3 spaces."""
    out, pos = [], 0
    alts = []
    for form in sorted(forms, key=len, reverse=True):
        p = r"\s{1,3}".join(map(re.escape, form.split(" ")))
        if re.match(r"[A-Za-z0-9]", form[0]):
            p = r"(?<![A-Za-z0-9])" + p
        if re.match(r"[A-Za-z0-9]", form[-1]):
            p += r"(?![A-Za-z0-9])"
        alts.append(p)
    while True:
        best = None
        for m in (re.compile(a).search(text, pos) for a in alts):
            if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
                best = m.span()
        if best is None:
            return out
        out.append(best)
        pos = best[1]


def test_trie_regex_matches_reference():
    rng = random.Random(3)
    alphabet = ["AI", "Open", " ", "OpenAI", "GPT-4", "o", "英伟达", "英", "特尔", "x", "4", "a16z", "字节跳动", "。", "\n"]
    rx = re.compile(trie_regex(FORMS))
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        assert [m.span() for m in rx.finditer(text)] == reference(FORMS, text), text


# names with whitespace of every kind, a name of seven spaces (matched by its own regex), non-BMP text
ODD = FORMS + ["A\tB x", "Open\u3000AI", "a b c d e f g h", "é AI", "😀x", "Mixtral 8×7B", "Claude  3"]
ODD_ALPHABET = ["AI", "Open", " ", "  ", "   ", "    ", "\n", "\u3000", "\t", "OpenAI", "GPT-4", "o", "英伟达", "英",
                "特尔", "x", "4", "a16z", "字节跳动", "。", "é", "😀", "A", "B", "a", " b", " c", " d", " e", " f", " g",
                " h", "Mixtral", "8×7B", "Claude", "3", "\r\n"]


def test_name_finder_matches_reference_and_trie_regex():
    rng = random.Random(11)
    finder = NameFinder(ODD)
    rx = re.compile(trie_regex(ODD))
    for _ in range(3000):
        text = "".join(rng.choice(ODD_ALPHABET) for _ in range(rng.randint(1, 16)))
        expected = reference(ODD, text)
        assert finder.spans(text) == expected, text
        assert [m.span() for m in rx.finditer(text)] == expected, text


def test_name_finder_on_the_lexicon_and_corpus():
    """The whole lexicon over the corpus: the automaton finds exactly what the trie regex finds."""
    from pathlib import Path

    from kg.lexicon import Lexicon
    from kg.textnorm import normalise

    lex = Lexicon.load()
    forms = sorted(lex.all_forms())
    finder, rx = NameFinder(forms), re.compile(trie_regex(forms))
    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "interviews").glob("*"))]
    assert texts
    for text in texts:
        text = normalise(text)
        spans = finder.spans(text)
        assert spans == [m.span() for m in rx.finditer(text)]
        assert len(spans) > 20


def test_name_finder_without_names():
    assert NameFinder([]).spans("OpenAI 英伟达") == []
    assert NameFinder(["", "AI"]).spans("") == []
