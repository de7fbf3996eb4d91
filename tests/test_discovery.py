"""Entity discovery: names the lexicon does not list (kg/nlp/discovery.py, ontology/discovery.yaml)."""

from __future__ import annotations

import pytest

from kg.corpus import document_from_text


def _found(extractor, text):
    ex = extractor.extract(document_from_text(text, "t.txt"))
    return {m.surface: (m.entity, m.type, m.confidence) for m in ex.mentions}, ex


@pytest.mark.parametrize("text, name, type_", [
    ("Lumora Labs 的创始人 Mira Chen 说，他们很快会融资。", "Lumora Labs", "Company"),
    ("Lumora Labs 的创始人 Mira Chen 说，他们很快会融资。", "Mira Chen", "Person"),
    ("我们看好 Quillfin 这家公司。", "Quillfin", "Company"),
    ("Orvane 模型的推理能力很强。", "Orvane", "Model"),
    ("Tessaril 芯片的功耗更低。", "Tessaril", "Chip"),
    ("投资人 Harlan Voss 很早就看到了机会。", "Harlan Voss", "Person"),
    ("投资人伊莱恩·卡斯特罗很早就看到了机会。", "伊莱恩·卡斯特罗", "Person"),
    ("他们用的是 GPT-7 和 Llama 5.2。", "GPT-7", "Model"),
    ("他们用的是 GPT-7 和 Llama 5.2。", "Llama 5.2", "Model"),
    ("下一代是 B700 和 MI500X，还有 Ascend 990C。", "MI500X", "Chip"),
    # people named after a quote, by a "who" apposition, by a reporter's role, before a verb of saying
    ("“The yield is good,” said Dana Whitfield, Co-Founder, Quello.", "Dana Whitfield", "Person"),
    ("In the front row sat Dorian Blake, who was the manager of a band.", "Dorian Blake", "Person"),
    ("We have Ingrid Solberg who led the training run.", "Ingrid Solberg", "Person"),
    ("前财经记者Rhea Gomez与他做了对谈。", "Rhea Gomez", "Person"),
    ("會上，Pavel Novak強調了跨設備體驗。", "Pavel Novak", "Person"),
    # a family name with its parameter count, and a distilled model named after both families
    ("他们先放出了 GLM-260B，后来是 Baichuan-9B。", "GLM-260B", "Model"),
    ("他们先放出了 GLM-260B，后来是 Baichuan-9B。", "Baichuan-9B", "Model"),
    ("We ran DeepSeek-R7-Distill-Qwen-14B on a laptop.", "DeepSeek-R7-Distill-Qwen-14B", "Model"),
    ("下一代是 B700 和 MI500X，还有 Ascend 990C。", "Ascend 990C", "Chip"),
    ("Mira Chen, the CEO of Lumora Labs, said demand was strong.", "Lumora Labs", "Company"),
    # the name, then what it is
    ("Scout AI is building Fury, a foundation model for unmanned vehicles.", "Fury", "Model"),
    ("Zentrix unveiled Orion, its new inference chip, on Monday.", "Orion", "Chip"),
    ("We designed our own chip, Orion.", "Orion", "Chip"),
    ("Orion is our own inference chip.", "Orion", "Chip"),
    ("Tallgrass is their new reasoning model.", "Tallgrass", "Model"),
    ("我们自己设计了一款芯片，叫Orion。", "Orion", "Chip"),
    ("Orion是我们自研的芯片。", "Orion", "Chip"),
    ("他们发布了一个大模型，名叫Tallgrass。", "Tallgrass", "Model"),
    ("Mira Chen, the CEO of Lumora Labs, said demand was strong.", "Mira Chen", "Person"),
    ("We met Ostrava Robotics last year.", "Ostrava Robotics", "Company"),
    # a company's title before a person's full name; a department's title in Chinese; "X's head of ..."
    ("Zephyrix CEO Lena Moritz said the chips would ship in March.", "Zephyrix", "Company"),
    ("Orla Browne, Dealroom's head of insights, told me the numbers.", "Dealroom", "Company"),
    ("Kestrana资本市场主管Jake Behan表示市场过热。", "Kestrana", "Company"),
    ("The startup released a model called Brightwater.", "Brightwater", "Model"),
    # Chinese company names by industry suffix and context, in both scripts
    ("澄光机器人的共同创办人林小雨说，明年会量产。", "澄光机器人", "Company"),
    ("澄光機器人執行長林小雨表示，明年會量產。", "澄光機器人", "Company"),
    ("我们跟苏州的云岫科技合作，云岫负责设计，云岫也负责测试。", "云岫科技", "Company"),
    ("工厂这块，还有深圳一家叫远澜智造的新公司。", "远澜智造", "Company"),
    ("Borealis Compute 的创始人说 GPU 很贵。", "Borealis Compute", "Company"),
    # the name starts after a word that only introduces it (对话, 专访), not inside it
    ("# 对话栖川科技创始人吴砚：推理的成本", "栖川科技", "Company"),
    ("专访栖川算力创始人吴砚。", "栖川算力", "Company"),
    ("我现在是溪石资本的创始合伙人。", "溪石资本", "Company"),
    # models and chips named by a quote after their kind, by a parameter count, by an owner
    ("我们推出了自家的视觉动作模型「澄光-VLA2」。", "澄光-VLA2", "Model"),
    ("他们设计了一颗低功耗推理芯片，叫「青鸾 X2」。", "青鸾 X2", "Chip"),
    ("他们的 Osprey-34B 就是在我们的集群上训练出来的。", "Osprey-34B", "Model"),
    ("Verrin Semiconductor just announced its V7 accelerator.", "V7", "Chip"),
    # a class of chip between the name and its kind, a CPU, and the first of two names before one kind
    ("Quillon's Vesperine server CPU ships next year.", "Vesperine", "Chip"),
    ("Quillon's Jerrow and Tamarisk network chips power the clouds.", "Jerrow", "Chip"),
    ("Quillon's Jerrow and Tamarisk network chips power the clouds.", "Tamarisk", "Chip"),
    ("溪石的 Jerrow 和 Tamarisk 系列等網路晶片都用上了先进封装。", "Jerrow", "Chip"),
    ("溪石的 Jerrow 和 Tamarisk 系列等網路晶片都用上了先进封装。", "Tamarisk", "Chip"),
    ("溪石的 Vesperine 伺服器 CPU 明年推出。", "Vesperine", "Chip"),
    # a context a person shares with a firm (person_shape): a name of a person's shape is a person; with a firm's
    # last word, or no given name first, a firm
    ("Dana Whitfield raised $5 million for her new fund.", "Dana Whitfield", "Person"),
    ("Dana Whitfield sold his stake to a family office.", "Dana Whitfield", "Person"),
    ("Dana Robotics raised $5 million for its new arm.", "Dana Robotics", "Company"),
    ("Quillon Whitfield sold its stake to a family office.", "Quillon Whitfield", "Company"),
    # a quoted name with a digit in it, then the kind of chip it names a few words on
    ("晶弦科技先后发布了“玄武3号”4K级多路服务器GPU和“玄武5号”桌面GPU。", "玄武3号", "Chip"),
    ("晶弦科技先后发布了“玄武3号”4K级多路服务器GPU和“玄武5号”桌面GPU。", "玄武5号", "Chip"),
    # a quoted name after a word of one's own make, then its kind
    ("晶弦科技在训练小模型时采用了自主设计的「玄武」处理器。", "玄武", "Chip"),
    ("服务器厂商的销售经理王初告诉记者，卡很紧张。", "王初", "Person"),
])
def test_discovers(extractor, text, name, type_):
    found, _ = _found(extractor, text)
    assert name in found, sorted(found)
    entity, typ, conf = found[name]
    assert entity.startswith("new:") and typ == type_ and 0 < conf < 1


