"""The interactive HTML view: one self-contained file, no network access at all.

The page is our own template (``assets/view.html``) with vis-network inlined. vis-network comes
from the pyvis package, which ships it; pyvis's own page template links bootstrap and
vis-network from CDNs, so we do not use it. Graph data is embedded as JSON in a
``<script type="application/json">`` element with ``<``, ``>``, ``&`` and U+2028/2029 escaped,
and the page's Content-Security-Policy allows only its own two scripts (by hash) and no
requests, so text from interviews can neither break out nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph

from .. import __version__
from ..atomic import write_text
from ..graphview import OTHER, Entity, GraphView, graph_view

ASSETS = Path(__file__).resolve().parent / "assets"

DEFAULT_TITLE = "AI industry knowledge graph"

# colour and vis-network shape per entity type; shapes that draw the label below
TYPE_STYLE = {
    "Company": {"color": "#3a6ea5", "shape": "dot", "label": "Company", "label_zh": "公司"},
    "Person": {"color": "#f28e2b", "shape": "diamond", "label": "Person", "label_zh": "人物"},
    "Model": {"color": "#59a14f", "shape": "square", "label": "AI model", "label_zh": "AI 模型"},
    "Chip": {"color": "#b07aa1", "shape": "triangle", "label": "Chip", "label_zh": "芯片"},
    OTHER: {"color": "#9c9c9c", "shape": "hexagon", "label": "Other", "label_zh": ""},
}
KIND_COLORS = {
    "competesWith": "#d62728",
    "investsIn": "#c98a00",
    "supplies": "#1f77b4",
    "hedgesAgainst": "#9467bd",
    "develops": "#138d90",
    "affiliatedWith": "#8c564b",
}
EXTRA_KIND_COLORS = ("#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a")

FONT_STACK = ('"Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
              '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')

LARGE_NODES, LARGE_EDGES = 400, 800
"""Beyond these, edges are drawn straight and hidden while dragging or zooming."""


class ViewError(Exception):
    """The page cannot be made (vis-network not found); ``str(err)`` is one line."""


def _version_key(path: Path) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", path.parent.name))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, as pyvis ships it (the newest version it has). The file is
    found without importing pyvis (which would import jinja2, networkx and IPython's display for
    nothing: about 0.2 s and 30 MiB)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pyvis is a dependency
        raise ViewError("pyvis is not installed; it provides vis-network for the HTML view")
    root = Path(next(iter(spec.submodule_search_locations))).resolve()
    found = sorted({*root.glob("templates/lib/vis-*/vis-network.min.js"), *root.glob("lib/vis-*/vis-network.min.js")},
                   key=_version_key)
    if not found:
        raise ViewError(f"vis-network.min.js not found in the pyvis package at {root}")
    return found[-1].read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------- page data

def search_keys(names: list[str]) -> list[str]:
    """What the search box matches: each name and its traditional-Chinese forms, folded
    (NFKC, lower case, no spaces or dots) the same way the page folds a query."""
    forms: dict[str, None] = {}
    converted = _converted([name for name in names if re.search(r"[\u3400-\u9fff]", name)])
    for name in names:
        forms.setdefault(name, None)
        for form in converted.get(name, ()):
            forms.setdefault(form, None)
    keys: dict[str, None] = {}
    for form in forms:
        key = re.sub(r"[\s·.\-_'\"]+", "", unicodedata.normalize("NFKC", form).lower())
        if key:
            keys.setdefault(key, None)
    return list(keys)


def _converted(names: list[str]) -> dict[str, list[str]]:
    """Each Chinese name's forms by ``_converters()``, in their order. Loading OpenCC's converters
    takes about 0.1 s each, longer than the page of a short interview: what they gave is kept in
    the start-up cache (``kg.startcache``), so they are loaded only for a name not seen before."""
    import opencc

    from .. import startcache

    if not names:
        return {}
    key = startcache.key("opencc", str(getattr(opencc, "__version__", "")), str(Path(opencc.__file__).resolve()))
    known = startcache.get("opencc", key)
    known = dict(known) if isinstance(known, dict) else {}
    missing = [n for n in dict.fromkeys(names)
               if not (isinstance(known.get(n), list) and all(isinstance(f, str) for f in known[n]))]
    if missing:
        for name in missing:
            known[name] = [conv.convert(name) for conv in _converters()]
        if len(known) <= 200_000:
            startcache.put("opencc", key, known)
    return known


@lru_cache(maxsize=1)
def _converters():
    import opencc

    from ..textnorm import to_simplified

    class _Simplify:
        convert = staticmethod(to_simplified)

    return [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2twp", "s2hk")] + [_Simplify()]


def node_size(entity: Entity) -> float:
    """Grows with the log of the mentions and with each further interview that names it."""
    size = 10 + 4 * math.log2(1 + entity.mentions) + 6 * max(0, len(entity.interviews) - 1)
    return round(min(56.0, size), 1)


def edge_width(evidence: int) -> float:
    return round(min(10.0, 1 + 2 * math.log2(1 + evidence)), 2)


def vis_options(n_nodes: int, n_edges: int) -> dict:
    """Our vis-network options: stabilise in a bounded number of iterations, then stop."""
    large = n_nodes > LARGE_NODES or n_edges > LARGE_EDGES
    iterations = 400 if n_nodes <= 1000 else 250
    return {
        "autoResize": True,
        "nodes": {
            "font": {"face": FONT_STACK, "size": 16, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "font": {"face": FONT_STACK, "size": 12, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -50, "centralGravity": 0.02, "springLength": 100,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.5},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": False},
        },
        "interaction": {
            "hover": True, "tooltipDelay": 200, "multiselect": False, "navigationButtons": False, "keyboard": False,
            "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
        },
    }


def page_data(view: GraphView, title: str = DEFAULT_TITLE, default_types: list[str] | None = None,
              options: dict | None = None, communities: list[dict] | None = None) -> dict:
    """Everything the page draws, as JSON-ready data."""
    interviews = sorted(view.interviews.values(), key=lambda i: (i.date, i.title, i.id))
    iv_index = {iv.id: i for i, iv in enumerate(interviews)}
    type_counts = view.type_counts()
    kind_counts = view.kind_counts()
    large = len(view.entities) > LARGE_NODES or len(view.relations) > LARGE_EDGES

    if default_types is None:  # the company graph, if there is one; else everything
        company_graph = any(view.entities[r.source].type == view.entities[r.target].type == "Company"
                            for r in view.relations)
        default_types = ["Company"] if company_graph else list(type_counts)
    types = [{"name": t, **TYPE_STYLE[t], "count": n} for t, n in type_counts.items()]
    kinds = []
    extra = 0
    for i, (name, kind) in enumerate(view.kinds.items()):
        color = KIND_COLORS.get(name)
        if color is None:
            color = EXTRA_KIND_COLORS[extra % len(EXTRA_KIND_COLORS)]
            extra += 1
        # a different curvature per kind keeps two relations between the same pair apart,
        # and curvedCW bends A->B and B->A to opposite sides
        if options is not None:  # the caller's options decide, as for any vis-network page
            smooth = None
        elif large:
            smooth = False
        else:
            smooth = {"enabled": True, "type": "curvedCW", "roundness": round(0.12 + 0.08 * i, 2)}
        kinds.append({"name": name, "iri": kind.iri, "label": kind.label_en, "label_zh": kind.label_zh,
                      "directed": kind.directed, "color": color, "count": kind_counts[name], "smooth": smooth})

    nodes = []
    for e in view.entities.values():
        en, zh = e.label_en, e.label_zh
        nodes.append({
            "id": e.id, "type": e.type,
            "label": f"{en}\n{zh}" if en and zh and en != zh else e.label,
            "en": en, "zh": zh,
            "aliases": [n for n in e.all_names if n not in (en, zh)],
            "keys": search_keys(e.all_names + [e.label]),
            "wikidata": e.wikidata,
            "discovered": e.discovered,
            "mentions": e.mentions,
            "interviews": sorted(iv_index[i] for i in e.interviews if i in iv_index),
            "size": node_size(e),
        })
    edges = []
    for r in view.relations:
        edges.append({
            "id": r.id, "kind": r.kind, "from": r.source, "to": r.target,
            "width": edge_width(len(r.evidence)),
            "evidence": [{
                "sentence": ev.sentence, "interview": iv_index.get(ev.interview or ""),
                "subject": ev.subject, "object": ev.object, "start": ev.start, "end": ev.end,
                "rule": ev.rule, "trigger": ev.trigger, "confidence": ev.confidence,
            } for ev in r.evidence],
        })
    return {
        "title": title,
        "summary": {"interviews": len(interviews), "evidence": sum(len(r.evidence) for r in view.relations)},
        "types": types,
        "kinds": kinds,
        "interviews": [{"title": iv.title, "date": iv.date, "source": iv.source, "file": iv.file} for iv in interviews],
        "nodes": nodes,
        "edges": edges,
        "defaults": {"types": default_types, "connectedOnly": bool(edges)},
        "options": options if options is not None else vis_options(len(nodes), len(edges)),
        **time_and_community_data(view, nodes, edges, communities),
    }


COMMUNITY_COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
                    "#469990", "#808000", "#000075", "#bfef45", "#fabed4", "#dcbeff", "#aaffc3", "#ffd8b1")
NO_COMMUNITY_COLOR = "#d3d3d3"


def time_and_community_data(view: GraphView, nodes: list[dict], edges: list[dict],
                            communities: list[dict] | None = None) -> dict:
    """The date slider's and the community colouring's data. Adds ``since`` (the date of the
    earliest dated interview that names the entity or supports the relation, '' if none is dated)
    to each node and edge, and ``community`` (1 = the largest; None: in none) to each node when
    ``communities`` (``kg.analysis.communities``: number, name, size, member ids) is given. Returns the page's ``timeline`` (the distinct
    interview dates, and how many interviews have none) and ``communities`` (name, colour, size)."""
    def day(interview_id) -> str:
        iv = view.interviews.get(interview_id or "")
        return iv.date[:10] if iv and iv.date else ""

    by_id = {e.id: e for e in view.entities.values()}
    for n in nodes:
        dates = [d for d in (day(i) for i in by_id[n["id"]].interviews) if d]
        n["since"] = min(dates, default="")
    rel_by_id = {r.id: r for r in view.relations}
    for e in edges:
        dates = [d for d in (day(ev.interview) for ev in rel_by_id[e["id"]].evidence) if d]
        e["since"] = min(dates, default="")
    dated = sorted({d for d in (day(i) for i in view.interviews) if d})
    out = {"timeline": {"dates": dated, "undated": sum(1 for i in view.interviews if not day(i))}}
    if communities is not None:
        member_of = {i: c["community"] for c in communities for i in c["ids"]}
        for n in nodes:
            n["community"] = member_of.get(n["id"])
        out["communities"] = [{"id": c["community"], "name": c["name"], "size": c["size"],
                               "color": COMMUNITY_COLORS[(c["community"] - 1) % len(COMMUNITY_COLORS)]}
                              for c in communities]
        out["noCommunityColor"] = NO_COMMUNITY_COLOR
    return out


# ---------------------------------------------------------------------- the page

def script_json(value) -> str:
    """JSON that is inert inside a <script> element: no '</script', no '<!--', no line
    separators that old parsers take for newlines."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline(code: str, tag: str) -> str:
    """Code that cannot close the element it is inlined in."""
    return re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_html(view: GraphView, title: str = DEFAULT_TITLE, default_types: list[str] | None = None,
                options: dict | None = None, communities: list[dict] | None = None) -> str:
    """The page for ``view``. ``options`` replaces our vis-network options (benchmarks use it
    to compare with vis-network's defaults)."""
    data = script_json(page_data(view, title, default_types, options, communities))
    vis_js = _inline(vis_network_js(), "script")
    # one script of our own: the layout geometry (no vis-network in it), then the page
    app_js = _inline(_asset("layout.js") + "\n" + _asset("view.js"), "script")
    css = _inline(_asset("view.css"), "style")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis_js)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    parts = {"title": html.escape(title), "csp": html.escape(csp), "version": __version__,
             "css": css, "data": data, "vis_js": vis_js, "app_js": app_js}
    # one pass, so nothing inserted is scanned for placeholders again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _asset("view.html"))


def write_html(graph: Graph | Dataset | GraphView, path: Path | str, title: str = DEFAULT_TITLE,
               types: list[str] | None = None, kinds: list[str] | None = None,
               communities: list[dict] | None = None) -> Path:
    """Write the view of ``graph`` to ``path`` atomically; ``types``/``kinds`` keep only those;
    ``communities`` (``kg.analysis.communities``) colours nodes by community."""
    view = graph if isinstance(graph, GraphView) else graph_view(graph)
    if types is not None or kinds is not None:
        view = view.restrict(types, kinds)
    default_types = list(view.type_counts()) if types is not None else None
    write_text(path, render_html(view, title, default_types, communities=communities))
    return Path(path)


def build_writer(ds: Dataset, out_dir: Path) -> Path:
    """For ``kg.build.build(extra_writers=...)``: OUT/kg.html."""
    return write_html(ds, Path(out_dir) / "kg.html")
