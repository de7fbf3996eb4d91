"""Named word lists of the relation rules (``words:`` of a language's ``settings`` in
``ontology/relations.yaml``).

A rule's pattern may name a list in braces, ``{ROLE}``: it stands for the list's entries as one
alternation, ``(?:entry|entry|...)``, longest entry first, each entry a piece of regular expression
("chief [\\w-]+ officer"). The same name means each language's own list, so "Company role Person"
is one vocabulary of job titles for every rule that needs it, kept in one place, and a new title
("columnist", "策略长") is one line of data for all of them. A name is two or more capital letters
or underscores; the slots ({S}, {O2}, {E}) are one letter and an optional digit and never clash.

Plain Python and ``re`` (no spaCy): ``compile_rule`` expands patterns before compiling them, and the
relation model's trigger words (``relmodel.trigger_words``) read the expanded trigger group.
"""

from __future__ import annotations

import re

from .plain import RuleError

_NAME = re.compile(r"\{([A-Z][A-Z_]+)\}")
# ``words:`` mappings read and their alternations, by the mapping's id (the mapping kept, so that the id
# stays its own): every rule of a language asks for the same one
_SEEN: dict[int, tuple[dict, dict[str, str]]] = {}


def word_lists(settings: dict, lang: str) -> dict[str, str]:
    """Name -> alternation of the language's ``words:`` (RuleError on a list that is not one of strings).
    Made once per ``words:`` mapping, not once per rule (the same mapping object gives the same answer)."""
    lists = (settings.get(lang) or {}).get("words") or {}
    seen = _SEEN.get(id(lists))
    if seen is not None and seen[0] is lists:
        return seen[1]
    if not isinstance(lists, dict):
        raise RuleError(f"relations.yaml: settings.{lang}.words must map names to lists of words")
    out = {}
    for name, words in lists.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise RuleError(f"relations.yaml: settings.{lang}.words.{name} must be a list of words")
        if not _NAME.fullmatch("{" + str(name) + "}"):
            raise RuleError(f"relations.yaml: settings.{lang}.words.{name}: a name is capital letters and _")
        ordered = sorted(dict.fromkeys(words), key=lambda w: (-len(w), w))
        out[name] = "(?:" + "|".join(ordered) + ")"
    if lists:
        if len(_SEEN) > 16:  # a long-lived process that loads many rule files keeps a few
            _SEEN.clear()
        _SEEN[id(lists)] = (lists, out)
    return out


def expand(pattern: str, lists: dict[str, str], rule_id: str = "?") -> str:
    """``pattern`` with each ``{NAME}`` replaced by its list (RuleError for a name with no list)."""
    if "{" not in pattern:
        return pattern

    def one(m: re.Match) -> str:
        try:
            return lists[m.group(1)]
        except KeyError:
            raise RuleError(f"relation rule {rule_id}: no word list {{{m.group(1)}}} "
                            f"(settings: <lang>: words: in relations.yaml)") from None

    return _NAME.sub(one, pattern)
