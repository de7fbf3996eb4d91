"""Length-preserving normalisation: traditional -> simplified, full-width -> half-width.

Every function here returns a string of exactly the input's length, so a character offset in
the normalised text is the same offset in the text it came from. Matching (lexicon, relation
patterns) happens on the normalised text; evidence is reported from the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S_CONVERTER: list = []  # OpenCC's converter, made the first time Chinese text is converted


def _t2s() -> opencc.OpenCC:
    if not _T2S_CONVERTER:
        _T2S_CONVERTER.append(opencc.OpenCC("t2s"))
    return _T2S_CONVERTER[0]


# U+FF01..U+FF5E are the full-width forms of ASCII U+0021..U+007E; U+3000 is the ideographic space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
# Typographic variants that writers mix freely; all length 1 -> 1.
_WIDTH.update({ord("\u00a0"): " ", ord("\u2019"): "'", ord("\u2018"): "'",
               ord("\u201c"): '"', ord("\u201d"): '"', ord("\u2010"): "-", ord("\u2011"): "-",
               ord("\u2012"): "-", ord("\u2013"): "-", ord("\u00b7"): "·", ord("\u2022"): "·",
               ord("\u30fb"): "·", ord("\uff65"): "·"})

# Radical look-alikes: text copied from PDFs and some web pages writes 马 as ⻢ (U+2EE2, a CJK radical)
# and 力 as ⼒ (U+2F12, a Kangxi radical), so "亚⻢逊" is no name until they are read as the ideographs
# they stand for. Kangxi radicals (U+2F00..U+2FD5) by their Unicode compatibility mapping; the CJK
# radicals supplement has none, so its forms that are whole characters are listed (Unicode's
# EquivalentUnifiedIdeograph.txt).
_WIDTH.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)
               if len(unicodedata.normalize("NFKC", chr(cp))) == 1})
_WIDTH.update({ord(radical): ideograph for radical, ideograph in zip(
    "⺌⺒⺓⺗⺜⺝⺟⺠⺩⺬⺮⺶⻁⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "小巳幺心日月母民王示竹羊虎西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟")})

# Chinese characters, and the radicals that PDFs and some pages write for them (above): a line wrapped between
# 代 and ⼯ (工) joins with no space, as between any two Chinese characters
_CJK = re.compile(r"[\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def to_halfwidth(text: str) -> str:
    return text.translate(_WIDTH)


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional -> simplified, guaranteed to keep the length.

    OpenCC converts phrases; when a phrase conversion changes the length (rare) we fall back to
    a per-character conversion for that text, which always preserves it.
    """
    if not _CJK.search(text):
        return text
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_t2s_char(c) if _CJK.match(c) else c for c in text)


def normalise(text: str) -> str:
    """The form all matching happens on: half-width, simplified. Same length as ``text``."""
    return to_simplified(to_halfwidth(text))


class Respelling:
    """Length-preserving respelling by regular expressions: ``[(pattern, replacement), ...]``; a
    match is replaced only where the replacement is exactly as long, so offsets hold. Used to read
    colloquial written forms (Cantonese 佢哋 / 嘅 / 咗) as standard Chinese."""

    def __init__(self, pairs: list[list[str]] | None):
        self.pairs = [(re.compile(pattern), replacement) for pattern, replacement in pairs or []]
        self.any = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in self.pairs)) if self.pairs else None

    def __bool__(self) -> bool:
        return self.any is not None

    def __call__(self, text: str) -> str:
        if self.any is None or not self.any.search(text):
            return text
        for rx, replacement in self.pairs:
            text = rx.sub(lambda m: replacement if len(m.group(0)) == len(replacement) else m.group(0), text)
        return text


def fold(text: str) -> str:
    """A key for comparing names across sources: normalised, case-folded, spaces and dots removed.

    Not length-preserving; used for identity (merge, eval), never for offsets.
    """
    text = unicodedata.normalize("NFKC", text)
    text = normalise(text).casefold()
    return re.sub(r"[\s·\.\-_'\"]+", "", text)


_CJK_RUN = re.compile(_CJK.pattern + "+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among letters (CJK + Latin)."""
    cjk = sum(map(len, _CJK_RUN.findall(text)))  # counted by runs: far fewer objects than per character
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def traditional_ratio(text: str, sample_size: int = 20000) -> float:
    """Share of CJK characters that change under traditional -> simplified conversion, over the
    first ``sample_size`` CJK characters."""
    chars: list[str] = []
    end = 2 * sample_size  # read only as much of the text as the sample needs
    while True:
        chars = _CJK_RUN.findall(text, 0, end)
        if sum(map(len, chars)) >= sample_size or end >= len(text):
            break
        end *= 2
    sample = "".join(chars)[:sample_size]
    if not sample:
        return 0.0
    changed = sum(map(str.__ne__, sample, to_simplified(sample)))
    return changed / len(sample)


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def width(text: str, start: int = 0, end: int | None = None) -> int:
    """How long ``text[start:end]`` reads: a Chinese character counts two (a line of captions, a run-on of speech)."""
    end = len(text) if end is None else end
    return end - start + len(_CJK.findall(text, start, end))
