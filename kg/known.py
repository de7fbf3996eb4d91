"""Known relations: what annotated texts say of entities the lexicon holds, as data for the relation model.

A linear model reads the words around a pair; that Microsoft invests in OpenAI, that TSMC makes
Nvidia's chips, that DeepSeek and Moonshot are rivals, it can only learn where a sentence says it
plainly. Texts of the same industry keep naming the same pairs: ``ontology/known.yaml`` lists the
relations annotators read in published texts (``kg known`` writes it from gold files), between
entities of the lexicon, each with the texts it was read in. The relation model (trained with
``known``) sees them as ``K:`` features of a pair (``kg.nlp.relmodel.features``): a prior that the
words of the sentence still have to bear out, never a relation by itself. Training and tuning read a
text's pairs as if its own gold had told nothing (``kg.train.hidden``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from .atomic import write_text
from .eval import load_gold
from .lexicon import Lexicon
from .textnorm import fold

HEADER = """\
# Known relations between entities of the lexicon, read by annotators in published texts (their gold
# files); written by `kg known`, editable by hand (ids as in ontology/lexicon/*.ttl). The relation model,
# trained with `known`, reads each as a K: feature of a pair of mentions: a prior, never a relation by
# itself; a text's own facts are hidden from it while training and tuning (kg.train.hidden).
# Written from: {sources}
"""


def _folded_index(lexicon: Lexicon) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for forms in (lexicon.forms, lexicon.context_forms):
        for form, ids in forms.items():
            key = fold(form)
            if key:
                index.setdefault(key, set()).update(ids)
    return index


def resolve(keys: set[str], type_: str, lexicon: Lexicon, index: dict[str, set[str]]) -> str | None:
    """The lexicon entity of this type most of a gold entity's names (folded) name; None when none
    does or two tie."""
    votes = Counter(i for k in keys for i in index.get(k, ()) if lexicon[i].type == type_)
    if not votes:
        return None
    best = votes.most_common(2)
    if len(best) > 1 and best[0][1] == best[1][1]:
        return None
    return best[0][0]


def facts_from_gold(paths: list[Path], lexicon: Lexicon) -> tuple[list[dict], int, int]:
    """(facts, relations read, relations left out because an end is no lexicon entity)."""
    index = _folded_index(lexicon)
    found: dict[tuple[str, str, str], set[str]] = {}
    total = left = 0
    for path in paths:
        gold = load_gold(path)
        ids = {e.name: resolve(e.keys, e.type, lexicon, index) for e in gold.entities}
        source = gold.document or Path(path).with_suffix(".txt").name
        for subj, rel, obj in gold.relations:
            total += 1
            s, o = ids.get(subj), ids.get(obj)
            if not s or not o or s == o:
                left += 1
                continue
            found.setdefault((s, rel, o), set()).add(source)
    facts = [{"subject": s, "relation": r, "object": o, "sources": sorted(src)}
             for (s, r, o), src in sorted(found.items())]
    return facts, total, left


def write_known(path: Path, facts: list[dict], sources: list[str]) -> None:
    """``facts`` as ``path`` (written whole or not at all)."""
    text = HEADER.format(sources=", ".join(sources)) + yaml.safe_dump(
        {"facts": facts}, allow_unicode=True, sort_keys=False, width=160, default_flow_style=None)
    write_text(path, text)
