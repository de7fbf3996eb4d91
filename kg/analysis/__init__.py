"""Analysis of a knowledge graph with networkx: paths, neighbourhoods, rankings, communities,
time (``--as-of``) and what changed between two graphs (``kg diff``).

- ``load.read_view(paths)``: graph files (Turtle, TriG, merged graphs, ...) -> the view model
  (``kg.graphview.GraphView``: entities with names, aliases and types; relations with their
  evidence; interviews with their dates), loaded with pyoxigraph.
- ``load_graph(paths)``: the same as a networkx ``MultiDiGraph``.
- ``core``: ``resolve`` (a name in any script or alias -> entity), ``as_of``, ``paths``,
  ``neighbours``, ``rank``, ``communities``; ``diff``: ``diff(old, new)``.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .core import (AnalysisError, as_of, communities, community_of, neighbours, parse_date, paths, rank, resolve,
                   subview)
from .diff import Diff, diff
from .load import read_view, to_multidigraph


def load_graph(paths: list[Path | str], date: str | None = None) -> nx.MultiDiGraph:
    """Graph files as a networkx ``MultiDiGraph`` (see ``load.to_multidigraph``); ``date``
    (YYYY-MM-DD): as the graph stood then."""
    view = read_view(paths)
    return to_multidigraph(as_of(view, date) if date else view)


__all__ = ["AnalysisError", "Diff", "as_of", "communities", "community_of", "diff", "load_graph", "neighbours",
           "parse_date", "paths", "rank", "read_view", "resolve", "subview", "to_multidigraph"]