@pytest.mark.parametrize("text", [
    "AI 和 CEO 都是 API 时代的 GPU 话题，OK。",
    "我们讨论了 Scaling Law 和 Transformer。",
    "The CEO said AI is changing the I/O of every GPU.",
    "人形机器人和人工智能是今年最热的话题，核心科技在于数据。",
    "我们在研究人工智能，也在做仓库机器人和加速芯片。",
    "It ships in Q3 with its P1 version of the board.",
    # a compound adjective before a chip's or a model's kind is no name of one
    "They want AI-capable processor chips, AI-specific accelerators and GPU-based models.",
    # an English word that opens a sentence has its capital anyway: no name before a kind
    "Alternative inference chips are selling. Custom chips too; Traditional models less so.",
    # a packaging process the stop-list holds, with a variant's letter after a hyphen, is no product nor firm
    "台积电的 CoWoS-L 产能很紧张，CoWoS-S 的 on-substrate 组装交给了封测厂。",
    # a raise, a backing: of a pronoun or an ordinary word, no firm
    "The company has raised prices. It is backed by two funds, and This has raised doubts.",
    # what something competes with is as often a product as a firm
    "The console is competing with Vexbox, and the phone competes against Lumora.",
    # a quoted word before a chip's kind is emphasis, and a quoted phrase before a model's kind no name
    "国家要突破“卡脖子”芯片，也要做“自主可控”的GPU。",
    "作为“发展到哪了”模型的讨论，大家都很关心。",
])
def test_stop_words_are_not_names(extractor, text):
    found, _ = _found(extractor, text)
    assert not any(e.startswith("new:") for e, _, _ in found.values()), found


def test_a_title_modifier_is_no_company(extractor):
    found, _ = _found(extractor, "Former Quillfin CEO Dana Whitfield spoke, and Acting CEO Ravi Nair too.")
    assert "Quillfin" in found and found["Quillfin"][1] == "Company"
    assert not any(s.startswith(("Former", "Acting")) for s in found)


def test_what_is_left_of_a_lexicon_name_before_an_apposition_is_no_name(extractor):
    found, _ = _found(extractor, "Even Taiwan Semiconductor Manufacturing Limited, a premier chip proxy, is cheap.")
    assert not any(e.startswith("new:") for e, _, _ in found.values()), found


def test_a_word_for_a_firm_left_after_a_short_name_is_no_name(extractor):
    # 金山 (Kingsoft's short name) is read beside 集团; the 集团 left over names nothing
    found, _ = _found(extractor, "金山集团的董事长也是雷军，金山云的股东是金山集团。")
    assert found.get("金山", ("",))[0] == "kingsoft"
    assert not any(e.startswith("new:") for e, _, _ in found.values()), found


def test_a_persons_surname_names_a_company_beside_a_strong_cue(extractor):
    # "Turing" is in the lexicon only as Alan Turing's surname, a word that is never a new name by itself;
    # "the CEO of Turing" and "Turing CEO <person>" make it a company, and every use of it in the text
    for text in ("Priya Nair, the CEO of Turing, said labs want more data. Turing sells it to them.",
                 "Turing CEO Priya Nair said labs want more data. Turing sells it to them."):
        found, ex = _found(extractor, text)
        assert found["Turing"][:2] == ("new:turing", "Company"), found
        assert sum(m.surface == "Turing" for m in ex.mentions) == 2
        assert ("new:priya-nair", "affiliatedWith", "new:turing") in {
            (r.subject, r.predicate, r.object) for r in ex.relations}
    # without such a cue the surname stays the person's, or nothing: no new company
    found, _ = _found(extractor, "Alan Turing wrote about machines. Turing asked whether they think.")
    assert found["Turing"][:2] == ("alan-turing", "Person")
    found, _ = _found(extractor, "Turing asked whether machines think, and Altman's engineers agree.")
    assert not any(e.startswith("new:") for e, _, _ in found.values()), found


