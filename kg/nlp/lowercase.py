"""Lexicon names written in lower case: automatic transcripts write "you send it to tsmc", "asml makes
the light machine", "sam altman said"; the lexicon spells TSMC, ASML, Sam Altman.

``lowercase_names`` maps the lower-case spelling of each Latin lexicon form to the form, where that
spelling is no English word ("apple", "meta", "ramp", "fair" are words, and stay words; "nvidia",
"tsmc", "claude" are not), has at least ``min_letters`` letters, and, for a name of several words,
holds a word that is no English word ("sam altman", not "deep research") and begins and ends with no
function word ("service now"). A spelling that forms of different entities share ("Figure" and "FIGURE"
of two firms) is left out. The tokenizer (``kg/nlp/tokenizer.py``) finds these spellings as it finds the
names themselves and gives each the form as its ``NORM``, so ``kg_lexicon`` reads it as the name; the
text itself is not changed. Not within an address or a handle (``in_word``: "openai.com", "@nvidia").

The English words come from ``ontology/english-words.txt`` (``names.yaml``, ``lowercase_names.words``);
``ordinary_words`` keeps those that spell a lexicon form or one of its words in lower case (about 1,500),
which the pipeline's settings carry.
"""

from __future__ import annotations

import re
from pathlib import Path

_LATIN_FORM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ .&'+-][A-Za-z0-9]+)*")


def _latin(form: str) -> bool:
    return bool(_LATIN_FORM.fullmatch(form)) and form.lower() != form


def english_words(path: Path) -> str:
    """The words of ``path`` (one per line; "#" starts a comment line) as one string, each word between
    two newlines (as ``kg.nlp.commonwords.Words`` looks words up)."""
    words = (line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines())
    return "\n" + "\n".join(w for w in words if w and not w.startswith("#")) + "\n"


def ordinary_words(english: str, forms) -> list[str]:
    """The words of ``english`` (``english_words``) that are the lower-case spelling of a Latin form of
    ``forms`` or of one of its words, sorted."""
    wanted: set[str] = set()
    for form in forms:
        if _latin(form):
            low = form.lower()
            wanted.add(low)
            wanted.update(low.split())
    return sorted(wanted & set(english.split()))


def lowercase_names(forms: dict[str, set[str]], config: dict | None) -> dict[str, str]:
    """Lower-case spelling -> lexicon form, for ``forms`` (form -> entity ids; names.yaml
    ``lowercase_names``: ``ordinary``, the English words among the spellings; ``function_words``;
    ``min_letters``). Where forms of one spelling name different entities, none."""
    config = config or {}
    if config.get("ordinary") is None:
        return {}  # the English words were not read (a pipeline's own settings): no spelling is safe
    ordinary = set(config["ordinary"])
    function = {str(w).lower() for w in config.get("function_words") or ()}
    min_letters = int(config.get("min_letters", 3))
    known = set(forms)
    spellings: dict[str, set[str]] = {}
    for form in known:
        if not _latin(form):
            continue
        low = form.lower()
        if low in known or sum(c.isalpha() for c in low) < min_letters:
            continue  # the lexicon spells it in lower case already; too short to tell from a word
        words = low.split()
        if low in ordinary or words[0] in function or words[-1] in function or all(w in ordinary for w in words):
            continue  # a word, a phrase of words ("deep research", "full self-driving"), a function word's phrase
        spellings.setdefault(low, set()).add(form)
    return {low: min(fs) for low, fs in sorted(spellings.items())
            if len({frozenset(forms[f]) for f in fs}) == 1}


LOWER_WORD = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]+")
"""A word in lower case, as the tokenizer looks for the cues of ``lowercase_cues`` in a text."""


def lowercase_cues(lower: dict[str, str], config: dict | None) -> list[str]:
    """The words of ``lower``'s spellings (as ``LOWER_WORD`` reads them) that are no English word
    ("tsmc", "altman"; a spelling with none: all its words): a text with none of them holds no spelling,
    and the tokenizer does not look for any (nor loads their automaton). A spelling with no such word at
    all ("a-64fx") is never looked for."""
    ordinary = set((config or {}).get("ordinary") or ())
    cues: set[str] = set()
    for low in lower:
        words = LOWER_WORD.findall(low)
        cues.update([w for w in words if w not in ordinary] or words)
    return sorted(cues)


def in_word(text: str, start: int, end: int) -> bool:
    """Whether the lower-case spelling at ``start:end`` is part of an address, a handle or a file name
    ("openai.com", "@nvidia", "github.com/meta-llama"), not a name in running text."""
    if start and text[start - 1] in "/@_.:\\":
        return True
    after = text[end] if end < len(text) else " "
    return after in "/_@" or (after in ".-" and end + 1 < len(text) and text[end + 1].isalnum())
