"""``ontology/`` data -> the entity lexicon: ids, types, names, aliases, matching forms.

The lexicon is Turtle (SKOS labels) under ``ontology/lexicon/``; adding an entity or alias is an
edit there, never here. This module turns it into plain Python objects for the NLP layer (which
does not import rdflib) and knows which surface forms a writer may use for each entity.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .textnorm import normalise
from .vocab import ENTITY_TYPES, KG, KGE

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SHIPPED = Path(__file__).resolve().parent / "_data"  # in an installed wheel: ontology/ and queries/


def shipped_dir(name: str) -> Path:
    """``ontology`` or ``queries`` as this ``kg`` ships it: inside the installed package
    (``kg/_data/NAME``, where a wheel puts it), else the checkout's top-level folder (a
    checkout, or an editable install of one). Never the current directory's."""
    inside = SHIPPED / name
    return inside if inside.is_dir() else PACKAGE_ROOT / name


def ontology_dir() -> Path:
    """Where the ontology, lexicon and rules live: $KG_ONTOLOGY_DIR (``kg --ontology DIR``) if
    set, else the ones shipped with kg. An ``ontology/`` folder in the current directory is not
    used unless named so."""
    env = os.environ.get("KG_ONTOLOGY_DIR")
    if env:
        return Path(env)
    return shipped_dir("ontology")


def default_lexicon_paths() -> list[Path]:
    return sorted((ontology_dir() / "lexicon").glob("*.ttl"))


@dataclass
class Entity:
    id: str
    type: str
    pref: dict[str, str] = field(default_factory=dict)  # language tag -> preferred label
    alt: list[tuple[str, str]] = field(default_factory=list)  # (label, language tag)
    context: list[str] = field(default_factory=list)  # labels valid only beside a full mention
    same_as: list[str] = field(default_factory=list)
    sector: str | None = None  # kg:sector, e.g. "investor", "big-tech", "foundry"
    provisional: bool = False

    @property
    def iri(self) -> str:
        return str(KGE[self.id])

    @property
    def name(self) -> str:
        """The English display name (or the first label there is)."""
        for tag in ("en", "zh-Hans", "zh", "zh-Hant"):
            if tag in self.pref:
                return self.pref[tag]
        return self.alt[0][0] if self.alt else self.id

    @property
    def zh_name(self) -> str | None:
        """The Chinese name as the lexicon writes it: the simplified one (zh-Hans) if there is
        one, else the first other Chinese label. Never converted: OpenCC's traditional-to-
        simplified mapping picks the common character (昇腾 -> 升腾), not the name's."""
        for tag in ("zh-Hans", "zh", "zh-Hant"):
            if tag in self.pref:
                return self.pref[tag]
        for tag in ("zh-Hans", "zh", "zh-Hant"):
            for label, t in self.alt:
                if t == tag:
                    return label
        return None

    @property
    def wikidata(self) -> str | None:
        for iri in self.same_as:
            if "wikidata.org/entity/" in iri:
                return iri.rsplit("/", 1)[-1]
        return None

    def labels(self) -> list[str]:
        """Every full name (preferred and alternative); context labels excluded."""
        return list(dict.fromkeys([*self.pref.values(), *(label for label, _ in self.alt)]))