def test_lexicon_names_win(extractor):
    found, _ = _found(extractor, "OpenAI 这家公司发布了 GPT-4o。")
    assert found["OpenAI"][0] == "openai" and not any(e.startswith("new:") for e, _, _ in found.values())


def test_a_longer_version_extends_a_lexicon_name(extractor):
    found, _ = _found(extractor, "Meta 发布了 Llama 3.9。")
    assert found["Llama 3.9"][0] == "new:llama-3.9"


@pytest.mark.parametrize("text, name", [
    ("Anthropic shipped Claude Opus 4.9 this week.", "Claude Opus 4.9"),  # the tier before the version
    ("Anthropic 上周发布了 Claude Sonnet 4.8。", "Claude Sonnet 4.8"),
    ("Then came Claude 3.9 Haiku.", "Claude 3.9 Haiku"),  # the tier after it
])
def test_a_tier_before_or_after_the_version_is_part_of_the_name(extractor, text, name):
    found, _ = _found(extractor, text)
    assert found[name][1] == "Model" and found[name][0].startswith("new:")
    assert not any(surface != name and surface in name for surface in found)  # no shorter lexicon name inside


@pytest.mark.parametrize("text, name, shorter", [
    ("Then Opus 4.6 came out, and it beat everything.", "Opus 4.6", "Opus 4"),  # an alias without the family
    ("RDNA 3.5 架构的核显更强。", "RDNA 3.5", "RDNA 3"),  # a chip's architecture
])
def test_a_lexicon_name_written_with_more_of_its_version_is_another_version(extractor, text, name, shorter):
    found, _ = _found(extractor, text)
    assert found[name][0].startswith("new:") and shorter not in found


@pytest.mark.parametrize("text, name, line", [
    ("Meta is moving inference to MTIA 300 next year.", "MTIA 300", "MTIA"),
    ("AMD 在 CES 发布了 Ryzen AI 400 系列。", "Ryzen AI 400", "Ryzen AI"),
    ("The MTIA 450 Pro, its next chip, comes in 2027.", "MTIA 450 Pro", "MTIA"),  # a tier after the version
    ("Google will rent out TPU v9 pods.", "TPU v9", "TPU"),  # a line that is a stop word alone keeps its name
    # Chinese writes the version with no space, and a variant after a hyphen
    ("字节昨天发布了豆包1.8 Pro，用户很多。", "豆包1.8 Pro", "豆包"),
    ("豆包1.8 Pro也很好用。", "豆包1.8 Pro", "豆包"),  # a tier, then Chinese
    ("阿里的千问9在榜单上排第一。", "千问9", "千问"),
    ("腾讯把混元-swift调整为全面免费。", "混元-swift", "混元"),
    # a Latin line, then a version after a hyphen, or a letter or two and a number
    ("OpenBMB's MiniCPM-V-4 reads charts well.", "MiniCPM-V-4", "MiniCPM-V"),
    ("Skywork OR1 is a reasoning model.", "Skywork OR1", "Skywork"),
])
def test_a_product_line_then_a_version_is_a_product_of_its_own(extractor, text, name, line):
    found, _ = _found(extractor, text)
    assert found[name][0].startswith("new:") and line not in found


@pytest.mark.parametrize("text, line", [
    ("MTIA 2027 will be the year Meta ships its own chips.", "MTIA"),  # a year
    ("MTIA 80 GB of memory is not enough.", "MTIA"),  # a measure
    ("Ryzen AI 3 times faster than before.", "Ryzen AI"),  # a count
    ("MTIA 300,000 units ship this year.", "MTIA"),  # a number with thousands
    ("豆包3天内用户过亿。", "豆包"),  # a count of days
    ("千问2款模型都开源了。", "千问"),  # a count of models
    ("豆包2025年发布了新版。", "豆包"),  # a year
    ("Blackwell-2026 is what the slide says.", "Blackwell"),  # a year after a hyphen
])
def test_a_year_count_or_measure_after_a_product_line_is_no_version(extractor, text, line):
    found, _ = _found(extractor, text)
    assert line in found and not any(s.startswith(line + " ") for s in found)


def test_a_version_that_is_a_name_of_its_own_is_no_version_of_the_line_before(extractor):
    found, _ = _found(extractor, "Nvidia pairs Blackwell B200 racks with Hopper H100 boards.")
    assert {"Blackwell", "B200", "Hopper", "H100"} <= set(found)


def test_a_code_that_carries_its_version_takes_no_further_version(extractor):
    # MI300X holds its version already: "MI300X V5" is a cloud instance's name, no chip of its own
    found, _ = _found(extractor, "微软发布了新的 Azure ND MI300X V5 实例，还有 Kimi K3。")
    assert "MI300X" in found and not any(s.startswith("MI300X ") for s in found)
    assert "Kimi K3" in found  # a line's name, then a version: a product of its own


def test_a_chip_code_in_the_plural_is_the_chip_and_its_relations_read_past_the_plural(extractor):
    """"upcoming GB700s", "many MI655Xs": a code the lexicon does not hold, in the plural, names the chip (the "s" is
    no part of its name), and a rule reads "sold many X to" as with the singular."""
    found, ex = _found(extractor, "Nvidia said the upcoming GB700s are late. AMD sold many MI655Xs to OpenAI.")
    assert found["GB700"][:2] == ("new:gb700", "Chip") and found["MI655X"][:2] == ("new:mi655x", "Chip")
    assert not any(s.endswith("s") for s in found if s[:2] in ("GB", "MI"))
    assert ("amd", "supplies", "openai") in {(r.subject, r.predicate, r.object) for r in ex.relations}


