"""Write ontology/given-names.txt from the U.S. Census Bureau's 1990 first-name files.

The files (dist.male.first, dist.female.first: name, frequency, cumulative frequency, rank) are a U.S.
government work in the public domain; the PyPI package ``names`` 0.3.0 ships them
(``pip download names==0.3.0 --no-deps``, then unpack it). Every name whose lower-case spelling is a
word of ontology/english-words.txt is left out (Will, Grace, Chase, Dell: everyday words and firms).

    python bench/given_names.py DIR   # DIR holds dist.male.first and dist.female.first
"""

from __future__ import annotations

import argparse
from pathlib import Path

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
HEADER = """\
# Given names: the first names of the U.S. Census Bureau's 1990 name files (dist.male.first, dist.female.first;
# a U.S. government work, public domain; as redistributed in the PyPI package names 0.3.0), capitalised, one per
# line, leaving out every name whose lower-case spelling is a word of english-words.txt (Will, Grace, Chase, Dell).
# Read by names.yaml given_name_people.names_file; regenerate with bench/given_names.py.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("census", type=Path, help="folder with dist.male.first and dist.female.first")
    ap.add_argument("-o", "--output", type=Path, default=ONTOLOGY / "given-names.txt")
    args = ap.parse_args()
    words = {w.strip() for w in (ONTOLOGY / "english-words.txt").read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")}
    names: set[str] = set()
    for part in ("dist.male.first", "dist.female.first"):
        for line in (args.census / part).read_text(encoding="ascii").splitlines():
            if line.split():
                names.add(line.split()[0].capitalize())
    keep = sorted(n for n in names if n.lower() not in words)
    args.output.write_text(HEADER + "\n".join(keep) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(keep)} of {len(names)} names")


if __name__ == "__main__":
    main()
