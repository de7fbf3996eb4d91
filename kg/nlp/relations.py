"""Relations between mentions of one sentence (``kg_relations`` component).

Rules are data (``ontology/relations.yaml``). Each sentence is rewritten into an *abstract
sentence* in which every entity mention is one private-use character whose code point encodes
its type; a rule is a regular expression over that string with slots:

    {S} {O} {S2} {O2} ...   subject / object slots, optionally typed: {S:Company}, {O:Model|Chip};
                            a slot also takes a coordinated list ("A、B 和 C") and yields each member;
                            {S!} (or {S:Company!}) takes exactly one entity
    {E}                     any entity, not captured
    …                       a short gap with no entity and no clause break
    …+                      a longer gap that may cross commas
    …*                      a longer gap that may also cross model and chip mentions (not people or companies)
    (?P<T>...)              the trigger words, reported as evidence
    ^                       (at the start of a pattern or of "(?:^|...)") the sentence start, after
                            any speaker label
    anything else           Python regular expression syntax

Chinese rules run on sentences that contain CJK characters, English rules on the others, so a
mixed document gets the right rules sentence by sentence. A match is dropped when its sentence is
a question, when a negation cue stands in the matched span, when a hypothetical cue opens its
clause or a condition opens the sentence ("If this plan comes true, it will challenge A"), or when the trigger is part of a false friend (对冲基金 is a hedge fund, not a hedge); a
hedge cue ("可能", "reportedly") lowers its confidence. Rules marked ``presupposed`` match noun
phrases ("OpenAI 的 ChatGPT", "PayPal 创始人彼得·蒂尔"), whose content survives questions, negation,
hypotheticals and hedges (the classic presupposition tests), so those cues do not apply to them.
Subject and object types must fit the relation's domain and range from the ontology.

A negation spelled out by the trigger itself ("doesn't want to depend on", "免得被…卡脖子") is part of
the phrase, not a negation of it. Rules marked ``object: speaker`` have no {O}: a round told without
its company ("A 轮由红杉领投", "the seed was led by a16z") is the company of the sentence's speaker,
when the interview affiliates the speaker with one (``kg_anaphora`` tells who speaks). Affiliations
of a rule marked ``tie: weak`` ("works at") give way to stronger ones ("founded", "CEO of") when
deciding which company a speaker's "we" stands for; those of ``tie: former`` ("worked at", "spent
years at") never decide it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from .ents import company_counts, mentions as doc_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text as _doc_text
from . import rxcache
from .prefilter import LiteralIndex, best_literals, check_compilable, class_needs, pattern_literals
from .ruleindex import DocRuleIndex, cut_before_space
from .serialise import DiskData
from .sentences import sentence_bounds
from .plain import RuleError, SectorBans, trim as _trim  # noqa: F401  (RuleError is named from here too)
from .rulewords import expand, word_lists

TYPE_BASE = {"Person": 0xE000, "Company": 0xE400, "Model": 0xE800, "Chip": 0xEC00}
TYPE_SPAN = 0x400
ANY = "\ue000-\uefff"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=None)
if not Doc.has_extension("kg_speaker_refs"):  # a speaker's "we" (an addressee's "你们") as their company
    Doc.set_extension("kg_speaker_refs", default=None)
if not Doc.has_extension("kg_rounds"):  # (sentence start, end, company): the round a sentence speaks of
    Doc.set_extension("kg_rounds", default=None)

PRODUCT_TYPES = frozenset({"Model", "Chip"})  # products: a company develops them, and one may stand for its maker


@dataclass(frozen=True)
class RelationMatch:
    """One relation asserted by one sentence. Offsets are character offsets into ``doc.text``."""

    subject: str
    predicate: str
    object: str
    sent_start: int
    sent_end: int
    rule: str
    trigger: str
    confidence: float


def placeholder(type_name: str, index: int) -> str:
    return chr(TYPE_BASE[type_name] + index)


def _type_class(types: list[str]) -> str:
    return "[" + "".join(f"{chr(TYPE_BASE[t])}-{chr(TYPE_BASE[t] + TYPE_SPAN - 1)}" for t in types) + "]"


def developers_read(relations) -> dict[str, set[str]]:
    """Model / chip id -> the companies the interview's develops relations say develop it (not those a
    product's own stand-in gave, ``+product``)."""
    out: dict[str, set[str]] = {}
    for rel in relations:
        if rel.predicate == "develops" and "+product" not in rel.rule:
            out.setdefault(rel.object, set()).add(rel.subject)
    return out


def most_named(makers, named: dict[str, int]):
    """Of two or more makers of a product, the one the interview names more often than any other (``named``:
    ``kg.nlp.ents.company_counts``), alone: AWS of AWS and Annapurna Labs for Trainium where the text names AWS;
    else ``makers`` as they are."""
    if len(makers) < 2:
        return makers
    ranked = sorted(makers, key=lambda m: (-named.get(m, 0), m))
    return {ranked[0]} if named.get(ranked[0], 0) > named.get(ranked[1], 0) else makers


def extended_makers(doc: Doc, pid: str, makers_of) -> set[str]:
    """The makers of a found model or chip that extends an entity the lexicon holds (kg_discovery's
    ``extends``: "Opus 4.6" of Claude Opus 4, "GPT-5.5" of GPT-5, "DeepSeek-V3" of the company DeepSeek):
    a version or variant of a product is its maker's, as that product is; of a company's name, that
    company's. ``makers_of``: product id -> its makers."""
    found = (doc._.kg_discovered or {}).get(pid) if Doc.has_extension("kg_discovered") else None
    ext = found.get("extends") if found else None
    if not ext:
        return set()
    ext_id, ext_type = ext
    return {ext_id} if ext_type == "Company" else set(makers_of.get(ext_id, ()))


@dataclass(frozen=True)
class Ref:
    """What fills a slot: an entity mention, or a pronoun resolved by ``kg_anaphora``."""

    id_: str
    label_: str
    start_char: int
    end_char: int
    anaphor: bool = False
    via: str = "anaphora"  # how a non-mention was found: "anaphora" (a pronoun) or "topic" (an unsaid subject)


# Compiled regular expressions by (pattern, flags), shared by the pipelines of one process: a rule
# is parsed (checked) and its literals read when it is loaded, and compiled the first time a
# sentence holds one of its literals.
_COMPILED: dict[tuple[str, int], re.Pattern] = {}
_LITERALS: dict[tuple[str, int], frozenset | None] = {}
# what ``re`` compiles a rule's pattern to (``kg.nlp.rxcache`` entries), from the start-up cache: a
# rule first used in this process is then made from it without parsing (``kg.extract``)
_CODE: dict[tuple[str, int], tuple] = {}


def _compiled(pattern: str, flags: int) -> re.Pattern:
    key = (pattern, flags)
    rx = _COMPILED.get(key)
    if rx is None:
        entry = _CODE.get(key)
        rx = rxcache.restore(pattern, entry) if entry is not None else None
        _COMPILED[key] = rx = rx if rx is not None else re.compile(pattern, flags)
    return rx


def record_code(extractor: "RelationExtractor") -> None:
    """Put what ``re`` makes of each pattern of ``extractor``'s rules (and triggers) in ``_CODE``,
    for the start-up cache to keep (parsing them all: on a cache miss only)."""
    for rule in extractor.rules:
        for pattern in (rule.source, rule.trigger):
            key = (pattern, int(rule.flags))
            if pattern is not None and key not in _CODE:
                entry = rxcache.entry(pattern, rule.flags)
                if entry is not None:
                    _CODE[key] = entry


# the placeholders every match of a rule's pattern holds (``prefilter.class_needs`` over the four
# types' blocks): a sentence without enough placeholders of those types is not tried
_NEEDS: dict[tuple[str, int], tuple] = {}
_BLOCKS = [(base, base + TYPE_SPAN - 1) for base in TYPE_BASE.values()]
_TYPE_BIT = {name: 1 << i for i, name in enumerate(TYPE_BASE)}
_TYPE_ORDER = {name: i for i, name in enumerate(TYPE_BASE)}


def _checked_literals(pattern: str, flags: int) -> frozenset | None:
    """Parse ``pattern`` (``re.error`` if ``re.compile`` would reject it) and return its literals
    (and note in ``_NEEDS`` the placeholders it needs)."""
    key = (pattern, flags)
    if key not in _LITERALS or key not in _NEEDS:
        tree = check_compilable(pattern, flags)
        _LITERALS[key] = pattern_literals(pattern, flags, tree)
        _NEEDS[key] = class_needs(tree, _BLOCKS)
    return _LITERALS[key]