@pytest.mark.parametrize("text, phrase", [
    ("总统接受访问时，一方面说半导体是全球分工产业。", "一方面说半导体"),  # a clause: "on one side, says chips are …"
    ("他们讨论哪些技术正在吸引最多资本，以及各行业的公司。", "吸引最多资本"),  # "attract the most capital"
])
def test_a_clause_before_a_firms_last_word_is_no_firm(extractor, text, phrase):
    found, _ = _found(extractor, text)
    assert not any(s.endswith(phrase[-2:]) for s in found), found  # no name ending in 半导体 / 资本 at all


def test_a_name_a_lexicon_name_of_its_own_type_opens_leaves_no_remainder(extractor):
    found, _ = _found(extractor, "They launched Claude Science and Claude Legal last week.")
    assert "Science" not in found  # a variant of Claude, not a model named "Science"


def test_a_name_a_mention_of_another_type_opens_keeps_the_rest(extractor):
    found, _ = _found(extractor, "Then Nvidia released Nvidia Tensorworks to everyone.")  # the maker, then its model
    assert found.get("Tensorworks", ("", ""))[1] == "Model"


@pytest.mark.parametrize("text, name", [
    ("GPT-4.5 是 OpenAI 的模型。", "GPT-4.5"),  # the lexicon holds that version: its own id
    ("Revenue grew 4.5 times after GPT-4 launched.", "GPT-4"),  # a number elsewhere is no version
    ("RDNA 3.0 架构的核显。", "RDNA 3"),  # ".0" adds nothing: the version the lexicon holds
])
def test_a_version_the_lexicon_holds_stays_the_lexicon_s(extractor, text, name):
    found, _ = _found(extractor, text)
    assert not found[name][0].startswith("new:")


def test_repeated_mentions_share_one_id(extractor):
    found, ex = _found(extractor, "Lumora Labs 公司成立于 2023 年。后来 Lumora Labs 搬到了深圳。")
    ids = [m.entity for m in ex.mentions if m.surface == "Lumora Labs"]
    assert len(ids) == 2 and len(set(ids)) == 1


def test_relations_between_discovered_entities(extractor):
    _, ex = _found(extractor, "Lumora Labs 的创始人 Mira Chen 说，Kestrel-2 模型由 Lumora Labs 开发。")
    rels = {(r.subject, r.predicate, r.object) for r in ex.relations}
    assert ("new:mira-chen", "affiliatedWith", "new:lumora-labs") in rels
    assert ("new:lumora-labs", "develops", "new:kestrel-2") in rels


def test_graph_asserts_confident_discoveries_only(lexicon):
    from rdflib import Literal
    from rdflib.namespace import RDF

    from kg.extract import Extractor
    from kg.graph import add_extraction, discovered_iri, new_dataset
    from kg.vocab import KG

    # the rules alone (no model, so no name typer): a bare Latin name in Chinese text is a company at the
    # rule's confidence, below the assert threshold
    rules_only = Extractor(lexicon, relation_model=None)
    text = "Lumora Labs 的创始人 Mira Chen 说，Ferrowind 的故事值得一提。"
    ex = rules_only.extract(document_from_text(text, "t.txt"))
    low = [m for m in ex.mentions if m.surface == "Ferrowind"]
    assert low and low[0].confidence < 0.6
    ds = new_dataset(with_ontology=False)
    add_extraction(ds, ex, lexicon)
    company = discovered_iri("new:lumora-labs", "Company")
    assert str(company).endswith("/entity/new-company-lumora-labs")
    assert set(ds.quads((company, RDF.type, KG.Company, None)))
    assert set(ds.quads((company, KG.discovered, Literal(True), None)))
    assert not set(ds.quads((discovered_iri("new:ferrowind", "Company"), None, None, None)))


