"""kg_names' shortcuts find what the plain searches find: the trigger words by automaton (the
matches of the trie regex it replaced) and the skipped search for a name before a trigger."""

import random
import re
from pathlib import Path

from kg.extract import load_discovery, load_rules
from kg.nlp.names import Names, _latin_before
from kg.nlp.relmodel import trigger_words
from kg.nlp.tokenizer import trie_regex

ROOT = Path(__file__).resolve().parent.parent


def _names() -> Names:
    discovery = load_discovery()
    return Names(discovery["names"], trigger_words(load_rules()), discovery.get("macros") or {},
                 discovery.get("stoplist_words") or [])


def _lines():
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "realtext" / "train" / "texts").glob("*"))
    for path in files:
        yield from path.read_text(encoding="utf-8").splitlines()


def test_trigger_finder_finds_what_the_trie_regex_finds():
    names = _names()
    rx = re.compile(trie_regex(names.trigger_words))
    seen = 0
    for line in _lines():
        low = line.lower()
        expected = [m.span() for m in rx.finditer(low)]
        assert names.trigger_finder.spans(low) == expected, line
        seen += len(expected)
    assert seen > 100  # the texts hold trigger words


def test_search_before_a_trigger_is_skipped_only_where_it_cannot_match():
    names = _names()
    rng = random.Random(5)
    alphabet = ["Webvan", "A", "x1", "Kiva Systems", " ", "  ", "\n", "了", "领投", "投资", "的", "-", "。", "o3"]
    hits = 0
    for _ in range(3000):
        sent = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        for end in range(len(sent) + 1):
            lo = max(0, end - 80)
            found = names.trigger_before.search(sent, lo, end)
            if found is not None:
                hits += 1
                assert _latin_before(sent, lo, end), (sent, end)
    assert hits > 1000
