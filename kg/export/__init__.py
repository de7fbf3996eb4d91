"""Exporters: read graphs, never text."""
