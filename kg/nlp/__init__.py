"""spaCy language setup and pipeline components (no rdflib here: the NLP layer produces plain
records; ``kg.graph`` turns them into RDF)."""

from .spacy_import import import_spacy

import_spacy()  # before any component imports spaCy: without its command line (see spacy_import)
