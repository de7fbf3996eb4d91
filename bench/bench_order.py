"""Can Python order a ready question's rows faster than Oxigraph's ORDER BY? (issue 12: the slowest
ready question, relations-with-evidence, spends about a third of its time in a five-key ORDER BY.)

    python bench/bench_order.py GRAPH.trig [--question relations-with-evidence] [--repeat 3]

Times, in one process on the opened graph: the question as written (Oxigraph orders), the question without
its trailing ORDER BY, and sorting those rows in Python by the text of the ORDER BY variables' terms
(unbound first); prints the medians and whether the two orders give the same rows in the same order.
Measured 2026-12-06 (README, "The fifteenth and sixteenth locked sets"): no gain, and rows of equal keys
come in another order; nothing in kg uses it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph")
    ap.add_argument("--question", default="relations-with-evidence")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from kg.query import PREFIX_NS, OxDataset, open_dataset
    from kg.questions import library

    ds = open_dataset([args.graph])
    store = ds.ox_store if isinstance(ds, OxDataset) else ds.store._inner
    text = library()[args.question].text
    m = re.search(r"\bORDER\s+BY((?:\s+[?$]\w+)+)\s*$", text, re.IGNORECASE)
    if m is None:
        raise SystemExit(f"{args.question}: its last clause is no ORDER BY of plain variables")
    order = [v.strip()[1:] for v in m.group(1).split()]
    unordered = text[:m.start()]

    ordered_t, plain_t, sort_t = [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ordered = [tuple(row) for row in store.query(text, prefixes=PREFIX_NS)]
        ordered_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        answer = store.query(unordered, prefixes=PREFIX_NS)
        names = [v.value for v in answer.variables]
        rows = [tuple(row) for row in answer]
        plain_t.append(time.perf_counter() - t)
        cols = [names.index(n) for n in order]
        t = time.perf_counter()
        rows.sort(key=lambda r: tuple((0, "") if r[c] is None else (1, r[c].value) for c in cols))
        sort_t.append(time.perf_counter() - t)
    med = statistics.median
    print(f"{args.question}: {len(ordered)} rows, ORDER BY {' '.join('?' + n for n in order)}")
    print(f"  Oxigraph orders:          {med(ordered_t):.2f} s")
    print(f"  unordered + Python sort:  {med(plain_t):.2f} s + {med(sort_t):.2f} s = {med(plain_t) + med(sort_t):.2f} s")
    print(f"  same rows: {sorted(map(str, ordered)) == sorted(map(str, rows))}; same order: {ordered == rows}")


if __name__ == "__main__":
    main()
