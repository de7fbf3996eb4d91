"""Aho-Corasick automata (pyahocorasick) over the UTF-8 bytes of a text.

pyahocorasick finds a node's child by a linear search over its children, in the order they were
added; over Unicode strings the root of an automaton of Chinese and Latin names has hundreds of
children, and every character of the text that starts no word searches them all. Over UTF-8
bytes (each byte read as one Latin-1 character) a node has at most 256 children, and the words
are added in an order that puts first the bytes most text is made of: the lead bytes of CJK
characters, continuation bytes, the space, lower-case letters, digits. The scan is then two to
three times faster than over the characters.

A match of a whole word always starts and ends on character boundaries (a word's first byte is
an ASCII byte or a lead byte, which no continuation byte equals), and an ASCII byte of the text
is the ASCII character itself, so word-boundary checks can read the byte view directly.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable

import ahocorasick
import numpy

_BYTE_ORDER = [*range(0xE4, 0xEA), *range(0x80, 0xC0), 0x20, *range(0x61, 0x7B), *range(0x30, 0x3A),
               *range(0x41, 0x5B)]
_BYTE_RANK = bytes(bytearray(
    (_BYTE_ORDER.index(b) if b in _BYTE_ORDER else len(_BYTE_ORDER) + b) % 256 for b in range(256)))


def byte_view(text: str) -> str:
    """``text`` as its UTF-8 bytes, one Latin-1 character per byte (what the automata scan)."""
    return text.encode("utf-8").decode("latin-1")


def byte_automaton(words: dict[bytes, object], kind: int = ahocorasick.STORE_ANY) -> ahocorasick.Automaton | None:
    """An automaton of ``words`` (UTF-8 bytes -> value); None when there are none."""
    if not words:
        return None
    automaton = ahocorasick.Automaton(kind)
    for word in sorted(words, key=lambda b: b.translate(_BYTE_RANK)):
        automaton.add_word(word.decode("latin-1"), words[word])
    automaton.make_automaton()
    return automaton


def kept_automaton(name: str, source: str, build: Callable[[], ahocorasick.Automaton | None]) -> ahocorasick.Automaton | None:
    """``build()``, or the automaton it made last time for the same ``source`` (the text of
    everything the automaton is made from), from the start-up cache (``kg.startcache``, kind
    ``automaton``): an automaton of ints (``STORE_INTS``) is kept as the plain data pyahocorasick
    pickles it to (its nodes as bytes, counts), with a checksum of the bytes; a damaged or foreign
    entry is ignored and the automaton built again. ``name`` tells the automata of one process
    apart. Restoring the names' automaton takes a fifth of building it."""
    from .. import startcache

    if startcache.cache_dir() is None:
        return build()
    digest = startcache.key("automaton", name, _library_stamp(), hashlib.sha256(source.encode("utf-8")).digest())
    value = startcache.get("automaton", digest)
    if isinstance(value, dict):
        automaton = _restore(value)
        if automaton is not None:
            return automaton
    automaton = build()
    if automaton is not None and automaton.kind == ahocorasick.AHOCORASICK and automaton.store == ahocorasick.STORE_INTS:
        args = automaton.__reduce__()[1]
        if _plain(args):
            startcache.put("automaton", digest, {"args": args, "crc": zlib.crc32(b"".join(args[0]))})
    return automaton


def _library_stamp() -> str:
    """pyahocorasick's build (its extension module's path and size): the layout of what it pickles."""
    import os

    path = getattr(ahocorasick, "__file__", "") or ""
    try:
        size = os.path.getsize(path)
    except OSError:
        size = -1
    return f"{path}:{size}"


def _plain(args) -> bool:
    """The shape of what pyahocorasick 2.x pickles an automaton of ints to: node bytes, five ints, no values."""
    return (isinstance(args, (tuple, list)) and len(args) == 7 and isinstance(args[0], list)
            and all(type(b) is bytes for b in args[0]) and all(type(n) is int for n in args[1:6]) and args[6] is None)


def _restore(value: dict) -> ahocorasick.Automaton | None:
    args = value.get("args")
    if isinstance(args, list):
        args = tuple(args)
    if not _plain(args) or args[2] != ahocorasick.STORE_INTS or value.get("crc") != zlib.crc32(b"".join(args[0])):
        return None
    try:
        automaton = ahocorasick.Automaton(*args)
    except Exception:  # another pyahocorasick's layout after all
        return None
    return automaton if automaton.kind == ahocorasick.AHOCORASICK else None


def text_automaton(words: dict[str, object], kind: int = ahocorasick.STORE_ANY) -> ahocorasick.Automaton | None:
    """An automaton of ``words`` as characters (offsets are character offsets): for words that
    start with few distinct characters, where the root's linear search is short."""
    if not words:
        return None
    automaton = ahocorasick.Automaton(kind)
    for word in sorted(words):
        automaton.add_word(word, words[word])
    automaton.make_automaton()
    return automaton


