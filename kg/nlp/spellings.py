"""Lexicon names spelt with other spacing, hyphens or capitals: "Open-AI" for OpenAI, "o3 Mini" and
"o1mini" for o3-mini / o1-mini, "GPTOSS" for gpt-oss, "Megatron Turing NLG" for Megatron-Turing NLG,
"Gemini-2.0-flash-lite" for Gemini 2.0 Flash-Lite, "KIMI" for Kimi. Transcripts and hurried writers
split, join, hyphenate and capitalise names as they hear them; the lexicon spells each in a few ways
(with the spoken forms ``kg.lexicon.spoken_variants`` adds in their own case: "Open AI", "GPT OSS").

``spelling_variants`` derives, from each Latin form of a company, model or chip, the spellings a
writer may use, as lower-case keys (the tokenizer looks for them in the lower-cased text) with the
form and the kind of variant:

- ``sep``: a name of several words (split at spaces and hyphens) with its words joined by a space,
  a hyphen, or, for two words, nothing ("gpt oss", "gpt-oss", "gptoss"; not two numbers run together);
- ``caps``: a one-word name of four letters or more in capitals ("KIMI"), never an English word
  ("FIGURE" in a caption is a figure, not Figure AI).

``accepted`` tells whether the words found in the text are written as the name would be: all in
capitals; or, for a name of one or two words, each word a capital where the name's word is one ("Open-AI"
and "o3 Mini", not "We chat" for WeChat's "We Chat" nor "open AI models"); for a longer name, its first
word so ("Gemini-2.0-flash-lite"). A spelling that forms of different entities share is left out, and
so is one the lexicon only has as it is. Names of people are left out: their spellings are the context
rules' to read.
"""

from __future__ import annotations

import re

_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+']*(?:[ -][A-Za-z0-9][A-Za-z0-9.+']*)*")
_WORD_SPLIT = re.compile(r"[ -]")
_KINDS = ("sep", "caps")


def _letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def _candidates(form: str, ordinary: set[str]):
    """(key, kind) spellings of ``form``."""
    words = _WORD_SPLIT.split(form)
    if len(words) >= 2:
        keys = [" ".join(words), "-".join(words)]
        a, b = words[0], words[-1] if len(words) == 2 else ""
        if b and not (a[-1].isdigit() and b[0].isdigit()) and max(_letters(a), _letters(b)) >= 3 \
                and min(len(a), len(b)) >= 2:
            keys.append(a + b)
        for key in keys:
            if key != form:  # the form itself in other capitals is no other spelling ("NVIDIA Blackwell": two names)
                yield key.lower(), "sep"
        return
    if _letters(form) >= 4 and form.isalpha() and not form.isupper() and form.lower() not in ordinary:
        yield form.lower(), "caps"


def spelling_variants(forms: dict[str, set[str]], types: dict[str, str], ordinary=()) -> dict[str, list[str]]:
    """Lower-case spelling -> [form, kind] for the Latin ``forms`` (form -> entity ids) of companies,
    models and chips (``types``: id -> type); ``ordinary``: English words written in lower case, never
    read as a name in capitals."""
    ordinary = set(ordinary)
    found: dict[str, dict[tuple[str, str], frozenset]] = {}
    for form, ids in forms.items():  # each form in lower case: a spelling that is another entity's is none
        found.setdefault(form.lower(), {})[(form, "form")] = frozenset(ids)
    for form, ids in forms.items():
        if not _LATIN.fullmatch(form) or not _letters(form) or any(types.get(i) == "Person" for i in ids):
            continue
        for key, kind in _candidates(form, ordinary):
            found.setdefault(key, {})[(form, kind)] = frozenset(ids)
    out = {}
    for key, options in sorted(found.items()):
        kinds = {kind for _f, kind in options}
        if len(set(options.values())) > 1 or kinds == {"form"}:
            continue  # the names of different entities; only the lexicon's own
        if "caps" in kinds and sum(kind == "form" for _f, kind in options) > 1:
            continue  # a name the lexicon spells in more than one case ("Kimi", "KIMI"): its finder reads them
        # the kind that asks least of the writer's capitals; of all the forms of the spelling (the lexicon's own in
        # other capitals too: "LlaMA" reads as Llama) the one with most small letters
        kind = min((k for _f, k in options if k != "form"), key=_KINDS.index)
        form = min(((f, k) for f, k in options if k in (kind, "form")),
                   key=lambda fk: (-sum(c.islower() for c in fk[0]), fk[1] != "form", fk[0]))[0]
        out[key] = [form, kind]
    return out


def accepted(written: str, form: str, kind: str) -> bool:
    """Whether ``written`` (the text's spelling of a key of ``spelling_variants``) is written as a name."""
    letters = [c for c in written if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if kind == "caps":
        return False  # the name itself in its own case is the lexicon finder's
    said, name = _WORD_SPLIT.split(written), _WORD_SPLIT.split(form)
    if len(said) != len(name) or len(name) > 2:
        said, name = said[:1], name[:1]
    return all(s[:1].isupper() or not n[:1].isupper() for s, n in zip(said, name))
