"""spaCy language setup and pipeline components (no rdflib here: the NLP layer produces plain
records; ``kg.graph`` turns them into RDF).

Importing the package imports no spaCy: each module that uses spaCy imports it first through
``spacy_import.import_spacy`` (without spaCy's command line), and ``plain`` holds what callers need
without spaCy (a ``kg build --jobs`` parent, whose workers extract)."""
