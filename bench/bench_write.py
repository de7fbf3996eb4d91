"""What a build does after extraction, old way beside new, in one run: the graph of N
interviews' extraction records written as kg.ttl, kg.trig and kg.html, and the analysis cache.

    python bench/bench_write.py CORPUS_DIR [--repeat 3] [--records records.pickle]

- old: every interview into an rdflib dataset (``add_extraction``), converted to Oxigraph
  quads, sorted by ``str``, written; the HTML view read from the dataset (``graph_view``); the
  analysis cache primed by reading kg.trig back (``read_view``).
- new: ``kg.build``'s writer: Oxigraph quads per interview (``interview_quads``), written per
  graph (``GraphWriter``), the view gathered from the same quads (``ViewBuilder``), the cache
  written from it.

The extraction records are made once (``--jobs 2``) and kept in ``--records``; each way runs
in a fresh process (its peak memory is its own: ru_maxrss, which includes the records loaded).
Prints seconds and CPU seconds (median of ``--repeat``) and peak MiB of each, and checks the
files are equal.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r'''
import json, os, pickle, resource, sys, time
from pathlib import Path
way, records, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
os.environ["KG_CACHE_DIR"] = str(out / "cache")
from kg.lexicon import Lexicon
from kg.extract import Extractor
lexicon = Lexicon.load()
fingerprint, threshold = Extractor(lexicon).fingerprint, 0.6
with open(records, "rb") as fh:
    results = pickle.load(fh)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from kg.graph import add_extraction, new_dataset, source_path, doc_iri, interview_quads, ontology_quads
from kg.build import _all_sources
from kg.export.rdf import ox_quads, write_trig, write_turtle, GraphWriter, portable_path
from kg.export.viewmodel import ViewBuilder
from kg.export.html import write_html
from kg.analysis.load import prime
from kg.vocab import ONTOLOGY_GRAPH
import pyoxigraph as ox
t0 = time.perf_counter()
c0 = time.process_time()
if way == "old":
    from kg.graph import add_extraction, new_dataset, source_path
    from kg.build import _all_sources
    from kg.export.rdf import ox_quads, write_trig, write_turtle
    from kg.export.html import write_html
    from kg.analysis.load import prime
    ds = new_dataset()
    read = {}
    for r in results:
        add_extraction(ds, r.extraction, lexicon, threshold, extracted_with=fingerprint)
        read[source_path(r.path)] = (r.extraction.doc.sha256, r.path.name)
    _all_sources(ds, read)
    quads = ox_quads(ds)
    write_turtle(ds, out / "kg.ttl", quads)
    write_trig(ds, out / "kg.trig", quads)
    del quads
    write_html(ds, out / "kg.html")
    prime(out / "kg.trig")
else:
    import pyoxigraph as ox
    from kg.graph import doc_iri, interview_quads, ontology_quads, source_path
    from kg.export.rdf import GraphWriter, portable_path
    from kg.export.viewmodel import ViewBuilder
    from kg.export.html import write_html
    from kg.analysis.load import prime
    from kg.vocab import ONTOLOGY_GRAPH
    writer, viewer = GraphWriter(), ViewBuilder()
    onto = ontology_quads()
    writer.add(ox.NamedNode(str(ONTOLOGY_GRAPH)), onto)
    viewer.add(onto)
    for r in results:
        ex = r.extraction
        quads = interview_quads(ex, lexicon, threshold, fingerprint, sources=[portable_path(source_path(r.path), out)])
        writer.add(ox.NamedNode(str(doc_iri(ex.doc.doc_id))), quads)
        viewer.add(quads)
    view = viewer.view()
    writer.write(out / "kg.trig", out / "kg.ttl")
    writer.close()
    write_html(view, out / "kg.html")
    prime(out / "kg.trig", view)
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"way": way, "seconds": dt, "cpu_s": cpu, "peak_mib": peak, "records_mib": base}))
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--records", type=Path, help="where to keep the extraction records (made if missing)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        records = args.records or Path(tmp) / "records.pickle"
        if not records.exists():
            import pickle

            from kg.corpus import iter_input_files
            from kg.extract import Extractor
            from kg.lexicon import Lexicon
            from kg.parallel import pool_results

            files = iter_input_files([args.corpus])
            got = [r for r in pool_results(files, Extractor(Lexicon.load()), 2) if r.extraction is not None]
            with open(records, "wb") as fh:
                pickle.dump(got, fh)
        runs: dict[str, list] = {"old": [], "new": []}
        for i in range(args.repeat):
            for way in ("old", "new"):
                out = Path(tmp) / f"{way}{i}"
                out.mkdir()
                res = subprocess.run([sys.executable, "-c", CHILD, way, str(records), str(out)], capture_output=True,
                                     text=True)
                if res.returncode:
                    sys.exit(f"{way}: {res.stderr.strip().splitlines()[-1]}")
                runs[way].append(json.loads(res.stdout.strip().splitlines()[-1]))
        for name in ("kg.ttl", "kg.trig", "kg.html"):
            same = (Path(tmp) / "old0" / name).read_bytes() == (Path(tmp) / "new0" / name).read_bytes()
            print(f"{name}: {'identical' if same else 'DIFFERENT'}")
        for way, rs in runs.items():
            print(f"{way}: {statistics.median(r['seconds'] for r in rs):.2f} s, CPU {statistics.median(r['cpu_s'] for r in rs):.2f} s (runs: "
                  f"{', '.join('%.2f' % r['seconds'] for r in rs)}), peak {max(r['peak_mib'] for r in rs):.0f} MiB "
                  f"(records loaded: {rs[0]['records_mib']:.0f} MiB)")
        old = statistics.median(r["seconds"] for r in runs["old"])
        new = statistics.median(r["seconds"] for r in runs["new"])
        print(f"new/old: {new / old:.2f} time, "
              f"{statistics.median(r['cpu_s'] for r in runs['new']) / statistics.median(r['cpu_s'] for r in runs['old']):.2f} CPU")


if __name__ == "__main__":
    main()
