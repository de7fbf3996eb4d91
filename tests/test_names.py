"""kg_names: people by title, organisations by cue word, short names after the full name (built
through kg build, read from the graph a user gets)."""

from __future__ import annotations

import pytest

from rdflib import RDF, RDFS, Dataset, Namespace

from .conftest import built_graph

KG = Namespace("https://w3id.org/ai-kg/ontology#")


_build = built_graph


def _names(ds: Dataset) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s, _, o, _ in ds.quads((None, RDFS.label, None, None)):
        out.setdefault(str(s), set()).add(str(o))
    return out


def _labels(ds: Dataset, type_name: str) -> set[str]:
    names = _names(ds)
    return {n for s, _, _, _ in ds.quads((None, RDF.type, KG[type_name], None)) for n in names.get(str(s), ())}


def _assert_labels(ds: Dataset, type_name: str, found: set[str], not_found: set[str] = frozenset()) -> None:
    """Every name of ``found`` and none of ``not_found`` is a label of an entity of ``type_name``."""
    labels = _labels(ds, type_name)
    assert found <= labels, found - labels
    assert not not_found & labels, not_found & labels


def _rel(ds: Dataset, predicate: str) -> set[tuple[str, str]]:
    names = _names(ds)
    return {(a, b) for s, _, o, _ in ds.quads((None, KG[predicate], None, None))
            for a in names.get(str(s), ()) for b in names.get(str(o), ())}


def test_chinese_people_by_title_gloss_and_firm(tmp_path):
    ds = _build(tmp_path, "MiniMax 的早期投资人、明势资本创始人黄明明说，这是一个机会。\n"
                          "这笔资金来自王小川的朋友圈，如陈大年（盛大集团联合创始人）、张邦鑫（好未来创始人兼CEO）。\n"
                          "拾象创始人兼CEO李广密说，他们擅长解题。黄总认为如此。\n")
    people = _labels(ds, "Person")
    assert {"黄明明", "陈大年", "张邦鑫", "李广密"} <= people
    assert "黄总" not in people  # a short name is not a name of its own, nor the entity's label
    assert "明势资本" in _labels(ds, "Company")
    assert ("黄明明", "明势资本") in _rel(ds, "affiliatedWith")


def test_words_that_look_like_names_are_not_people(tmp_path):
    ds = _build(tmp_path, "DeepSeek 开始被投资人包围。商汤曾公布，已与车企联手。投资人和宿华见了面。\n")
    people = _labels(ds, "Person")
    assert not {"包围", "曾公布", "和宿华"} & people


def test_english_titles_and_analyst_firms(tmp_path):
    ds = _build(tmp_path, "During the call, CFO Vaibhav Taneja noted that spending grew. "
                          "Analyst Jane Doe of Kestrel Research expects growth. Taneja added more. "
                          "Bernstein Research agrees.\n")
    assert {"Vaibhav Taneja", "Jane Doe"} <= _labels(ds, "Person")
    companies = _labels(ds, "Company")
    assert "Kestrel Research" in companies  # found by its cue word
    assert "Bernstein" in companies and "Bernstein Research" not in companies  # the lexicon's firm, by its alias


def test_surname_after_full_name_is_the_same_person(tmp_path):
    # "Huang" alone names Jensen Huang, so the relation of its sentence is his
    ds = _build(tmp_path, "Jensen Huang spoke on Monday.\nHuang is the CEO of Nvidia, he said.\n")
    assert any(a == "Jensen Huang" and b == "Nvidia" for a, b in _rel(ds, "affiliatedWith"))


