"""The library of ready questions: ``queries/*.rq``, asked by name (``kg query --ask NAME ARGS``).

A question file starts with ``#`` comment lines: first what it asks, then one line per parameter,

    # param ?company (Company): the company whose competitors to list

A parameter is a variable of the query that ``--ask`` binds to an entity given by name (any of its
labels, Chinese or English, compared after ``textnorm.fold``) or by IRI (``kge:openai``). An
unbound parameter leaves the question open (all companies).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .lexicon import shipped_dir
from .textnorm import fold
from .vocab import ENTITY_TYPES, KG, PREFIXES

_PARAM = re.compile(r"#\s*param\s+[?$](\w+)(?:\s*\((\w+)\))?\s*:?\s*(.*)$")


class QuestionError(Exception):
    """Unknown question, wrong arguments, or a name that matches no entity (or several)."""


@dataclass(frozen=True)
class Param:
    name: str  # variable name, without '?'
    type: str | None  # entity class the value must have (Company, Person, ...), if any
    doc: str = ""


@dataclass(frozen=True)
class Question:
    name: str
    path: Path
    text: str
    summary: str  # the leading comment, as one paragraph
    params: tuple[Param, ...] = field(default_factory=tuple)

    @property
    def usage(self) -> str:
        return " ".join([self.name, *(f"[{p.name.upper()}]" for p in self.params)])


def queries_dir() -> Path:
    """Where the questions live: $KG_QUERIES_DIR (``kg --queries DIR``) if set, else the ones
    shipped with kg (never the current directory's ``queries/`` unless named so)."""
    env = os.environ.get("KG_QUERIES_DIR")
    if env:
        return Path(env)
    return shipped_dir("queries")


def parse_question(path: Path) -> Question:
    text = path.read_text(encoding="utf-8")
    summary, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
        elif not params:
            summary.append(line.lstrip("#").strip())
    return Question(path.stem, path, text, " ".join(s for s in summary if s), tuple(params))


def library(directory: Path | None = None) -> dict[str, Question]:
    directory = directory or queries_dir()
    return {p.stem: parse_question(p) for p in sorted(Path(directory).glob("*.rq"))}


def get_question(name: str, directory: Path | None = None) -> Question:
    questions = library(directory)
    if name in questions:
        return questions[name]
    close = difflib.get_close_matches(name, list(questions), n=3, cutoff=0.5)
    also = f"; did you mean {' or '.join(close)}?" if close else ""
    raise QuestionError(f"no question named {name!r} in {directory or queries_dir()}{also} "
                        f"(there are: {', '.join(questions) or 'none'})")


def bind_arguments(question: Question, ds: Dataset, args: list[str]) -> dict[str, URIRef]:
    """Map positional arguments to the question's parameters, resolving names to entity IRIs;
    ``-`` leaves a parameter open (``who-invests-in-whom - Anthropic``: every investor in Anthropic)."""
    if len(args) > len(question.params):
        raise QuestionError(f"{question.name} takes at most {len(question.params)} argument(s): "
                            f"{question.usage}; got {len(args)}: {' '.join(args)}")
    return {p.name: resolve_entity(ds, value, p.type) for p, value in zip(question.params, args) if value != "-"}


_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, KG.contextLabel)


def resolve_entity(ds: Dataset, name: str, type_: str | None = None) -> URIRef:
    """The entity ``name`` denotes: an IRI (full or prefixed), or a label matched after folding."""
    iri = _as_iri(name)
    if iri is not None:
        return iri
    if type_ is None and name in ENTITY_TYPES:  # a class parameter (?type): Company for kg:Company
        return KG[name]
    key = fold(name)
    types = {KG[t] for t in ([type_] if type_ in ENTITY_TYPES else ENTITY_TYPES)}
    hits: dict[URIRef, str] = {}
    names: dict[str, set[URIRef]] = {}
    for prop in _LABELS:
        for node, label in ds.subject_objects(prop):
            if not isinstance(label, Literal) or not isinstance(node, URIRef):
                continue
            if not any((node, RDF.type, t) in ds for t in types):
                continue
            folded = fold(str(label))
            names.setdefault(folded, set()).add(node)
            if folded == key:
                hits.setdefault(node, str(label))
    what = type_.lower() if type_ in ENTITY_TYPES else "entity"
    if len(hits) == 1:
        return next(iter(hits))
    if len(hits) > 1:
        listed = ", ".join(f"{_short(i)} ({l})" for i, l in sorted(hits.items()))
        raise QuestionError(f"{name!r} names more than one {what}: {listed}; give the IRI instead")
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    also = ""
    if close:
        labels = sorted({str(ds.value(next(iter(names[c])), RDFS.label) or c) for c in close})
        also = f"; did you mean {' or '.join(labels)}?"
    raise QuestionError(f"no {what} named {name!r} in the graph{also}")


def _as_iri(text: str) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        return URIRef(text)
    m = re.match(r"^(\w+):(\S+)$", text)
    if m and m.group(1) in PREFIXES:
        return URIRef(str(PREFIXES[m.group(1)]) + m.group(2))
    return None


def _short(iri: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(str(ns)):
            return f"{prefix}:{str(iri)[len(str(ns)):]}"
    return f"<{iri}>"


def lexicon_names() -> Dataset:
    """The curated lexicon as a dataset, for resolving names where no graph is at hand
    (``kg query --endpoint URL --ask ...``: the graph lives in a remote store)."""
    from .lexicon import default_lexicon_paths

    from .vocab import bind_prefixes

    ds = Dataset()
    bind_prefixes(ds)
    for path in default_lexicon_paths():
        ds.parse(path, format="turtle")
    return ds


def inline_arguments(question: Question, args: list[str], ds: Dataset | None = None) -> str:
    """The question's text with its arguments written in as a trailing ``VALUES`` clause, for a
    store that takes query text only. Names are resolved against ``ds`` (default: the lexicon)."""
    bindings = bind_arguments(question, ds if ds is not None else lexicon_names(), args)
    if not bindings:
        return question.text
    names = sorted(bindings)
    row = " ".join(bindings[n].n3() for n in names)
    return f"{question.text.rstrip()}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
