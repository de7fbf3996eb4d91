"""kg_names' shortcut finds what the plain search finds: the search for a name before a trigger
is skipped only where it cannot match."""

import random

from kg.extract import load_discovery, load_rules
from kg.nlp.names import Names, _latin_before
from kg.nlp.relmodel import trigger_words

def _names() -> Names:
    discovery = load_discovery()
    return Names(discovery["names"], trigger_words(load_rules()), discovery.get("macros") or {},
                 discovery.get("stoplist_words") or [])


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
