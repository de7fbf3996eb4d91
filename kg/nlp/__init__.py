"""spaCy language setup and pipeline components (no rdflib here: the NLP layer produces plain
records; ``kg.graph`` turns them into RDF)."""