def test_names_config_in_the_saved_pipeline_round_trips(tmp_path):
    import spacy

    from kg.extract import Extractor
    from kg.lexicon import Lexicon

    nlp = Extractor(Lexicon.load(), relation_model=None).nlp("zh")
    assert "kg_names" in nlp.pipe_names
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    text = "拾象创始人兼CEO李广密说，他们擅长解题。"
    assert [(e.text, e.label_) for e in again(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]
    assert ("李广密", "Person") in [(e.text, e.label_) for e in nlp(text).ents]


def test_firms_in_a_list_closed_by_a_kind_and_after_their_trade(tmp_path):
    ds = _build(tmp_path, "用友网络、金蝶、万兴科技、奇安信、亚信安全等国内软件公司相继宣称接入。\n"
                          "我们投了人形机器人公司逐际动力，核心逻辑很简单。他们要么与多个人工智能公司合作。\n"
                          "目前已与餐饮、健身、沙龙等行业多家头部企业达成合作。2014年有人问黄明明总，你会投吗。\n")
    companies = _labels(ds, "Company")
    assert {"万兴科技", "奇安信", "亚信安全", "逐际动力"} <= companies
    assert not {"合作", "健身", "沙龙", "相继宣称接入"} & companies  # trades and verbs are no firms
    assert "黄明明" in _labels(ds, "Person")


def _mention_count(ds: Dataset, label: str) -> int:
    names = _names(ds)
    return sum(int(n) for s, _, e, _ in ds.quads((None, KG.entity, None, None))
               if label in names.get(str(e), ()) for _, _, n, _ in ds.quads((s, KG.mentionCount, None, None)))


def test_distinctive_given_name_alone_is_the_person(tmp_path):
    # a podcast names its people by first name only: a given name no other entity of the lexicon has,
    # and no common given name, is the person; "Sam" and "David" are too common to stand alone
    ds = _build(tmp_path, "Look at who he's facing. Elon was his benefactor, now his competitor. "
                          "Sundar runs Google now, and Satya is at Microsoft.\n\nSam is in the office. David said no.\n")
    people = _labels(ds, "Person")
    assert {"Elon Musk", "Sundar Pichai", "Satya Nadella"} <= people
    assert "Sam Altman" not in people
    assert not any(p.startswith("David") for p in people)


def test_short_model_name_counts_where_its_maker_is_named(tmp_path):
    ds = _build(tmp_path, "DeepSeek 先发布了 V3，一个月后又发布了推理模型 R1。\n")
    assert {"DeepSeek-V3", "DeepSeek-R1"} <= _labels(ds, "Model")
    # no maker named: R1 and V3 are any product's
    (tmp_path / "other").mkdir()
    ds = _build(tmp_path / "other", "Qualcomm showed the R1 headset and a V3 engine at the fair.\n")
    assert not {"DeepSeek-V3", "DeepSeek-R1"} & _labels(ds, "Model")


def test_company_short_name_in_a_list_of_companies_counts_in_the_document(tmp_path):
    ds = _build(tmp_path, "之后是字节、阿里、百度、腾讯等大厂跟进。字节是真正第一个跟进的。硬盘以艾字节计。\n")
    assert "ByteDance" in _labels(ds, "Company")
    assert _mention_count(ds, "ByteDance") == 2  # not the exabyte (艾字节)
    # where the document writes it as a unit (一个字节), 字节 is a byte throughout
    (tmp_path / "other").mkdir()
    ds = _build(tmp_path / "other", "一个字节有八位。字节是最小的单位。\n")
    assert "ByteDance" not in _labels(ds, "Company")
    # elsewhere it counts alone (names.yaml standalone_labels): this industry's text means ByteDance by it
    (tmp_path / "alone").mkdir()
    ds = _build(tmp_path / "alone", "从字节开始，阿里、百度、腾讯都跟进了降价。\n")
    assert _mention_count(ds, "ByteDance") == 1


def test_a_short_name_inside_a_longer_word_is_no_mention(tmp_path):
    # 金山 (Kingsoft's short name) beside a company named in full counts; inside 旧金山 (San Francisco,
    # a word of jieba's dictionary that begins before it) it is part of the place's name, even in a list
    ds = _build(tmp_path, "现在你飞到旧金山，Waymo就非常棒。\n")
    assert "Kingsoft" not in _labels(ds, "Company")
    (tmp_path / "listed").mkdir()
    ds = _build(tmp_path / "listed", "金山、Waymo和小米都来了，他们住在旧金山。\n")
    assert _mention_count(ds, "Kingsoft") == 1


@pytest.mark.parametrize("listed, alone, name", [
    ("搜狗当时在和360、阿里谈判。", "这款相机支持360度拍摄，360 亿美元的订单来自谷歌。", "Qihoo 360"),  # also a number
    ("LG, DST and eBay joined the round.", "Clocks change with DST in March, Google said.", "DST Global"),  # also a clock's
])
def test_a_short_name_that_is_also_a_word_counts_only_beside_companies(tmp_path, listed, alone, name):
    # a company's context label (kg:contextLabel) that is also an ordinary word or number counts in a list of companies
    assert name in _labels(_build(tmp_path, listed + "\n"), "Company")
    (tmp_path / "other").mkdir()
    assert name not in _labels(_build(tmp_path / "other", alone + "\n"), "Company")


def test_bylines_with_pen_names_and_the_header_author(tmp_path):
    # the header's 作者: line is the document's author (its label is left out of the text); a run of
    # bylines with separators signs pen names too
    ds = _build(tmp_path, "大模型的扑克牌\n\n作者：张小珺\n\n作者丨宋婧编辑丨赵晨监制丨连晓东\n\n"
                          "据报道，这家公司支持中文/英文两种界面。（编译/金鹿）\n\n编辑 |漠影\n")
    people = _labels(ds, "Person")
    assert {"张小珺", "宋婧", "赵晨", "连晓东", "金鹿", "漠影"} <= people
    assert "英文" not in people


def test_a_name_alone_on_a_line_far_from_the_head_is_not_a_byline(tmp_path):
    body = "".join(f"第{i}段，英伟达发布了新产品。\n" for i in range(12))
    ds = _build(tmp_path, "标题\n\n" + body + "罗晓楠\n")  # a name of no list: only a byline's place would make it one
    assert "罗晓楠" not in _labels(ds, "Person")


def test_other_members_of_a_list_of_companies_are_companies(tmp_path):
    ds = _build(tmp_path, "Other investors in the round include Maverick Silicon, Capital TEN, Intel Capital, "
                          "Samsung and AMD.\n\n投资方是高瓴、米哈游、绿洲资本和腾讯。\n")
    companies = _labels(ds, "Company")
    assert {"Maverick Silicon", "Capital TEN", "绿洲资本"} <= companies


def test_a_name_that_starts_with_a_digit_is_not_read_inside_a_number(tmp_path):
    # 3M the company, not the 3M of "$3M" or "715.3M"
    ds = _build(tmp_path, "The start-up raised $3M last year. 9 个月累计净亏损 $715.3M。\n")
    assert "3M" not in _labels(ds, "Company")
    (tmp_path / "b").mkdir()
    ds = _build(tmp_path / "b", "3M 公司也在名单上，3M makes tape. 对此，360集团创始人也表了态。\n")
    assert {"3M", "Qihoo 360"} <= _labels(ds, "Company")


def test_a_companys_investment_arm_is_a_company_of_its_own(tmp_path):
    ds = _build(tmp_path, "Investors in the round include Samsung Ventures and Micron Ventures. Samsung also sells memory.\n"
                          "三星风投也参与了这一轮。\n\nNvidia Capital Expenditures Rose Again\n")
    companies = _labels(ds, "Company")
    assert {"Samsung Ventures", "Micron Ventures", "三星风投", "Samsung"} <= companies
    # a heading's capitalised words after a company are no arm
    assert "Nvidia Capital" not in companies


def test_a_list_member_of_latin_letters_and_chinese_is_one_company(tmp_path):
    # SB能源, TCL科技: Latin letters and a firm's Chinese name, one member, and the list goes on past it
    ds = _build(tmp_path, "甲骨文、CoreWeave、QX能源、亚马逊和谷歌都与OpenAI签署了大型计算合同。\n")
    companies = _labels(ds, "Company")
    assert "QX能源" in companies and "QX" not in companies
    assert {("Oracle", "OpenAI"), ("CoreWeave", "OpenAI")} <= _rel(ds, "supplies")


def test_lists_that_are_not_lists_of_companies_name_no_company(tmp_path):
    # a person among the members, shares of profit, kinds of product: no company is made of the others
    ds = _build(tmp_path, "跟投方包括宿华、砺思资本、腾讯和阿里。折旧分别占微软、亚马逊、谷歌净利润的16%、26%、10%。\n"
                          "客户会消耗微软、谷歌、亚马逊的计算、存储、网络、数据库等产品。\n\n"
                          "The panel had Jensen Huang, Lisa Su, Brad Gerstner and Nvidia people.\n")
    companies = _labels(ds, "Company")
    assert not {"宿华", "16%", "26%", "存储", "网络", "数据库", "Brad Gerstner"} & companies


def test_a_common_given_name_and_a_surname_is_a_person(tmp_path):
    ds = _build(tmp_path, "Like our friend Brad Gerstner was saying. I talked to Jeff Sprecher the day he invested.\n\n"
                          "Erik So are you optimistic? Sarah He called him formidable, so he is.\n\n"
                          "Will Nvidia win? They met at Chase Bank and at David Street.\n")
    people = _labels(ds, "Person")
    assert {"Brad Gerstner", "Jeff Sprecher"} <= people
    # a surname is no word the document writes in lower case, nor a street; Will and Chase are words
    assert not {"Erik So", "Sarah He", "Will Nvidia", "Chase Bank", "David Street"} & people


def test_given_names_of_other_languages_and_a_known_person_spelt_otherwise(tmp_path):
    ds = _build(tmp_path, "The lab hired Laurent Vaquier as COO and Pascale Brennwald as research chief.\n\n"
                          "Meta's chief scientist Yann Lecun left to start a company.\n")
    people = _labels(ds, "Person")
    # French given names (given-names.txt: the census's and those of Faker's non-English locales)
    assert {"Laurent Vaquier", "Pascale Brennwald"} <= people
    # the lexicon's Yann LeCun, his surname in other capitals: no second person of that name
    names = _names(ds)
    lecun = [s for s, _, _, _ in ds.quads((None, RDF.type, KG.Person, None))
             if any(n.casefold() == "yann lecun" for n in names.get(str(s), ()))]
    assert len(lecun) == 1 and "Yann LeCun" in names[str(lecun[0])]


def test_a_list_cue_that_opens_a_sentence_keeps_its_capital(tmp_path):
    ds = _build(tmp_path, "Startups like Veltrix and Quandrel are challenging Nvidia. "
                          "Companies such as Orbelle and Tessivane sell chips.\n")
    assert {"Veltrix", "Quandrel", "Orbelle", "Tessivane"} <= _labels(ds, "Company")


def test_other_members_of_a_list_of_people_are_people(tmp_path):
    ds = _build(tmp_path, "The episode with Jason Calacanis, Chamath Palihapitiya, David Sacks and David Friedberg.\n\n"
                          "They met Jensen Huang, Lisa Su, Sam Altman and Acme Robotics at the fair.\n")
    people = _labels(ds, "Person")
    assert "Chamath Palihapitiya" in people
    # a member with a firm's cue word is the firm its cue says, not a person of the list
    assert "Acme Robotics" not in people and "Acme Robotics" in _labels(ds, "Company")


def test_a_list_member_with_a_gloss_is_still_a_member(tmp_path):
    ds = _build(tmp_path, "Others in the round include Maverick Silicon, Capital TEN (from Taiwan), Intel Capital, "
                          "Samsung and AMD.\n")
    assert {"Maverick Silicon", "Capital TEN"} <= _labels(ds, "Company")


def test_a_university_in_a_list_of_investors_is_no_company(tmp_path):
    ds = _build(tmp_path, "Investors include Intel Capital, Samsung, Vanderbilt University, Nimbus Partners and AMD.\n")
    companies = _labels(ds, "Company")
    assert "Vanderbilt University" not in companies and "Nimbus Partners" in companies


def test_headings_captions_and_pronouns_before_a_colon_are_no_speakers(tmp_path):
    # (the speaker speaks twice: a label used once is a heading, test_discovery.py)
    ds = _build(tmp_path, "划重点：\n\n图注：OpenAI 总裁在台上。\n\n第一层：芯片。\n\n结语：\n\n他说：我们会做下去。\n\n"
                          "林柏宏：我们会做下去。\n\n林柏宏：明年再看。\n")
    people = _labels(ds, "Person")
    assert "林柏宏" in people
    assert not {"划重点", "图注", "第一层", "结语", "他说"} & people


def test_transliterated_names_keep_their_usual_characters_and_never_end_at_a_dot(tmp_path):
    # 廉 翰 治 瑞 顿 文 翠 are usual in transliterated English names; a name one part of which the lexicon
    # holds (辛顿 is Geoffrey Hinton) is that person, not a new one cut at the dot
    ds = _build(tmp_path, "首席运营官约翰·威廉姆斯说，乔治·瑞德和杰西卡·利文斯顿都来了。副总裁派翠克·柯林森也到了。"
                          "图灵奖得主杰夫·辛顿没有来。\n")
    people = _labels(ds, "Person")
    assert {"约翰·威廉姆斯", "乔治·瑞德", "杰西卡·利文斯顿", "派翠克·柯林森"} <= people
    assert not {"约翰·威", "杰西卡·利", "克·柯林森", "杰夫·", "杰夫"} & people


def test_a_possessive_or_an_adjective_before_ai_is_no_company(tmp_path):
    # "X's AI", "Israeli AI", "Generative AI", "Today's AI models": owners and adjectives, no names;
    # a name of that shape still is one ("Kestrel AI", "Quorra Labs")
    ds = _build(tmp_path, "Martin Scorsese's AI film was discussed. Saudi Arabia's AI push is big. "
                          "Israeli AI startups raised money. Today's AI models are cheap. Generative AI is hot. "
                          "US-based AI companies lead. Meanwhile, Kestrel AI raised money and Quorra Labs grew.\n")
    companies, models = _labels(ds, "Company"), _labels(ds, "Model")
    assert {"Kestrel AI", "Quorra Labs"} <= companies
    assert not {"Scorsese's AI", "Arabia's AI", "Israeli AI", "Generative AI", "US-based AI", "Today"} & (companies | models)


def test_a_transliteration_glossed_by_a_known_name_is_that_entity(tmp_path):
    # the lexicon spells Larry Ellison 拉里·埃里森; a text that writes 乐瑞·艾里森 (Larry Ellison) means him,
    # and every later 乐瑞·艾里森 too; a gloss the lexicon does not know makes one new person of both
    ds = _build(tmp_path, "甲骨文的灵魂人物：乐瑞·艾里森（Larry Ellison）。后来乐瑞·艾里森又买了股票。"
                          "参议员彼得·诺兰德（Peter Norland）也说了话。\n")
    entity_of = {occ: str(e).rsplit("/", 1)[-1] for occ, _, e, _ in ds.quads((None, KG.entity, None, None))}
    counts = {entity_of[occ]: int(n) for occ, _, n, _ in ds.quads((None, KG.mentionCount, None, None))}
    assert counts.get("larry-ellison") == 3
    assert not {"乐瑞·艾里森"} & _labels(ds, "Person")
    new_people = {k: v for k, v in counts.items() if k.startswith("new-person-")}
    assert list(new_people.values()) == [2] and "Peter Norland" in _labels(ds, "Person")


def test_a_family_variant_after_a_hyphen_is_a_model_of_its_own(tmp_path):
    # Qwen-Long is not Qwen, Hunyuan-lite not Hunyuan; a compound adjective (GPT-based, Claude-like) is no variant
    ds = _build(tmp_path, "阿里官宣大模型降价，Qwen-Long 直降97%；腾讯云的 Hunyuan-lite 免费。"
                          "xAI had a hit coding model called Grok-Code Fast 1. We built a Claude-like tool on GPT-based code.\n")
    models = _labels(ds, "Model")
    assert {"Qwen-Long", "Hunyuan-lite", "Grok-Code Fast 1"} <= models
    assert not {"Claude-like", "GPT-based"} & models


def test_numbered_and_layered_headings_and_a_copula_before_a_colon_are_no_speakers(tmp_path):
    # an analysis that lists its layers, trends or steps as headings (no Chinese name begins with a numeral), and a
    # sentence that goes on after 结果是：
    ds = _build(tmp_path, "能源層：美國 50 分，中國 100 分還在漲。\n\n晶片层：美国领先。\n\n趋势二：模型变便宜。\n\n"
                          "采访者：你好。\n\n研究团队比较了用水量。結果是：用水很少。\n\n韩明远：我们会做下去。\n\n"
                          "韩明远：明年再看。\n\n一阶：直接调用接口。\n\n二阶：自己写提示词。\n\n"
                          "一阶：卷界面。\n\n二阶：卷提示词。\n")
    people = _labels(ds, "Person")
    assert "韩明远" in people
    assert not {"能源层", "能源層", "晶片层", "趋势二", "采访者", "结果是", "結果是", "一阶", "二阶"} & people


def test_a_name_after_a_title_ends_before_the_next_word(tmp_path):
    # the loose title rule (no name's edge after the name) takes a surname and one character where the
    # next one starts a word (带着, 出席, 发起), and keeps three-character names whole
    ds = _build(tmp_path, "两个月前，这家公司的投资人韩斌带着问题来了。联合创始人邵冰出席了发布会。"
                          "总经理尚海龙去年离开了公司。")
    people = _labels(ds, "Person")
    assert {"韩斌", "邵冰", "尚海龙"} <= people
    assert not people & {"韩斌带", "邵冰出"}


def test_a_byline_names_its_co_signers_and_may_follow_the_outlet(tmp_path):
    ds = _build(tmp_path, "标题\n\n采访丨韩明远 邵晓雪 祝文娟\n某报记者：宋立新    某报编辑：兰晓英\n\n"
                          "正文说，芯片很贵。\n本文作者：吴子豪、苏晓阳，来源：某科技\n")
    assert {"韩明远", "邵晓雪", "祝文娟", "宋立新", "兰晓英", "吴子豪", "苏晓阳"} <= _labels(ds, "Person")


def test_a_byline_whose_separators_were_lost_to_spaces_or_line_breaks(tmp_path):
    # a copied page: the byline word and the name apart by a space, or each on a line of its own
    ds = _build(tmp_path, "标题\n\n正文说，芯片很贵。各方暂未有明确回应。\n内容来源:某周报\n作者\n韩明远\n编辑\n邵晓雪\n\n"
                          "约稿作者 某律所合伙人 宋立新  编辑 兰晓英 祝文娟  新一轮政策下，芯片很贵。\n"
                          "他说这个设计 很好，王总也同意。\n")
    people = _labels(ds, "Person")
    assert {"韩明远", "邵晓雪", "兰晓英", "祝文娟"} <= people
    # a byline word inside a sentence, a space, then words that are no name standing alone: nobody
    assert not {"很好", "很好王"} & people


def test_a_list_of_clients_closed_by_a_kind_of_firm(tmp_path):
    """A、B、C 等行业领军企业: the firms that lead a trade (not 等行业: trades); 服务 opens the list; a member the rule
    reads as no firm's name (浙江中和鉴定中心, with 和) leaves the others members."""
    ds = _build(tmp_path, "青枢智能已成功服务浙江交港集团、万屿管理、浙江中和鉴定中心、宁波汇才集团等行业领军企业与机构。"
                          "金融、医疗、制造等行业的公司都在用它。\n")
    companies = _labels(ds, "Company")
    assert {"浙江交港集团", "万屿管理", "宁波汇才集团"} <= companies
    assert not companies & {"金融", "医疗", "制造"}


def test_a_verb_after_a_titled_name_is_no_part_of_it(tmp_path):
    """创始人宋岑执掌研发: the founder is 宋岑, who heads R&D (执掌), not 宋岑执; likewise 透露, 回应, 谈到 …"""
    ds = _build(tmp_path, "星槎科技的创始人宋岑执掌研发多年。投资人韩屿透露了新一轮融资。总裁邬桐回应说，价格不会再降。\n")
    people = _labels(ds, "Person")
    assert {"宋岑", "韩屿", "邬桐"} <= people
    assert not people & {"宋岑执", "韩屿透", "邬桐回"}


def test_a_list_after_words_that_name_firms_is_a_list_of_firms(tmp_path):
    ds = _build(tmp_path, "Other startups in the photonics race include Lumen Forge and Qubitra. "
                          "She wrote checks into companies such as Pallwick, Brisa Health, and Tandem Ledger. "
                          "The loans had support from the likes of Harrowgate and Veltrix. "
                          "Investors include Jane Smith and Mark Doe. "
                          "The round came with participation from Ostrava Point, Kellbrook, QRVC, and others. "
                          "It was led by Jane Smith and Mark Doe.\n")
    companies = _labels(ds, "Company")
    assert {"Lumen Forge", "Qubitra", "Pallwick", "Brisa Health", "Tandem Ledger", "Harrowgate", "Veltrix"} <= companies
    assert {"Ostrava Point", "Kellbrook", "QRVC"} <= companies  # a funding round's phrase; "and others" ends the list
    assert not companies & {"Jane Smith", "Mark Doe"}


def test_a_news_channel_named_after_a_company_is_no_mention_of_it(tmp_path):
    # ontology/names.yaml outlets: a lexicon name inside a publication's name is no mention of the company
    ds = _build(tmp_path, "腾讯科技讯 3月30日消息，微软与 OpenAI 的高管们在探讨一个数据中心项目。\n"
                          "本文来自騰訊新聞《潜望》，作者张小珺。\n")
    companies = _labels(ds, "Company")
    assert {"Microsoft", "微软", "OpenAI"} <= companies
    assert not {"腾讯", "Tencent", "腾讯科技", "腾讯新闻"} & companies
    (tmp_path / "again").mkdir()
    again = _build(tmp_path / "again", "据腾讯新闻报道，腾讯领投了月之暗面的新一轮融资。\n")
    assert ("Tencent", "Moonshot AI") in _rel(again, "investsIn")  # the company named outside the channel's name


def test_a_sentence_opener_before_a_name_is_no_part_of_it(tmp_path):
    # "So Jensen, Nvidia's CEO": the lexicon's Jensen Huang, not a new person "So Jensen"; "Well Dana Brown,
    # CEO of …" is Dana Brown
    ds = _build(tmp_path, "Nvidia sells GPUs. So Jensen, Nvidia's CEO, likes big numbers.\n"
                          "Well Dana Brown, CEO of Quillfeather Robotics, agreed. And Omar Haddad, the founder of Ravel, too.\n")
    people = _labels(ds, "Person")
    assert "Jensen Huang" in people
    assert {"Dana Brown", "Omar Haddad"} <= people
    assert not {p for p in people if p.split()[0] in {"So", "Well", "And"}}


def test_surnames_with_a_prefix_before_a_capital(tmp_path):
    ds = _build(tmp_path, "We speak with Brannin McBee, co-founder of CoreWeave. The CTO Dara MacKenzie agreed.\n"
                          "Conan O'Brien, CEO of Tallwood Labs, and Mary DeVos, the president of Tallwood Labs, spoke.\n")
    people = _labels(ds, "Person")
    assert {"Brannin McBee", "Dara MacKenzie", "Conan O'Brien", "Mary DeVos"} <= people


def test_a_chinese_full_name_before_a_verb_of_saying_is_a_person(tmp_path):
    ds = _build(tmp_path, "“增长放缓了。”刘华表示，“头部企业仍在投入。”\n"
                          "对于这笔交易，张正友认为估值偏高。英伟达CEO黄仁勋出席。黄并表示，需求强劲。\n"
                          "公司表示，董事长表示，马上表示，高管指出：三季度好转。\n")
    people = _labels(ds, "Person")
    assert {"刘华", "张正友"} <= people
    # "黄并表示" is Huang also saying; a company, a title, an adverb and 高管 are no people
    assert not {"黄并", "公司", "董事长", "马上", "高管"} & people
    ds = _build(tmp_path, "英伟达CEO黄仁勋来了。黄总认为需求强劲。\n", name="short.txt")
    assert "黄总" not in _labels(ds, "Person")  # a surname and an honorific is a short name, not a name of its own


def test_a_title_is_never_a_chinese_name_however_it_reads(tmp_path):
    # 董事长 reads as the surname 董 and a given name 事长; in traditional script and after a company name too
    ds = _build(tmp_path, "一個全球最大中國科技集團的董事長，日常工具的選擇如此簡潔。\n"
                          "2023 年 9 月，蔡崇信接任阿里巴巴集團董事長。董事长表示需求强劲。\n")
    people = _labels(ds, "Person")
    assert "蔡崇信" in people or "Joe Tsai" in people
    assert not {p for p in people if "董事" in p}


def test_a_bare_first_name_or_surname_is_the_person_whose_company_the_text_names(tmp_path):
    # ontology/affiliations.yaml: Sam Altman works at OpenAI, Tim Cook at Apple, David Silver at Google DeepMind
    people = _labels(_build(tmp_path, "OpenAI is raising again. Sam thinks compute is the bottleneck.\n"), "Person")
    assert "Sam Altman" in people
    people = _labels(_build(tmp_path, "Sam thinks compute is the bottleneck.\n", name="alone.txt"), "Person")
    assert "Sam Altman" not in people  # no company of his named: any Sam
    people = _labels(_build(tmp_path, "OpenAI is raising again, and Sam Smith, a banker, thinks that is fine.\n",
                            name="smith.txt"), "Person")
    assert "Sam Altman" not in people  # a surname after the given name: another person
    people = _labels(_build(tmp_path, "苹果公司今年推出新手机，库克表示销量很好。\n", name="zh.txt"), "Person")
    assert "Tim Cook" in people
    # a common given name counts so only near a company of the person: a host "David" far from DeepMind is not David Silver
    far = "Google DeepMind shipped a new model last week. " + "The market moved on other news that day. " * 8 + \
          "David said he was not surprised by any of it.\n"
    people = _labels(_build(tmp_path, far, name="far.txt"), "Person")
    assert "David Silver" not in people
    near = "Google DeepMind shipped a new model last week, and David said it plays better than anyone.\n"
    assert "David Silver" in _labels(_build(tmp_path, near, name="near.txt"), "Person")


def test_headline_phrases_and_quantified_labs_are_no_companies(tmp_path):
    """A headline capitalises every word: a name with a capitalised function word inside ("That", "Amid", "Is")
    or a possessive before other words ("the World's Largest Chip Fund") is a phrase; a firm's own possessive
    right before its cue word ("Lindqvist's Analytics") and a plain suffix name stay. A lab counted by 某 / 少数 /
    等 is no lab's name."""
    ds = _build(tmp_path, "## The Quiet Deal That Remakes AI Supply\n\n"
                          "Why the World's Largest Chip Fund Is Betting on Memory.\n\n"
                          "Two Picks to Hold Amid AI Spending Cuts, said analysts at Lindqvist's Analytics. "
                          "Quillon Systems raised money.\n\n"
                          "模型开发集中在少数几家实验室，一旦某家实验室失败，整个产业都会受影响。\n")
    companies = _labels(ds, "Company")
    assert not {"Quiet Deal That Remakes AI", "Hold Amid AI", "World's Largest Chip Fund",
                "少數幾家實驗室", "少数几家实验室", "某家实验室"} & companies
    assert {"Lindqvist's Analytics", "Quillon Systems"} <= companies


def test_a_surname_found_alone_is_the_person_named_in_full(tmp_path):
    """A surname that a cue finds on its own ("says Mr Guarino") names the one person the interview
    names in full ("David Guarino"), found by another cue: one entity, labelled by the full name."""
    ds = _build(tmp_path, "Landlords are constrained by borrowing, says David Guarino of Green Street, a "
                          "commercial-property research firm. They are the best tenants, says Mr Guarino. "
                          "Chips become obsolete quicker, Mr Bhandari says, and the risks are real, says "
                          "Gautam Bhandari of Arclight Partners.\n")
    people = _labels(ds, "Person")
    assert {"David Guarino", "Gautam Bhandari"} <= people
    assert not people & {"Guarino", "Bhandari"}
    assert len([s for s, _, _, _ in ds.quads((None, RDF.type, KG.Person, None))]) == 2


def test_names_with_particles_and_firms_described_by_compound_words(tmp_path):
    ds = _build(tmp_path, "Nick Del Deo of MoffettNathanson, an equity-research firm, says demand is real. "
                          "Quarry Basin, an infrastructure-focused private-equity fund, agrees.\n")
    assert "Nick Del Deo" in _labels(ds, "Person")
    assert {"MoffettNathanson", "Quarry Basin"} <= _labels(ds, "Company")


def test_a_companys_short_label_counts_beside_a_word_for_a_company(tmp_path):
    """names.yaml context_labels company_cue: a company's label that is also a common word or phrase (蝴蝶效应 of
    Butterfly Effect Technology, "Figure" of Figure AI) counts in the whole text where a word for a company stands
    right beside one of its occurrences, and nowhere else."""
    ds = built_graph(tmp_path / "a", "2022年，肖弘成立了蝴蝶效应。后来蝴蝶效应推出了新产品。\n"
                                     "The startup Figure raised money, and Figure's robots walk.\n")
    assert {"Butterfly Effect Technology", "Figure AI"} <= _labels(ds, "Company")
    assert any(o == "Butterfly Effect Technology" and "肖弘" in s or o == "Butterfly Effect Technology" and "Xiao" in s
               for s, o in _rel(ds, "affiliatedWith")), _rel(ds, "affiliatedWith")
    plain = built_graph(tmp_path / "b", "蝴蝶效应很明显。This is a figure of speech, and the figure grew.\n")
    assert not {"Butterfly Effect Technology", "Figure AI"} & _labels(plain, "Company")
    # a role of the company's, working there, an apposition that says what it is
    roles = built_graph(tmp_path / "c", "Bret 是 Sierra 的 CEO。他在 Fidelity 工作时很年轻。\n"
                                        "Manus was backed by Benchmark, the venture firm.\n")
    assert {"Sierra", "Fidelity", "Benchmark"} <= {n.split(" ")[0] for n in _labels(roles, "Company")}
    # ... but not a word that only looks like one: 通用 (General Motors' label) before 工作负载 is "general-purpose"
    assert "General Motors" not in _labels(built_graph(tmp_path / "d", "Groq 在通用工作负载上不行。\n"), "Company")


def test_a_companys_short_label_counts_before_its_stock_code(tmp_path):
    """A stock code right after a company's label ("聯想（0992）", "万科(2202)", "李寧（2331）") says it is the listed
    company: a market report names firms by their short labels and codes, with no other word for a company; a number
    in brackets that is no code (a year, a count) says nothing."""
    ds = built_graph(tmp_path / "a", "恒指收市升1%。聯想（0992）創52周高，舜宇（2382）升5%，工行（1398）跌1%，"
                                     "李寧（2331）亦升。内房股万科(2202)回落。\n")
    assert {"Lenovo", "Sunny Optical", "ICBC", "Li Ning Company", "China Vanke"} <= _labels(ds, "Company")
    plain = built_graph(tmp_path / "b", "联想到这一点，我们(2023)年就开始了。舜宇(三位)同学也来了。\n")
    assert not {"Lenovo", "Sunny Optical"} & _labels(plain, "Company")


def test_a_platform_named_as_the_place_people_post_is_no_company_there(tmp_path):
    """names.yaml venues: "on Twitter", "all over X", "Twitter 上的情绪", "图片来源：X", "Twitter 用户", "YouTube comments"
    name a venue, not the company (GUIDELINES.md:
    media count only as companies in the business sense); "Twitter's valuation", "a ban on TikTok" and
    "YouTube上线" name the company."""
    venue = built_graph(tmp_path / "a", "He is that thoughtful guy on Twitter, and the memo was all over X.\n"
                                        "但光从 Twitter 上的情绪来看，开发者很喜欢它。\n")
    assert not {"X Corp.", "Twitter"} & _labels(venue, "Company")
    business = built_graph(tmp_path / "b", "Twitter's valuation fell after the deal. A ban on TikTok would help "
                                           "Meta. YouTube上线了新功能。\n")
    assert {"X Corp.", "TikTok", "YouTube"} <= _labels(business, "Company")
    # a picture's or a quote's credit, and the platform's users and posts, are the venue too
    credit = built_graph(tmp_path / "c", "用户实测评价很好（截图来源：X）。Twitter 用户盛赞 R1 的实力。\n"
                                         "The clip was shared widely; YouTube comments were harsh. Source: Instagram\n")
    assert not {"X Corp.", "YouTube", "Instagram"} & _labels(credit, "Company")


def test_given_names_of_the_long_list_and_their_limits(tmp_path):
    """ontology/given-names.txt (the census's first names that are no English word): "Glenn Fogle", "Tracy
    Alloway" are people with no cue of their own; a name of that list before an English word is no person
    ("Morgan Creek", "Mac Studio", "Monty Python"), nor is a place ("Santa Clara") or a speaker's label before
    a contraction ("Dylan There's a lot")."""
    ds = built_graph(tmp_path / "a", "We have our friend Glenn Fogle, an incredible CEO. I talked to Tracy Alloway "
                                     "about Nvidia last week.\n")
    assert {"Glenn Fogle", "Tracy Alloway"} <= _labels(ds, "Person")
    no = built_graph(tmp_path / "b", "Nvidia is based in Santa Clara. Apple sells the Mac Studio to developers, and "
                                     "Morgan Creek wrote about Monty Python.\nDylan There's a lot embedded in Nvidia's "
                                     "numbers, and there is more.\n")
    people = _labels(no, "Person")
    assert not {"Santa Clara", "Mac Studio", "Morgan Creek", "Monty Python", "Dylan There"} & people, people


def test_a_chinese_list_of_people_with_one_named_elsewhere(tmp_path):
    # 张建中 is the lexicon's; the others are people because every member has a personal name's shape,
    # the first after 与 and the last up to the verb after it
    ds = _build(tmp_path, "2020年，张建中与韩青松、罗子默、王东联合创立了这家公司。\n"
                          "黄仁勋、数据中心团队和韩立明都来了。\n")
    people = _labels(ds, "Person")
    assert {"韩青松", "罗子默", "王东"} <= people
    # a member with no name's shape: no list of people, so 韩立明 is not read from it
    assert "韩立明" not in people and "数据中心团队" not in people



def test_a_chinese_list_of_people_in_a_transcript_that_writes_spaces_for_commas(tmp_path):
    # a transcript with a space for every comma: the 、 before the space belongs to another list (副总裁、
    # 大中华区总经理); the space between two Chinese characters ends it, and the list of people starts after it
    ds = _build(tmp_path, "2006年至2020年在英伟达任全球副总裁、大中华区总经理 2020年 张建中与韩青松、罗子默、王东联合创立摩尔线程 "
                          "在2020年10月开始运营后 张建中以实控人身份参与公司经营管理\n")
    assert {"韩青松", "罗子默", "王东"} <= _labels(ds, "Person")
    assert not {"大中华区总经理", "全球副总裁"} & _labels(ds, "Person")

def test_one_name_that_only_reads_as_a_person_makes_no_list_of_people(tmp_path):
    # a brand written like a transliterated name is no person of the lexicon: its list stays unread
    ds = _build(tmp_path, "旗下的品牌有雷朋、奥克利、奥斯卡·霍华德，以及其他几个品牌。\n")
    assert not {"雷朋", "奥克利"} & _labels(ds, "Person")


def test_people_quoted_by_expertise_and_one_of_several_title_holders(tmp_path):
    ds = _build(tmp_path, "资深人工智能专家郭立涛认为，竞争格局不会变。行业观察者陈承向记者表示，还早。\n"
                          "混元大模型技术负责人之一刘威目前已经离职。\n"
                          "专家高度评价了这个模型。顾问公司很多，创业者们都很忙。\n")
    people = _labels(ds, "Person")
    assert {"郭立涛", "陈承", "刘威"} <= people
    assert not {"高度评", "公司很", "们都"} & people


def test_a_list_closed_by_a_count_of_firms_is_a_list_of_firms(tmp_path):
    ds = _build(tmp_path, "这轮引入了红杉资本、蓝象星辰、北岭一创三家机构。他在北京、上海两家公司都工作过。\n")
    companies = _labels(ds, "Company")
    assert {"蓝象星辰", "北岭一创"} <= companies
    assert not {"北京", "上海"} & companies  # places are no firms, whatever closes their list


def test_a_company_named_in_a_persons_title_after_the_name(tmp_path):
    ds = _build(tmp_path, "Lena Moritz, Zephyrix CEO, said the deal closed. Jane Doe, Former CEO, said no. "
                          "Tom Hale, Senior Vice President, added nothing.\n")
    companies = _labels(ds, "Company")
    assert "Zephyrix" in companies
    assert not {"Former", "Senior", "Senior Vice"} & companies
    assert ("Lena Moritz", "Zephyrix") in _rel(ds, "affiliatedWith")


def test_a_loose_name_after_a_title_stops_at_an_honorific_and_never_cuts_a_word(tmp_path):
    ds = _build(tmp_path, "实验室的战略顾问是韩立院士，他很早就看好这个方向。\n"
                          "如果你是一个专家程式设计师，用这些工具可以快十倍。\n")
    people = _labels(ds, "Person")
    assert "韩立" in people and "韩立院" not in people
    assert not {"程式设", "程式"} & people  # 程式设计 is "programming", not a name


def test_a_list_after_an_opener_starts_after_it_and_after_a_comma(tmp_path):
    # the first member after 包括 is the name, not 包括 and the name; after a comma, the piece itself
    ds = _build(tmp_path, "几位前财长，包括鲁宾、萨默斯、耶伦、杰克卢发表公开信。\n")
    people = _labels(ds, "Person")
    assert "鲁宾" in people and "包括鲁宾" not in people


def test_a_chinese_name_in_pinyin_is_a_person_either_way_round(tmp_path):
    ds = _build(tmp_path, "Zhou Yunfei, the developer of the note app Quillo, said demand doubled. "
                          "She spoke with Xuerong Tang (Beihai Labs) and with Miao Kaiwen.\n\n"
                          "He Said it in Hong Kong. Long Island is far. They met at Zhong Guan Cun Park.\n")
    # English words, places and a longer pinyin name are no such person
    _assert_labels(ds, "Person", {"Zhou Yunfei", "Xuerong Tang", "Miao Kaiwen"},
                   {"He Said", "Hong Kong", "Long Island", "Zhong Guan", "Guan Cun"})
    # an apposition's "developer" makes no company of a person's name
    _assert_labels(ds, "Company", set(), {"Zhou Yunfei"})


def test_a_pinyin_given_name_the_text_writes_in_lower_case_is_no_name(tmp_path):
    ds = _build(tmp_path, "Wang Dian shipped the update. The dian of the engine sat idle.\n")
    _assert_labels(ds, "Person", set(), {"Wang Dian"})


def test_a_firm_after_its_trade_told_closely_or_with_an_industry_suffix(tmp_path):
    ds = _build(tmp_path, "AI客服公司Zorblax估值100亿美元。汽车芯片商森格美半导体去年盈利下跌。\n"
                          "法国的游戏公司 Quorvo 被收购。很多软件帮助企业降本增效。人工智能对大公司更友好。\n")
    # a verb or a preposition between the trade and the kind tells no trade
    _assert_labels(ds, "Company", {"Zorblax", "森格美半导体", "Quorvo"}, {"降本增效", "更友好"})


def test_people_named_by_their_tie_to_someone_and_no_everyday_word_as_a_name(tmp_path):
    ds = _build(tmp_path, "他的母亲邱雅萍是研究所所长，父亲陈建邦曾任董事长。他拉来了以前的同事彭岚一起创业。\n"
                          "父母都是教授，父亲周末打网球，母亲是老师。\n")
    # 周末 is "weekend", not a surname and a name
    _assert_labels(ds, "Person", {"邱雅萍", "陈建邦", "彭岚"}, {"周末打", "周末"})


def test_a_firm_named_by_its_founder_or_its_founding_year(tmp_path):
    ds = _build(tmp_path, "前董事长邱雅萍成立的森禾科技，刚刚融到了2亿元。投资人陈建邦创立的远澜之外，估值最高。\n"
                          "他创立的飞鱼云图，投资了很多公司。2016年成立的蓝鲸灵犀，一家做客服的公司。\n"
                          "陈建邦创办的芯片公司，很早就上市了。邱雅萍创立的AI公司泽川智能，近期在招人。\n"
                          "公司创办的初衷是服务工厂。\n\n"
                          "Mira Talbot co-founded Quillon in 2024. Zephrel, the startup founded by Mira Talbot, "
                          "raised money. Mira Talbot founded in spirit nothing.\n")
    # a kind of firm after the founding words is no name (芯片公司, AI: the trade of 泽川智能), nor what a
    # founding that no founder stands before is (初衷: "the first aim")
    _assert_labels(ds, "Company", {"森禾科技", "远澜之外", "飞鱼云图", "蓝鲸灵犀", "Quillon", "Zephrel", "泽川智能"},
                   {"芯片公司", "AI", "初衷", "in spirit"})


def test_more_titles_and_a_name_found_inside_a_longer_one_does_not_cut_it(tmp_path):
    ds = _build(tmp_path, "搜狗的COO秦思远、CMO洪岚、CTO杨洪岚和王小川被称为四大天王。\n"
                          "李彦宏夫人邱雅萍回归百度。\n")
    # 洪岚 (CMO洪岚) occurs again inside 杨洪岚 (CTO杨洪岚): that is no further mention of it
    _assert_labels(ds, "Person", {"秦思远", "洪岚", "杨洪岚", "邱雅萍"}, {"邱雅"})


def test_a_host_who_introduces_themselves_after_a_greeting_is_a_person(tmp_path):
    ds = _build(tmp_path, "大家好，这里是硅谷夜话，我是阿飞 今天聊聊芯片。\n"
                          "欢迎收听晚点夜谈，我是曼青，今天的嘉宾来自Zorblax。\n"
                          "我是阿强，不是大家好。大家好，我是觉得这个模型不错。\n")
    # 我是 with no greeting before it, and an everyday word after it (觉得: "think"), name no one
    _assert_labels(ds, "Person", {"阿飞", "曼青"}, {"阿强", "觉得", "觉得这"})