# ``StringFinder`` searches with one pattern of its strings instead of an automaton when they are at
# most so many, start with at most so many distinct characters, and the text is at least so long
# (measured on the corpus x10: 25 first and last names 17.6 -> 2.7 ms, the shapes' 109 prefixes
# 38 -> 19 ms; 200 trigger words starting with 86 characters: the automaton is faster)
_SEARCH_MAX_STRINGS = 160
_SEARCH_MAX_FIRST_CHARACTERS = 48
_SEARCH_MIN_TEXT = 40000


class CharOffsets:
    """Byte offsets into ``text``'s UTF-8 encoding -> character offsets, asked in increasing order
    (an offset below the previous one starts again from the beginning)."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.byte = 0
        self.char = 0

    def at(self, offset: int) -> int:
        if offset < self.byte:
            self.byte = self.char = 0
        self.char += len(self.raw[self.byte:offset].decode("utf-8"))
        self.byte = offset
        return self.char


class StringFinder:
    """Every occurrence of each of ``strings`` in a text (overlapping ones too), by one automaton;
    in a long text, for strings that start with few distinct characters, by a search with one
    pattern of them all, which the regex engine runs by skipping every character that starts none
    of them (an Aho-Corasick pass reads every byte of the text however few the strings: most of
    what finding a document's few people's first or last names cost). Each is made on first use."""

    def __init__(self, strings: Iterable[str]):
        self.strings = sorted({s for s in strings if s})
        self.searchable = 0 < len(self.strings) <= _SEARCH_MAX_STRINGS and \
            len({s[0] for s in self.strings}) <= _SEARCH_MAX_FIRST_CHARACTERS
        self.regex = None
        self._automaton = False  # not made yet

    @property
    def automaton(self) -> ahocorasick.Automaton | None:
        if self._automaton is False:
            words = {}
            for s in self.strings:
                b = s.encode("utf-8")
                words[b] = (len(b), len(s), s)
            self._automaton = byte_automaton(words)
        return self._automaton

    def find(self, text: str) -> dict[str, list[int]]:
        """String -> the character offsets where it starts in ``text``, ascending."""
        if self.searchable and len(text) >= _SEARCH_MIN_TEXT:
            return self._search(text)
        out: dict[str, list[int]] = {}
        if not self.strings or not text:
            return out
        raw = text.encode("utf-8")
        hits = list(self.automaton.iter(raw.decode("latin-1")))
        if not hits:
            return out
        if len(raw) == len(text):  # ASCII: byte offsets are character offsets
            for last, (size, length, s) in hits:
                out.setdefault(s, []).append(last + 1 - length)
            return out
        for (last, (size, length, s)), end in zip(hits, char_ends(raw, [last + 1 for last, _ in hits])):
            out.setdefault(s, []).append(end - length)
        return out

    def _search(self, text: str) -> dict[str, list[int]]:
        """``find`` by the pattern: each search finds the next place where one of the strings starts
        (the next search starts one character further, so that overlapping ones are found); there,
        every string with that first character is tested."""
        if self.regex is None:
            self.regex = re.compile("|".join(map(re.escape, self.strings)))
            self.by_first: dict[str, list[str]] = {}
            for s in self.strings:
                self.by_first.setdefault(s[0], []).append(s)
        out: dict[str, list[int]] = {}
        search = self.regex.search
        startswith = text.startswith
        m = search(text)
        while m is not None:
            at = m.start()
            for s in self.by_first[text[at]]:
                if startswith(s, at):
                    out.setdefault(s, []).append(at)
            m = search(text, at + 1)
        return out


# below this many offsets per byte of text, decoding the text piece by piece between them
# (``CharOffsets``) is cheaper than counting the characters of the whole text at once
_BULK_OFFSETS_PER_BYTE = 1 / 400


def char_ends(raw: bytes, offsets: list[int]) -> list[int]:
    """Byte offsets into the UTF-8 text ``raw`` (ascending, on character boundaries) -> character
    offsets. Many offsets: one count of the characters before every byte (a character starts at each
    byte that is no continuation byte, 10xxxxxx), read at each offset; few: ``CharOffsets``."""
    if len(offsets) < len(raw) * _BULK_OFFSETS_PER_BYTE:
        chars = CharOffsets(raw)
        return [chars.at(o) for o in offsets]
    starts = (numpy.frombuffer(raw, dtype=numpy.uint8) & 0xC0) != 0x80
    before = numpy.zeros(len(raw) + 1, dtype=numpy.int64)  # before[i]: characters in raw[:i]
    numpy.cumsum(starts, out=before[1:])
    return before[numpy.asarray(offsets, dtype=numpy.int64)].tolist()
