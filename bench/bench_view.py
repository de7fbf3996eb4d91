"""Time to a stable layout of the HTML view in headless Chromium, ours against vis-network's
default options, on a synthetic graph of 2,000 entities and 5,000 relations, in one run.

    python bench/bench_view.py                       # 2,000 entities, 5,000 relations
    python bench/bench_view.py --nodes 500 --edges 1200 --runs 3
    python bench/bench_view.py --keep out/           # also keep the pages

Both pages are the same file but for the vis-network options: ours (kg.export.html.vis_options:
forceAtlas2 with a bounded number of stabilisation iterations, straight edges and no edges
while dragging on large graphs) and the baseline, vis-network's defaults (barnesHut, 1,000
stabilisation iterations, dynamic smooth edges, improved initial layout). In both, the page
stops the physics once the stabilisation iterations are done, then moves the entities' boxes
(shape and label) apart until none overlaps and picks the edge labels that fit (the same code
in both), so "stable" is the moment the layout is drawn and stops moving. Figures:

- load: navigation to the page's script running (HTML and JSON parsing);
- stable: the page's script start to the end of the layout (force layout, then overlap removal
  and edge labels, each also shown on its own);
- frame: mean time of a full redraw with every entity and relation shown;
- drag: the same while the user drags or pans (ours hides edges then, on large graphs);
- page: file size.

Chromium runs headless with software rendering (no GPU), so absolute times are pessimistic
for a desktop browser; the ratio between the two rows is the point.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KG_ONTOLOGY_DIR", str(ROOT / "ontology"))

from kg.export.html import render_html  # noqa: E402
from kg.graphview import graph_view  # noqa: E402
from kg.vocab import KG, KGD, KGE, KGEV, WD  # noqa: E402

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]

SYLLABLES = ["an", "bo", "ca", "de", "fi", "ga", "hu", "jo", "ka", "li", "mo", "nu", "pa", "qi", "ro", "su", "ta", "vi", "xe", "zo"]
HANZI = "安博成德飞光华金凯立明宁鹏启荣盛泰伟新阳智中芯云海星"


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 11) -> Graph:
    """Entities of the four types, relations of the six kinds between the types the ontology
    allows, chosen with preferential attachment (a few hubs, many leaves, like the real graph),
    1-3 evidence sentences each, mention counts over 50 interviews."""
    rng = random.Random(seed)
    g = Graph()
    types = rng.choices(["Company", "Person", "Model", "Chip"], weights=[45, 30, 17, 8], k=n_nodes)
    ents = [KGE[f"e{i}"] for i in range(n_nodes)]
    by_type: dict[str, list[int]] = {t: [] for t in ("Company", "Person", "Model", "Chip")}
    docs = [KGD[f"d{i}"] for i in range(50)]
    for i, d in enumerate(docs):
        g.add((d, RDF.type, KG.Interview))
        g.add((d, DCTERMS.title, Literal(f"Synthetic interview {i}")))
        g.add((d, DCTERMS.date, Literal(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
    for i, (e, t) in enumerate(zip(ents, types)):
        by_type[t].append(i)
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        g.add((e, RDF.type, KG[t]))
        g.add((e, RDFS.label, Literal(name, lang="en")))
        g.add((e, RDFS.label, Literal("".join(rng.choice(HANZI) for _ in range(rng.randint(2, 4))), lang="zh")))
        g.add((e, SKOS.altLabel, Literal(name.upper(), lang="en")))
        if rng.random() < 0.3:
            g.add((e, OWL.sameAs, WD[f"Q{rng.randint(100, 10**7)}"]))
        for d in rng.sample(docs, rng.randint(1, 3)):
            occ = KGEV[f"occ-{i}-{d[-3:]}"]
            g.add((occ, RDF.type, KG.Occurrence))
            g.add((occ, KG.entity, e))
            g.add((occ, KG.document, d))
            g.add((occ, KG.mentionCount, Literal(rng.randint(1, 40))))
    kinds = [("competesWith", "Company", "Company", 15), ("investsIn", "Company", "Company", 12),
             ("supplies", "Company", "Company", 15), ("hedgesAgainst", "Company", "Company", 5),
             ("develops", "Company", "Model", 18), ("develops", "Company", "Chip", 5),
             ("affiliatedWith", "Person", "Company", 30)]
    weight = [1.0] * n_nodes
    seen = set()
    while len(seen) < n_edges:
        kind, st, ot, _ = rng.choices(kinds, weights=[k[3] for k in kinds])[0]
        if not by_type[st] or not by_type[ot]:
            continue
        s = rng.choices(by_type[st], weights=[weight[i] for i in by_type[st]])[0]
        o = rng.choices(by_type[ot], weights=[weight[i] for i in by_type[ot]])[0]
        key = (kind, *sorted((s, o))) if kind == "competesWith" else (kind, s, o)
        if s == o or key in seen:
            continue
        seen.add(key)
        weight[s] += 0.5
        weight[o] += 0.5
        g.add((ents[s], KG[kind], ents[o]))
        if kind == "competesWith":
            g.add((ents[o], KG[kind], ents[s]))
        for k in range(rng.choice([1, 1, 1, 2, 3])):
            ev = KGEV[f"ev-{len(seen)}-{k}"]
            g.add((ev, RDF.type, KG.Evidence))
            g.add((ev, RDF.subject, ents[s]))
            g.add((ev, RDF.predicate, KG[kind]))
            g.add((ev, RDF.object, ents[o]))
            g.add((ev, KG.document, rng.choice(docs)))
            g.add((ev, KG.sentence, Literal(f"合成句子 {len(seen)}-{k}：{kind} between e{s} and e{o}。")))
            g.add((ev, KG.confidence, Literal("0.800", datatype=XSD.decimal)))
    return g


def measure(browser, path: Path, timeout_s: float) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.resolve().as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("() => window.kgView && window.kgView.state.stable", timeout=timeout_s * 1000,
                               polling=100)
    except Exception as err:  # noqa: BLE001 - a timeout is a result here
        ctx.close()
        return {"timeout": True, "error": str(err).splitlines()[0]}
    t = page.evaluate("() => kgView.state.timings")
    layout = page.evaluate("() => kgView.state.layout")
    frame = page.evaluate("""() => {
        for (const t of kgView.data.types) kgView.setType(t.name, true);
        kgView.setConnectedOnly(false);
        kgView.fit();
        const net = kgView.network, n = 10;
        let t0 = performance.now();
        for (let i = 0; i < n; i++) net.redraw();
        const still = (performance.now() - t0) / n;
        net.renderer.dragging = true;  // what a frame costs while the user drags or pans
        t0 = performance.now();
        for (let i = 0; i < n; i++) net.redraw();
        const drag = (performance.now() - t0) / n;
        net.renderer.dragging = false;
        return {still, drag};
    }""")
    drawn = page.evaluate("() => [kgView.drawn().nodes.length, kgView.drawn().edges.length]")
    ctx.close()
    return {"timeout": False, "load": t["start"], "stable": t["stable"] - t["start"], "frame": frame["still"],
            "physics": t["physics"] - t["start"], "declutter": t["stable"] - t["physics"], "rounds": layout["rounds"],
            "drag": frame["drag"],
            "drawn": drawn, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--edges", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=1, help="runs per configuration (median reported)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a run counts as not stable")
    ap.add_argument("--keep", type=Path, help="folder to keep the two pages in")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set KG_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    t0 = time.perf_counter()
    g = synthetic_graph(args.nodes, args.edges)
    t1 = time.perf_counter()
    view = graph_view(g)
    t2 = time.perf_counter()
    pages = {"kg view (ours)": render_html(view), "vis-network defaults (baseline)": render_html(view, options={})}
    t3 = time.perf_counter()
    print(f"synthetic graph: {len(view.entities)} entities, {len(view.relations)} relations, {len(g)} triples "
          f"(made in {t1 - t0:.1f} s); graph -> view model {t2 - t1:.2f} s; view model -> 2 pages {t3 - t2:.2f} s")
    out = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        print(f"browser: Chromium {browser.version}, headless, software rendering")
        print(f"{'configuration':<34}{'page MB':>8}{'load s':>8}{'stable s':>10}{'frame ms':>10}{'drag ms':>9}  drawn")
        results = {}
        for i, (name, html) in enumerate(pages.items()):
            path = out / f"view-{i}.html"
            path.write_text(html, encoding="utf-8")
            runs = [measure(browser, path, args.timeout) for _ in range(args.runs)]
            ok = [r for r in runs if not r["timeout"]]
            size = path.stat().st_size / 1e6
            if not ok:
                print(f"{name:<34}{size:>8.2f}{'':>8}{'> ' + str(int(args.timeout)):>10}{'':>19}  (not stable: {runs[0]['error']})")
                continue
            med = {k: statistics.median(r[k] for r in ok) for k in ("load", "stable", "frame", "drag", "physics", "declutter")}
            results[name] = med
            errs = sorted({e for r in ok for e in r["errors"]})
            print(f"{name:<34}{size:>8.2f}{med['load'] / 1000:>8.2f}{med['stable'] / 1000:>10.2f}{med['frame']:>10.1f}{med['drag']:>9.1f}"
                  f"  {ok[0]['drawn'][0]} nodes, {ok[0]['drawn'][1]} edges" + (f"  console errors: {errs}" if errs else ""))
            print(f"{'':<34}of which force layout {med['physics'] / 1000:.2f} s, overlap removal and edge labels "
                  f"{med['declutter'] / 1000:.2f} s ({ok[0]['rounds']} rounds)")
        browser.close()
    if len(results) == 2:
        ours, base = results.values()
        print(f"ours vs baseline: stable layout {base['stable'] / ours['stable']:.1f}x sooner; "
              f"frame {base['frame'] / ours['frame']:.1f}x, frame while dragging {base['drag'] / ours['drag']:.1f}x as fast")
    if args.keep:
        print(f"pages kept in {out}")


if __name__ == "__main__":
    main()