def _fits_needs(needs: tuple, have: dict[int, int]) -> bool:
    """Does an abstract sentence with ``have`` (type bit -> placeholders of that type) hold what
    ``needs`` asks (``(mask, count)`` pairs)?"""
    for mask, count in needs:
        n = 0
        for bit, k in have.items():
            if bit & mask:
                n += k
        if n < count:
            return False
    return True


@dataclass
class CompiledRule:
    """A rule ready to run. ``regex`` and ``prefilter`` are compiled on first use; ``literals``:
    strings one of which every sentence the rule can match holds (folded for case-insensitive
    rules; None: no such strings), read off the pattern and the trigger when the rule is loaded."""

    id: str
    lang: str
    relation: str
    source: str  # the regular expression the rule compiles to
    flags: int
    slots: list[str]
    confidence: float
    pairwise: bool
    indexed: bool  # pair {S2} with {O2} only (default: every subject with every object)
    by_sector: bool  # slots are unordered; direction from the sector precedence
    presupposed: bool  # a noun phrase ("OpenAI 的 ChatGPT"): holds inside questions and hypotheticals
    trigger: str | None  # the trigger group's pattern: a sentence where it is not found is skipped
    literals: frozenset | None = None
    also_literals: frozenset | None = None  # a second set one of which every match holds (the index wants both)
    needs: tuple = ()  # (type mask, count) pairs: the placeholders every match holds
    speaker_object: bool = False  # no {O}: the object is the company of the sentence's speaker
    document_object: bool = False  # no {O}: the object is the company the interview is about
    round_object: bool = False  # no {O}: the object is the company whose funding round the text last told
    list_rest: bool = False  # the {S} list runs on to the clause's end, past words that are no names
    names_only: bool = False  # slots take names, not pronouns ("我的 Facebook 数据" is no affiliation)
    pronoun_subject: bool = False  # {S} only a pronoun ("our P1 accelerator"; "CoreWeave H100s" is no develops)
    # affiliatedWith ties: "strong" (founded, CEO of), "weak" ("works at": "we" is a strong tie's
    # company if any), "former" ("worked at", "在 X 工作过": never the company of "we")
    tie: str = "strong"
    product: bool = False  # a Model/Chip slot where a company is due stands for the product's developer
    maker_check: bool = False  # develops: not of a product the lexicon names with another maker's name
    opens_with_subject: bool = False  # the pattern starts with {S}: settings' subject_not_after applies

    @property
    def implicit_object(self) -> bool:
        """No {O}: the object is a company the text implies (the speaker's, the document's, the round's)."""
        return self.speaker_object or self.document_object or self.round_object

    pos: int = -1  # the rule's place among the extractor's rules
    _regex: re.Pattern | None = field(default=None, repr=False, compare=False)
    _prefilter: re.Pattern | None = field(default=None, repr=False, compare=False)

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = _compiled(self.source, self.flags)
        return self._regex

    @property
    def prefilter(self) -> re.Pattern | None:
        if self._prefilter is None and self.trigger is not None:
            self._prefilter = _compiled(self.trigger, self.flags)
        return self._prefilter


TIES = ("strong", "weak", "former")


