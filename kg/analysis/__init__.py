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

# The names below are imported when first used (PEP 562), not with the package: ``kg build`` and
# ``kg merge`` import ``kg.analysis.load`` to prime the cache and need neither networkx nor
# ``core`` (about 0.1 s and 20 MiB on every build).
_FROM = {**dict.fromkeys(("AnalysisError", "as_of", "communities", "community_of", "neighbours", "parse_date", "paths",
                          "rank", "resolve", "subview"), "core"),
         "read_view": "load", "to_multidigraph": "load"}

from .diff import Diff, diff  # noqa: E402  (light; and ``diff`` must be the function, not the submodule)


def __getattr__(name: str):
    if name in _FROM:
        import importlib

        value = getattr(importlib.import_module(f".{_FROM[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_graph(paths: list[Path | str], date: str | None = None):
    """Graph files as a networkx ``MultiDiGraph`` (see ``load.to_multidigraph``); ``date``
    (YYYY-MM-DD): as the graph stood then."""
    from .core import as_of
    from .load import read_view, to_multidigraph

    view = read_view(paths)
    return to_multidigraph(as_of(view, date) if date else view)


__all__ = ["AnalysisError", "Diff", "as_of", "communities", "community_of", "diff", "load_graph", "neighbours",
           "parse_date", "paths", "rank", "read_view", "resolve", "subview", "to_multidigraph"]
