"""The lexicon tokenizer's name regex (kg/nlp/tokenizer.py) finds what a plain search would."""

import random
import re

from kg.nlp.tokenizer import trie_regex

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
