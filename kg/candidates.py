"""New names for the lexicon: discovered entities gathered over interviews (``kg candidates``).

From interviews (extraction runs, every candidate including the low-confidence ones) or from a
built graph (the ``kg:discovered`` entities it asserts), one row per name: type guess, mentions,
interviews, confidence, a context line; sorted by usefulness = mentions x interviews x confidence.
``write_lexicon`` writes them as SKOS Turtle entries in the lexicon's format, for review.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .textnorm import cjk_ratio, to_simplified


@dataclass
class Candidate:
    key: str  # slug (the part after "new:")
    names: Counter = field(default_factory=Counter)  # surface -> mentions
    types: Counter = field(default_factory=Counter)  # type -> weight
    interviews: set = field(default_factory=set)
    confidence: float = 0.0
    context: str = ""

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (self.names[n], -len(n), n)) if self.names else self.key

    @property
    def type(self) -> str:
        return max(self.types, key=lambda t: (self.types[t], t)) if self.types else "Company"

    @property
    def count(self) -> int:
        return sum(self.names.values())

    @property
    def usefulness(self) -> float:
        return self.count * len(self.interviews) * self.confidence


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    a, b = max(line_start, start - width), min(line_end, end + width)
    snippet = " ".join(text[a:b].split())
    return ("…" if a > line_start else "") + snippet + ("…" if b < line_end else "")


def from_extractions(extractions) -> list[Candidate]:
    """Every discovered name of the extractions (``kg.extract.Extraction``), pooled by slug."""
    out: dict[str, Candidate] = {}
    for ex in extractions:
        for m in ex.mentions:
            if not m.discovered:
                continue
            key = m.entity.split(":", 1)[1]
            c = out.setdefault(key, Candidate(key))
            c.names[" ".join(m.surface.split())] += 1
            c.types[m.type] += m.confidence
            c.interviews.add(ex.doc.name)
            if m.confidence > c.confidence or not c.context:
                c.context = _context(ex.doc.raw, m.start, m.end)
            c.confidence = max(c.confidence, m.confidence)
    return sort(out.values())


def from_graph(graph) -> list[Candidate]:
    """The ``kg:discovered`` entities of a built graph (only those it asserts)."""
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS, SKOS

    from .vocab import ENTITY_TYPES, KG

    out: dict[str, Candidate] = {}
    for e in set(graph.subjects(KG.discovered, Literal(True))):
        key = str(e).rsplit("/", 1)[-1]
        c = out.setdefault(key, Candidate(key))
        for t in ENTITY_TYPES:
            if (e, RDF.type, KG[t]) in graph:
                c.types[t] += 1
        conf = graph.value(e, KG.confidence)
        c.confidence = max(c.confidence, float(conf) if conf is not None else 0.0)
        label = graph.value(e, RDFS.label)
        counts = 0
        for occ in graph.subjects(KG.entity, e):
            n = graph.value(occ, KG.mentionCount)
            counts += int(n) if n is not None else 1
            doc = graph.value(occ, KG.document)
            c.interviews.add(str(graph.value(doc, KG.fileName) or doc))
        if label is not None:
            c.names[str(label)] += max(counts, 1)
        for alt in graph.objects(e, SKOS.altLabel):
            c.names.setdefault(str(alt), 0)
        for ev in list(graph.subjects(RDF.subject, e)) + list(graph.subjects(RDF.object, e)):
            sentence = graph.value(ev, KG.sentence)
            if sentence is not None:
                c.context = str(sentence)
                break
    return sort(out.values())


def sort(cands) -> list[Candidate]:
    return sorted(cands, key=lambda c: (-c.usefulness, -c.count, c.name))


def _term(key: str) -> str:
    if re.fullmatch(r"[A-Za-z\u4e00-\u9fff](?:[\w.-]*[\w-])?", key):
        return f"kge:{key}"
    return f"<https://w3id.org/ai-kg/entity/{key}>"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_lexicon(cands: list[Candidate], path: Path) -> int:
    """Candidates as lexicon entries (ontology/lexicon/*.ttl format), each with a review comment."""
    lines = [
        "@prefix kg:   <https://w3id.org/ai-kg/ontology#> .",
        "@prefix kge:  <https://w3id.org/ai-kg/entity/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
        "# Candidate entries written by `kg candidates --write-lexicon`: names found in interviews",
        "# that the lexicon does not list. Review each (type, name, id), delete the wrong ones, and",
        "# move the good ones into ontology/lexicon/ or pass this file with `kg build --lexicon`.",
        "",
    ]
    for c in cands:
        names = [n for n in sorted(c.names, key=lambda n: (-c.names[n], n))]
        pref = names[0] if names else c.key
        tag = "zh-Hans" if cjk_ratio(pref) > 0 else "en"
        label = to_simplified(pref) if tag == "zh-Hans" else pref
        alts = []
        for n in names[1:]:
            t = "zh-Hans" if cjk_ratio(n) > 0 else "en"
            alts.append(f"{_lit(to_simplified(n) if t == 'zh-Hans' else n)}@{t}")
        context = c.context.replace("\n", " ")
        lines.append(f"# {c.type}? confidence {c.confidence:.2f}, {c.count} mention(s) in "
                     f"{len(c.interviews)} interview(s): {context}")
        body = f"{_term(c.key)} a kg:{c.type} ;\n    skos:prefLabel {_lit(label)}@{tag}"
        if alts:
            body += " ;\n    skos:altLabel " + " ,\n        ".join(alts)
        lines.append(body + " .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(cands)
