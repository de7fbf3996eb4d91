"""Names of real text (``kg_names`` component, after ``kg_discovery``).

Published text names people and organisations in ways the lexicon and discovery's context cues do
not reach; everything this component knows is data (``ontology/names.yaml``):

- **people introduced by a title or role**: 英伟达首席执行官黄仁勋, 拾象创始人兼CEO李广密, 陈大年(盛大集团
  联合创始人), 红杉中国沈南鹏、今日资本徐新 (a firm, then its person), bylines (作者:张小珺), "CFO Vaibhav
  Taneja", "analyst Jane Doe of Bernstein". A Chinese name is a surname of the list and one or two
  characters, with a name's edge after it (黄明明说 is 黄明明).
- **organisations by a cue word**: analyst firms, think tanks, research labs, funds and brokers
  ("Bernstein Research", "Allen Institute for AI", 中信证券, 智源研究院, 兰德智库).
- **names with no cue next to a relation trigger**: a Latin-script name right after or before one of
  the rules' trigger words ("acquired Mellanox", "Webvan 领投") gets a vote of the type the relation
  allows on that side (in a Chinese sentence, a boost to discovery's weak vote for a lone Latin name).
- **short names after the full name**: "Huang said" after "Jensen Huang", 黄总 / 老黄 / 黄说 after 黄仁勋,
  resolved to that person where exactly one person of the document has that short name.

Hits are pooled per name as discovery pools them (``new:<slug>`` ids, ``Span._.kg_confidence``,
``doc._.kg_discovered``), every further occurrence of a found name is marked, and nothing overlaps
a lexicon mention or a name discovery found (a name discovery also found keeps the stronger vote).
Short names are marked ``Span._.kg_context`` like the lexicon's context labels, with the id of the
person they name. ``doc._.kg_names`` lists what this component added: id -> name, type, confidence,
rule, mention count.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

from .ents import mentions as doc_mentions, set_mentions
from .spacy_import import import_spacy

import_spacy()  # spaCy without its command line (kg.nlp.spacy_import), before the spaCy imports below

from spacy.language import Language
from spacy.tokens import Doc, Span

from .discovery import _LEADING_WORD, _YEAR_TAIL, NEW_PREFIX, _occurrences, _split_at, slug, strip_edges
from .commonwords import NAME_WORD, PERSON, PERSON_RX, Headlines, Words, given_names, ordinary_name, ordinary_words, \
    org_tail, phrase_head, prose, stop_variant
from .commonwords import alternation as _alt  # (one name for it through this module)
from .doctext import doc_text
from .pinyin import PinyinNames
from .prefilter import PrefixScan
from .serialise import DiskData
from .sentences import sentence_bounds
from .sentflags import sentences_matching, sentences_with_chars
from .spans import DisjointSpans, SpanSet
from .triggerscan import TriggerScan

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CLAUSE_START = frozenset(",。;:!?“”「」\"\n \t\r\u3000")  # what may stand right before a clause's first name
_CJK_RANGES = ((0x3400, 0x9fff), (0xf900, 0xfaff))  # _CJK's characters
_LIST_JOINS = re.compile("、|, | and ")  # what every list of _company_lists holds
_LATIN_NAME = (r"(?<![A-Za-z0-9&.-])(?:[A-Z][A-Za-z0-9]*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)(?:[-.'&+][A-Za-z0-9]+)*"
               r"(?: (?:[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)){0,3}(?![A-Za-z0-9])")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")  # a word written in lower case
_CLITIC = re.compile(r"'(?:s|d|ll|re|ve)$")  # what a name word may end with that is no part of the name
# which side of each relation a name next to its trigger stands on: relation -> (before, after) types
_SIDES = {"investsIn": (("Company", "Person"), ("Company",)), "competesWith": (("Company",), ("Company",)),
          "supplies": (("Company",), ("Company",)), "hedgesAgainst": (("Company",), ("Company",)),
          "affiliatedWith": (("Person",), ("Company",))}

if not Doc.has_extension("kg_names"):
    Doc.set_extension("kg_names", default=None)


@Language.factory("kg_names", default_config={"config": {}, "triggers": {}, "macros": {}, "stop": []})
def make_names(nlp: Language, name: str, config: dict, triggers: dict, macros: dict, stop: list):
    return Names(config, triggers, macros, stop)


# a member of a Chinese list between two 、: up to 16 characters and no punctuation
_LIST_PIECE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,16}")


# a run of members joined by 、: no punctuation in a member, nor a space between two Chinese characters (a
# transcript's comma: "总经理 2020年 张建中与周苑、张钰勃" starts its list at 2020年)
_ZH_PIECE = r"(?:[^、,:;。!?()“”「」\n ]|(?<![\u4e00-\u9fff]) | (?![\u4e00-\u9fff]))+"
_ZH_LIST_RUN = re.compile(f"{_ZH_PIECE}(?:、{_ZH_PIECE})+")


class Names(DiskData):
    """People by title, organisations by cue, names next to triggers, short names after full names."""

    _saved_attrs = ("known",)

    def __init__(self, config: dict, triggers: dict | None = None, macros: dict | None = None,
                 stop: list | None = None):
        cfg = config or {}
        self.org_tail = org_tail(frozenset(cfg.get("org_last_words") or ()))
        self.phrase_heads = cfg.get("phrase_heads")
        self.enabled = bool(cfg)
        self.known: set[str] = set()  # lexicon context labels: never new names
        self.stop = {w.casefold() for w in stop or ()}
        # the word classes of jieba's dictionary that never name anything (kg/nlp/commonwords.py)
        self.ordinary_tags = frozenset(cfg.get("ordinary_word_tags") or ())
        # context rules whose names a line in headline case does not vouch for (kg/nlp/commonwords.py)
        self.headlines = Headlines(cfg.get("headline_case"))
        conf = cfg.get("confidence") or {}
        self.conf = {k: float(v) for k, v in conf.items()}
        self.repeat_bonus = float(cfg.get("repeat_bonus", 0.05))
        self.max_conf = float(cfg.get("max_confidence", 0.95))
        if not self.enabled:
            return
        surnames = cfg.get("zh_surnames") or []
        self.surnames = set(surnames)
        end = _alt(cfg.get("zh_name_end") or [])
        cn_name = f"(?:{_alt(surnames)})[\u4e00-\u9fff]{{1,2}}?(?=(?:{end})|$)"
        self.not_names = set(cfg.get("zh_not_names") or [])
        titles = _alt(cfg.get("zh_titles") or [])
        # 英伟达首席执行官黄仁勋, 创始人兼CEO李广密, 董事长是魏哲家
        # literals each family of patterns needs in a sentence (a cheap scan first: most sentences hold none)
        self.has_zh_title = re.compile(titles)
        # (one of several who hold the title: 技术负责人之一刘威)
        self.zh_title = re.compile(f"(?:{titles})(?:兼(?:{titles}))*(?:之一)?(?:是|为)? ?(?P<N>{cn_name})")
        # a list's last member that is a personal name, then a name's edge: 王东 of 、王东联合创立
        self.zh_name_first = re.compile(cn_name)
        # 陈大年(盛大集团联合创始人), 曹曦(前红杉中国合伙人)
        self.zh_gloss = re.compile(f"(?P<N>{cn_name})\\([^()]{{0,30}}?(?:{titles})[^()]{{0,8}}\\)")
        # a title, then a name transliterated without its middle dot (总统泽连斯基, 财长耶伦): discovery's
        # transliteration characters
        translit = re.match(r"\[([^\]]+)\]", (macros or {}).get("TRANSLIT", ""))
        self.zh_title_translit = re.compile(f"(?:{titles})(?P<N>[{translit.group(1)}]{{2,5}}?)(?=(?:{end}))") if translit else None
        # (a byline word of two characters or more may follow the outlet's or the column's name: 每经记者:X, 特约作者:X)
        # (or, at a line's start or after a space, a space alone where the name stands between spaces or ends the
        # line: "作者 何珊珊 编辑 史成超", or the word and the name each on a line of its own, the separators of a
        # copied page lost)
        by = _alt(cfg.get('zh_bylines') or [])
        spaced = f"(?:^|(?<=\\s))(?:{by})(?:[ \u3000]+|[ \u3000]*\\n[ \u3000]*)(?=(?:{_alt(surnames)})[\u4e00-\u9fff]{{1,2}}(?:\\s|$))"
        self.zh_byline = re.compile(f"(?:(?:^|(?<=[\\s(。,;])|(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff]{{2}}))"
                                    f"(?:{by}) ?[:|/丨] ?|{spaced})(?P<N>{cn_name})", re.MULTILINE)
        # the byline's co-signers: more names after the first, apart by spaces, 、 or commas (采访丨X Y Z, 作者:X、Y)
        self.zh_cosigner = re.compile(f"[ 、,]{{1,4}}(?P<N>{cn_name})")
        word_surnames = set(cfg.get("zh_word_surnames") or [])
        plain = [x for x in surnames if x not in word_surnames]
        # a firm, then its person, in a list (a three-character name, a surname that is no everyday word)
        self.zh_after_org = re.compile(f"(?P<N>(?:{_alt(plain)})[\u4e00-\u9fff]{{2}})(?=[、,。;])") if plain else None
        # a title, then a surname and two more characters where no name's edge follows (总经理尚海龙去年…)
        # (its last character not one that starts the next word rather than ending a name: 投资人胡斌带着 is 胡斌)
        not_last = "".join(cfg.get("zh_loose_not_last") or [])
        last = f"(?![{re.escape(not_last)}])[\u4e00-\u9fff]" if not_last else "[\u4e00-\u9fff]"
        self.zh_title_loose = re.compile(f"(?:{titles})(?:兼(?:{titles}))*(?:之一)?(?:是|为)? ?(?P<N>(?:{_alt(plain)})[\u4e00-\u9fff](?:{last})?)")
        self.zh_latin_gloss = re.compile(f"(?:{titles})[\u4e00-\u9fff·]{{2,8}}\\((?P<N>{PERSON})\\)")
        en_titles = _alt(cfg.get("en_titles") or [])
        self.has_en_title = re.compile(f"(?i:{en_titles})")
        self.en_title = re.compile(f"\\b(?i:{en_titles}),? (?P<N>{PERSON})")
        self.en_person_before = re.compile(f"{PERSON}, $")  # "George Cameron, " before a title
        self.en_of_org = re.compile(f"\\b(?i:{en_titles}) (?P<P>{PERSON}) (?:of|at|from) (?P<N>{_LATIN_NAME})")
        cues = _alt(cfg.get("en_org_cues") or [])
        not_first = _alt(cfg.get("en_org_not_first") or [])
        word = r"(?:[A-Z][A-Za-z0-9&'.-]*|[a-z]{1,2}[A-Z][A-Za-z0-9]*)"
        self.has_en_cue = re.compile(cues)
        # a name a cue word ends that holds a possessive or a headline's capitalised function word is a phrase
        # ("the World’s Biggest Hedge Fund"): en_org_reject
        self.en_org_reject = re.compile(cfg["en_org_reject"]) if cfg.get("en_org_reject") else None
        self.en_org = re.compile(f"(?<![A-Za-z0-9&.'-])(?P<N>(?!(?:{not_first})\\b){word}(?: {word}){{0,3}} (?:{cues}))(?![A-Za-z0-9])")
        cues_of = _alt(cfg.get("en_org_cues_of") or [])
        self.has_en_cue_of = re.compile(cues_of)
        self.en_org_of = re.compile(f"(?<![A-Za-z0-9&.'-])(?P<N>(?:(?!(?:{not_first})\\b){word} ){{0,3}}(?:{cues_of}) (?:for|of|on) "
                                    f"(?:the )?{word}(?: {word}){{0,3}})(?![A-Za-z0-9])")
        macros = macros or {}
        head = macros.get("CNHEAD", "[\u4e00-\u9fff]{2,4}")
        before = _alt(cfg.get("zh_org_before") or [])
        after = _alt(cfg.get("zh_org_after") or [])
        self.zh_org = re.compile(f"(?:(?:{before})|^)(?P<N>(?P<H>{head}|[A-Z][A-Za-z0-9]{{1,12}})(?:{_alt(cfg.get('zh_org_cues') or [])}))"
                                 f"(?=(?:{after})|$)", re.MULTILINE)
        self.has_zh_cue = re.compile(_alt(cfg.get('zh_org_cues') or ['研究院']))
        self.zh_org_not_heads = set(cfg.get("zh_org_not_heads") or [])
        # a kind of firm, then its name: 人形机器人公司逐际动力, 另一大行里昂指…
        kinds = _alt(cfg.get("zh_org_kinds") or [])
        self.has_zh_kind = re.compile(f"(?:{kinds}|{_alt(cfg.get('zh_org_kinds_alone') or ['大行'])})") if kinds else None
        # the kind must be told by its trade (机器人公司, 芯片公司) or be a financial firm's (大行, 券商)
        sectors = _alt(cfg.get("zh_org_kind_sectors") or [])
        named_kinds = _alt(cfg.get("zh_org_kinds_alone") or [])
        # (the trade may be told more closely before its kind: AI客服公司, 汽车芯片商; a Latin name may follow a space)
        self.zh_kind = re.compile(f"(?:(?P<S>(?:{sectors})(?P<I>(?:(?![的了是在和与及等对把被从向为给让])[\u4e00-\u9fff]){{0,3}}?)(?:{kinds}))|(?:{named_kinds}))"
                                  f"(?:(?P<N>[\u4e00-\u9fff]{{2,4}})|(?<![\u4e00-\u9fff] ) ?(?P<L>[A-Z][A-Za-z0-9]{{1,12}}))") \
            if sectors and named_kinds else None
        # a company's industry suffix after the head of its name (安森美 + 半导体: 汽车芯片商安森美半导体)
        suffixes = sorted(cfg.get("company_suffixes_zh") or [], key=len, reverse=True)
        self.zh_suffix = re.compile(_alt(suffixes)) if suffixes else None
        self.zh_head = re.compile(f"^(?:{head})$")
        self.zh_plural = re.compile(f"(?:{_alt(cfg.get('zh_plural_words') or ['多个', '多家'])})$")
        # after a trade's kind, the name ends at punctuation or a conjunction; after a financial firm's
        # kind, at a verb of saying (大行里昂指…, not 大行唱好)
        self.zh_kind_after = {True: re.compile(f"(?:{_alt(cfg.get('zh_org_kind_after') or ['、', ',', '。'])})"),
                              False: re.compile(f"(?:{_alt(cfg.get('zh_org_kind_alone_after') or ['指', '称'])})")}
        # a list closed by 等 and a kind: 用友网络、金蝶、万兴科技、奇安信等国内软件公司; 吉利汽车、岚图汽车等多家车企
        not_lists = _alt(cfg.get("zh_list_not_kinds") or ["行业"])
        # (not 等行业 nor 等领域: trades; but 等行业领军企业, 等行业龙头: the firms that lead them)
        # (or by a count of firms: 红杉资本、和而泰、五源启兴五家机构; zh_list_count)
        closer = f"等|{cfg['zh_list_count']}" if cfg.get("zh_list_count") else "等"
        self.zh_list_end = re.compile(f"(?:{closer})(?:(?!(?:{not_lists})(?!领军|龙头|头部|领先|巨头|知名))[\u4e00-\u9fff「」\"]){{0,8}}?(?:{kinds})") \
            if kinds else None
        # a member: two to eight characters with no function word among them (用友网络, 亚信安全), a Latin name,
        # Latin letters and then such characters (SB能源, TCL科技) or a stock code; the list itself (、 and 等 + a
        # kind of firm) is the cue
        function = "".join(cfg.get("zh_list_item_not_chars") or "的了是在和与把被对就也都还很不没这那我你他她们个些有要会")
        self.zh_list_item = re.compile(f"^(?:[^\\W\\d{function}A-Za-z_]{{2,8}}|[A-Za-z][A-Za-z0-9.&-]{{1,20}}"
                                       f"|[A-Za-z][A-Za-z0-9.&-]{{0,10}}[^\\W\\d{function}A-Za-z_]{{2,6}}|\\d{{3,4}})$")
        self.zh_list_start = re.compile(f"(?:{_alt(cfg.get('zh_list_openers') or ['有', '包括'])}|[,:;。!?\\s\"“”「」])$")
        # a full name alone at a clause's start, then a verb of saying: ”刘华表示，“…; 。张正友认为… (the
        # clause boundary fixes where the name starts; a title or a word of zh_not_names is no name, and
        # its last character is none of zh_loose_not_last: ，黄并表示 is "Huang also said")
        says = _alt(cfg.get("zh_person_says") or [])
        # found from the verb back (a verb is rarer than a place where a name might start): the two to
        # four characters before it, after a clause boundary, that read as a surname and a given name
        self.zh_says = re.compile(f"(?:{says})") if says and plain else None
        self.zh_says_name = re.compile(f"(?:{_alt(plain)})(?:{last}|[\u4e00-\u9fff]{last})") if says and plain else None
        self.zh_titles = set(cfg.get("zh_titles") or [])
        # a surname and an honorific (黄总认为) is a short name, which short_names reads after the full name
        self.zh_hon_after = tuple((cfg.get("short_names") or {}).get("zh_honorifics_after") or ())
        self.zh_long_honorifics = tuple(h for h in self.zh_hon_after if len(h) > 1)  # 院士, 先生, 教授 …
        self._dictionary_words: Words | None = None
        # a full name with an honorific: 有人问黄明明总, 王小川先生
        hon = _alt((cfg.get("short_names") or {}).get("zh_honorifics_after") or [])
        self.zh_honorific = re.compile(f"(?P<N>(?:{_alt(plain)})[\u4e00-\u9fff]{{2}})(?:{hon})(?=[,。;:!?、\\s])") if hon and plain else None
        # what every match of zh_honorific holds: an honorific and one of the characters after it
        self.has_zh_honorific = re.compile(f"(?:{hon})(?=[,。;:!?、\\s])") if hon and plain else None
        # English bylines and appositions: "by Nilay Patel", "Mustafa Suleyman, who is the Microsoft AI CEO"
        self.en_byline = re.compile(f"(?:^|\\(|, )(?i:by|with|hosted by|written by) (?P<N>{PERSON})(?=,|\\)|$| \\(| with| and)", re.MULTILINE)
        self.en_apposition = re.compile(f"(?P<N>{PERSON}), (?:who is |who was |now |then )?(?:the |a |an |its |his |her )?"
                                        f"(?:[A-Z][\\w.&-]*(?:'s|’s)? |former |longtime |current |new |chief )*(?i:{en_titles})\\b")
        # a byline with its separator names whoever signs, a pen name too (编辑 | 漠影, 编译/金鹿, 作者丨ZeR0):
        # two or three characters or one Latin word, then a space, a line's end or the next byline
        bylines = _alt(cfg.get('zh_bylines') or [])
        pen = (f"(?:{bylines}) ?[|/丨] ?(?P<N>[\u4e00-\u9fff]{{2,3}}|[A-Za-z][A-Za-z0-9]{{2,15}})"
               f"(?=[\\s,;)]|$|(?:{bylines}) ?[:|/丨])")
        self.zh_byline_pen = re.compile(f"(?:^|(?<=[\\s(。,;])){pen}", re.MULTILINE) if bylines else None
        # the next byline of a run with no space between (作者丨宋婧编辑丨赵晨监制丨连晓东)
        self.zh_byline_next = re.compile(pen, re.MULTILINE) if bylines else None
        # the header's byline (作者:张小珺) is read as the author and its label left out of the text: a line
        # of the document's head that is a Chinese personal name and nothing else is that byline
        self.head_lines = int(cfg.get("zh_head_name_lines", 0) or 0)
        self.zh_head_name = re.compile(f"^[ \\t]*(?P<N>(?:{_alt(plain)})[\u4e00-\u9fff]{{1,2}})[ \\t]*$", re.MULTILINE) \
            if plain and self.head_lines else None
        # the byline patterns over the whole text, each tried where its matches may start
        self.bylines = [self.en_byline, self.zh_byline] + ([self.zh_byline_pen] if self.zh_byline_pen else [])
        # a person named by a common given name and a surname, with no cue (given_name_people:)
        gp = cfg.get("given_name_people") or {}
        self.given_conf = float(gp.get("confidence", 0) or 0)
        # the names of the long list (given_name_people.names_file) that are not among those chosen by hand: their
        # surname must be no English word either ("Morgan Creek", "Monty Python", "Mac Studio")
        given, self.listed_given = given_names(cfg)
        self.english = Words(cfg.get("english_words") or "")
        org_cues = set(cfg.get("en_org_cues") or []) | set(gp.get("not_surnames") or [])
        particles = sorted(gp.get("particles") or [], key=len, reverse=True)
        particle = f"(?:(?:{_alt(particles)}) ){{0,2}}" if particles else ""
        self.given_person = re.compile(
            f"(?<![A-Za-z0-9&.-])(?P<N>(?:{_alt(sorted(given, key=len, reverse=True))}) (?:[A-Z]\\.? )?{particle}{NAME_WORD})"
            f"(?![A-Za-z0-9&-])(?! (?:{_alt(sorted(org_cues, key=len, reverse=True))})\\b)") if self.given_conf and given else None
        self.not_surnames = org_cues
        # a Chinese person's name written in pinyin, with no cue ("Chen Yunfei", "Xuezhi Wang": pinyin_people:)
        self.pinyin = PinyinNames(cfg.get("pinyin_people"), self.english)
        # tried only where one of the given names stands, not at every place of the text; one automaton
        # pass finds where the bylines and the given names may start
        self.text_scan = PrefixScan(self.bylines + ([self.given_person] if self.given_person is not None else []))
        # a company's investment arm (company_arms:): "Samsung Ventures", 三星风投
        arms = cfg.get("company_arms") or {}
        self.arm_conf = float(arms.get("confidence", 0.75))
        en_arms, zh_arms = arms.get("en") or [], arms.get("zh") or []
        self.en_arm = re.compile(f" (?:{_alt(en_arms)})(?![\\w&-])(?! [A-Z])") if en_arms else None
        self.zh_arm = re.compile(f" ?(?:{_alt(zh_arms)})") if zh_arms else None
        # a host or guest who introduces themselves after a greeting (self_introduction:)
        intro = cfg.get("self_introduction") or {}
        self.intro_conf = float(intro.get("confidence", 0.7))
        self.self_intro = re.compile(
            f"(?:{_alt(intro['greetings'])}){intro.get('between', '')}(?:{_alt(intro['intro'])}) ?"
            f"(?P<N>[\u4e00-\u9fff]{{2,3}}(?=[,。!; \n]))") \
            if intro.get("greetings") and intro.get("intro") else None
        # a firm named by its founder (founded_firms:)
        self.founded = _FoundedFirms(cfg.get("founded_firms"), _alt(cfg.get("zh_org_kinds") or []),
                                     list(cfg.get("zh_org_kind_after") or []), not_first) \
            if cfg.get("founded_firms") else None
        # the other members of a list of companies (company_lists:)
        cl = cfg.get("company_lists") or {}
        self.list_conf = float(cl.get("confidence", 0) or 0)
        self.list_min_known = int(cl.get("min_known", 2))
        self.list_min_members = int(cl.get("min_members", 3))
        # a Chinese list of people may name only one of them elsewhere where every other member has a
        # personal name's shape (张建中与周苑、张钰勃、王东联合创立…)
        self.list_min_known_zh_people = int(cl.get("min_known_zh_people", self.list_min_known))
        self.list_not_last = set(cl.get("en_not_last_words") or [])
        self.given_names = set(cl.get("en_given_names") or []) | set(((cfg.get("context_labels") or {}).get("common_given_names")) or []) | given
        self.en_org_not_first = set(cfg.get("en_org_not_first") or [])
        self.en_name_not_first = set(cfg.get("en_name_not_first") or [])
        zh_edge = _alt(cl.get("zh_after") or ["等", "的", "都", "也"])
        zh_open = _alt(cl.get("zh_openers") or ["是", "有", "包括", "如"])
        self.zh_list_first = re.compile(f"(?:^|[,:;。!?\\s“”「」(]|{zh_open})(?P<N>[^,:;。!?\\s“”「」()]{{2,10}})$")
        self.zh_list_last = re.compile(f"(?P<N>[^,:;。!?\\s“”「」()和与及]{{2,10}}?)(?=[,:;。!?\\s“”「」()]|$|和|与|及|{zh_edge})")
        self.zh_list_and = re.compile("和|与|及")
        self.zh_translit_name = re.compile(f"[{translit.group(1)}]{{2,6}}") if translit else re.compile(r"(?!x)x")
        item = r"(?:[A-Z0-9][\w&.'-]*(?: (?:[A-Z0-9][\w&.'-]*|&|of|for)){0,3}(?<![.']))"
        self.en_list_item = re.compile(f"(?<![\\w&.-]){item}")
        gloss = r"(?: \([^()]{1,40}\))?"  # a member may carry a gloss: "Capital TEN (from Taiwan)"
        self.en_list = re.compile(f"(?<![\\w&.-]){item}{gloss}(?:, {item}{gloss})+(?:,? (?:and|or) {item}{gloss})?(?![\\w&-])")
        # a list of names, two members or more, right after words that say its members are firms ("startups in
        # the race include A and B", "companies such as A, B, and C", "the likes of A and B"): company_lists.en_cues
        nouns, verbs, phrases = (cl.get(k) or [] for k in ("en_cue_nouns", "en_cue_verbs", "en_cue_phrases"))
        # (a cue that opens a sentence has its capital: "Startups like A and B", "Backed by A and B, …")
        cue = "|".join(([f"\\b(?i:{_alt(nouns)})\\b[^.;:!?]{{0,60}}?\\b(?:{_alt(verbs)})"] if nouns and verbs else []) +
                       ([f"\\b(?i:{_alt(phrases)})"] if phrases else []))
        self.en_cued_list = re.compile(
            f"(?:{cue})[ ,]+(?P<L>{item}(?:, {item})*(?:,? (?:and|or) {item}|, {item},? (?:and|among) others))(?![\\w&-])") \
            if cue else None
        tn = cfg.get("trigger_names") or {}
        self.trigger_conf = float(tn.get("confidence", 0.65))
        self.trigger_boost = float(tn.get("boost", 0.2))
        skip = _alt(tn.get("skip_words") or ["the"])
        gap = int(tn.get("max_gap", 2))
        # every trigger word of the rules in one automaton-like pattern (lower case) -> its relations; a
        # name is looked for right after and right before each trigger found
        self.trigger_words: dict[str, set[str]] = {}
        for rel, words in sorted((triggers or {}).items()):
            if rel in _SIDES:
                for w in words:
                    self.trigger_words.setdefault(" ".join(w.lower().split()), set()).add(rel)
        self.trigger_index = TriggerScan(self.trigger_words) if self.trigger_words else None
        self.trigger_after = re.compile(f"[ 了]{{0,{gap}}}(?:(?i:{skip}) )?(?P<N>{_LATIN_NAME})")
        self.trigger_before = re.compile(f"(?P<N>{_LATIN_NAME})[ ]{{0,{gap}}}$")
        sn = cfg.get("short_names") or {}
        self.min_latin = int(sn.get("min_latin", 3))
        self.hon_after = list(sn.get("zh_honorifics_after") or [])
        self.hon_before = list(sn.get("zh_honorifics_before") or [])
        self.says = list(sn.get("zh_says") or [])
        self.hon_not_followed = [c for c in sn.get("zh_honorific_not_followed_by") or [] if len(c) == 1]

    # ------------------------------------------------------------------ hits

    def _cn_name(self, name: str) -> str | None:
        """``name`` if it may be a Chinese person's name: not a title (董事长 reads as the surname 董 and
        two characters) and not a word of zh_not_names, nor starting with one."""
        if name in self.zh_titles:
            return None
        for word in self.not_names:
            if name == word or name.startswith(word):
                return None
        return name

    def _loose_name(self, sent: str, a: int, b: int) -> tuple[int, int]:
        """The name a title's loose rule found at ``sent[a:b]`` (a surname and one or two characters with no
        name's edge after them), cut before an honorific that starts at its last character (顾问是张钹院士:
        张钹); (a, 0) where it is the start of a word of jieba's dictionary that runs on past it (专家程式设计师:
        程式设计 is "programming"), or where its first two characters are an everyday word (周末打: 周末)."""
        if b - a == 3 and sent.startswith(self.zh_long_honorifics, b - 1):
            return a, b - 1
        words = self.dictionary_words()
        if any(sent[a:b + n] in words for n in (1, 2) if b + n <= len(sent)):
            return a, 0
        if b - a == 3 and ordinary_name(sent, sent[a:a + 2], self.ordinary_tags):
            return a, 0  # its surname and next character are an everyday word (父亲周末打网球: 周末, "weekend")
        return a, b

    def dictionary_words(self) -> Words:
        """jieba's dictionary words of three to five characters, whatever their tag (read once, lazily)."""
        if self._dictionary_words is None:
            self._dictionary_words = ordinary_words(frozenset({"*"}), 0, (3, 5))
        return self._dictionary_words

    def _sentence_marks(self, text: str, bounds: list[tuple[int, int]]) -> dict[str, list[bool]]:
        """Which sentences hold a CJK character ("cjk"), and which may hold a match of the cheap
        tests of ``_hits`` (a title, a cue, a kind of firm, an honorific and what follows it): one
        pass over the whole text each instead of a search per sentence. A sentence left unmarked
        holds no match; a marked one is still tested on its own."""
        starts = [a for a, _ in bounds]
        ends = [b for _, b in bounds]
        everywhere = [True] * len(bounds)

        def marked(rx: re.Pattern | None) -> list[bool]:
            if rx is None or not rx.pattern:
                return everywhere
            return sentences_matching(rx, text, starts, ends)

        return {"cjk": sentences_with_chars(text, starts, ends, _CJK_RANGES), "title": marked(self.has_zh_title),
                "cue": marked(self.has_zh_cue), "kind": marked(self.has_zh_kind),
                "honorific": marked(self.has_zh_honorific)}

    @staticmethod
    def _busy_sentences(marks: dict[str, list[bool]], triggers: dict) -> list[int]:
        """The sentences ``_hits`` has something to look for in (ascending): every sentence that is
        not Chinese, and the Chinese ones marked for a title, a cue, a kind of firm or an honorific,
        or with a trigger word. In the other Chinese sentences every test of ``_hits`` fails at once."""
        return [si for si, cjk in enumerate(marks["cjk"])
                if not cjk or marks["title"][si] or marks["cue"][si] or marks["kind"][si]
                or marks["honorific"][si] or triggers.get(si)]

    def _hits(self, text: str, doc: Doc, ents: list[Span]) -> list[tuple[int, int, str, float, str]]:
        """(start, end, type, confidence, rule) of every hit in the text."""
        hits = []
        c = self.conf

        def add(m, group, typ, conf, rule, offset=0):
            a, b = m.span(group)
            hits.append((offset + a, offset + b, typ, conf, rule))

        bounds = sentence_bounds(doc)
        marks = self._sentence_marks(text, bounds)
        # the trigger words of each Chinese sentence
        triggers = self.trigger_index.sentences(text, bounds, marks["cjk"]) if self.trigger_index is not None else {}
        for si in self._busy_sentences(marks, triggers):
            start, end = bounds[si]
            sent = text[start:end]
            cjk = marks["cjk"][si]
            if cjk:
                strict = set()
                titled = marks["title"][si] and self.has_zh_title.search(sent) is not None
                for rx, rule, key in ((self.zh_title, "zh.person.title", "zh_person_title"),
                                      (self.zh_gloss, "zh.person.gloss", "zh_person_gloss"),
                                      (self.zh_title_loose, "zh.person.title", "zh_person_title_loose")) if titled else ():
                    for m in rx.finditer(sent):
                        if rx is self.zh_title_loose:
                            if m.start("N") in strict:
                                continue  # the name's edge was found: 陈昱 of 陈昱和
                            a, b = self._loose_name(sent, *m.span("N"))
                            if b and self._cn_name(sent[a:b]):
                                hits.append((start + a, start + b, "Person", c.get(key, 0.8), rule))
                            continue
                        if self._cn_name(m.group("N")):
                            strict.add(m.start("N"))
                            add(m, "N", "Person", c.get(key, 0.8), rule, start)
                if self.zh_title_translit is not None and titled:
                    for m in self.zh_title_translit.finditer(sent):
                        if m.start("N") not in strict and m.group("N") not in self.not_names:
                            add(m, "N", "Person", c.get("zh_person_title_translit", 0.7), "zh.person.title-translit", start)
                for m in self.zh_latin_gloss.finditer(sent) if titled else ():
                    add(m, "N", "Person", c.get("zh_person_latin_gloss", 0.75), "zh.person.latin-gloss", start)
                for m in self.zh_org.finditer(sent) if marks["cue"][si] and self.has_zh_cue.search(sent) else ():
                    if m.group("H") not in self.zh_org_not_heads and not m.group("H").startswith(tuple(self.zh_org_not_heads)):
                        add(m, "N", "Company", c.get("zh_org_cue", 0.7), "zh.org.cue", start)
                if self.zh_kind is not None and marks["kind"][si] and self.has_zh_kind.search(sent):
                    lists = [m.span() for m in self.zh_list_end.finditer(sent)]
                    for m in self.zh_kind.finditer(sent):
                        if any(a <= m.start() < b for a, b in lists):
                            continue  # the kind closes a list (…等国内软件公司相继宣布): no name after it
                        if m.group("I") and ordinary_name(sent, m.group("I"), self.ordinary_tags):
                            continue  # a verb or a phrase between the trade and its kind (软件帮助企业…): no trade
                        edge = self.zh_kind_after[m.group("S") is not None]
                        if m.group("L") is not None:  # (a Latin name ends where Chinese goes on: AI客服公司Sierra估值…)
                            if edge.match(sent, m.end("L")) or m.end("L") == len(sent) or _CJK.match(sent, m.end("L")):
                                add(m, "L", "Company", c.get("zh_org_kind", 0.7), "zh.org.kind", start)
                            continue
                        a = m.start("N")
                        if m.group("S") is not None and self.zh_plural.search(sent, 0, m.start()):
                            continue  # 与多个人工智能公司合作: firms of a trade, no name after them
                        end = self._cn_firm_end(sent, a, edge, 2 if m.group("S") is None else 3)
                        if end:
                            hits.append((start + a, start + end, "Company", c.get("zh_org_kind", 0.7), "zh.org.kind"))
                    for a, b in self._list_items(sent):
                        hits.append((start + a, start + b, "Company", c.get("zh_org_list", 0.7), "zh.org.list"))
                if self.zh_honorific is not None and marks["honorific"][si]:
                    for m in self.zh_honorific.finditer(sent):
                        if self._cn_name(m.group("N")):
                            add(m, "N", "Person", c.get("zh_person_honorific", 0.7), "zh.person.honorific", start)
            elif self.has_en_title.search(sent) or self.has_en_cue.search(sent) or self.has_en_cue_of.search(sent):
                for m in self.en_apposition.finditer(sent):
                    add(m, "N", "Person", c.get("en_person_title", 0.8), "en.person.apposition", start)
                for m in self.en_title.finditer(sent):
                    if "," in sent[m.start():m.start("N")] and self.en_person_before.search(sent, 0, m.start()):
                        # a person's title set off by commas is followed by the firm, not by a name:
                        # "said George Cameron, Co-Founder, Artificial Analysis"
                        add(m, "N", "Company", c.get("en_person_of_org", 0.8), "en.company.of-person", start)
                        continue
                    add(m, "N", "Person", c.get("en_person_title", 0.8), "en.person.title", start)
                for m in self.en_of_org.finditer(sent):
                    add(m, "P", "Person", c.get("en_person_title", 0.8), "en.person.title", start)
                    add(m, "N", "Company", c.get("en_person_of_org", 0.8), "en.company.of-person", start)
                for rx, conf, rule in ((self.en_org, c.get("en_org_cue", 0.75), "en.org.cue"),
                                       (self.en_org_of, c.get("en_org_cue_of", 0.8), "en.org.cue-of")):
                    for m in rx.finditer(sent):
                        if self.en_org_reject is None or not self.en_org_reject.search(m.group("N")):
                            add(m, "N", "Company", conf, rule, start)
            # a Latin name with no cue next to a relation trigger: in a Chinese sentence only (an English
            # sentence is full of capitalised words that are no names: "Importantly", "PyTorch", "NICs")
            if self.trigger_index is not None and cjk:
                for t0, t1, word in triggers[si]:
                    rels = self.trigger_words.get(word)  # (a word as listed needs no normalising)
                    if rels is None:
                        rels = self.trigger_words.get(" ".join(word.split()), ())
                    found = [(self.trigger_after.match(sent, t1), 1),
                             (self.trigger_before.search(sent, max(0, t0 - 80), t0)
                              if _latin_before(sent, max(0, t0 - 80), t0) else None, 0)]
                    for m, side in found:
                        if m is None:
                            continue
                        name = m.group("N")
                        if re.search(r"\d", name) or re.fullmatch(r"[A-Z]{1,3}s?", name):
                            continue  # a version or an acronym: no company without a cue
                        for rel in sorted(rels):
                            types = _SIDES[rel][side]
                            if "Person" in types and PERSON_RX.match(name):
                                typ = "Person"
                            elif "Company" in types:
                                typ = "Company"
                            else:
                                continue
                            add(m, "N", typ, self.trigger_conf, f"any.{typ.lower()}.trigger-{rel}", start)
        scanned = self.text_scan.finditer(text)
        en_bylines, zh_bylines, *pen_bylines = scanned[:len(self.bylines)]
        for m in en_bylines:
            add(m, "N", "Person", c.get("en_person_byline", 0.75), "en.person.byline")
        signed = set()
        for m in zh_bylines:
            while m is not None and self._cn_name(m.group("N")):
                add(m, "N", "Person", c.get("zh_person_byline", 0.8), "zh.person.byline")
                signed.add(m.span("N"))
                m = self.zh_cosigner.match(text, m.end("N"))
        for m in pen_bylines[0] if pen_bylines else ():
            while m is not None:
                if m.span("N") not in signed and m.group("N") not in self.not_names:
                    add(m, "N", "Person", c.get("zh_person_pen_name", 0.7), "zh.person.pen-name")
                m = self.zh_byline_next.match(text, m.end("N"))
        if self.zh_head_name is not None:
            head_end, lines = 0, 0
            while lines < self.head_lines and head_end < len(text):
                nl = text.find("\n", head_end)
                head_end = len(text) if nl < 0 else nl + 1
                lines += 1
            for m in self.zh_head_name.finditer(text, 0, head_end):
                if self._cn_name(m.group("N")):
                    add(m, "N", "Person", c.get("zh_person_head_line", 0.65), "zh.person.head-line")
        for m in self.zh_says.finditer(text) if self.zh_says is not None else ():
            end = m.start()
            for a in range(end - 2, max(end - 5, -1), -1):  # the shortest name first
                if (a == 0 or text[a - 1] in _CLAUSE_START) and self.zh_says_name.fullmatch(text, a, end):
                    name = text[a:end]
                    if self._cn_name(name) and name not in self.zh_titles and not name[1:].startswith(self.zh_hon_after):
                        hits.append((a, end, "Person", c.get("zh_person_says", 0.65), "zh.person.says"))
                    break
        # a company's investment arm: the company's name, then an arm's word ("Samsung Ventures", 三星风投)
        for e in ents if self.en_arm is not None or self.zh_arm is not None else ():
            if e.label_ == "Company":
                arm = self.zh_arm if _CJK.search(e.text[-1:] + text[e.end_char:e.end_char + 1]) else self.en_arm
                m = arm.match(text, e.end_char) if arm is not None else None
                if m:
                    hits.append((e.start_char, m.end(), "Company", self.arm_conf, "any.company.arm"))
        # a firm, then its person, in a list: 红杉中国沈南鹏、今日资本徐新
        for e in ents if self.zh_after_org is not None else ():
            if e.label_ == "Company":
                m = self.zh_after_org.match(text, e.end_char)
                if m and self._cn_name(m.group("N")):
                    add(m, "N", "Person", c.get("zh_person_after_org", 0.65), "zh.person.after-org")
        # the document's lower-case words (read once, where a rule below first asks): a surname or a pinyin given
        # name is none of them ("Erik So are you …")
        lower: set[str] | None = None
        if self.given_person is not None:
            for m in scanned[-1]:
                words = m.group("N").split()
                surname = _CLITIC.sub("", words[-1])  # "Dylan There's": the word is "There"
                if surname in self.not_surnames or surname.casefold() in self.stop:
                    continue
                if not self._given_and_surname(f"{words[0]} {surname}"):
                    continue
                if lower is None:
                    lower = set(_LOWER_WORD.findall(prose(text)))  # not a URL's words
                if surname.lower() not in lower:
                    add(m, "N", "Person", self.given_conf, "en.person.given-name")
        if self.pinyin.enabled and self.pinyin.confidence:
            for a, b, given in self.pinyin.finditer(text):
                if lower is None:
                    lower = set(_LOWER_WORD.findall(prose(text)))  # not a URL's words
                if given not in lower:
                    hits.append((a, b, "Person", self.pinyin.confidence, "any.person.pinyin-name"))
        for m in self.self_intro.finditer(text) if self.self_intro is not None else ():
            add(m, "N", "Person", self.intro_conf, "any.person.self-introduction")
        if self.founded is not None:
            hits += self._founded_firms(text, ents, hits)
        if self.list_conf:
            people = {(a, b) for a, b, typ, _, _ in hits if typ == "Person"}
            hits += self._company_lists(text, doc, ents, people)
        return hits

    def _cn_firm_end(self, s: str, a: int, edge: re.Pattern, shortest: int = 2) -> int | None:
        """The end of a Chinese firm's name that starts at ``a``: the shortest head (two to four characters,
        no generic modifier) with a name's edge after it (里昂 of 里昂指) or an industry suffix (the suffix ends
        the name: 安森美半导体去年…); a head shorter than ``shortest`` counts only with a suffix (泽川智能). None
        where that head is a generic word (zh_org_not_heads)."""
        for n in range(2, 5):
            h = s[a:a + n]
            if a + n > len(s) or not self.zh_head.match(h):
                continue
            end = a + n
            if end < len(s) and not edge.match(s, end) and self.zh_suffix is not None:
                sfx = self.zh_suffix.match(s, end)
                if sfx is not None:
                    end = sfx.end()
            if n < shortest and end == a + n:
                continue
            if end > a + n or end == len(s) or edge.match(s, end):
                if h in self.zh_org_not_heads or h.startswith(tuple(self.zh_org_not_heads)):
                    return None
                return end
        return None

    def _founded_firms(self, text: str, ents: list[Span], hits: list) -> list[tuple[int, int, str, float, str]]:
        """Firms named by their founder (founded_firms:): a person the document names (or 他, 她, a year), founding
        words, the firm (郭人杰成立的乐享科技, "Ilya Sutskever co-founded Safe Superintelligence"); or the
        firm, then "founded by" and the person. A kind of firm after the founding words (创立的AI公司百川智能)
        is the trade's rule's, not a name."""
        ff = self.founded
        if not ff.has.search(text):
            return []
        people = sorted({(e.start_char, e.end_char) for e in ents if e.label_ == "Person"}
                        | {(a, b) for a, b, typ, *_ in hits if typ == "Person"})
        ends = {b for _, b in people}
        if ff.zh_founder is not None:
            ends.update(m.end() for m in ff.zh_founder.finditer(text))
        out = []
        for end in sorted(ends):
            m = ff.zh.match(text, end) if ff.zh is not None else None
            if m is not None:
                a = m.end()
                latin = ff.latin.match(text, a)
                if latin is not None:
                    if not ff.kind_after.match(text, latin.end()):  # (创立的AI公司百川智能: a trade)
                        out.append((a, latin.end(), "Company", ff.conf, "any.company.founded-by"))
                else:
                    b = self._cn_firm_end(text, a, ff.zh_edge)
                    if b and not ff.kind_end.search(text, a, b):  # (创办的芯片公司: a kind, no name)
                        out.append((a, b, "Company", ff.conf, "any.company.founded-by"))
                continue
            m = ff.en.match(text, end) if ff.en is not None else None
            if m is not None:
                latin = ff.en_name.match(text, m.end())
                if latin is not None:
                    out.append((m.end(), latin.end(), "Company", ff.conf, "any.company.founded-by"))
        for a, _ in people if ff.en_by is not None else ():
            m = ff.en_by.search(text, max(0, a - 120), a)
            if m is not None:
                out.append((m.start("N"), m.end("N"), "Company", ff.conf, "any.company.founded-by"))
        return out

    def _given_and_surname(self, name: str) -> bool:
        """Whether an English name reads as a given name and a surname ("Glenn Fogel"; not "Morgan Creek",
        whose given name is only on the long list and whose last word is an English word)."""
        if not PERSON_RX.match(name):
            return False
        words = name.split()
        if words[0] not in self.given_names:
            return False
        return words[0] not in self.listed_given or _CLITIC.sub("", words[-1]).lower() not in self.english

    def _company_lists(self, text: str, doc: Doc, ents: list[Span],
                       people: set[tuple[int, int]] = frozenset()) -> list[tuple[int, int, str, float, str]]:
        """The other members of a list of companies: a list (A、B和C; "A, B, and C") whose members
        include ``company_lists.min_known`` companies the document names, and no person, model or chip,
        makes its members that look like names companies too ("investors include Maverick Silicon,
        Capital TEN, SIP Global and Intel Capital"; 高瓴、米哈游、IDG和云启资本). A list of people (as many
        people the document names, or this component found in ``people``, and nothing else) does the same
        for its members that have a person's name's shape (鲁宾、萨默斯、耶伦; "Jason Calacanis, Chamath
        Palihapitiya, David Sacks")."""
        out = []
        spans = {(e.start_char, e.end_char): e.label_ for e in ents}
        overlaps = SpanSet(sorted(spans)).overlaps  # any(a < e.end_char and e.start_char < b for e in ents)
        lexicon_people = {(e.start_char, e.end_char) for e in ents if e.label_ == "Person" and not e.id_.startswith(NEW_PREFIX)}
        by_start = {a: (b, t) for (a, b), t in spans.items()}
        by_end = {b: (a, t) for (a, b), t in spans.items()}
        bounds = sentence_bounds(doc)
        # only a sentence with 、, ", " or " and " can hold a list
        listed = sentences_matching(_LIST_JOINS, text, [a for a, _ in bounds], [b for _, b in bounds])
        for start, end in (b for b, joined in zip(bounds, listed) if joined):
            sent = text[start:end]
            for m in self.en_cued_list.finditer(sent) if self.en_cued_list is not None and (" and " in sent or " among " in sent) else ():
                for x in self.en_list_item.finditer(sent, m.start("L"), m.end("L")):
                    a, b = start + x.start(), start + x.end()
                    name = x.group()
                    if (a, b) in spans or overlaps(a, b):
                        continue
                    if name.split()[0] in self.en_org_not_first or name.split()[-1] in self.list_not_last:
                        continue
                    if self._given_and_surname(name):
                        continue
                    out.append((a, b, "Company", self.list_conf, "any.org.cued-list"))
            if "、" in sent:
                lists = self._zh_lists(sent, start, by_start, by_end)
            elif ", " in sent:
                lists = [[(start + a, start + b) for a, b in items] for items in self._en_lists(sent)]
            else:
                continue
            for items in lists:
                kinds = [spans.get(item) or ("Person" if item in people else None) for item in items]
                if len(items) < self.list_min_members:
                    continue
                known = sum(k == "Person" for k in kinds)
                if known and all(k in (None, "Person") for k in kinds):
                    found = [self._person_member(text, a, b, last=i == len(items) - 1, translit=known >= self.list_min_known)
                             for i, ((a, b), kind) in enumerate(zip(items, kinds)) if kind is None]
                    # with fewer people named elsewhere, a Chinese list is one of people only where they are the
                    # lexicon's and every other member is a surname and one or two characters (张建中与周苑、张钰勃;
                    # not 雷朋、奥克利 beside a brand that reads as a transliterated name)
                    if known >= self.list_min_known or (
                            sum(item in lexicon_people for item in items) >= self.list_min_known_zh_people
                            and all(_CJK.search(text[a:b]) for a, b in items)
                            and found and all(f is not None for f in found)):
                        out += [(a, b, "Person", self.list_conf, "any.person.person-list")
                                for a, b in filter(None, found) if not overlaps(a, b)]
                    continue
                if sum(k == "Company" for k in kinds) < self.list_min_known or any(k not in (None, "Company") for k in kinds):
                    continue
                for (a, b), kind in zip(items, kinds):
                    name = text[a:b]
                    if kind is not None or overlaps(a, b):
                        continue
                    if re.search(r"\d[\d.,]*\s*%|^[\d.,]+$", name):
                        continue
                    if _CJK.search(name):
                        # two characters are mostly a common noun (利润、存储、网络); a surname and two a person
                        if len(name) < 3 or not self.zh_list_item.match(name) or (len(name) == 3 and name[0] in self.surnames):
                            continue
                    elif self._given_and_surname(name):
                        continue
                    elif name.split()[-1] in self.list_not_last:
                        continue  # Vanderbilt University, the State of Texas: no firms
                    out.append((a, b, "Company", self.list_conf, "any.org.company-list"))
        return out

    def _person_member(self, text: str, a: int, b: int, last: bool = False, translit: bool = True) -> tuple[int, int] | None:
        """The offsets of a list's member that has a person's name's shape: a surname and one or two
        characters, or (where ``translit``) a transliterated name (Chinese), a given name and a surname
        (Latin). The last member of a Chinese list may run on into the clause (王东联合创立…): its name ends
        at a name's edge."""
        name = text[a:b]
        if not _CJK.search(name):
            return (a, b) if PERSON_RX.match(name) else None
        if (translit and self.zh_translit_name.fullmatch(name)) or (len(name) <= 3 and name[:1] in self.surnames and self._cn_name(name)):
            return a, b
        m = self.zh_name_first.match(text, a, b) if last and len(name) > 3 else None
        if m and self._cn_name(m.group()) and not ordinary_name(text, m.group(), self.ordinary_tags):
            return m.span()
        return None

    def _zh_lists(self, sent: str, offset: int, by_start: dict, by_end: dict) -> list[list[tuple[int, int]]]:
        """Lists joined by 、 (and 和 / 与 / 及 before the last member): each member's offsets. A member at
        either end of the list is a mention of the document there, or a piece up to a name's edge."""
        out = []
        for run in _ZH_LIST_RUN.finditer(sent):
            pieces = []
            pos = run.start()
            for k, piece in enumerate(run.group().split("、")):
                pieces.append((pos, pos + len(piece)))
                pos += len(piece) + 1
            items = []
            # the first member: a mention ending at the first 、, or the piece after an opener or punctuation
            a, b = pieces[0]
            if offset + b in by_end:
                items.append((by_end[offset + b][0] - offset, b))
            else:
                m = self.zh_list_first.search(sent, a, b)
                span = m.span("N") if m else None
                if span is None:  # no opener in the piece: a piece that starts after punctuation is a member
                    m = self.zh_list_first.search(sent[a:b])
                    span = (a + m.start("N"), a + m.end("N")) if m else None
                if span is not None:
                    n0, n1 = span
                    # a mention, then 与 / 和 / 及, opens the list: 张建中与周苑、张钰勃 holds 张建中 and 周苑
                    joined = next((j for j in self.zh_list_and.finditer(sent, n0, n1)
                                   if offset + j.start() in by_end and by_end[offset + j.start()][0] - offset >= n0
                                   and j.end() < n1), None)
                    if joined is not None:
                        items.append((by_end[offset + joined.start()][0] - offset, joined.start()))
                        items.append((joined.end(), n1))
                    else:
                        items.append((n0, n1))
            for a, b in pieces[1:-1]:  # a member in the middle that is no name's shape ends a list
                if (offset + a) in by_start and by_start[offset + a][0] == offset + b or self.zh_list_item.match(sent[a:b]):
                    items.append((a, b))
                else:
                    items.append(None)
            # the last member(s): up to 和 / 与 / 及 and a second member, then a name's edge
            a, b = pieces[-1]

            def member_at(start: int) -> tuple[int, int] | None:
                """The member starting at ``start`` of the sentence: a mention, else up to a name's edge."""
                if offset + start in by_start:
                    return start, by_start[offset + start][0] - offset
                m = self.zh_list_last.match(sent, start)
                return m.span("N") if m else None

            last = member_at(a)
            if last is not None:
                items.append(last)
                m = self.zh_list_and.match(sent, last[1])  # 和 / 与 / 及 and a second member
                if m:
                    second = member_at(m.end())
                    if second is not None:
                        items.append(second)
            group: list[tuple[int, int]] = []
            for item in items + [None]:
                if item is None:
                    if len(group) >= 2:
                        out.append(group)
                    group = []
                elif item[1] > item[0]:
                    group.append((item[0] + offset, item[1] + offset))
        return out

    def _en_lists(self, sent: str) -> list[list[tuple[int, int]]]:
        """English lists of capitalised names: "A, B, C and D", "A, B, and C" (offsets in ``sent``)."""
        out = []
        for m in self.en_list.finditer(sent):
            items = [x.span() for x in self.en_list_item.finditer(re.sub(r"\([^()]*\)", lambda g: " " * len(g.group()), sent), m.start(), m.end())]
            if items and sent[items[0][0]:items[0][1]].split()[0] in self.en_org_not_first:
                items = items[1:]  # a sentence's opener ("The", "In") is no member
            if len(items) >= 2:
                out.append(items)
        return out

    def _list_items(self, sent: str) -> list[tuple[int, int]]:
        """The members of each list closed by 等 and a kind of firm (A、B、C等…公司), as offsets."""
        out = []
        for m in self.zh_list_end.finditer(sent):
            end = m.start()
            items = []
            while True:
                cut = sent.rfind("、", 0, end)
                lo = cut + 1 if cut >= 0 else 0
                piece = sent[lo:end]
                if cut >= 0 and not self.zh_list_item.match(piece) and _LIST_PIECE.fullmatch(piece):
                    end = cut  # a member of its own that is no firm's name as the rule reads one (浙江中和司法鉴定中心): the list goes on
                    continue
                if cut < 0 or not self.zh_list_item.match(piece):
                    # the first member: after the list's opener (有, 包括, a comma …)
                    for k in range(max(0, end - 10), end - 1):
                        if self.zh_list_start.search(sent[max(0, k - 4):k] or " ") and self.zh_list_item.match(sent[k:end]):
                            items.append((k, end))
                            break
                    break
                items.append((lo, end))
                end = cut
            if len(items) >= 2:
                # a member that reads as a person's three-character name (沈南鹏) is not taken for a firm
                out += [(a, b) for a, b in items if not re.fullmatch(r"\d+", sent[a:b])
                        and not (len(sent[a:b]) == 3 and sent[a] in self.surnames)]
        return out

    def _clean(self, text: str, a: int, b: int) -> tuple[int, int] | None:
        a, b = strip_edges(text, a, b)
        name = text[a:b]
        # a Latin name starts with no stop-word (as discovery strips them): "So Jensen, Nvidia's CEO" is
        # Jensen, and a one-word rest is no name these constructions vouch for
        m = _LEADING_WORD.match(name) if " " in name else None
        if m and m.group(1) in self.en_name_not_first:
            while m and m.group(1) in self.en_name_not_first:
                a += m.end()
                name = text[a:b]
                m = _LEADING_WORD.match(name)
            if " " not in name:
                return None
        if len(name) < 2 or name.casefold() in self.stop or name in self.known or re.fullmatch(r"[\d.\s-]+", name) \
                or _YEAR_TAIL.search(name):
            return None  # (a year last: an event, "Auto China 2026")
        if not _CJK.search(name) and (all(w.casefold() in self.stop for w in name.split()) or stop_variant(name, self.stop)):
            return None
        if ordinary_name(text, name, self.ordinary_tags):  # 包括, 百花齐放; "Top AI" in a headline
            return None
        return a, b

    # ------------------------------------------------------------------ the component

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled:
            return doc
        text = doc_text(doc)
        ents = list(doc_mentions(doc))
        taken = sorted((e.start_char, e.end_char) for e in ents)
        discovered = doc._.kg_discovered or {}
        overlaps = SpanSet(taken).overlaps
        # the mentions' offsets (doc.ents are in text order and do not overlap: ends are sorted too)
        ent_starts = [s for s, _ in taken]
        ent_ends = [e for _, e in taken]

        votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        best: dict[str, tuple[float, str]] = {}
        surfaces: dict[str, Counter] = defaultdict(Counter)
        boosts: dict[str, float] = defaultdict(float)  # discovered ids -> the strongest vote seen here
        by_span = {(e.start_char, e.end_char): e for e in ents}
        replaced: set[tuple[int, int]] = set()  # mentions a longer person's name replaces
        direct: set[tuple[int, int]] = set()  # where a rule found a name (not a further occurrence of it)
        for a, b, typ, conf, rule in self._hits(text, doc, ents):
            if self.headlines.drops(text, rule, a):
                continue
            cut = self._clean(text, a, b)
            if cut is None:
                continue
            a, b = cut
            if typ == "Person" and self.org_tail(text[a:b]):  # "Deepwater Asset Management": an organisation
                typ = "Company"
            if typ != "Person" and phrase_head(text[a:b], self.phrase_heads):  # 提供算力: a verb and its object
                continue
            ent = by_span.get((a, b))
            if ent is not None:  # a name discovery already found: the stronger vote wins
                if ent.id_.startswith(NEW_PREFIX) and ent.label_ == typ:
                    boosts[ent.id_] = max(boosts[ent.id_], conf if "trigger" not in rule else
                                          (ent._.kg_confidence or 0.0) + self.trigger_boost)
                continue
            if overlaps(a, b):
                inside = [ents[i] for i in range(bisect_right(ent_ends, a), bisect_left(ent_starts, b))
                          if ents[i].start_char < b and ents[i].end_char > a]
                # a full name over a one-word name of another person ("Vaibhav Taneja" over a lexicon
                # alias "Taneja"), an investment arm over its company ("Samsung Ventures" over Samsung): the
                # longer name wins
                arm = rule == "any.company.arm" and len(inside) == 1 and inside[0].start_char == a
                if typ == "Person" and inside and inside[0].start_char == a and inside[-1].end_char == b and len(
                        {e.id_ for e in inside}) == 1 and not inside[0].id_.startswith(NEW_PREFIX):
                    continue  # "Yann Lecun": the lexicon's person, by its first name and its surname spelt otherwise
                if not arm and not (typ == "Person" and all(
                        e.label_ == "Person" and a <= e.start_char and e.end_char <= b and " " not in e.text
                        and e.end_char - e.start_char < b - a for e in inside)):
                    continue
                replaced.update((e.start_char, e.end_char) for e in inside)
            key = slug(text[a:b])
            votes[key][typ] += conf
            if (key, typ) not in best or best[(key, typ)][0] < conf:
                best[(key, typ)] = (conf, rule)
            surfaces[key][text[a:b]] += 1
            direct.add((a, b))
        self._boost(ents, boosts, discovered)
        if replaced:
            ents = [e for e in ents if (e.start_char, e.end_char) not in replaced]
            taken = sorted((e.start_char, e.end_char) for e in ents)
            overlaps = SpanSet(taken).overlaps

        # every further occurrence of a found name
        info = {}
        contested = SpanSet(sorted(direct)).overlaps
        spans: list[tuple[int, int, str]] = []
        # every name's occurrences in one pass over the text (as ``re.finditer(_bounded(name))`` finds them)
        occurrences = _occurrences(text, {surfaces[key].most_common(1)[0][0] for key in votes})
        for key, vs in votes.items():
            typ = max(vs, key=lambda t: (vs[t], t))
            conf, rule = best.get((key, typ), (max(vs.values()), ""))
            surface = surfaces[key].most_common(1)[0][0]
            found = [(a, b) for a, b in occurrences.get(surface, ()) if not overlaps(a, b)]
            # (an occurrence inside a name a rule found is no further mention: 洪涛 of CTO杨洪涛)
            seen = sum(1 for x in found if x in direct or not contested(*x))
            conf = min(self.max_conf, conf + self.repeat_bonus * (max(seen, 1) - 1))
            info[key] = {"name": surface, "type": typ, "confidence": round(conf, 3), "rule": rule}
            spans += [(s, e, key) for s, e in found]
        chosen: list[tuple[int, int, str]] = []
        free = DisjointSpans()
        for s, e, key in sorted(spans, key=lambda x: (-info[x[2]]["confidence"], -(x[1] - x[0]), x[0])):
            if free.add(s, e):
                chosen.append((s, e, key))
        taken = sorted(taken + [(s, e) for s, e, _ in chosen])
        people = self._people(ents, chosen, info)
        latin, zh = self._short_owners(people)
        # a one-word person discovery found ("says Mr Guarino") whose word is the first or last name of
        # the one person the document names in full ("David Guarino", found here): that person
        absorbed = [(e.start_char, e.end_char, latin[e.text], "Person", people[latin[e.text]][1]) for e in ents
                    if e.label_ == "Person" and e.id_.startswith(NEW_PREFIX) and e.text in latin
                    and latin[e.text] != e.id_]
        if absorbed:
            gone = {(a, b) for a, b, *_ in absorbed}
            ents = [e for e in ents if (e.start_char, e.end_char) not in gone]
        short = self._short_names(text, latin, zh, people, overlaps_fn=SpanSet(taken).overlaps) + absorbed
        if not chosen and not short and not replaced:
            return doc
        kept = [(e.start_char, e.end_char, e.label_, e.id_) for e in ents]
        # the kept mentions, as spans of the tokens after the split (their own spans if nothing was split);
        # their extension values (kg_context, kg_confidence) stay, as spaCy keeps them by character offsets
        if _split_at(doc, {x for s, e, *_ in chosen + short for x in (s, e)}):
            new_ents = [doc.char_span(s, e, label=label, span_id=ent_id) for s, e, label, ent_id in kept]
        else:
            new_ents = list(ents)
        used = Counter()
        for s, e, key in chosen:
            span = doc.char_span(s, e, label=info[key]["type"], span_id=NEW_PREFIX + key)
            if span is None:
                continue
            span._.kg_confidence = info[key]["confidence"]
            new_ents.append(span)
            used[key] += 1
        for s, e, ent_id, label, conf in short:
            span = doc.char_span(s, e, label=label, span_id=ent_id)
            if span is None:
                continue
            span._.kg_context = True
            span._.kg_confidence = conf
            new_ents.append(span)
        set_mentions(doc, sorted(new_ents, key=lambda sp: sp.start))
        added = {NEW_PREFIX + k: {**info[k], "count": n} for k, n in used.items()}
        doc._.kg_names = added
        named = {e.id_ for e in ents}  # a found name every mention of which went to a person's full name is gone
        doc._.kg_discovered = {**{k: v for k, v in discovered.items() if k in named}, **added}
        return doc

    def _boost(self, ents: list[Span], boosts: dict[str, float], discovered: dict) -> None:
        """Names discovery found that a title, a cue or a trigger here also supports (``ents``: the
        document's mentions, ``doc.ents`` as read on entry; reading ``doc.ents`` again builds every
        span anew)."""
        if not boosts:
            return
        for e in ents:
            conf = boosts.get(e.id_)
            if conf is not None and (e._.kg_confidence or 0.0) < min(self.max_conf, conf):
                e._.kg_confidence = min(self.max_conf, conf)
        for ent_id, conf in boosts.items():
            conf = min(self.max_conf, conf)
            if ent_id in discovered and discovered[ent_id]["confidence"] < conf:
                discovered[ent_id] = {**discovered[ent_id], "confidence": round(conf, 3)}

    @staticmethod
    def _people(ents: list[Span], chosen, info) -> dict[str, tuple[str, float]]:
        """Person id -> (full surface, confidence) of the people the document names (mentions that are
        no short name, then the names found here)."""
        people: dict[str, tuple[str, float]] = {}
        for e in ents:
            if e.label_ == "Person" and not e._.kg_context:
                people.setdefault(e.id_, (e.text, e._.kg_confidence if e._.kg_confidence is not None else 1.0))
        for _s, _e, key in chosen:
            if info[key]["type"] == "Person":
                people.setdefault(NEW_PREFIX + key, (info[key]["name"], info[key]["confidence"]))
        return people

    def _short_owners(self, people: dict[str, tuple[str, float]]) -> tuple[dict[str, str], dict[str, str]]:
        """(a first or last name -> person id, a Chinese surname -> person id), of the short forms exactly
        one of ``people`` has."""
        latin: dict[str, set[str]] = defaultdict(set)
        zh: dict[str, set[str]] = defaultdict(set)
        for pid, (full, _) in people.items():
            for key, form in self._short_forms(full):
                (zh if key == "zh" else latin)[form].add(pid)
        return ({w: next(iter(i)) for w, i in latin.items() if len(i) == 1},
                {w: next(iter(i)) for w, i in zh.items() if len(i) == 1})

    def _short_names(self, text: str, latin: dict[str, str], zh: dict[str, str],
                     people: dict[str, tuple[str, float]], overlaps_fn) -> list[tuple]:
        """(start, end, entity id, type, confidence) of each short name of a person named in full
        (``latin``, ``zh``: ``_short_owners``)."""
        out = []
        patterns = self._short_patterns(latin, zh)
        # each pattern's matches (as finditer gives them), tried only where a name or surname stands:
        # one automaton pass for all of them (their look-behinds keep the regex engine from skipping ahead)
        for (rx, owners), matches in zip(patterns, PrefixScan([rx for rx, _ in patterns]).finditer(text)):
            for m in matches:
                a, b = m.span("N")
                if not overlaps_fn(a, b):
                    pid = owners[m.group("S")]
                    out.append((a, b, pid, "Person", people[pid][1]))
        out.sort()
        kept, last = [], -1
        for item in out:
            if item[0] >= last:
                kept.append(item)
                last = item[1]
        return kept

    def _short_forms(self, full: str) -> list[tuple[str, str]]:
        """("latin", a first or last name) or ("zh", a surname) by which a text goes on naming ``full``."""
        full = " ".join(full.split())
        if _CJK.search(full):
            name = full.replace(" ", "")
            if "·" in name or not (2 <= len(name) <= 4):
                return []
            sur = name[:2] if name[:2] in self.surnames else name[:1]
            if sur not in self.surnames or len(name) - len(sur) < 1:
                return []
            return [("zh", sur)]
        words = full.split()
        if len(words) < 2 or not PERSON_RX.match(full):
            return []
        return [("latin", w) for w in sorted({words[0], words[-1]})
                if len(w) >= self.min_latin and w.casefold() not in self.stop and w not in self.known and w[0].isupper()]

    def _short_patterns(self, latin: dict[str, str], zh: dict[str, str]) -> list[tuple[re.Pattern, dict[str, str]]]:
        """One pattern per kind of short name (group S: the name or surname, N: the mention)."""
        out = []
        if latin:
            # alone: not inside a longer capitalised name ("Huang said", not "Nilay Huang" or "Huang Lab")
            out.append((re.compile(f"(?<![A-Za-z0-9&.'-])(?<![A-Z][A-Za-z.] )(?P<N>(?P<S>{_alt(latin)}))"
                                   f"(?![A-Za-z0-9&-])(?! [A-Z][a-z])"), latin))
        if zh:
            surs = _alt(zh)
            if self.hon_after:  # 黄总, not 黄总裁 / 黄总结
                not_next = "".join(self.hon_not_followed)
                out.append((re.compile(f"(?<![\u4e00-\u9fff])(?P<N>(?P<S>{surs})(?:{_alt(self.hon_after)}))"
                                       + (f"(?![{not_next}])" if not_next else "")), zh))
            for pre in self.hon_before:  # 老黄
                ok = [x for x in zh if pre + x not in self.not_names]
                if ok:
                    out.append((re.compile(f"(?<![\u4e00-\u9fff])(?P<N>{re.escape(pre)}(?P<S>{_alt(ok)}))"), zh))
            if self.says:  # 黄说
                out.append((re.compile(f"(?<![\u4e00-\u9fff])(?P<N>(?P<S>{surs}))(?=(?:{_alt(self.says)}))"), zh))
        return out


