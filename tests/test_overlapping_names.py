"""Lexicon names that overlap in Chinese text, where no space marks where a word starts: the tokenizer keeps
the names that cover the most of the text (``NameFinder.covering_spans``), a context label giving way; English
names that share a word keep the leftmost-longest (built through kg build, read from the graph a user gets)."""

from __future__ import annotations

from kg.nlp.tokenizer import NameFinder

from .conftest import built_graph
from .test_names import _labels, _rel


def test_a_name_that_starts_inside_another_is_not_lost_to_it(tmp_path):
    ds = built_graph(tmp_path, "黄仁勋表示，英伟达已从三星电子、SK海力士及美国美光公司获得尖端内存样品。\n"
                               "他带领英伟达从一家小公司成长为巨头。\n"
                               "百度文心一言上线后，华为麒麟970芯片也发布了。\n")
    companies = _labels(ds, "Company")
    assert {"Micron", "Nvidia", "Baidu", "Huawei"} <= companies
    assert "LinkedIn" not in companies  # 带领英伟达 holds 领英, LinkedIn's Chinese name
    assert "ERNIE Bot" in _labels(ds, "Model")
    assert "Kirin 970" in _labels(ds, "Chip")
    assert {("Micron", "Nvidia"), ("Samsung", "Nvidia"), ("SK Hynix", "Nvidia")} <= _rel(ds, "supplies")
    assert ("Baidu", "ERNIE Bot") in _rel(ds, "develops")


def test_english_names_that_share_a_word_keep_the_first():
    finder = NameFinder(["Grace Hopper", "Hopper superchip", "Hopper", "Nvidia"])
    text = "NVIDIA's Grace Hopper superchip follows a related idea."
    assert [text[a:b] for a, b in finder.covering_spans(text)] == ["Grace Hopper"]
    assert finder.covering_spans(text) == finder.spans(text)


def test_of_names_that_cover_as_much_a_context_label_gives_way():
    text = "其中微软投了不少钱，美国美光也在扩产。"
    plain = NameFinder(["中微", "微软", "国美", "美光"])
    assert [text[a:b] for a, b in plain.covering_spans(text)] == ["中微", "国美"]  # a tie: the leftmost
    weak = NameFinder(["中微", "微软", "国美", "美光"], weak=["中微", "国美"])
    assert [text[a:b] for a, b in weak.covering_spans(text)] == ["微软", "美光"]
    assert [text[a:b] for a, b in weak.spans(text)] == ["中微", "国美"]  # spans stays leftmost-longest
    finder = NameFinder(["华为", "华为升腾", "升腾910C"])
    text = "华为升腾910C的产能"
    assert [text[a:b] for a, b in finder.covering_spans(text)] == ["华为", "升腾910C"]


def test_a_product_name_led_by_its_maker_gives_way_to_a_longer_name_inside_it():
    """"Anthropic Claude 3 Opus": the lexicon's "Anthropic Claude" (a name led by its maker's) would take the words and
    leave "3 Opus" loose; the maker and the longer name of another entity (a breaker) are read instead. A longer name
    of the same entity ("Vesper chips" after "Quillon Vesper", as "B200 GPU" after "Nvidia B200") breaks nothing, and
    English names that merely share a word keep the leftmost-longest."""
    forms = ["Quillon", "Quillon Vesper", "Vesper", "Vesper 3 Max", "Vesper 3", "Vesper chips", "Grace Hopper",
             "Hopper superchip"]
    plain = NameFinder(forms)
    led = NameFinder(forms, led=["Quillon Vesper"], breakers=["Vesper 3 Max", "Vesper 3"])
    text = "Quillon Vesper 3 Max beats Quillon Vesper chips; Grace Hopper superchip too."
    assert [text[a:b] for a, b in plain.covering_spans(text)] == ["Quillon Vesper", "Quillon Vesper", "Grace Hopper"]
    assert [text[a:b] for a, b in led.covering_spans(text)] == ["Quillon", "Vesper 3 Max", "Quillon Vesper",
                                                               "Grace Hopper"]
    assert led.spans(text) == plain.spans(text)  # spans stays leftmost-longest


def test_a_maker_led_name_before_a_longer_product_name_in_a_build(tmp_path):
    ds = built_graph(tmp_path, "Several models beat GPT-3.5: Anthropic Claude 3 Opus and Microsoft Maia 200 chips.\n"
                               "Huawei Ascend 910B chips are in short supply. Ariel pairs one Nvidia B200 GPU with one "
                               "CPU.\n")
    assert {"Claude 3 Opus"} <= _labels(ds, "Model") and {"Maia 200", "Ascend 910B"} <= _labels(ds, "Chip")
    assert not {label for label in _labels(ds, "Model") | _labels(ds, "Chip") if label.startswith(("Anthropic", "Microsoft"))}
    assert {("Anthropic", "Claude 3 Opus"), ("Microsoft", "Maia 200"), ("Huawei", "Ascend 910B")} <= _rel(ds, "develops")
    assert ("Nvidia", "B200") in _rel(ds, "develops")  # "B200 GPU" is the same chip: "Nvidia B200" stays whole
