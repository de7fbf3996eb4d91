"""Turtle and TriG output (atomic)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from ..atomic import atomic_path
from ..graph import union_graph


def write_trig(ds: Dataset, path: Path | str) -> None:
    with atomic_path(path) as tmp:
        ds.serialize(destination=str(tmp), format="trig")


def write_turtle(ds: Dataset, path: Path | str) -> None:
    with atomic_path(path) as tmp:
        union_graph(ds).serialize(destination=str(tmp), format="turtle")
