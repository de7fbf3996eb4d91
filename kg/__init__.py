"""Offline knowledge-graph builder for the AI industry.

Data flows one way: corpus -> nlp (extraction) -> graph -> exporters.
"""

__version__ = "0.1.0"
