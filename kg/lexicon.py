"""``ontology/`` data -> the entity lexicon: ids, types, names, aliases, matching forms.

The lexicon is Turtle (SKOS labels) under ``ontology/lexicon/``; adding an entity or alias is an
edit there, never here. This module turns it into plain Python objects for the NLP layer (which
does not import rdflib) and knows which surface forms a writer may use for each entity.
"""

from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from .textnorm import normalise

# IRIs as plain strings (the same as kg.vocab's, which is built on rdflib): the build reads the
# lexicon with pyoxigraph and does not import rdflib for it
_BASE = "https://w3id.org/ai-kg/"
_KG = _BASE + "ontology#"
_KGE = _BASE + "entity/"
_ENTITY_TYPES = ("Person", "Company", "Model", "Chip")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_PREF, _ALT, _HIDDEN = _SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "hiddenLabel"
_CONTEXT, _SECTOR = _KG + "contextLabel", _KG + "sector"

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
        return _KGE + self.id

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


_CHIP_CODE = re.compile(r"([A-Z]{1,4})(-?)([0-9][0-9A-Za-z]*)")


def chip_variants(label: str) -> set[str]:
    """More forms of a chip's name as writers spell them: the plural of an English name ("H100s",
    "Blackwells", "TPUs") and a letter-and-number code with and without its hyphen ("GB200",
    "GB-200", "MI355X", "MI-355X"), and the plurals of those."""
    base = re.sub(r"\s+", " ", normalise(label).strip())
    if not base.isascii() or not base[-1:].isalnum():
        return set()
    forms = {base}
    code = _CHIP_CODE.fullmatch(base)
    if code and len(code[3]) >= 3:  # "GB-200", "MI-355X"; not "A-4", "M-4"
        forms.add(code[1] + ("" if code[2] else "-") + code[3])
    out = set(forms)
    for form in forms:
        if form[-1] not in "sS" and not (form[-1].isdigit() and len(form) < 3):
            out.add(form + "s")
    out.discard(base)
    return out


_AI_FIRM = re.compile(r"([A-Z][A-Za-z0-9]+) AI")


