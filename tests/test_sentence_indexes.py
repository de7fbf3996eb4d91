"""The whole-text indexes of kg_names and kg_discovery give what the per-sentence scans gave."""

import random
import re

from kg.nlp import automaton
from kg.nlp.automaton import CharOffsets, StringFinder, char_ends
from kg.nlp.discovery import _finditer_lines
from kg.nlp.prefilter import SentenceIndex
from kg.nlp.sentflags import sentences_matching, sentences_with_any, sentences_with_chars
from kg.nlp.tokenizer import trie_regex
from kg.nlp.triggerscan import TriggerScan, _lower

_PIECES = ["invest", " in", "  in", "\nin", "ed", "CEO", "Ceo", "co-founder", "合作", "伙伴", "投资", "领投", "收购", "收",
           "A", "a", " ", "\n", "x", "1", "中", "。", "Board", " member", "\u212a", "İ", "Σ", "-", "Ben:", "d1"]


def _texts(n, seed):
    rnd = random.Random(seed)
    for _ in range(n):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 40)))
        cuts = sorted(rnd.sample(range(len(text) + 1), min(len(text) + 1, rnd.randint(1, 6))))
        bounds = []
        for a, b in zip(cuts, cuts[1:]):
            if rnd.random() < 0.2 and b - a > 1:
                a += 1  # a gap between sentences
            bounds.append((a, b))
        yield rnd, text, bounds


def test_trigger_scan_finds_what_the_pattern_of_all_words_finds_per_sentence():
    words = ["invest", "invest in", "invested", "ceo", "co-founder", "合作", "合作伙伴", "投资", "领投", "a",
             "board member", "收购", "收"]
    scan = TriggerScan(words)
    assert scan.split
    full = re.compile(trie_regex(sorted(words)))
    for rnd, text, bounds in _texts(3000, 1):
        todo = [rnd.random() < 0.9 for _ in bounds]
        want = {i: [(*m.span(), m.group()) for m in full.finditer(_lower(text[a:b]))]
                for i, (a, b) in enumerate(bounds) if todo[i]}
        assert scan.sentences(text, bounds, todo) == want, (text, bounds)


def test_sentence_flags_match_a_search_per_sentence():
    cjk = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    words = re.compile("合作|CEO|收购")
    for _, text, bounds in _texts(1500, 2):
        starts, ends = [a for a, _ in bounds], [b for _, b in bounds]
        assert sentences_with_chars(text, starts, ends, ((0x3400, 0x9fff), (0xf900, 0xfaff))) == \
            [cjk.search(text[a:b]) is not None for a, b in bounds]
        assert sentences_with_any(text, starts, ends, frozenset("aB-")) == \
            [any(c in text[a:b] for c in "aB-") for a, b in bounds]
        marked = sentences_matching(words, text, starts, ends)
        # every sentence with a match of its own is marked (others may be, for a match over an edge)
        assert all(marked[i] for i, (a, b) in enumerate(bounds) if words.search(text[a:b]))


def test_sentence_index_finds_the_sentences_that_hold_a_literal():
    # kg_discovery's contexts: key -> the sentences wholly holding one of its literals (every sentence
    # for a key without literals), as a search of each sentence finds them
    literals = {"deal": {"收购", "投资"}, "title": {"CEO", "co-founder", "合作伙伴"}, "letter": set("ab"),
                "both": {"投资", "Ben"}, "none": None}
    index = SentenceIndex(literals)
    for _, text, bounds in _texts(1500, 3):
        starts, ends = [a for a, _ in bounds], [b for _, b in bounds]
        found = index.sentences(text, starts, ends)
        for key, lits in literals.items():
            want = [i for i, (a, b) in enumerate(bounds) if lits is None or any(lit in text[a:b] for lit in lits)]
            assert sorted(found.get(key, [])) == want, (key, text, bounds)


def test_char_ends_in_bulk_and_piece_by_piece():
    rnd = random.Random(4)
    text = "".join(rnd.choice("ab 中文é\U0001d11e") for _ in range(3000))
    raw = text.encode("utf-8")
    offsets = sorted({len(text[:i].encode("utf-8")) for i in rnd.sample(range(len(text) + 1), 200)})
    chars = CharOffsets(raw)
    want = [chars.at(o) for o in offsets]
    assert char_ends(raw, offsets) == want
    old = automaton._BULK_OFFSETS_PER_BYTE
    try:
        automaton._BULK_OFFSETS_PER_BYTE = 0  # always in bulk
        assert char_ends(raw, offsets) == want
        automaton._BULK_OFFSETS_PER_BYTE = 1e9  # never
        assert char_ends(raw, offsets) == want
    finally:
        automaton._BULK_OFFSETS_PER_BYTE = old
    found = StringFinder(["中文", "a", "é"]).find(text)
    assert found == {w: [m.start() for m in re.finditer(f"(?={re.escape(w)})", text)] for w in found}


def test_line_start_scan_finds_what_finditer_finds():
    label = re.compile(r"^[\s*_]*(?P<N>[A-Z][a-z]+)[\s*_]*:", re.MULTILINE)
    rnd = random.Random(5)
    for _ in range(2000):
        text = "".join(rnd.choice("Ab :*\n_x") for _ in range(rnd.randint(0, 80)))
        assert [m.span() for m in _finditer_lines(label, text)] == [m.span() for m in label.finditer(text)]
    unanchored = re.compile(r"^a|b", re.MULTILINE)  # not every match starts a line: finditer itself
    assert [m.span() for m in _finditer_lines(unanchored, "ab\nab")] == [(0, 1), (1, 2), (3, 4), (4, 5)]


def test_string_finder_search_and_automaton_agree():
    rnd = random.Random(6)
    text = "".join(rnd.choice(["中文", "中", "a", "ab", "aab", "é", " ", "Huang", "Hu", "黄总", "\n"]) for _ in range(3000))
    strings = ["中文", "中", "a", "ab", "aa", "é", "Huang", "Hu", "黄", "黄总", "nowhere"]
    finder = StringFinder(strings)
    assert finder.searchable
    old = automaton._SEARCH_MIN_TEXT
    try:
        automaton._SEARCH_MIN_TEXT = 0
        searched = finder.find(text)
        automaton._SEARCH_MIN_TEXT = 10 ** 9
        assert StringFinder(strings).find(text) == searched
    finally:
        automaton._SEARCH_MIN_TEXT = old
    assert searched == {s: [m.start() for m in re.finditer(f"(?={re.escape(s)})", text)] for s in strings
                        if s in text}