def group_at(pattern: str, start: int) -> str:
    """The text of the parenthesised group that opens at ``pattern[start]`` (escapes and character
    classes, whose brackets and parentheses are literal, skipped)."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return pattern[start:i + 1]
        i += 1
    return pattern[start:]


def _whole_word_trigger(body: str) -> str:
    """The trigger group followed by a check that it does not end inside a word ("invest" is not the
    start of "investments", "buy" not of "buyout"): not between two word characters."""
    start = body.find("(?P<T>")
    if start < 0:
        return body
    end = start + len(group_at(body, start))
    return body[:end] + r"(?:(?<!\w)|(?!\w))" + body[end:]


def _separators(conf: dict) -> str:
    """What parts two members of a list in a language's settings: its separators, one alternation
    ("A、B", "A and B", "A, B")."""
    return "|".join(f"(?:{conf[k]})" for k in ("separator", "weak_separator", "serial_separator") if conf.get(k))


def subject_guard(conf: dict, lang: str) -> re.Pattern | None:
    """Where a subject cannot start (a language's ``subject_not_after``: fixed-width pieces of regular
    expression; ``{E}`` inside a character class stands for every entity's placeholder): right after one
    of them, or in a list that one of them opens ("只能与甲骨文、CoreWeave和Nebius竞争": the three are
    what someone competes with, not rivals of each other). Matched at the end of the text before the
    subject."""
    words = conf.get("subject_not_after")
    if words is None:
        return None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise RuleError(f"settings.{lang}.subject_not_after: expected a list of words")
    for w in words:
        try:
            re.compile(f"(?<!{w.replace('{E}', ANY)})")
        except re.error as err:
            raise RuleError(f"settings.{lang}.subject_not_after: bad entry {w!r} ({err})") from err
    seps = _separators(conf)
    member = f"[{ANY}](?:{seps})" if seps else f"[{ANY}]"
    alts = "|".join(f"(?:{w.replace('{E}', ANY)})" for w in words)
    return re.compile(f"(?:{alts})(?:{member})*$", re.IGNORECASE if lang == "en" else 0)


def compile_rule(rule: dict, settings: dict) -> CompiledRule:
    lang = rule["lang"]
    conf = settings[lang]
    sep = conf["separator"]
    serial = conf.get("serial_separator")
    weak = conf.get("weak_separator")
    src = expand(rule["pattern"], word_lists(settings, lang), rule.get("id", "?"))
    slots: list[str] = []
    flags = re.IGNORECASE if lang == "en" else 0

    def uncased(cls: str) -> str:
        """A class of placeholders and punctuation, which have no case: in a case-insensitive rule
        it is compiled without IGNORECASE (the same characters; compiling it with IGNORECASE looks
        up the case of every one of thousands of placeholder characters)."""
        return f"(?-i:{cls})" if flags & re.IGNORECASE else cls

    def slot(m: re.Match) -> str:
        name, types, single = m.group(1), m.group(2), m.group(3)
        cls = uncased(_type_class(types.split("|")) if types else f"[{ANY}]")
        if name == "E":
            return cls
        slots.append(name)
        if single:
            return f"(?P<{name}>{cls})"
        if serial and weak:  # "A, B, and C", "A, B and C", "A and B": a list ends with a conjunction
            # ("On Nvidia, Amazon built …" is no list; "A, and B" is two clauses)
            return (f"(?P<{name}>{cls}(?:(?:(?:{weak}|{sep}){cls})*{sep}{cls}"
                    f"|(?:(?:{weak}|{sep}){cls})+{serial}{cls})?)")
        if serial:  # "A, B, and C": the serial separator only after two members ("A, and B" is two clauses)
            return f"(?P<{name}>{cls}(?:(?:{sep}{cls})+(?:{serial}{cls})?)?)"
        if weak:  # "A,B 和 C": a weak separator only in a list that a strong one ends ("A,B 也…" is two clauses)
            return f"(?P<{name}>{cls}(?:(?:(?:{weak}|{sep}){cls})*{sep}{cls})?)"
        return f"(?P<{name}>{cls}(?:{sep}{cls})*)"

    # a sentence start reads past a speaker label ("Priya Raman: ...")
    label = f"(?:{uncased(_type_class(['Person']))}\\s*:\\s*)?"
    src = re.sub(r"^\^|(?<=\(\?:)\^(?=\|)", lambda m: "^" + label, src)
    body = re.sub(r"\{([A-Z]\d?)(?::([A-Za-z|]+))?(!)?\}", slot, src)
    people_companies = _type_class(["Person", "Company"])[1:-1]
    body = body.replace("…*", uncased(f"[^{people_companies}。!?;\\n]") + f"{{0,{conf['wide_gap']}}}?")
    body = body.replace("…+", uncased(f"[^{ANY}。!?;\\n]") + f"{{0,{conf['wide_gap']}}}?")
    breaks = re.escape(conf.get("gap_breaks", ""))  # more characters a short gap never crosses (a dash)
    body = body.replace("…", uncased(f"[^{ANY}。!?;,\\n{breaks}]") + f"{{0,{conf['gap']}}}?")
    if conf.get("whole_word_trigger"):
        body = _whole_word_trigger(body)
    trig = re.search(r"\(\?P<T>((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)", src)
    if conf.get("object_not_before_trigger") and trig and re.search(r"\{O[^}]*\}$", rule["pattern"]) \
            and not re.search(r"[{}…]", trig.group(1)):
        # a list that ends the pattern stops before a name its own trigger word follows: in "英伟达收购了
        # Groq、Meta收购了Manus" Meta opens a clause of its own
        body += uncased(f"(?!{trig.group(1)})")
    try:
        literals = body_literals = _checked_literals(body, flags)
        trigger = trig.group(1) if trig else None
        also = None  # the other set every match needs: of the trigger, or of the whole pattern
        if trigger is not None:
            trigger_literals = _checked_literals(trigger, flags)
            literals = best_literals(body_literals, trigger_literals)
            also = trigger_literals if literals is body_literals else body_literals
            if also == literals:
                also = None
    except re.error as err:
        raise RuleError(f"relation rule {rule['id']}: bad pattern ({err})") from err
    speaker_object = rule.get("object") == "speaker"
    document_object = rule.get("object") == "document"
    round_object = rule.get("object") == "round"
    if rule.get("object") not in (None, "speaker", "document", "round"):
        raise RuleError(f"relation rule {rule['id']}: object must be speaker, document or round, not {rule['object']!r}")
    tie = rule.get("tie", "strong")
    if tie not in TIES:
        raise RuleError(f"relation rule {rule['id']}: tie must be one of {', '.join(TIES)}, not {tie!r}")
    if "S" not in slots or ("O" not in slots and not rule.get("pairwise") and not speaker_object
                            and not document_object and not round_object):
        raise RuleError(f"relation rule {rule['id']}: needs {{S}} and {{O}} slots "
                        "(or pairwise with {S}, or object: speaker / document / round)")
    if (speaker_object or document_object or round_object) and "O" in slots:
        raise RuleError(f"relation rule {rule['id']}: object: {rule['object']} takes no {{O}} slot")
    return CompiledRule(
        id=rule["id"],
        lang=lang,
        relation=rule["relation"],
        source=body,
        flags=flags,
        slots=slots,
        confidence=float(rule.get("confidence", 0.7)),
        pairwise=bool(rule.get("pairwise", False)),
        indexed=rule.get("pairing") == "indexed",
        by_sector=rule.get("direction") == "sector",
        presupposed=bool(rule.get("presupposed", False)),
        trigger=trigger,
        literals=literals,
        also_literals=also,
        needs=_NEEDS.get((body, flags), ()),
        speaker_object=speaker_object,
        document_object=document_object,
        round_object=round_object,
        tie=tie,
        product=rule.get("product") == "developer",
        maker_check=bool(rule.get("maker_check", False)),
        opens_with_subject=rule["pattern"].startswith("{S"),
        names_only=rule.get("anaphora") is False,
        pronoun_subject=rule.get("subject") == "pronoun",
        list_rest=rule.get("list") == "rest",
    )


@Language.factory(
    "kg_relations",
    default_config={"rules": {}, "signatures": {}, "sectors": {}, "maker_prefixes": {}, "product_makers": {},
                    "min_confidence": 0.5},
)
def make_relations(nlp: Language, name: str, rules: dict, signatures: dict, sectors: dict, maker_prefixes: dict,
                   product_makers: dict, min_confidence: float):
    return RelationExtractor(rules, signatures, min_confidence, sectors, maker_prefixes, product_makers)


def make_ref(id_: str, label_: str, start_char: int, end_char: int, anaphor: bool = False,
             via: str = "anaphora") -> Ref:
    """``Ref(...)`` made without the frozen dataclass's ``__init__`` (a field at a time through
    ``object.__setattr__``): the same object, equal, hashed and pickled alike, made three times faster
    (the relation stages make one per mention of a text)."""
    ref = object.__new__(Ref)
    object.__setattr__(ref, "__dict__", {"id_": id_, "label_": label_, "start_char": start_char,
                                         "end_char": end_char, "anaphor": anaphor, "via": via})
    return ref


def _refs(doc: Doc) -> list[Ref]:
    """Mentions and resolved pronouns of ``doc``, in text order."""
    refs = [make_ref(e.id_, e.label_, e.start_char, e.end_char) for e in doc_mentions(doc)]
    if Doc.has_extension("kg_anaphora") and doc._.kg_anaphora:
        refs += [make_ref(i, t, a, b, True) for a, b, i, t in doc._.kg_anaphora]
        refs.sort(key=lambda r: r.start_char)
    return refs


class RelationExtractor(DiskData):
    """Writes ``doc._.kg_relations``: a list of ``RelationMatch``."""

    def __init__(self, rules: dict, signatures: dict, min_confidence: float = 0.5, sectors: dict | None = None,
                 maker_prefixes: dict | None = None, product_makers: dict | None = None,
                 employers: dict | None = None):
        self.settings = rules.get("settings", {})
        self.rules = [compile_rule(r, self.settings) for r in rules.get("rules", [])]
        for pos, rule in enumerate(self.rules):
            rule.pos = pos
        self.by_lang = {lang: [r for r in self.rules if r.lang == lang] for lang in self.settings}
        self.general = {lang: [r for r in rules_ if not r.implicit_object] for lang, rules_ in self.by_lang.items()}
        self.general_pos = {lang: frozenset(r.pos for r in rules_) for lang, rules_ in self.general.items()}
        self.speaker_rules = [r for r in self.rules if r.speaker_object]
        self.speaker_by_lang = {lang: (rules_, frozenset(r.pos for r in rules_)) for lang, rules_ in
                                ((lang, [r for r in self.speaker_rules if r.lang == lang]) for lang in self.settings)}
        self.document_rules = [r for r in self.rules if r.document_object]
        main = rules.get("document_object") or {}
        self.main_min = int(main.get("min_mentions", 3))
        self.main_margin = float(main.get("margin", 2.0))
        # rules with `object: round`, and how a text tells a company's round (round_object: raise)
        self.round_rules = [r for r in self.rules if r.round_object]
        self.subject_guard = {lang: g for lang, conf in self.settings.items()
                              if (g := subject_guard(conf, lang)) is not None}
        self.list_stop = {lang: re.compile(conf["list_stop"], re.IGNORECASE)
                          for lang, conf in self.settings.items() if conf.get("list_stop")}
        # what parts two members of a list: the settings' separators ("A、B", "A and B", "A, B")
        self.list_break = {lang: re.compile(_separators(conf), re.IGNORECASE)
                           for lang, conf in self.settings.items() if conf.get("separator")}
        # two names joined as one list by the settings' strong separator ("台积电和中芯国际")
        self.list_join = {lang: re.compile(f"\\s*(?:{conf['separator']})\\s*", re.IGNORECASE)
                          for lang, conf in self.settings.items() if conf.get("separator")}
        told = rules.get("round_object") or {}
        self.round_reach = int(told.get("reach", 6))
        # a sentence that speaks of the round (its word, `round_object: mention`) keeps it in mind
        self.round_mention = {lang: re.compile(p, re.IGNORECASE) for lang, p in (told.get("mention") or {}).items()}
        self.round_raise: dict[str, list[CompiledRule]] = {}
        for i, r in enumerate(told.get("raise") or []):
            if not isinstance(r, dict) or r.get("lang") not in self.settings or not r.get("pattern"):
                raise RuleError(f"round_object.raise entry {i + 1}: needs lang ({', '.join(self.settings)}) and pattern")
            try:
                raiser = compile_rule({"id": f"round_object.raise.{i + 1}", "lang": r["lang"], "relation": "investsIn",
                                       "object": "round", "pattern": r["pattern"]}, self.settings)
            except RuleError as err:
                raise RuleError(f"round_object.raise entry {i + 1}: {err}") from err
            if raiser.slots != ["S"]:
                raise RuleError(f"round_object.raise entry {i + 1}: needs exactly one slot, {{S:Company!}}")
            self.round_raise.setdefault(r["lang"], []).append(raiser)
        # each language's rules by their literals: a sentence tries only the rules whose literals
        # it holds (``indexed = False``: every rule on every sentence, for tests that compare the two)
        self.indexed = True
        self.index = {lang: LiteralIndex({r.pos: r.literals for r in rules_},
                                         folded=any(r.flags & re.IGNORECASE for r in rules_),
                                         also={r.pos: r.also_literals for r in rules_})
                      for lang, rules_ in self.by_lang.items()}
        self._fit_memo: dict[tuple, frozenset] = {}
        cues = rules.get("cues", {})
        self.cues = {
            lang: {kind: re.compile(pat, re.IGNORECASE) for kind, pat in kinds.items() if pat}
            for lang, kinds in cues.items()
        }
        self.false_friends = {
            rel: [f.lower() for f in words] for rel, words in rules.get("false_friends", {}).items()
        }
        self.hedge_factor = float(rules.get("hedge_factor", 0.75))
        self.anaphora_factor = float(rules.get("anaphora", {}).get("factor", 0.8))
        self.signatures = signatures
        self.min_confidence = min_confidence
        self.sectors = sectors or {}  # entity id -> sector (lexicon kg:sector)
        asides = rules.get("asides", {})  # non-restrictive clauses a rule may read past
        self.aside_langs = set(asides)
        self.aside = re.compile("|".join(f"(?:{p})" for p in asides.values()) or "(?!)", re.IGNORECASE)
        self.doc_index = self._doc_index(asides)

        # the rules of the two indexed passes: of every language, and of the one language a sentence
        # without CJK characters can have (its abstract sentence has none either)
        def sets(rules_: list) -> tuple[frozenset, frozenset]:
            return frozenset(r.pos for r in rules_), frozenset(r.pos for r in rules_ if r.lang == "en")

        self._pass_sets = {"speaker": sets(self.speaker_rules), "document": sets(self.document_rules),
                           "round": sets(self.round_rules)}
        self._needs_cap = max((count for r in self.rules for _, count in r.needs), default=0)
        self.maker_prefixes = maker_prefixes or {}  # "谷歌TPU" -> google (lexicon: names led by a maker's name)
        self.maker_confidence = float(rules.get("maker_name_confidence", 0.8))
        self.product_makers = product_makers or {}  # model/chip id -> its makers, as the lexicon's names tell
        self.product_factor = float((rules.get("products") or {}).get("factor", 0.85))
        topic = rules.get("topic") or {}
        self.topic_factor = float(topic.get("factor", 0.8))
        self.topic_reach = int(topic.get("reach", 12))
        self.topic_langs = set(topic.get("clause_start") or {}) & set(topic.get("clause") or {})
        self.topic_start = {lang: re.compile(p) for lang, p in (topic.get("clause_start") or {}).items()}
        self.topic_clause = {lang: re.compile(p) for lang, p in (topic.get("clause") or {}).items()}
        self.topic_not_before = {lang: re.compile(p, re.IGNORECASE)
                                 for lang, p in (topic.get("not_before") or {}).items()}
        turn = (rules.get("anaphora") or {}).get("turn")
        self.turn_label = re.compile(turn) if turn else None
        # an addressee's "you" that may stand for their company too ("You compete with Microsoft")
        you = (rules.get("anaphora") or {}).get("addressee_company")
        self.addressee_company = re.compile(you) if you else None
        # person id -> the companies general knowledge says they work for (ontology/affiliations.yaml): whom a
        # speaker's "we" stands for when the interview itself ties them to none
        self.employers = {k: list(v) for k, v in (employers or {}).items()}
        self.ties = {r.id: r.tie for r in self.rules}
        self.speaker_object_exclude = set((rules.get("speaker_object") or {}).get("exclude_sectors", []))
        self.precedence = {rel: {sec: i for i, sec in enumerate(order)}
                           for rel, order in rules.get("sector_precedence", {}).items()}
        # the sectors whose companies are never a relation's subject (a foundry develops no chip of its own)
        self.sector_bans = SectorBans(rules, self.sectors)

    def _doc_index(self, asides: dict) -> DocRuleIndex:
        """The document-wide index of the rules each sentence may match (``kg.nlp.ruleindex``): a
        rule's longest literal words where an aside may be cut out of its sentences (safe when every
        aside ends before whitespace; else the rule is tried wherever its needs fit), its whole
        literals elsewhere. A literal holding a placeholder character cannot be looked for in the
        text: such a rule is marked everywhere."""
        aside_safe = all(cut_before_space(p, re.IGNORECASE) for p in asides.values())
        literals = {}
        for r in self.document_rules + self.speaker_rules + self.round_rules:
            lits = r.literals
            if lits and any(re.search(f"[{ANY}]", lit) for lit in lits):
                lits = None
            if r.lang in self.aside_langs and not aside_safe:
                lits = None
            literals[r.pos] = lits
        return DocRuleIndex(literals, folded={r.pos for r in self.rules if r.flags & re.IGNORECASE and r.pos in literals},
                            keep_whole={r.pos for r in self.rules if r.lang not in self.aside_langs and r.pos in literals})

    def _fit(self, counts: tuple) -> frozenset:
        """The positions of the rules whose needs (placeholders by type) a sentence holding
        ``counts`` placeholders of each type (in ``TYPE_BASE`` order) meets; kept per ``counts``,
        each capped at the largest count a rule needs."""
        fit = self._fit_memo.get(counts)
        if fit is None:
            cap = self._needs_cap
            capped = tuple(min(n, cap) for n in counts)
            fit = self._fit_memo.get(capped)
            if fit is None:
                have = {1 << i: n for i, n in enumerate(capped) if n}
                fit = frozenset(r.pos for r in self.rules if not r.needs or _fits_needs(r.needs, have))
                self._fit_memo[capped] = fit
            if len(self._fit_memo) < 4096:
                self._fit_memo[counts] = fit
        return fit

    def _may_match(self, doc_text: str, sent: tuple[int, int], mentions: list[Ref], cands: frozenset,
                   rules: list | None) -> bool:
        """Can a rule of the pass (``rules`` as ``_sentence`` takes them) match the sentence, whose
        text may hold the literals of the rules in ``cands`` (``DocRuleIndex``)? False only when
        none can: the literals are not there, or the mentions are too few."""
        if rules is self.speaker_rules:
            every, english = self._pass_sets["speaker"]
        elif rules is self.document_rules:
            every, english = self._pass_sets["document"]
        elif rules is self.round_rules:
            every, english = self._pass_sets["round"]
        else:  # the index holds the rules of these two passes only
            return True
        possible = cands & (every if _CJK.search(doc_text, sent[0], sent[1]) else english)
        if not possible:
            return False
        counts = [0, 0, 0, 0]
        for m in mentions:
            counts[_TYPE_ORDER[m.label_]] += 1
        return not possible.isdisjoint(self._fit(tuple(counts)))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[tuple, RelationMatch] = {}
        text = _doc_text(doc)  # doc.text is built on every access
        ents = _refs(doc)
        k = 0
        topic: Ref | None = None  # the company the previous sentence of the turn was about
        turns = {s0 for s0, _, _ in (doc._.kg_speakers or [])} if Doc.has_extension("kg_speakers") else set()
        makers = _company_names(text, ents)
        bounds = sentence_bounds(doc)
        memo: list = []

        def sentence_rules() -> list | None:
            """The rules of the document's and the speakers' passes each sentence may match (None:
            unindexed), worked out when a pass first needs them."""
            if not self.indexed:
                return None
            if not memo:
                memo.append(self.doc_index.sentences(text, bounds))
            return memo[0]

        for i, sent in enumerate(bounds):
            while k < len(ents) and ents[k].start_char < sent[0]:
                k += 1
            mentions = []
            j = k
            while j < len(ents) and ents[j].end_char <= sent[1]:
                mentions.append(ents[j])
                j += 1
            if mentions:
                for rel in self._maker_names(text, sent, mentions, makers):
                    found.setdefault((rel.subject, rel.predicate, rel.object, rel.sent_start), rel)
            if len(mentions) >= 2:
                for rel in self._sentence(text, sent, mentions):
                    _keep(found, rel)
            if self.topic_langs:
                topic = self._topic_pass(text, sent, mentions, topic, found)
        self._first_person_pass(doc, text, ents, found, sentence_rules)
        self._document_object_pass(doc, text, ents, found, sentence_rules)
        self._round_object_pass(doc, text, ents, found, sentence_rules)
        if self.sector_bans:
            for key in [k for k, rel in found.items() if self.sector_bans.bans(rel.predicate, rel.subject)]:
                del found[key]
        self._resolve_products(doc, found)
        doc._.kg_relations = sorted(found.values(), key=lambda r: (r.sent_start, r.predicate, r.subject, r.object))
        return doc

    # ------------------------------------------------------------ unsaid subjects

    def _topic_pass(self, text: str, sent: tuple[int, int], mentions: list[Ref], carried: Ref | None,
                    found: dict[tuple, RelationMatch]) -> Ref | None:
        """Unsaid subjects. Chinese drops a subject that the sentence (or the one before) already set
        up: "甲骨文向英伟达采购了大量 GB200，主要是拿去给 OpenAI 提供算力"; English coordinates a second
        verb: "OpenAI runs on Microsoft's cloud, and increasingly buys capacity from Oracle". The *topic*
        is the company that opens a sentence (before anything else is named, or as "<person>'s
        company"); each later clause (``topic.clause``) that opens with no name and with one of
        ``topic.clause_start`` (an adverb, a conjunction, a verb: no new subject of its own) is read
        again with the topic as an unsaid subject in front of it. A later clause that opens with a company
        of its own makes that company the topic of the clauses after it ("自几年前收购赛灵思后，AMD 进一步布局
        AI 软件，去年收购了 Mipsology": AMD). In Chinese, a sentence that itself opens so continues the previous
        sentence's topic. Returns this sentence's topic."""
        if carried is None and (not mentions or not any(m.label_ == "Company" for m in mentions)):
            return None  # no company may open the sentence, and none is carried over: no topic
        s0, s1 = sent
        lang = "zh" if _CJK.search(text, s0, s1) else "en"
        if lang not in self.topic_langs:
            return None
        label = self.turn_label.match(text, s0, s1) if self.turn_label is not None else None
        body = label.end() if label else s0
        if label:
            carried = None
        named = [m for m in mentions if m.start_char >= body]
        first = named[0] if named else None
        if first is not None and first.label_ == "Person" and len(named) > 1 and named[1].label_ == "Company" \
                and _POSSESSIVE.fullmatch(text[first.end_char:named[1].start_char]):
            first = named[1]  # "Sam Altman 的 OpenAI"
            lead = text[body:named[0].start_char]
        else:
            lead = text[body:first.start_char] if first is not None else text[body:s1]
        own = first if (first is not None and first.label_ == "Company" and not first.anaphor
                        and len(lead.strip()) <= self.topic_reach and not _CLAUSE_MARK.search(lead)
                        and not (lang in self.topic_not_before and self.topic_not_before[lang].search(lead))) else None
        start = self.topic_start[lang]
        topic = own
        clauses: list[tuple[int, Ref]] = []  # where an unsaid subject stands, and whose
        if own is None and carried is not None and lang == "zh" and start.match(text, body) \
                and not (named and named[0].start_char - body <= 1):
            topic = carried
            clauses.append((body, carried))
        for m in self.topic_clause[lang].finditer(text, body, s1):
            at = m.end()
            opening = next((r for r in mentions if at <= r.start_char <= at + 1), None)
            if opening is not None:
                # the clause opens with a name or a pronoun: its own subject; in Chinese a company's name there is
                # the topic of the clauses after it ("……后，AMD 进一步布局 AI 软件，去年收购了 Mipsology")
                if lang == "zh" and opening.label_ == "Company" and not opening.anaphor:
                    after = next((r for r in mentions if r.start_char >= opening.end_char), None)
                    # two companies opening it together ("台积电和中芯国际从 2003 年打到 2009 年"): no one topic
                    join = self.list_join.get(lang)
                    listed = after is not None and after.label_ == "Company" and join is not None \
                        and join.fullmatch(text[opening.end_char:after.start_char])
                    topic = None if listed else opening
                continue
            if topic is not None and start.match(text, at, s1):
                clauses.append((at, topic))
        clauses = [(c, t) for c, t in clauses if any(r.start_char > c and r.id_ != t.id_ for r in mentions)]
        if clauses:
            extra = [Ref(t.id_, t.label_, c, c, True, "topic") for c, t in clauses]
            merged = sorted(mentions + extra, key=lambda r: (r.start_char, r.end_char))
            for rel in self._sentence(text, sent, merged):
                if "+topic" in rel.rule:
                    _keep(found, rel)
        return own or (carried if clauses and clauses[0][0] == body else None)

    def _resolve_products(self, doc: Doc, found: dict[tuple, RelationMatch]) -> None:
        """Matches of ``product: developer`` rules hold a model or chip where a company is due
        ("910C 的晶圆由中芯国际代工", "Anthropic trains on Trainium"): it stands for its developer, which
        this document's develops relations (or else the lexicon's maker-led names) must name alone; of two or more
        (a lab and its parent: AWS and Annapurna Labs for Trainium), the one the interview names more than any
        other, as the relation model reads a product's stand-in."""
        pending = [k for k in found if k[0] == "product"]
        if not pending:
            return
        developers = developers_read(found.values())
        named: dict[str, int] | None = None
        for key in pending:
            rel = found.pop(key)
            ends = []
            for side in (rel.subject, rel.object):
                if side.startswith("product:"):
                    pid = side[len("product:"):]
                    makers = developers.get(pid) or set(self.product_makers.get(pid, ())) \
                        or extended_makers(doc, pid, self.product_makers)
                    if len(makers) > 1:
                        if named is None:
                            named = company_counts(doc)
                        makers = most_named(makers, named)
                    if len(makers) != 1:
                        break
                    ends.append(next(iter(makers)))
                else:
                    ends.append(side)
            else:
                subj, obj = ends
                if subj == obj:
                    continue
                conf = round(rel.confidence * self.product_factor, 3)
                if conf < self.min_confidence:
                    continue
                _keep(found, RelationMatch(subj, rel.predicate, obj, rel.sent_start, rel.sent_end, rel.rule,
                                           rel.trigger, conf))

    def _first_person_pass(self, doc: Doc, text: str, ents: list[Ref], found: dict[tuple, RelationMatch],
                           sentence_rules: Callable[[], list | None] = lambda: None) -> None:
        """A speaker's "I" (``doc._.kg_first_person``) is the speaker, "你" / "you" the addressee; a
        guest's "we" stands for the guest's company when this interview affiliates the guest with
        exactly one company (or one by a strong tie), or, when it affiliates them with none, when general
        knowledge (``employers``) names one company of theirs that the interview names; an English "you"
        (``addressee_company``) stands for the addressee and for their company alike. The sentences that
        say so are read again with them filled in; the person pronouns first, as they may tell the
        affiliation "we" needs."""
        first = doc._.kg_first_person if Doc.has_extension("kg_first_person") else None
        speakers = doc._.kg_speakers if Doc.has_extension("kg_speakers") else None
        if not first and not speakers:
            return
        self._read_again(doc, text, ents, found,
                         [Ref(who, "Person", a, b, True) for a, b, who, number in first or [] if number == "singular"])
        ties: dict[str, dict[str, set[str]]] = {"strong": {}, "weak": {}, "former": {}}
        for rel in found.values():
            if rel.predicate == "affiliatedWith":
                ties[self.ties.get(rel.rule.split("+")[0], "strong")].setdefault(rel.subject, set()).add(rel.object)
        strong, weak = ties["strong"], ties["weak"]  # a former employer is not "we"
        companies = {who: strong.get(who) or weak[who] for who in set(strong) | set(weak)}
        if self.employers:  # tied to no company here: the one employer of general knowledge this interview names
            named = {e.id_ for e in ents if e.label_ == "Company" and not e.anaphor}
            for who in {who for _, _, who, _ in first or []} - set(companies):
                employer = [c for c in self.employers.get(who, ()) if c in named]
                if len(employer) == 1:
                    companies[who] = set(employer)
        self._speaker_object_pass(doc, text, ents, found, speakers or [], companies, sentence_rules)
        you = self.addressee_company
        plural = [Ref(next(iter(companies[who])), "Company", a, b, True, "speaker")
                  for a, b, who, number in first or []
                  if len(companies.get(who, ())) == 1 and (
                      number == "plural" or (you is not None and you.fullmatch(text, a, b) is not None))]
        self._read_again(doc, text, ents, found, plural)
        doc._.kg_speaker_refs = plural  # the relation model pairs them too

    def _read_again(self, doc: Doc, text: str, ents: list[Ref], found: dict[tuple, RelationMatch],
                    refs: list[Ref]) -> None:
        """Read the sentences of ``refs`` again with them among the mentions."""
        if not refs:
            return
        bounds = sentence_bounds(doc)
        starts = [b[0] for b in bounds]
        by_sentence: dict[int, list[Ref]] = {}
        for ref in refs:
            by_sentence.setdefault(bisect_right(starts, ref.start_char) - 1, []).append(ref)
        ent_starts = [e.start_char for e in ents]  # ents are in text order
        for i, extra in sorted(by_sentence.items()):
            sent = bounds[i]
            mentions = sorted(_within(ents, ent_starts, *sent) + extra, key=lambda r: r.start_char)
            if len(mentions) >= 2:
                for rel in self._sentence(text, sent, mentions):
                    _keep(found, rel)

    def _main_company(self, ents: list[Ref]) -> str | None:
        """The company the interview is about: named at least ``main_min`` times and ``main_margin``
        times as often as any other company (pronouns not counted); None when no company stands out."""
        counts: dict[str, int] = {}
        for e in ents:
            if e.label_ == "Company" and not e.anaphor:
                counts[e.id_] = counts.get(e.id_, 0) + 1
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        best, n = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0
        return best if n >= self.main_min and n >= self.main_margin * runner else None

    def _document_object_pass(self, doc: Doc, text: str, ents: list[Ref], found: dict[tuple, RelationMatch],
                              sentence_rules: Callable[[], list | None] = lambda: None) -> None:
        """Rules with ``object: document`` name no company: a bare title before a person ("CFO Vaibhav
        Taneja noted", "正如创始人梁文锋所说") is a title at the company the interview is about, when one
        company stands out (``_main_company``) and the sentence names no other company. Read as a pronoun's reading: its confidence is discounted."""
        if not self.document_rules:
            return
        main = self._main_company(ents)
        if main is None:
            return
        company = Ref(main, "Company", 0, 0, True, "document")
        ent_starts = [e.start_char for e in ents]  # ents are in text order
        rules = self._pass_sets["document"][0]
        cands = sentence_rules()
        for i, sent in enumerate(sentence_bounds(doc)):
            if cands and cands[i].isdisjoint(rules):
                continue  # no title here (``DocRuleIndex``)
            mentions = _within(ents, ent_starts, *sent)
            if any(m.label_ == "Person" and not m.anaphor for m in mentions) and \
                    not any(m.label_ == "Company" and m.id_ != main for m in mentions):  # another company's title?
                for rel in self._sentence(text, sent, mentions, rules=self.document_rules, speaker=company,
                                          cands=cands[i] if cands else None):
                    _keep(found, rel)

    def _round_object_pass(self, doc: Doc, text: str, ents: list[Ref], found: dict[tuple, RelationMatch],
                           sentence_rules: Callable[[], list | None] = lambda: None) -> None:
        """Rules with ``object: round`` name no company: "others in the round include A, B and C",
        "参与本轮融资的还有 A、B" tell investors of the round the text told last ("EnCharge AI has
        raised $100 million in a Series B round", "月之暗面完成 10 亿美元融资": ``round_object: raise``,
        the one company before the raise), within ``round_object: reach`` sentences of it or of a
        sentence that speaks of the round again (``round_object: mention``). In a later sentence the
        company is read as a pronoun's reading (its confidence discounted); the raise's own sentence names it
        ("Wayve raised $1.3 billion …, backed by SoftBank"). Each sentence that speaks of the round (a word
        of ``round_object: mention``) without being the one that tells it, with the company whose round it
        is, goes to ``doc._.kg_rounds`` (the relation model pairs that company with the sentence's names)."""
        rounds: list[tuple[int, int, str]] = []
        doc._.kg_rounds = rounds
        if not self.round_rules or not self.round_raise:
            return
        if self.round_mention and not any(rx.search(text) for rx in self.round_mention.values()):
            return  # no word of a round anywhere (round_object: mention holds the raise patterns' words)
        ent_starts = [e.start_char for e in ents]  # ents are in text order
        rules = self._pass_sets["round"][0]
        cands = None  # the doc index, worked out when a round is first told
        current: str | None = None
        raisers: set[str] = set()  # the companies whose raise the text has told so far
        since = 0
        for i, sent in enumerate(sentence_bounds(doc)):
            mentions = _within(ents, ent_starts, *sent)
            told = self.round_mention.get("zh" if _CJK.search(text, sent[0], sent[1]) else "en")
            spoken = told is None or told.search(text, sent[0], sent[1]) is not None
            raiser = self._raiser(text, sent, mentions) if mentions and spoken else None
            if raiser is not None:
                current, since = raiser.id_, 0
                raisers.add(current)
            elif spoken and told is not None and (again := next(
                    (m.id_ for m in mentions if m.id_ in raisers and m.id_ != current and m.label_ == "Company"), None)):
                # the round talk turns back to a company whose own raise the text told before ("Now, AMI Labs
                # joins the club with more funding" after another start-up's seed round): its round again
                current, since = again, 0
            elif current is not None:
                since = 0 if spoken and told is not None else since + 1
                if since > self.round_reach:
                    current = None
            if current is None or not mentions:
                continue
            if raiser is None and spoken and told is not None:
                rounds.append((sent[0], sent[1], current))
            if cands is None:
                cands = sentence_rules() or []
            if cands and cands[i].isdisjoint(rules):
                continue
            # the raise's own sentence names the company; a later one implies it (read as a pronoun)
            company = raiser if raiser is not None else Ref(current, "Company", sent[0], sent[0], True, "round")
            for rel in self._sentence(text, sent, mentions, rules=self.round_rules, speaker=company,
                                      cands=cands[i] if cands else None):
                _keep(found, rel)

    def _raiser(self, text: str, sent: tuple[int, int], mentions: list[Ref]) -> Ref | None:
        """The mention of the company the sentence says raised a round (``round_object: raise``), if one does."""
        seg = text[sent[0]:sent[1]]
        low = seg.lower()
        if not any(r.literals is None or any(lit in (low if r.flags & re.IGNORECASE else seg) for lit in r.literals)
                   for rules in self.round_raise.values() for r in rules):
            return None  # none of the raise patterns' words here
        abstract, by_char, lang = self.abstract(text, sent, mentions)
        raise_rules = self.round_raise.get(lang)
        if not raise_rules:
            return None
        # the sentence without its asides first: a company named inside one ("AMI Labs, the venture a former
        # Meta scientist founded, has raised …") is never the subject of the main clause's raise
        variants = dict.fromkeys([self.aside.sub("", abstract), abstract] if lang in self.aside_langs else [abstract])
        for rule in raise_rules:
            for t in variants:
                for m in rule.regex.finditer(t):
                    ref = by_char.get(m.group("S")[:1])
                    if ref is not None and ref.label_ == "Company":
                        return ref
        return None

    def _speaker_object_pass(self, doc: Doc, text: str, ents: list[Ref], found: dict[tuple, RelationMatch],
                             speakers: list[tuple[int, int, str]], companies: dict[str, set[str]],
                             sentence_rules: Callable[[], list | None] = lambda: None) -> None:
        """Rules with ``object: speaker`` ("A 轮由红杉领投", "the seed was led by a16z") name no company:
        the round is the speaker's own company's, when the interview affiliates the speaker with one."""
        rules = self.speaker_rules
        if not rules or not speakers or not companies:
            return
        ent_starts = [e.start_char for e in ents]  # ents are in text order
        # a speaker's span is a sentence's (``kg_anaphora``): the rules that sentence may match
        cands = sentence_rules()
        at = {b: i for i, b in enumerate(sentence_bounds(doc))} if cands else {}
        for s0, s1, who in speakers:
            if len(companies.get(who, ())) != 1:
                continue
            company = next(iter(companies[who]))
            if self.sectors.get(company) in self.speaker_object_exclude:
                continue  # an investor's own "round" is someone else's
            i = at.get((s0, s1))
            if i is not None and cands[i].isdisjoint(self._pass_sets["speaker"][0]):
                continue  # none of these rules' words here (``DocRuleIndex``)
            mentions = _within(ents, ent_starts, s0, s1)
            if not mentions:
                continue
            for rel in self._sentence(text, (s0, s1), mentions, rules=rules,
                                      speaker=Ref(company, "Company", s0, s0, True),
                                      cands=cands[i] if i is not None else None):
                _keep(found, rel)

    # ------------------------------------------------------------ one sentence

    def abstract(self, doc_text: str, sent: tuple[int, int], mentions: list[Ref]) -> tuple[str, dict[str, Ref], str]:
        """(abstract sentence, placeholder -> mention, language)."""
        counters = dict.fromkeys(TYPE_BASE, 0)
        pieces: list[str] = []
        by_char: dict[str, Ref] = {}
        pos = sent[0]
        for m in mentions:
            pieces.append(doc_text[pos:m.start_char])
            idx = counters[m.label_]
            if idx < TYPE_SPAN:
                ch = chr(TYPE_BASE[m.label_] + idx)  # placeholder(m.label_, idx)
                counters[m.label_] = idx + 1
                by_char[ch] = m
                if m.end_char == m.start_char:
                    pieces.append(ch + " ")  # an unsaid subject: a word of its own
                elif m.anaphor and doc_text[m.start_char:m.end_char].lower() in _POSSESSIVE_PRONOUNS:
                    pieces.append(ch + "'s")  # "buy our computers" is "buy X's computers", not "buy X"
                else:
                    pieces.append(ch)
            else:
                pieces.append(doc_text[m.start_char:m.end_char])
            pos = m.end_char
            if m.label_ in PRODUCT_TYPES and doc_text[pos:pos + 1] == "s" and pos < sent[1] \
                    and not doc_text[pos + 1:pos + 2].isalnum():
                pos += 1  # a product's plural is the product: "sold many MI455Xs to" reads as "sold many X to"
            spelled = _CONTRACTED.get(doc_text[pos:pos + 3]) if m.anaphor else None
            if spelled and doc_text[m.start_char:m.end_char].lower() in _PLURAL_PRONOUNS:
                pieces.append(spelled)
                pos += 3
        pieces.append(doc_text[pos:sent[1]])
        text = "".join(pieces)
        lang = "zh" if _CJK.search(text) else "en"
        if lang == "zh":
            # spaces only matter between two Latin words
            text = _zh_spaces(text)
        else:
            text = _SPACE_RUNS.sub(" ", text).strip()
        # a decimal point is no sentence's end: "$1.3 billion" reads as "$13 billion", so that a rule's span within
        # the sentence ([^.]…) runs past it ("Wayve raised $1.3 billion in a round backed by …")
        text = _DECIMAL_POINT.sub("", text)
        return _drop_glosses(text, by_char), by_char, lang

    def _sentence(self, doc_text: str, sent: tuple[int, int], mentions: list[Ref], rules: list | None = None,
                  speaker: Ref | None = None, cands: frozenset | None = None):
        """The relations one sentence states (``rules``: the general rules, or those of a pass);
        ``cands``: the rules the sentence's text may match (``DocRuleIndex``), when known."""
        if cands is not None and self.indexed and len(mentions) < TYPE_SPAN \
                and not self._may_match(doc_text, sent, mentions, cands, rules):
            return
        text, by_char, lang = self.abstract(doc_text, sent, mentions)
        if rules is None:
            rules = self.general.get(lang, [])
            allowed = self.general_pos.get(lang, frozenset())
        elif rules is self.speaker_rules:  # worked out once
            rules, allowed = self.speaker_by_lang.get(lang, ((), frozenset()))
        else:
            rules = [r for r in rules if r.lang == lang]
            allowed = frozenset(r.pos for r in rules)
        if not rules:
            return
        # "Lisa Su, who spent years at IBM, now runs AMD": read it also without the aside
        variants = dict.fromkeys([text, self.aside.sub("", text)] if lang in self.aside_langs else [text])
        if not self.indexed:
            tries = [(r, t) for r in rules for t in variants]
        else:
            # the rules each variant may match: those whose literals it holds (``LiteralIndex``) and
            # whose placeholders it has (``_fit``), in rule order
            index = self.index.get(lang)
            may = {}
            for t in variants:
                counts = [0, 0, 0, 0]
                for ch, ref in by_char.items():
                    if ch in t:
                        counts[_TYPE_ORDER[ref.label_]] += 1
                fit = allowed & self._fit(tuple(counts))
                may[t] = fit if index is None or not fit else index.candidates(t) & fit
            if len(variants) == 1:
                tries = [(self.rules[pos], text) for pos in sorted(may[text])]
            else:
                tries = [(self.rules[pos], t) for pos in sorted(frozenset().union(*may.values()))
                         for t in variants if pos in may[t]]
        if not tries:
            return
        cues = self.cues.get(lang, {})
        span = None  # the sentence's trimmed bounds, worked out for its first relation
        asked: dict[str, int | None] = {}  # where each variant's question begins, worked out when first needed
        for rule, text in tries:
            prefilter = rule._prefilter
            if prefilter is None and rule.trigger is not None:
                prefilter = rule.prefilter  # compiled on first use
            if prefilter is not None and not prefilter.search(text):
                continue
            if text in asked:
                question = asked[text]
            else:
                question = asked[text] = asked_from(text, cues)
            if question == 0 and not rule.presupposed:
                continue
            guard = self.subject_guard.get(lang) if rule.opens_with_subject else None
            for m in (rule._regex or rule.regex).finditer(text):
                if question is not None and m.end() > question and not rule.presupposed:
                    continue  # the asked part of the sentence
                if guard is not None and guard.search(text, 0, m.start("S")):
                    continue  # the subject stands where an object or a list's middle does
                conf = self._confidence(rule, text, m, cues)
                if conf is None or conf < self.min_confidence:
                    continue
                trigger = m.group("T") if "T" in rule.regex.groupindex and m.group("T") else ""
                for subj, obj in self._pairs(rule, m, by_char, speaker):
                    if rule.by_sector:
                        subj, obj = self._orient(rule.relation, subj, obj)
                        if subj is None:
                            continue
                    rule_id, pair_conf = rule.id, conf
                    s_id, o_id = subj.id_, obj.id_
                    if rule.product and not self._fits(rule.relation, subj.label_, obj.label_):
                        # a product where a company is due: its developer, resolved at the end of the doc
                        s_type, o_type = subj.label_, obj.label_
                        if s_type in PRODUCT_TYPES:
                            s_id, s_type = "product:" + s_id, "Company"
                        if o_type in PRODUCT_TYPES:
                            o_id, o_type = "product:" + o_id, "Company"
                        if not self._fits(rule.relation, s_type, o_type):
                            continue
                        rule_id += "+product"
                    elif not self._fits(rule.relation, subj.label_, obj.label_):
                        continue
                    if s_id == o_id:
                        continue
                    if rule.maker_check and s_id not in self.product_makers.get(o_id, (s_id,)):
                        continue  # "Meta has H100s": the lexicon says Nvidia makes them
                    if rule.names_only and (subj.anaphor or obj.anaphor):
                        continue
                    if rule.pronoun_subject and not subj.anaphor:
                        continue
                    if subj.anaphor or obj.anaphor:
                        via = "topic" if "topic" in (subj.via if subj.anaphor else "", obj.via if obj.anaphor else "") \
                            else "anaphora"
                        factor = self.topic_factor if via == "topic" else self.anaphora_factor
                        rule_id, pair_conf = rule_id + "+" + via, conf * factor
                        if pair_conf < self.min_confidence:
                            continue
                    if span is None:
                        span = _trim(doc_text, *sent)
                    yield RelationMatch(s_id, rule.relation, o_id, span[0], span[1], rule_id, trigger,
                                        round(pair_conf, 3))

    def _maker_names(self, doc_text: str, sent: tuple[int, int], mentions: list[Ref], makers: dict[str, str]):
        """"谷歌TPU", "Nvidia H100": a model or chip named with its maker's name says who develops it;
        the lexicon's names tell, and so does a company this interview names ("Tallgrass AI" ...
        "Tallgrass-R2", a name the lexicon does not know)."""
        if self.maker_confidence < self.min_confidence:
            return
        for m in mentions:
            if m.anaphor or m.label_ not in PRODUCT_TYPES:
                continue
            name = doc_text[m.start_char:m.end_char]
            maker = self.maker_prefixes.get(name) or self._maker_led(name)
            if maker is None:
                head = _NAME_HEAD.match(name)
                maker = makers.get(head.group(1).casefold()) if head else None
            if maker and maker != m.id_ and self._fits("develops", "Company", m.label_):
                start, end = _trim(doc_text, *sent)
                yield RelationMatch(maker, "develops", m.id_, start, end, "name.maker-prefix", name,
                                    self.maker_confidence)

    def _maker_led(self, name: str) -> str | None:
        """The maker of a name that begins with one of the lexicon's maker-led names, then a word of its own:
        "Google TPU v6", "Amazon Trainium 3" (versions found after "Google TPU", "Amazon Trainium"); the longest
        such beginning counts."""
        for cut in reversed([m.start() for m in _NAME_CUT.finditer(name)]):
            maker = self.maker_prefixes.get(name[:cut])
            if maker:
                return maker
        return None

    def _list_rest(self, rule: CompiledRule, m: re.Match, by_char: dict[str, Ref]) -> list[Ref]:
        """A ``list: rest`` rule's {S} list: "include A, B (from Taiwan), C, a university and D, along returning
        investors E and F": every name from the list's first member to the clause's end (settings: list_stop)."""
        stop, part = self.list_stop.get(rule.lang), self.list_break.get(rule.lang)
        end = stop.search(m.string, m.end("S")) if stop is not None else None
        rest = m.string[m.start("S"):end.start() if end else len(m.string)]
        names = [(i, by_char[c]) for i, c in enumerate(rest) if c in by_char]
        out = []
        for j, (i, ref) in enumerate(names):
            if ref.label_ == "Company" and j + 1 < len(names) and names[j + 1][1].label_ == "Person" \
                    and not (part and part.search(rest, i + 1, names[j + 1][0])):
                continue  # "亚马逊创始人贝索斯", "Amazon founder Jeff Bezos": the person is the member
            if ref.label_ == "Company" and j + 1 < len(names) and names[j + 1][1].label_ == "Company" \
                    and _OWNER_LINK.fullmatch(rest, i + 1, names[j + 1][0]):
                continue  # "沙特阿美旗下的 Aramco Ventures": the fund is the member, not its owner
            out.append(ref)
        return out

    def _pairs(self, rule: CompiledRule, m: re.Match, by_char: dict[str, Ref], speaker: Ref | None = None):
        if rule.implicit_object:
            for name in rule.slots:
                if name.startswith("S") and m.group(name) and not (rule.list_rest and name == "S"):
                    for c in m.group(name):
                        if c in by_char:
                            yield by_char[c], speaker
            if rule.list_rest and m.group("S"):
                for ref in self._list_rest(rule, m, by_char):
                    yield ref, speaker
            return

        def members(prefix: str) -> list[Ref]:
            out = []
            for name in rule.slots:
                if name.startswith(prefix) and m.group(name):
                    out.extend(by_char[c] for c in m.group(name) if c in by_char)
            return out

        subjects = members("S")
        if rule.pairwise and rule.list_rest and subjects:
            # "dominated by SK Hynix and Samsung of South Korea and Micron of the United States": the list runs on
            # past words that are no names, its members of the kind the slot took
            kinds = {ref.label_ for ref in subjects}
            subjects = list(dict.fromkeys(ref for ref in self._list_rest(rule, m, by_char) if ref.label_ in kinds))
        if rule.pairwise:
            for i, a in enumerate(subjects):
                for b in subjects[i + 1:]:
                    yield a, b
            return
        if rule.indexed:
            for name in rule.slots:
                if name.startswith("S") and m.group(name):
                    other = "O" + name[1:]
                    subs = [by_char[c] for c in m.group(name) if c in by_char]
                    objs = [by_char[c] for c in (m.group(other) or "") if c in by_char] if other in rule.slots else []
                    for s in subs:
                        for o in objs:
                            yield s, o
            return
        for s in subjects:
            for o in members("O"):
                yield s, o

    def _orient(self, relation: str, a: Ref, b: Ref):
        """Order an unordered pair by sector precedence; (None, None) when it cannot be told."""
        order = self.precedence.get(relation, {})
        ra, rb = order.get(self.sectors.get(a.id_)), order.get(self.sectors.get(b.id_))
        if ra is None or rb is None or ra == rb:
            return None, None
        return (a, b) if ra < rb else (b, a)

    def _confidence(self, rule: CompiledRule, text: str, m: re.Match, cues: dict) -> float | None:
        clause_start = max(text.rfind(c, 0, m.start()) for c in ",;:。") + 1
        lo = max(0, m.start() - 3)
        region = text[lo:m.end()]
        if "T" in rule.regex.groupindex and m.group("T"):  # a negation the trigger spells out is its own
            t0, t1 = m.span("T")
            region = text[lo:t0] + " " * (t1 - t0) + text[t1:m.end()]
        if not rule.presupposed and "negation" in cues and cues["negation"].search(region):
            return None
        if not rule.presupposed and "hypothetical" in cues and cues["hypothetical"].search(text[clause_start:m.end()]):
            return None
        if not rule.presupposed and "alternative" in cues:
            # "是 A 还是 B" in the match's clause: an alternative, asked or left open, not asserted
            ends = [i for i in (text.find(c, m.end()) for c in ",;:。!?") if i >= 0]
            if cues["alternative"].search(text[clause_start:min(ends) if ends else len(text)]):
                return None
        if not rule.presupposed and "hypothetical_opening" in cues and cues["hypothetical_opening"].match(text):
            return None  # the sentence opens with a condition ("If this plan comes true, it will challenge A")
        if "deal_undone" in cues and cues["deal_undone"].match(text, m.end()):
            return None  # the deal fell through right after the match ("X 对 Y 的收购没有完成"), a noun phrase's too
        if "T" in rule.regex.groupindex and m.group("T"):
            t0, t1 = m.span("T")
            for ff in self.false_friends.get(rule.relation, []):
                lo = max(0, t0 - len(ff))
                window = text[lo:t1 + len(ff)].lower()
                for hit in re.finditer(re.escape(ff), window):
                    h0, h1 = hit.start() + lo, hit.end() + lo
                    # a word that holds the trigger and more ("投资" in "投资人"); not the trigger itself, where
                    # a rule names that word ("作为 OpenAI 的早期投资者")
                    if h0 < t1 and h1 > t0 and not (t0 <= h0 and h1 <= t1):
                        return None
        conf = rule.confidence
        if not rule.presupposed and "hedge" in cues and cues["hedge"].search(text[clause_start:m.end()]):
            conf *= self.hedge_factor
        return conf

    def _fits(self, relation: str, subj_type: str, obj_type: str) -> bool:
        sig = self.signatures.get(relation)
        if not sig:
            return True
        ok = subj_type in sig["domain"] and obj_type in sig["range"]
        if sig.get("symmetric"):
            ok = ok or (obj_type in sig["domain"] and subj_type in sig["range"])
        return ok


_POSSESSIVE = re.compile(r"\s*(?:的|'s|’s)\s*")  # "Sam Altman 的 OpenAI"
_POSSESSIVE_PRONOUNS = frozenset({"our", "your", "their", "its"})  # a pronoun's placeholder takes "'s"
_CLAUSE_MARK = re.compile(r"[,，、;]")
_OWNER_LINK = re.compile(r"\s*(?:旗下的?|的|'s|’s)\s*")
_GLOSS = re.compile(f"([{ANY}])\\s*\\(([^()]{{0,40}})\\)")


def asked_from(text: str, cues: dict) -> int | None:
    """Where the question of a sentence begins: None when the sentence asks nothing, 0 when all of
    it is asked. A sentence that states and then asks in a clause of its own ("你在谷歌做了六年，
    后来创办了 X，能介绍一下吗？", "You ran Azure for years, so what did you learn?") asks only its
    last clause, unless an earlier clause holds a question word ("Did ...", "是否") or the last clause
    does not open as a question of its own (a tag: "..., right?", "...，是吗？"; an alternative)."""
    if "question" not in cues or not cues["question"].search(text):
        return None
    cut = max(text.rfind(c) for c in ",;:") + 1
    if cut == 0 or "own_question" not in cues or not cues["own_question"].match(text[cut:].lstrip()):
        return 0
    if "question_word" in cues and cues["question_word"].search(text[:cut]):
        return 0
    return cut


def _within(ents: list[Ref], starts: list[int], s0: int, s1: int) -> list[Ref]:
    """The refs of ``ents`` (in text order; ``starts`` their start offsets) inside ``[s0, s1)``."""
    return [e for e in ents[bisect_left(starts, s0):bisect_right(starts, s1)] if e.end_char <= s1]


# where a name may be cut before a word of its own: a space or a hyphen, or Chinese before a Latin letter or digit
_NAME_CUT = re.compile(r"(?<=\S)[\s-](?=\S)|(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])")
_NAME_HEAD = re.compile(r"([A-Za-z][A-Za-z0-9.]{2,}|[\u4e00-\u9fff]{2,})[\s\-]?(?=\S)")


def _company_names(text: str, ents: list[Ref]) -> dict[str, str]:
    """The companies an interview names, by each single-word name it uses for them (casefolded):
    the word a model or chip name may begin with ("Tallgrass" of "Tallgrass-R2")."""
    out: dict[str, str] = {}
    for e in ents:
        if e.label_ == "Company" and not e.anaphor:
            surface = text[e.start_char:e.end_char]
            for word in (surface, surface.split()[0]):
                out.setdefault(word.casefold(), e.id_)
    return out


def _keep(found: dict[tuple, RelationMatch], rel: RelationMatch) -> None:
    """Keep the most confident match of each (subject, predicate, object, sentence)."""
    key = (rel.subject, rel.predicate, rel.object, rel.sent_start)
    if "+product" in rel.rule and (rel.subject.startswith("product:") or rel.object.startswith("product:")):
        key = ("product",) + key  # resolved once the document's develops relations are known
    if key not in found or found[key].confidence < rel.confidence:
        found[key] = rel


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
# a company's pronoun with its verb contracted, as the rules read it spelled out: "we're backed by", "they've been
# customers" (not "I'm" nor "you're": what a person says of themselves the rules do not read as their company's)
_CONTRACTED = {"'re": " are", "’re": " are", "'ve": " have", "’ve": " have"}
_PLURAL_PRONOUNS = frozenset({"we", "they"})


def _drop_glosses(text: str, by_char: dict[str, Ref]) -> str:
    """"英伟达(Nvidia)首席执行官" -> "英伟达首席执行官": a parenthesis right after a mention that
    names no other entity (a gloss, a translation, a ticker) is not part of the sentence's grammar."""
    if "(" not in text:  # no parenthesis, no gloss
        return text

    def keep_or_drop(m: re.Match) -> str:
        head = by_char.get(m.group(1))
        inner = [by_char[c] for c in m.group(2) if c in by_char]
        if head is not None and all(r.id_ == head.id_ for r in inner):
            return m.group(1)
        return m.group(0)

    return _GLOSS.sub(keep_or_drop, text)


_SPACE_RUNS = re.compile(r"\s+")
_LATIN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _zh_spaces(text: str) -> str:
    """``text`` with each run of whitespace dropped, or made one space where it stands between two
    Latin letters or digits (as ``re.sub`` with a function per run gave it, without a Python call
    per run: ``str.split`` cuts at the runs ``\\s+`` finds, as both take ``str.isspace``)."""
    parts = text.split()
    if len(parts) <= 1:
        return parts[0] if parts else ""
    latin = _LATIN_CHARS
    out = [parts[0]]
    prev = parts[0][-1]
    for part in parts[1:]:  # none is empty
        if prev in latin and part[0] in latin:
            out.append(" ")
        out.append(part)
        prev = part[-1]
    return "".join(out)