def domain_variants(label: str) -> set[str]:
    """A firm's name that ends in "AI", as its web address names it ("Fireworks AI": "Fireworks.ai",
    "fireworks.ai", "Fireworks.AI"): one word before "AI" only, so no phrase reads as a firm."""
    m = _AI_FIRM.fullmatch(re.sub(r"\s+", " ", normalise(label).strip()))
    if not m:
        return set()
    return {f"{m[1]}.ai", f"{m[1]}.AI", f"{m[1].lower()}.ai"}


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_SPOKEN_NUMBER = re.compile(r"(?<=[A-Za-z]{3})[- ]?(10|[1-9])(?:\.([1-9]))?([a-z]?)$")
_CODE_WORD = re.compile(r"([A-Z]{1,3})([0-9]{3,}[A-Za-z]?)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CAPS_HYPHEN = re.compile(r"[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+")
_ACRONYM_PART = re.compile(r"[A-Z]{2,}")


def spoken_variants(label: str) -> set[str]:
    """More forms of a Latin name as transcripts of speech write it (speech-to-text and hurried
    typists): a version number in words after a name of three letters or more ("GPT three", "Llama
    four", "GPT four point five", "GPT four o"), and in digits joined to the name, after a space or after a
    hyphen ("Trainium3", "Trainium 3", "Trainium-3"), a hyphen as a space ("GPT 4", "GPT OSS"), a chip's
    letters apart from its number ("H 100", "h 100", "GB 200"; never "a 100", an ordinary phrase) and
    the capitalised parts of a run-together name apart ("Deep Mind", "Open AI", "Core Weave"). Only
    names that are no ordinary words (a digit, an inner capital, capitals joined by a hyphen) have
    them; ``Lexicon`` keeps each only where no other name has it as a form."""
    base = re.sub(r"\s+", " ", normalise(label).strip())
    if not base.isascii() or not (_CASE_FREE.search(base) or _CAPS_HYPHEN.fullmatch(base)):
        return set()
    forms = set()
    number = _SPOKEN_NUMBER.search(base)
    if number:
        head = base[:number.start()].rstrip("- ")
        # the version as written, joined to the name, after a space or after a hyphen ("Trainium3",
        # "Trainium 3", "Trainium-3")
        version = base[number.start():].lstrip("- ")
        forms |= {head + sep + version for sep in ("", " ", "-")}
        said = _NUMBER_WORDS[int(number[1])] + (f" point {_NUMBER_WORDS[int(number[2])]}" if number[2] else "")
        said = f"{head} {said}" + (f" {number[3]}" if number[3] else "")
        forms |= {said, said.lower()}
    if re.search(r"[A-Za-z0-9]-[A-Za-z0-9]", base):
        spaced = base.replace("-", " ")
        forms |= {spaced, spaced.lower(), spaced.upper()}
    words = base.split(" ")
    for i, word in enumerate(words):
        code = _CODE_WORD.fullmatch(word)
        if code:
            forms.add(" ".join(words[:i] + [f"{code[1]} {code[2]}"] + words[i + 1:]))
            if code[1] not in ("A", "I"):
                forms.add(" ".join(words[:i] + [f"{code[1]} {code[2]}".lower()] + words[i + 1:]))
        parts = _CAMEL.split(word)
        if len(parts) > 1 and all(len(p) > 1 for p in parts) and word[0].isupper():
            forms.add(" ".join(words[:i] + [" ".join(parts)] + words[i + 1:]))
            # a transcript writes the word before an acronym in lower case ("chat GPT", "notebook LM"); never
            # before "AI", where the two words are an ordinary phrase ("scale AI", "open AI models")
            if any(_ACRONYM_PART.fullmatch(p) and p != "AI" for p in parts):
                lowered = [p if _ACRONYM_PART.fullmatch(p) else p.lower() for p in parts]
                forms.add(" ".join(words[:i] + [" ".join(lowered)] + words[i + 1:]))
    forms.discard(base)
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
        self._makers: dict[str, str] | None = None  # maker_prefixes(), once computed
        self._led: tuple[list[str], list[str]] | None = None  # led_names(), once computed
        self._cuts: dict[str, tuple[str, int]] | None = None  # _maker_cuts(), once computed
        self.content_key: str | None = None  # Lexicon.load: the hash of the files it was read from
        for ent in entities.values():
            for label in ent.labels():
                for form in surface_variants(label):
                    self.forms.setdefault(form, set()).add(ent.id)
        # a plural or spoken form that is a name, or another entity's name but for case ("Nvidia L40s" of the L40,
        # "Nvidia L40S"), is not added
        taken = set(self.forms)
        folded: dict[str, set[str]] = {}
        for form, ids in self.forms.items():
            folded.setdefault(form.casefold(), set()).update(ids)

        def free(form: str, owner: str) -> bool:
            return form not in taken and not folded.get(form.casefold(), set()) - {owner}

        for ent in entities.values():
            if ent.type == "Chip":
                for label in ent.labels():
                    for form in chip_variants(label):
                        if free(form, ent.id):
                            self.forms.setdefault(form, set()).add(ent.id)
            for label in ent.labels():
                for form in spoken_variants(label) | (domain_variants(label) if ent.type == "Company" else set()):
                    if free(form, ent.id):
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
        if self._makers is None:
            self._makers = {form: company for form, (company, _cut) in self._maker_cuts().items()}
        return dict(self._makers)

    def _maker_cuts(self) -> dict[str, tuple[str, int]]:
        """Model and chip form led by its maker's name -> (company id, where the maker's name ends), worked out
        once (``maker_prefixes`` and ``led_names`` read it; neither is needed again after a cached load)."""
        if self._cuts is None:
            companies = {f: ids for f, ids in self.forms.items()
                         if len(ids) == 1 and self.entities[next(iter(ids))].type == "Company"}
            self._cuts = {}
            for form, ids in self.forms.items():
                if not any(self.entities[i].type in ("Model", "Chip") for i in ids):
                    continue
                for cut in range(len(form) - 1, 0, -1):  # longest company name first
                    head, rest = form[:cut], form[cut:]
                    if head.strip() in companies and _name_boundary(head, rest):
                        self._cuts[form] = (next(iter(companies[head.strip()])), cut)
                        break
        return self._cuts

    def led_names(self) -> tuple[list[str], list[str]]:
        """The names of products led by their maker's name (``maker_prefixes``: "Anthropic Claude", "Huawei
        Ascend") that a longer name may break, and those breakers: names of another entity that begin with the led
        name's product part ("Claude 3 Opus", "Ascend 910B", "Trainium3"; not "B200 GPU" after "Nvidia B200", the same
        chip, nor a name whose word only begins the same way). Where a breaker starts inside a led name and runs past
        it, the tokenizer reads the maker and the breaker (``kg.nlp.tokenizer.NameFinder``)."""
        if self._led is None:
            self._led = self._led_names()
        return list(self._led[0]), list(self._led[1])

    def _led_names(self) -> tuple[list[str], list[str]]:
        ordered = sorted(self.forms)
        led: set[str] = set()
        breakers: set[str] = set()
        for form, (_company, cut) in sorted(self._maker_cuts().items()):
            rest = form[cut:].lstrip(" ")
            if len(rest) < 2:
                continue
            own = self.forms.get(form, set())
            for i in range(bisect_left(ordered, rest), len(ordered)):
                other = ordered[i]
                if not other.startswith(rest):
                    break
                nxt = other[len(rest):len(rest) + 1]
                if not nxt or (nxt.isalpha() and rest[-1].isalpha()) or (nxt.isdigit() and rest[-1].isdigit()):
                    continue  # the same name, or a longer word or number that only begins the same way
                if not self.forms[other] & own:
                    led.add(form)
                    breakers.add(other)
        return sorted(led), sorted(breakers)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for path in self.sources:
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, paths: list[Path] | None = None, *, reader: str = "oxigraph", cache: bool = True) -> "Lexicon":
        """The lexicon of ``paths`` (default: the ontology's ``lexicon/*.ttl``), read as one graph.

        ``reader``: "oxigraph" (pyoxigraph's Turtle parser, the default: no rdflib) or "rdflib";
        both give the same entities, in the same order. With ``cache`` (and the oxigraph reader),
        the finished lexicon is kept in the start-up cache (``kg.startcache``) under the hash of
        the files' bytes and paths: the next run with the same files reads it back instead of
        parsing and indexing them again. Raises ``LexiconError`` (one line) for a missing or
        malformed file."""
        paths = [Path(p) for p in (paths if paths is not None else default_lexicon_paths())]
        if reader == "rdflib":
            return cls(entities_from_graph(_rdflib_graph(paths)), paths)
        if reader != "oxigraph":
            raise ValueError(f"reader must be 'oxigraph' or 'rdflib', not {reader!r}")
        contents = [_read(path) for path in paths]
        key = None
        if cache:
            from . import startcache

            key = startcache.key("lexicon", *(f"{p.resolve()}" for p in paths), *contents)
            state = startcache.get("lexicon", key)
            if state is not None:
                try:
                    lexicon = cls._from_state(state, paths)
                    lexicon.content_key = key
                    return lexicon
                except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                    pass  # a damaged entry: read the files and write it again
        lexicon = cls(entities_from_triples(_oxigraph_triples(paths, contents)), paths)
        if key is not None:
            startcache.put("lexicon", key, lexicon._state())
            lexicon.content_key = key  # what the files hold: the key of caches built on this lexicon
        return lexicon

    def _state(self):
        """Plain data (``marshal``-able) that ``_from_state`` turns back into this lexicon."""
        entities = [(e.id, e.type, e.pref, e.alt, e.context, e.same_as, e.sector, e.provisional)
                    for e in self.entities.values()]
        return {"entities": entities, "forms": self.forms, "context_forms": self.context_forms,
                "maker_prefixes": self.maker_prefixes(), "led_names": self.led_names()}

    @classmethod
    def _from_state(cls, state: dict, paths: list[Path]) -> "Lexicon":
        lexicon = cls.__new__(cls)
        entities = {}
        for eid, etype, pref, alt, context, same_as, sector, provisional in state["entities"]:
            entities[eid] = Entity(eid, etype, dict(pref), [tuple(a) for a in alt], list(context), list(same_as),
                                   sector, bool(provisional))
        forms, context_forms = state["forms"], state["context_forms"]
        if not all(isinstance(v, set) for v in (*forms.values(), *context_forms.values())):
            raise ValueError("not a lexicon")
        lexicon.entities, lexicon.sources = entities, paths
        lexicon.forms, lexicon.context_forms = forms, context_forms
        lexicon._makers = dict(state["maker_prefixes"])
        led, breakers = state["led_names"]
        lexicon._led = (list(led), list(breakers))
        lexicon._cuts = None
        return lexicon


class LexiconError(Exception):
    pass


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LexiconError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LexiconError(f"{path}: is a folder, not a lexicon file (Turtle)") from None
    except OSError as err:
        raise LexiconError(f"{path}: cannot read ({err.strerror or err})") from None


def _syntax(path: Path, err: Exception) -> LexiconError:
    from .rdfio import syntax_error

    return LexiconError(str(syntax_error(path, "turtle", err)))


def _rdflib_graph(paths: list[Path]):
    from rdflib import Graph

    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            raise LexiconError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise LexiconError(f"{path}: is a folder, not a lexicon file (Turtle)") from None
        except Exception as err:  # rdflib raises many parser exception types
            raise _syntax(path, err) from err
    return graph


_WANTED = frozenset({_RDF_TYPE, _PREF, _ALT, _RDFS_LABEL, _HIDDEN, _CONTEXT, _OWL_SAME_AS, _SECTOR})


class _Triples:
    """The triples of the lexicon files that ``entities_from_triples`` reads, kept as rdflib's
    memory store keeps a graph: each triple once, objects of a subject and predicate (and the
    subjects of a type) in the order they were first read. Terms are tuples: ("I", iri),
    ("B", blank node id), ("L", text, language tag or None, datatype)."""

    def __init__(self):
        self.spo: dict[str, dict[str, dict[tuple, None]]] = {}
        self.typed: dict[str, dict[str, None]] = {}

    def add(self, subject: str, predicate: str, obj: tuple) -> None:
        self.spo.setdefault(subject, {}).setdefault(predicate, {})[obj] = None
        if predicate == _RDF_TYPE and obj[0] == "I":
            self.typed.setdefault(obj[1], {})[subject] = None

    def subjects_of_type(self, cls_iri: str) -> list[str]:
        return list(self.typed.get(cls_iri, ()))

    def objects(self, subject: str, predicate: str) -> list[tuple]:
        return list(self.spo.get(subject, {}).get(predicate, ()))


def _tag_case(tag: str) -> str:
    """A language tag in its conventional case (BCP 47: ``zh-Hans``, ``en-US``): Oxigraph gives
    tags in lower case, rdflib as written; both readers give them so, whatever case a file writes."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    singleton = False
    for part in parts[1:]:
        if singleton or len(part) == 1:
            singleton = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _oxigraph_triples(paths: list[Path], contents: list[bytes]) -> _Triples:
    import pyoxigraph as ox

    triples = _Triples()
    named, literal = ox.NamedNode, ox.Literal
    for path, data in zip(paths, contents):
        try:
            for t in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
                p = t.predicate.value
                if p not in _WANTED or type(t.subject) is not named:
                    continue  # blank-node subjects are never entities
                o = t.object
                if type(o) is literal:
                    lang = o.language
                    term = ("L", o.value, _tag_case(lang) if lang else None, o.datatype.value)
                else:
                    term = ("I" if type(o) is named else "B", o.value)
                triples.add(t.subject.value, p, term)
        except SyntaxError as err:
            raise _syntax(path, err) from err
    return triples


def entities_from_triples(triples: _Triples) -> dict[str, Entity]:
    """Read SKOS-labelled entities of the four kg: classes (``entities_from_graph`` for rdflib graphs)."""
    return _entities(triples.subjects_of_type, triples.objects)


def _entities(subjects_of_type, objects) -> dict[str, Entity]:
    """Entities from two look-ups: the IRIs typed with a class, and a subject's objects of a
    predicate as terms (see ``_Triples``), both in the order the graph keeps them."""
    entities: dict[str, Entity] = {}
    for type_name in _ENTITY_TYPES:
        for subject in subjects_of_type(_KG + type_name):
            entity_id = entity_id_from_iri(subject)
            if entity_id in entities:
                raise LexiconError(f"{entity_id}: typed both {entities[entity_id].type} and {type_name}")
            ent = Entity(id=entity_id, type=type_name)
            for term in objects(subject, _PREF):
                if term[0] == "L":
                    tag = term[2] or "en"
                    if tag in ent.pref:
                        ent.alt.append((term[1], tag))
                    else:
                        ent.pref[tag] = term[1]
            for prop in (_ALT, _RDFS_LABEL, _HIDDEN):
                for term in objects(subject, prop):
                    if term[0] == "L" and (term[1], term[2] or "en") not in ent.alt:
                        ent.alt.append((term[1], term[2] or "en"))
            ent.context = [term[1] for term in objects(subject, _CONTEXT)]
            ent.same_as = sorted(term[1] for term in objects(subject, _OWL_SAME_AS))
            sector = objects(subject, _SECTOR)
            ent.sector = sector[0][1] if sector else None
            entities[entity_id] = ent
    return entities


def entities_from_graph(graph) -> dict[str, Entity]:
    """Read SKOS-labelled entities of the four kg: classes from any rdflib graph."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    def term(node) -> tuple:
        if isinstance(node, Literal):
            return ("L", str(node), _tag_case(node.language) if node.language else None,
                    str(node.datatype) if node.datatype else None)
        return ("I" if isinstance(node, URIRef) else "B", str(node))

    def subjects_of_type(cls_iri: str) -> list[str]:
        return [str(s) for s in graph.subjects(RDF.type, URIRef(cls_iri)) if isinstance(s, URIRef)]

    def objects(subject: str, predicate: str) -> list[tuple]:
        return [term(o) for o in graph.objects(URIRef(subject), URIRef(predicate))]

    return _entities(subjects_of_type, objects)


def entity_id_from_iri(iri: str) -> str:
    """``kge:nvidia`` -> ``nvidia``; a foreign IRI keeps a readable, stable id."""
    if iri.startswith(_KGE):
        return iri[len(_KGE):]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", iri)