_CASE_FREE = re.compile(r"\d|[a-z][A-Z]")
_CJK_LATIN_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s*(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s*(?=[\u3400-\u9fff])")


def surface_variants(label: str) -> set[str]:
    """The normalised forms a label may appear in.

    Chinese: simplified/half-width, with and without the middle dot of transliterated names.
    Latin: as written; labels with a digit or an internal capital (GPT-4o, OpenAI) are not
    ordinary words, so their all-lower and all-upper casings are accepted too.
    """
    base = re.sub(r"\s+", " ", normalise(label).strip())
    if not base:
        return set()
    forms = {base}
    if "·" in base:
        forms.add(base.replace("·", ""))
        forms.add(base.replace("·", " "))
    for form in list(forms):  # "微软Copilot" is also written "微软 Copilot", and the other way round
        forms.add(_CJK_LATIN_GAP.sub(" ", form))
        forms.add(_CJK_LATIN_GAP.sub("", form))
    if _CASE_FREE.search(base):
        forms |= {f.lower() for f in list(forms)} | {f.upper() for f in list(forms)}
    return forms


def _name_boundary(head: str, rest: str) -> bool:
    """"Nvidia H100", "谷歌TPU", "GPT-4o": does ``rest`` start a new word after ``head``?"""
    if not rest.strip(" -"):
        return False
    if head[-1].isascii() and head[-1].isalnum():
        return rest[0] in " -"
    return True


class Lexicon:
    """Entities by id, and an index from normalised surface form to entity ids."""

    def __init__(self, entities: dict[str, Entity], sources: list[Path] | None = None):
        self.entities = entities
        self.sources = sources or []
        self.forms: dict[str, set[str]] = {}  # form -> ids (full names)
        self.context_forms: dict[str, set[str]] = {}  # form -> ids (context labels)
        for ent in entities.values():
            for label in ent.labels():
                for form in surface_variants(label):
                    self.forms.setdefault(form, set()).add(ent.id)
            for label in ent.context:
                for form in surface_variants(label):
                    self.context_forms.setdefault(form, set()).add(ent.id)

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def __getitem__(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def all_forms(self) -> set[str]:
        return set(self.forms) | set(self.context_forms)

    def maker_prefixes(self) -> dict[str, str]:
        """Model and chip names that begin with their maker's name ("谷歌TPU", "Microsoft Copilot",
        "Nvidia H100"): normalised form -> company id. Such a name says who makes the thing."""
        companies = {f: ids for f, ids in self.forms.items()
                     if len(ids) == 1 and self.entities[next(iter(ids))].type == "Company"}
        out: dict[str, str] = {}
        for form, ids in self.forms.items():
            if not any(self.entities[i].type in ("Model", "Chip") for i in ids):
                continue
            for cut in range(len(form) - 1, 0, -1):  # longest company name first
                head, rest = form[:cut], form[cut:]
                if head.strip() in companies and _name_boundary(head, rest):
                    out[form] = next(iter(companies[head.strip()]))
                    break
        return out

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for path in self.sources:
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, paths: list[Path] | None = None) -> "Lexicon":
        paths = [Path(p) for p in (paths if paths is not None else default_lexicon_paths())]
        graph = Graph()
        for path in paths:
            try:
                graph.parse(path, format="turtle")
            except FileNotFoundError:
                raise LexiconError(f"{path}: no such file") from None
            except IsADirectoryError:
                raise LexiconError(f"{path}: is a folder, not a lexicon file (Turtle)") from None
            except Exception as err:  # rdflib raises many parser exception types
                from .rdfio import syntax_error

                raise LexiconError(str(syntax_error(path, "turtle", err))) from err
        return cls(entities_from_graph(graph), paths)


class LexiconError(Exception):
    pass


_TYPE_NAMES = {KG[t]: t for t in ENTITY_TYPES}


def entities_from_graph(graph: Graph) -> dict[str, Entity]:
    """Read SKOS-labelled entities of the four kg: classes from any graph."""
    entities: dict[str, Entity] = {}
    for cls_iri, type_name in _TYPE_NAMES.items():
        for subject in graph.subjects(RDF.type, cls_iri):
            if not isinstance(subject, URIRef):
                continue
            entity_id = entity_id_from_iri(str(subject))
            if entity_id in entities:
                raise LexiconError(f"{entity_id}: typed both {entities[entity_id].type} and {type_name}")
            ent = Entity(id=entity_id, type=type_name)
            for label in graph.objects(subject, SKOS.prefLabel):
                if isinstance(label, Literal):
                    tag = label.language or "en"
                    if tag in ent.pref:
                        ent.alt.append((str(label), tag))
                    else:
                        ent.pref[tag] = str(label)
            for prop in (SKOS.altLabel, RDFS.label, SKOS.hiddenLabel):
                for label in graph.objects(subject, prop):
                    if isinstance(label, Literal) and (str(label), label.language or "en") not in ent.alt:
                        ent.alt.append((str(label), label.language or "en"))
            ent.context = [str(v) for v in graph.objects(subject, KG.contextLabel)]
            ent.same_as = sorted(str(v) for v in graph.objects(subject, OWL.sameAs))
            sector = graph.value(subject, KG.sector)
            ent.sector = str(sector) if sector is not None else None
            entities[entity_id] = ent
    return entities


def entity_id_from_iri(iri: str) -> str:
    """``kge:nvidia`` -> ``nvidia``; a foreign IRI keeps a readable, stable id."""
    base = str(KGE)
    if iri.startswith(base):
        return iri[len(base):]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", iri)
