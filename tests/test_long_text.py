"""An interview longer than spaCy's default limit of a million characters is read like any other."""

from __future__ import annotations


def test_an_interview_over_a_million_characters(extractor, by_name):
    from kg.corpus import document_from_text

    filler = ("我们今天聊了很多关于行业的话题" * 60 + "。\n") * 1200
    text = filler + "台积电为苹果代工A系列芯片。\n"
    assert len(text) > 1_000_000
    ex = extractor.extract(document_from_text(text, "long.txt"))
    assert {(r.subject, r.predicate, r.object) for r in ex.relations} == {(by_name["TSMC"], "supplies", by_name["Apple"])}
    assert ex.relations[0].start > 1_000_000