_LATIN_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


class _FoundedFirms:
    """The patterns of names.yaml's founded_firms: (Names._founded_firms)."""

    def __init__(self, cfg: dict, kinds: str, kind_after: list[str], not_first: str):
        self.conf = float(cfg.get("confidence", 0.7))
        # a document with none of the founding words needs no further look
        self.has = re.compile(f"(?i:{_alt(cfg.get('cues') or [])})") if cfg.get("cues") else re.compile("")
        self.zh = re.compile(cfg["zh"]) if cfg.get("zh") else None
        self.zh_founder = re.compile(f"(?:{cfg['zh_founders']})(?={cfg['zh']})") \
            if cfg.get("zh_founders") and cfg.get("zh") else None
        self.zh_edge = re.compile(f"(?:{_alt(kind_after + list(cfg.get('zh_after') or []))})")
        # a Latin word, then a trade's kind (创立的AI公司百川智能, AI 初创公司); a kind that ends the name (芯片公司)
        self.kind_after = re.compile(f" ?[\u4e00-\u9fff]{{0,4}}?(?:{kinds})") if kinds else re.compile("(?!)")
        self.kind_end = re.compile(f"(?:{kinds})$") if kinds else re.compile("(?!)")
        self.latin = re.compile(_LATIN_NAME)
        self.en = re.compile(cfg["en"]) if cfg.get("en") else None
        self.en_name = re.compile(f"(?!(?:{not_first})\\b){_LATIN_NAME}")
        self.en_by = re.compile(f"(?P<N>(?!(?:{not_first})\\b){_LATIN_NAME}){cfg['en_by']}") if cfg.get("en_by") else None


def _latin_before(sent: str, lo: int, end: int) -> bool:
    """Can ``trigger_before`` (a Latin name, up to two spaces, the end: ``$``, which also matches
    before a final line break) match in ``sent[lo:end]``? Only if, past a final line break and the
    spaces before it, a Latin letter or digit stands there: most triggers of a Chinese sentence
    follow a Chinese character, and the search is skipped."""
    if end > lo and sent[end - 1] == "\n":
        end -= 1
    while end > lo and sent[end - 1] == " ":
        end -= 1
    return end > lo and sent[end - 1] in _LATIN_ALNUM
