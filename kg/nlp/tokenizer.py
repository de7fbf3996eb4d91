"""A tokenizer that keeps every lexicon name whole, for Chinese, English and mixed text.

Lexicon names are found first, leftmost-longest, by one regular expression compiled from a
character trie of all surface forms (Latin names only at word boundaries, so "AI" never matches
inside "OpenAI"); they become single tokens whose ``NORM`` is the name with its whitespace
collapsed, which is what the SpanRuler matches on. The text between names is split into Latin
words, numbers, punctuation and runs of CJK characters; with ``segmenter="jieba"`` the CJK runs
are segmented into words by jieba (slower; the relation rules do not need it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .doctext import doc_text as _doc_text  # noqa: F401  (registers Doc._.kg_text)

_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")
_GAP = re.compile(
    r"""
    (?P<space>[ ]+)                                      # single spaces become token.whitespace_
    |(?P<ws>\s+)                                         # other whitespace is a token
    |(?P<word>[A-Za-z0-9]+(?:[-.'’+][A-Za-z0-9]+)*\+*)   # Latin words, numbers, 3.5, GPT-5, don't
    |(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+) # a run of CJK characters
    |(?P<other>.)                                        # punctuation, symbols, emoji
    """,
    re.VERBOSE | re.DOTALL,
)


def trie_regex(forms: Iterable[str]) -> str:
    """A regular expression matching any of ``forms``, longest first at each position.

    A form that starts (ends) with a Latin letter or digit must not be preceded (followed) by
    one. A space inside a form matches any run of spaces or a line break.

    The pattern starts with the first characters of the forms, so the regex engine skips quickly
    over positions where no form starts; the "not preceded by a Latin letter or digit" check of
    a Latin form therefore comes right after its first character, as ``(?<![A-Za-z0-9].)``.
    """
    trie: dict = {}
    for form in forms:
        if not form:
            continue
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = form

    def emit(node: dict, top: bool = False) -> str:
        branches = []
        for ch in sorted(c for c in node if c):
            head = r"\s{1,3}" if ch == " " else re.escape(ch)
            if top and _LATIN_CHAR.match(ch):
                head += r"(?<![A-Za-z0-9].)"  # the character before this one is no letter or digit
            branches.append(head + emit(node[ch]))
        if "" in node:  # a form ends here; this alternative comes last so longer forms win
            branches.append(r"(?![A-Za-z0-9])" if _LATIN_CHAR.match(node[""][-1]) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(trie, top=True) if trie else r"(?!x)x"


def collapse_space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


class LexiconTokenizer:
    """spaCy tokenizer: lexicon names whole, the rest by script."""

    def __init__(self, vocab: Vocab, forms: Iterable[str], segmenter: str = "chunk"):
        self.vocab = vocab
        self.forms = sorted(set(forms))
        self.segmenter = segmenter
        self._names = re.compile(trie_regex(self.forms))
        if segmenter == "jieba":
            import jieba

            self._jieba = jieba
            for form in self.forms:
                if " " not in form:
                    jieba.add_word(form, freq=10_000_000)
        elif segmenter != "chunk":
            raise ValueError(f"unknown segmenter {segmenter!r} (chunk or jieba)")

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        names: list[int] = []  # token indices of lexicon names
        last = 0
        for m in self._names.finditer(text):
            if m.end() == m.start():
                continue
            self._gap(text, last, m.start(), words, spaces)
            names.append(len(words))
            words.append(m.group(0))
            spaces.append(False)
            last = m.end()
        self._gap(text, last, len(text), words, spaces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for i in names:
            doc[i].norm_ = collapse_space(doc[i].text)
        doc._.kg_text = text
        return doc

    def _gap(self, text: str, start: int, end: int, words: list[str], spaces: list[bool]) -> None:
        for m in _GAP.finditer(text, start, end):
            kind = m.lastgroup
            tok = m.group(0)
            if kind == "space":
                if words and not spaces[-1]:
                    spaces[-1] = True
                    if len(tok) > 1:
                        words.append(tok[1:])
                        spaces.append(False)
                else:
                    words.append(tok)
                    spaces.append(False)
            elif kind == "cjk" and self.segmenter == "jieba":
                for w in self._jieba.cut(tok, HMM=True):
                    words.append(w)
                    spaces.append(False)
            else:
                words.append(tok)
                spaces.append(False)

    # spaCy calls these when a pipeline is saved or loaded: the names and the segmenter
    def to_bytes(self, **kwargs) -> bytes:
        return json.dumps({"forms": self.forms, "segmenter": self.segmenter}, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "LexiconTokenizer":
        state = json.loads(data.decode("utf-8"))
        self.__init__(self.vocab, state["forms"], state["segmenter"])
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_bytes())

    def from_disk(self, path, **kwargs) -> "LexiconTokenizer":
        return self.from_bytes(Path(path).read_bytes())


@spacy.registry.tokenizers("kg.LexiconTokenizer.v1")
def create_lexicon_tokenizer(segmenter: str = "chunk"):
    """The tokenizer as spaCy's config names it: its names arrive with ``from_disk`` (a saved pipeline)
    or ``set_forms`` (``kg.nlp.pipeline.build_pipeline``)."""

    def make(nlp) -> LexiconTokenizer:
        return LexiconTokenizer(nlp.vocab, [], segmenter)

    return make
