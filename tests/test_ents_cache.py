"""The components read a document's mentions once per change (kg/nlp/ents.py): what they read is always
what ``doc.ents`` holds then, and an interview's mentions are those its pipeline ended with."""

import spacy
from spacy.tokens import Span

from kg.corpus import document_from_text
from kg.nlp.ents import forget, mentions, set_mentions


def _spans(doc):
    return [(e.start_char, e.end_char, e.label_, e.id_) for e in doc.ents]


def test_mentions_follow_every_write_and_each_document():
    nlp = spacy.blank("en")
    doc = nlp("Nvidia sells chips to Microsoft and Oracle.")
    other = nlp("Oracle buys from AMD.")
    assert mentions(doc) == ()
    set_mentions(doc, [Span(doc, 0, 1, label="Company", span_id="nvidia")])
    assert [(e.text, e.id_) for e in mentions(doc)] == [("Nvidia", "nvidia")]
    set_mentions(doc, [Span(doc, 0, 1, label="Company", span_id="nvidia"),
                       Span(doc, 4, 5, label="Company", span_id="microsoft")])
    assert [e.text for e in mentions(doc)] == ["Nvidia", "Microsoft"]
    # another document read in between: each keeps its own
    other.ents = [Span(other, 0, 1, label="Company", span_id="oracle")]
    assert [e.text for e in mentions(other)] == ["Oracle"]
    assert [e.text for e in mentions(doc)] == ["Nvidia", "Microsoft"]
    # written directly (not through set_mentions): read anew once forgotten
    doc.ents = [Span(doc, 6, 7, label="Company", span_id="oracle")]
    forget(doc)
    assert [e.text for e in mentions(doc)] == ["Oracle"]
    forget()
    assert mentions(doc) == doc.ents


def test_an_interview_keeps_the_mentions_its_pipeline_ended_with(extractor):
    # lexicon names, then names the later components add (a discovered firm, a person by title): the kept reads
    # of the components in between must not hide the mentions written after them
    text = ("Zorvex Labs, a start-up founded by former Google engineers, raised $40 million led by Sequoia Capital. "
            "Its CEO Dana Whitfield said Zorvex Labs trains its models on Nvidia H100 chips rented from CoreWeave.")
    doc = document_from_text(text, "t.txt")
    sdoc = extractor.analyse(doc)
    fresh = _spans(sdoc)
    assert [(e.start_char, e.end_char, e.label_, e.id_) for e in mentions(sdoc)] == fresh
    names = {doc.norm[a:b] for a, b, _, _ in fresh}
    assert {"Zorvex Labs", "Dana Whitfield", "Sequoia Capital", "CoreWeave"} <= names
    got = extractor.extract(doc)
    assert sorted((m.start, m.end, m.type, m.entity) for m in got.mentions) == sorted(
        (*doc.raw_span(a, b), label, ent) for a, b, label, ent in fresh)