def test_candidates_command_lists_and_writes_lexicon(runner, tmp_path):
    from kg.cli import app
    from kg.lexicon import Lexicon, default_lexicon_paths

    text = tmp_path / "i.txt"
    text.write_text("Lumora Labs 的创始人 Mira Chen 说，Kestrel-2 模型由 Lumora Labs 开发。Ferrowind 值得一提。\n",
                    encoding="utf-8")
    out = tmp_path / "new.ttl"
    result = runner.invoke(app, ["candidates", str(text), "--write-lexicon", str(out)])
    assert result.exit_code == 0, result.output
    assert "Lumora Labs" in result.output and "Ferrowind" in result.output
    lex = Lexicon.load([*default_lexicon_paths(), out])
    assert lex.entities["lumora-labs"].type == "Company" and lex.entities["kestrel-2"].type == "Model"
    # from a built graph: only the asserted (confident) names
    result = runner.invoke(app, ["build", str(text), "-o", str(tmp_path / "g"), "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["candidates", str(tmp_path / "g" / "kg.trig"), "--min-count", "2"])
    assert result.exit_code == 0, result.output
    assert "1 new name(s)" in result.output and "Lumora Labs" in result.output and "Ferrowind" not in result.output


def test_a_gloss_in_parentheses_is_another_name_of_the_entity_before_it(extractor):
    """"云岫科技（Yunxiu Robotics）": one company with two names, wherever either is used."""
    found, ex = _found(extractor, "云岫科技（Yunxiu Robotics）今年很忙。云岫科技的创始人说，Yunxiu Robotics 明年上市。"
                                  "英伟达（Nvidia Corp）是供应商。")
    ids = {m.entity for m in ex.mentions if m.surface in ("云岫科技", "Yunxiu Robotics")}
    assert len(ids) == 1 and len([m for m in ex.mentions if m.surface == "Yunxiu Robotics"]) == 2
    assert "Corp" not in found  # a legal form is no name of its own


def test_a_short_name_the_text_defines_is_the_entity_it_stands_for(extractor):
    """Initials in parentheses after a name ("Halverford Crane Ventures (HCV)", "Wafer-Scale Engine (WSE)"), or the
    name a Chinese text says it will use (以下简称“…”): every later use of it is that entity, of its type; letters that
    are no initials, or a name the text drops, define nothing."""
    text = ("Mira Osei started Halverford Crane Ventures (HCV) in 2019. Since then, HCV has backed Lumora Labs. "
            "Cerebras makes the Wafer-Scale Engine (WSE); the WSE is huge. Daniel Roberts (IREN) spoke too. "
            "IREN is a miner.\n\n初创公司 Yunxiu Robotics（以下简称“云岫星河”）今天发布新品。云岫星河的创始人说，明年扩产。")
    found, ex = _found(extractor, text)
    ids = {}
    for m in ex.mentions:
        ids.setdefault(m.surface, set()).add(m.entity)
    assert ids["HCV"] == ids["Halverford Crane Ventures"] and len(ids["HCV"]) == 1
    assert len([m for m in ex.mentions if m.surface == "HCV"]) == 2
    assert ids["WSE"] == ids["Wafer-Scale Engine"]
    assert "IREN" not in ids or ids["IREN"] != ids.get("Daniel Roberts")  # not his initials: no name of his
    assert ids["云岫星河"] == ids["Yunxiu Robotics"] and len([m for m in ex.mentions if m.surface == "云岫星河"]) == 2
    every = {m.entity for m in ex.mentions}
    assert "new:hcv" not in every and "new:云岫星河" not in every  # no entity of their own


def test_a_country_or_a_region_is_no_company(extractor):
    """"中国资本" is capital from China and "中國半導體" China's chip industry, not firms (and 中国 no short name of one);
    "Western labs" are labs of the West."""
    found, ex = _found(extractor, "中国资本在硅谷很活跃。中国资本也投了很多 AI 公司。\n\n中國半導體的進步很快，中國半導體的產能在擴張。\n\n"
                                  "This is similar to how Western labs operate, and Western media noticed.")
    assert not {"中国资本", "中国", "中國半導體", "中國", "Western"} & set(found)
    assert not {m.surface for m in ex.mentions} & {"中国资本", "中国", "中國半導體", "Western"}


def test_a_server_integration_level_is_no_chip(extractor):
    found, _ = _found(extractor, "英業達已確認取得 Google TPU 伺服器 L10 至 L11 組裝訂單。輝達的 L20 和 H240 都很缺。")
    assert "L10" not in found and "L11" not in found
    assert found["L20"][1] == "Chip" and found["H240"][1] == "Chip"


def test_the_possessive_of_a_kind_is_no_apposition(extractor):
    found, _ = _found(extractor, "Unsurprisingly, the company’s stock rose. Then came Zorvane, a chip startup based in Austin.")
    assert "Unsurprisingly" not in found and found["Zorvane"][1] == "Company"


def test_a_name_that_ends_with_a_year_is_an_event_or_a_plan(extractor):
    found, _ = _found(extractor, "Nvidia showed Rubin 2026 plans at Auto China 2026, along with companies such as Zorvane, "
                                 "Kelvora, and Quillmark. Zorvane 2 ships next year.")
    assert not {"Rubin 2026", "Auto China 2026"} & set(found)
    assert {"Zorvane", "Kelvora", "Quillmark"} <= set(found)


def test_initials_of_a_name():
    from kg.nlp.discovery import _initials_of
    assert _initials_of("Better Tomorrow Ventures", "BTV") and _initials_of("Microsoft AI", "MAI")
    assert _initials_of("Bank of America", "BOA") and _initials_of("Bank of America", "BA")
    assert not _initials_of("Daniel Roberts", "IREN") and not _initials_of("Amazon", "A")
    assert not _initials_of("Better Tomorrow Ventures", "BTVX")


def test_a_first_name_speaker_label_marks_the_full_name_as_a_person(extractor):
    text = ("# A talk with Ysolde Marrin of Corvid Labs\n\n**Host:** Welcome.\n\n**Ysolde:** Thanks. Salesforce Ventures"
            " backed us.\n")
    found, _ = _found(extractor, text)
    assert found["Ysolde Marrin"][1] == "Person"
    assert "Ventures" not in found  # a generic word of company names is no name on its own


def test_a_short_name_of_an_entity_named_in_full_is_that_entity(extractor):
    """"Agility" after "Agility Robotics" (a lexicon company), "Lena" after "Lena Varga": no second entity."""
    text = "**主持人：** Lena，你好。\n\n**Lena Varga：** 我们跟 Agility Robotics 竞争。我们跟 Agility 在仓储市场正面竞争。\n"
    _, ex = _found(extractor, text)
    ids = {m.surface: m.entity for m in ex.mentions}
    assert ids["Agility"] == ids["Agility Robotics"] and ids["Lena"] == ids["Lena Varga"]


def test_technologies_are_no_companies(extractor):
    found, _ = _found(extractor, "CoWoS 封装和 HBM3E 都是瓶颈，台积电在扩产。")
    assert "CoWoS" not in found and "HBM3E" not in found


def test_speech_attribution_and_co_founder_are_no_company_cues(extractor):
    # "The company, X says, ..." attributes speech; "X, Co-Founder, Y" is no "X Co." legal name
    found, _ = _found(extractor, "The company, Okafor says, is full-stack. “It is fast,” said Dana Whitfield, Co-Founder, Quello.")
    assert found.get("Dana Whitfield", (None, "Person"))[1] == "Person"
    assert "Okafor" not in found or found["Okafor"][1] != "Company"
    found, _ = _found(extractor, "Including Marta Okafor, who runs the lab, the team has nine people.")
    assert "Including Marta Okafor" not in found and "Including" not in found


def test_ordinary_words_capitalised_are_no_names(extractor):
    # a headline's capitals and a sentence's first word: the document writes the words in lower case too
    text = ("Top AI Startups Raise Money\nThe top labs keep hiring. Upcoming chips matter.\n"
            "Neo Cloud providers grow. Every neo cloud rents GPUs, and an upcoming round is planned.\n"
            "Lumora Labs, a startup, raised money. ZT Systems builds racks; zt systems is how some write it.\n")
    found, _ = _found(extractor, text)
    assert not {"Top AI", "Upcoming", "Neo Cloud"} & set(found)
    assert "Lumora Labs" in found  # never written in lower case
    assert "ZT Systems" in found  # an acronym is no ordinary word


@pytest.mark.parametrize("text, name", [
    ("Dana Whitfield joined Zorvex last year.\nSource: techwire.example.com/people/dana-whitfield\n", "Dana Whitfield"),
    ("Dana Whitfield joined Zorvex last year. Read more: https://techwire.example/2025/dana-whitfield-joins\n",
     "Dana Whitfield"),
    ("今天的嘉宾Kenny Zhang，璞林资本首席投资官。\n来源：github.com/eric/PodWiki/episodes/kenny-zhang/transcript.md\n",
     "Kenny Zhang"),
])
def test_the_words_of_a_web_address_are_no_lower_case_writing_of_a_name(extractor, text, name):
    # a URL's slug writes the name in lower case; that is no sign the text uses its words as ordinary words
    found, _ = _found(extractor, text)
    assert name in found and found[name][1] == "Person", sorted(found)


def test_a_headline_case_line_vouches_for_no_name_by_its_capitals(extractor):
    # a headline capitalises every word: "CEO X", "X CEO Y", "X AI", "X Research", "X GPU" read phrases there
    # (headings stand apart, as in published text: lines that are not are read as one wrapped paragraph)
    headline = ("The Tech CEO Leading Nvidia's Main Rival\n\n"
                "Is AMD a Good Long-Term Investment?\n\n"
                "## Market Meltdown Reshapes AI as Nvidia Builds Fifty GPU Clusters\n\n"
                "Nvidia and AMD sell accelerators to every cloud.\n")
    found, ex = _found(extractor, headline)
    assert not {"Tech", "Leading", "Good Long-Term Investment", "Market Meltdown Reshapes AI", "Builds Fifty"} & set(found)
    assert not any(r.subject in ("new:leading", "new:tech") for r in ex.relations)
    # the same constructions in a sentence find their names; a name of the headline that a cue names again in
    # the body counts everywhere, its headline mention too
    body = ("Quellion CEO Mira Voss Explains the Inference Market\n\n"
            "Quellion CEO Mira Voss said the company, Tarnwell Research, would ship chips. "
            "Tarnwell Research is a lab.\n")
    found, _ = _found(extractor, body)
    assert found["Mira Voss"][1] == "Person" and found["Quellion"][1] == "Company"
    assert found["Tarnwell Research"][1] == "Company"
    _, ex = _found(extractor, body)
    assert sum(1 for m in ex.mentions if m.surface == "Mira Voss") == 2
    # a given name, a list, an "Inc." are no capitals' guess: a headline's byline keeps its people
    found, _ = _found(extractor, "Nvidia's Next Chip: Analysis by Daniel Nishball and Others\n\nThe chip ships in May.\n")
    assert found.get("Daniel Nishball", (None, None))[1] == "Person"


def test_headline_case_is_capitals_on_most_long_words_of_a_short_latin_line():
    from kg.nlp.commonwords import headline_case

    assert headline_case("The Tech CEO Leading Nvidia's Main Rival")
    assert headline_case("Is AMD a Good Long-Term Investment?")
    assert not headline_case("Nvidia and AMD sell accelerators to every cloud.")
    # a sentence dense with names still has a word in lower case; a style's lower-case preposition is no such word
    assert not headline_case("Former Quillfin CEO Dana Whitfield spoke, and Acting CEO Ravi Nair too.")
    assert headline_case("Why Google Will Win the Race with OpenAI", minor=frozenset({"with"}))
    assert not headline_case("Why Google Will Win the Race with OpenAI")
    assert not headline_case("Nvidia AMD")  # too few words to tell
    assert not headline_case("英伟达 Main Rival Leading The Market Today")  # Chinese: capitals mean names
    assert not headline_case(" ".join(["Word"] * 60))  # a paragraph is no headline
    # a short word in lower case that a headline would capitalise (a verb, a pronoun) makes a sentence
    short = frozenset({"a", "the", "of", "and"})
    assert not headline_case("Mira Chen is the CEO of Zentrix.", short_minor=short)
    assert headline_case("Mira Chen is the CEO of Zentrix.")  # (without the list short words are not read)
    assert headline_case("Is AMD a Good Long-Term Investment?", short_minor=short)
    assert headline_case("The Tech CEO Leading Nvidia's Main Rival", short_minor=short)


def test_a_short_sentence_of_names_is_no_headline(extractor):
    # every long word of it is capitalised, but "is" and "has" are not: a headline would capitalise them
    found, _ = _found(extractor, "Mira Chen is the CEO of Zentrix.\n\nZentrix has a new chip.\n")
    assert found["Zentrix"][1] == "Company" and found["Mira Chen"][1] == "Person"


def test_ordinary_chinese_words_after_a_cue_are_no_names(extractor):
    # "创业公司 X" names X, unless jieba's dictionary lists X as an idiom or a verb (ontology/discovery.yaml)
    found, _ = _found(extractor, "九十年代，互联网创业公司百花齐放，AI芯片公司摩拳擦掌。\n"
                                 "互联网创业公司云岬网络，我当年在那里工作。\n")
    assert not {"百花齐放", "摩拳擦掌"} & set(found)
    assert "云岬网络" in found


def _assert_new_companies(found: dict, names) -> None:
    """Each of ``names`` found as a new company (not a lexicon entity) that the rules are sure of."""
    for name in names:
        entity, typ, conf = found[name]
        assert entity.startswith("new:") and typ == "Company" and conf >= 0.6, (name, found[name])


def test_a_latin_name_doing_what_companies_do_in_a_chinese_clause_is_a_company(extractor):
    # alone in a Chinese sentence a Latin name is the name typer's guess (kg/nlp/nametyper.py); as the subject
    # of a company's verbs (专注于, 致力于, 开发了, 为…提供, a round raised, an acquisition) the rules make it a company
    text = ("例如，Velmora 专注于提供训练数据，而 Quintrex 则开发了开源的操作系统。\n"
            "1. Darnell Ops 为开发者提供了部署工具。\n"
            "Tolvane 已完成 2000 万美元 A 轮融资。\n"
            "我们也聊到了 Brisco 的历史。\n"
            "上海的 SN7 则专注于先进制程。\n")
    found, _ = _found(extractor, text)
    _assert_new_companies(found, ("Velmora", "Quintrex", "Darnell Ops", "Tolvane"))
    # no verb of its own: a guess less sure than any name the rules read doing what companies do
    assert found["Brisco"][2] < min(found[n][2] for n in ("Velmora", "Quintrex", "Darnell Ops", "Tolvane"))
    assert "SN7" not in found or found["SN7"][2] < 0.6  # a plant's code, not a company


def test_a_chinese_name_with_an_industry_suffix_doing_what_companies_do_is_a_company(extractor):
    # founded in a year, focused on something, a round raised: a company, as 成立于 makes a Latin name one ("Coval
    # 成立于2023年"); a generic phrase with the same suffix (人工智能, 人形机器人) never
    text = ("万卷智能成立于2023年，专注于工程领域的智能体。\n"
            "晶弦科技完成了数亿元B轮融资。\n"
            "Coval 成立于2023年，总部在旧金山。\n"
            "人工智能专注于解决问题。人形机器人完成了融资。\n")
    found, _ = _found(extractor, text)
    _assert_new_companies(found, ("万卷智能", "晶弦科技", "Coval"))
    assert not {"人工智能", "人形机器人"} & set(found)


def test_headings_titles_and_firms_are_no_people(extractor):
    # a possessive in a line's label makes it a heading, not a speaker; what is left of "X's Y Z" once the
    # lexicon's X is cut away never starts with the possessive's "s"
    text = ("Nvidia's Holiday Gift: Blackwell Ultra and Memory\n"
            "Editor's Note: this piece was updated.\n"
            "OpenAI's Chief Financial Officer Sarah Friar said the plan is phased.\n"
            "“The speed is good,” said Dana Whitfield, Co-Founder, Vantor Analysis.\n")
    found, _ = _found(extractor, text)
    assert not {"s Holiday Gift", "Holiday Gift", "Editor's Note", "Officer"} & set(found), found
    assert found["Dana Whitfield"][1] == "Person"
    assert found["Vantor Analysis"][1] == "Company"  # the firm after a person's title set off by commas


def test_a_name_ending_with_an_organisation_word_is_no_person(extractor):
    # two capitalised words in a Chinese sentence look like a person's name, unless the last word is an
    # organisation's (ontology/discovery.yaml, org_last_words)
    found, _ = _found(extractor, "Harlow Fund 的合伙人说，Corvin Asset Management 也在看这个赛道。\n")
    assert found["Harlow Fund"][1] == "Company"
    assert found["Corvin Asset Management"][1] == "Company"


def test_a_label_used_once_is_a_heading_not_a_speaker(extractor):
    # a speaker speaks more than once, or is named again (recur: 2 in ontology/discovery.yaml)
    text = ("Image Credits: Getty Images\n"
            "Dana Whitfield: We started the company in 2021.\n"
            "Host: And the chips?\n"
            "Dana Whitfield: They ship next year.\n"
            "结语：整车厂会自研芯片。\n")
    found, _ = _found(extractor, text)
    assert "Image Credits" not in found and "结语" not in found
    assert found["Dana Whitfield"][1] == "Person"


def test_a_common_noun_labelling_a_paragraph_is_no_speaker(extractor):
    # a label used again and again may be a heading's word: a noun jieba counts often is no person's name
    # (person_common_nouns in ontology/discovery.yaml), a name it does not list is
    text = ("闭源派：百度CEO李彦宏\n观点：开源其实是一种智商税。\n"
            "开源派：阿里云CTO周靖人\n观点：开源模型会追上来。\n"
            "程墨白：我们明年发布新模型。\n主持人：芯片够吗？\n程墨白：够用。\n")
    found, _ = _found(extractor, text)
    assert "观点" not in found
    assert found["程墨白"][1] == "Person"


def test_a_known_name_before_its_kind_leaves_no_name_before_it(extractor):
    # "X chips", "X 模型": where a lexicon name ends X, it is the thing named and the words before it are none
    found, _ = _found(extractor, "Adding Trainium chips to the pipeline helped. Deploying Blackwell GPUs took a year.\n"
                                 "Verrin Semiconductor just announced its Quillon accelerators.\n")
    assert not {"Adding", "Deploying"} & set(found), found
    assert {"trainium", "blackwell", "new:quillon"} <= {entity for entity, _type, _conf in found.values()}


def test_a_chinese_name_that_opens_with_a_common_verb_or_pronoun_is_a_phrase(extractor):
    # (phrase_heads in ontology/discovery.yaml: jieba's very common verbs, pronouns, adverbs, prepositions and
    # conjunctions); a person's surname may be such a word, and a person keeps it
    text = ("成立一家公司后，怎么凑齐资本和人才这两个要素？\n"
            "芯片厂商提供算力支持，应用厂商拓展应用。\n"
            "我们和溪石资本聊过，溪石资本也在看。\n"
            "投资人何晓峰说，明年会更好。\n")
    found, _ = _found(extractor, text)
    assert not {"提供算力", "怎么凑齐资本"} & set(found), found
    assert found["溪石资本"][1] == "Company"
    assert found["何晓峰"][1] == "Person"


def test_english_words_before_a_generic_head_are_a_phrase_not_a_firm(extractor):
    # "Technology", "Computing", "Compute" after English words only: the gloss of a term, not a company;
    # a name with a word that is no English word, or a financial firm's word, still is one
    text = ("迈络思的液冷技术（Liquid Cooling Technology）和加速计算（Accelerated Computing）很重要。\n"
            "We talked about Test-time Compute, not about Zorvex Technology.\n"
            "Valor Capital led the round, with Force10 Networks and Juniper Ventures.\n")
    found, _ = _found(extractor, text)
    for phrase in ("Liquid Cooling Technology", "Accelerated Computing", "Test-time Compute"):
        assert phrase not in found or found[phrase][2] < 0.6, (phrase, found.get(phrase))
    for name in ("Zorvex Technology", "Valor Capital", "Force10 Networks", "Juniper Ventures"):
        assert name in found and found[name][1] == "Company" and found[name][2] >= 0.6, (name, found.get(name))


@pytest.mark.parametrize("text, name", [
    ("Uber invested $100 million in Kodral last year.", "Kodral"),
    ("Last week the group took a stake in Veltrana.", "Veltrana"),
    ("In 2024 Nvidia acquired Brevitas for its compilers.", "Brevitas"),
    ("The fund backed Quorvix early.", "Quorvix"),
    ("We've partnered with Halmora to improve the efficiency of their plants.", "Halmora"),
    # a subsidiary called by its name, and the owner named before it
    ("The fleet work now runs through a newly established Tarvel affiliate called Ombra Mobility.", "Ombra Mobility"),
    ("The fleet work now runs through a newly established Tarvel affiliate called Ombra Mobility.", "Tarvel"),
    ("Operations moved to the Quintara Cars subsidiary last spring.", "Quintara Cars"),
    # who raised money, who led the round, and a firm's legal form
    ("Quillfire raked in $40 million last week.", "Quillfire"),
    ("Quillfire has raised $40 million from two funds.", "Quillfire"),  # a tense with "has"
    ("Quillfire, which is backed by two funds, makes chips.", "Quillfire"),  # the firm investors back
    ("Quillfire is funded by two sovereign funds.", "Quillfire"),
    # a firm that competes, that sells to someone, that has investors
    ("Quillfire competes directly with the largest chipmakers.", "Quillfire"),
    ("Quillfire sells its inference chips to two clouds.", "Quillfire"),
    ("Investors in Quillfire include two sovereign funds.", "Quillfire"),
    ("The chipmaker closed a $90 million Series B financing led by Ostrava Point.", "Ostrava Point"),
    ("The round was co-led by VC firm Kellbrook and two angels.", "Kellbrook"),
    ("Zorvane is a chip startup based in Austin.", "Zorvane"),
    ("Halmora Fund LP, with two others, joined the round.", "Halmora Fund"),
    ("Shares of Brevitas PLC rose.", "Brevitas"),
])
def test_the_firm_a_deal_is_made_with_is_a_company(extractor, text, name):
    found, _ex = _found(extractor, text)
    assert found[name][1] == "Company", found


@pytest.mark.parametrize("text, words", [
    ("Mistral invested heavily in France and partnered with Germany on compute.", ("France", "Germany")),
    ("The chipmaker invested in R&D and backed U.S. manufacturing.", ("R&D", "U.S")),
    ("The tech giant is buying Nvidia's Colossus racks.", ("Colossus", "Nvidia's Colossus")),
    # "LP" of a transcript's "LPU", not a fund's legal form
    ("Yeah, that was a whole Croc LP thing, really.", ("Croc",)),
])
def test_a_country_research_or_a_bought_product_is_no_firm_a_deal_is_made_with(extractor, text, words):
    found, _ex = _found(extractor, text)
    for word in words:
        assert not any(word in surface and m[0].startswith("new:") for surface, m in found.items()), found


def test_a_name_before_its_stock_code_or_ticker_is_a_listed_company(extractor):
    text = ("￭ 北辰置业(00817)1月销售额按年升4.6%。 ￭ 丰岭集团(00933)旗下宝骊龙(00592)通过私有化计划。\n"
            "个股比如云栈科技（839493.SZ）涨停。晶片订单的地平岭（9660）大涨。\n"
            "Zeta Widgets (NYSE: ZW) and Quarry Labs, Inc. (NASDAQ:QRL) gained.\n")
    found, _ = _found(extractor, text)
    _assert_new_companies(found, ["北辰置业", "丰岭集团", "宝骊龙", "云栈科技", "地平岭", "Zeta Widgets", "Quarry Labs"])
    # the name starts after the word that opens it, and after a function character
    assert not {"旗下宝骊龙", "个股比如云栈科技", "比如云栈科技", "晶片订单的地平岭"} & set(found)
    # a lexicon name before the code is the company, and the words before it no name ("同業" is "a peer")
    found, _ = _found(extractor, "光伏股有追捧，同業協鑫科技（3800）升13.67%。")
    assert found == {"協鑫科技": ("gcl", "Company", 1.0)}
