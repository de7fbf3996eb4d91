"""An experiment, not shipped: general knowledge as relations wherever an interview names both ends.

    python bench/experiments/knowledge_everywhere.py develops GRAPH.trig OUT.ttl
    python bench/experiments/knowledge_everywhere.py affiliatedWith GRAPH.trig OUT.ttl
    kg eval GOLD/*.yaml OUT.ttl

``develops``: a model or chip the interview names, with one known developer (``developers.yaml``, the
lexicon's maker-led names and ``known.yaml``, as the relation model's ``makers`` has them), which the
interview names too. ``affiliatedWith``: a person the interview names, with their company in
``ontology/affiliations.yaml``, which the interview names too. Each such pair the graph does not hold
already is added as an evidence node of its interview (confidence 0.5, no sentence), and the whole
graph is written as one Turtle file that ``kg eval`` scores as it scores a build. Measured 2026-12-07
(README, *The thirty-second locked set …*): both add more wrong relations than right ones on the 349
seen texts.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.extract import Extractor  # noqa: E402
from kg.lexicon import Lexicon  # noqa: E402
from kg.rdfio import load_dataset  # noqa: E402
from kg.vocab import KG, KGE  # noqa: E402


def known_pairs(kind: str) -> dict:
    """The one end (a product, a person) -> the other ends general knowledge gives it."""
    out: dict = defaultdict(set)
    if kind == "develops":
        makers = Extractor(Lexicon.load()).nlp("en").get_pipe("kg_relation_model").makers
        for product, companies in makers.items():
            if len(companies) == 1:
                out[KGE[product]].add(KGE[next(iter(companies))])
    else:
        for fact in yaml.safe_load((ROOT / "ontology" / "affiliations.yaml").read_text(encoding="utf-8"))["facts"]:
            out[KGE[fact["subject"]]].add(KGE[fact["object"]])
    return out


def main() -> None:
    kind, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind not in ("develops", "affiliatedWith"):
        sys.exit("the kind is develops or affiliatedWith")
    known = known_pairs(kind)
    graph = Graph()
    for s, p, o, _g in load_dataset([src]).quads((None, None, None, None)):
        graph.add((s, p, o))
    named = defaultdict(set)  # interview -> the entities it names
    for occ in graph.subjects(RDF.type, KG.Occurrence):
        named[graph.value(occ, KG.document)].add(graph.value(occ, KG.entity))
    held = {(graph.value(ev, KG.document), graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate),
             graph.value(ev, RDF.object)) for ev in graph.subjects(RDF.type, KG.Evidence)}
    added = 0
    for doc, ents in named.items():
        for one in ents:
            for other in known.get(one, ()):
                subj, obj = (other, one) if kind == "develops" else (one, other)
                if other not in ents or (doc, subj, KG[kind], obj) in held:
                    continue
                ev = BNode()
                for triple in ((ev, RDF.type, KG.Evidence), (ev, KG.document, doc), (ev, RDF.subject, subj),
                               (ev, RDF.predicate, KG[kind]), (ev, RDF.object, obj), (ev, KG.confidence, Literal(0.5))):
                    graph.add(triple)
                added += 1
    graph.serialize(dst, format="turtle")
    print(f"{added} {kind} relations added -> {dst}", file=sys.stderr)


if __name__ == "__main__":
    main()
