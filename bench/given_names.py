"""Write ontology/given-names.txt from the U.S. Census Bureau's 1990 first-name files and, with --faker, the
first names of Faker's non-English locales.

The census files (dist.male.first, dist.female.first: name, frequency, cumulative frequency, rank) are a U.S.
government work in the public domain; the PyPI package ``names`` 0.3.0 ships them
(``pip download names==0.3.0 --no-deps``, then unpack it). Faker (PyPI ``faker``, MIT licence) holds lists of
first names for some sixty locales; those of the locales that are not English (fr_FR, de_DE, it_IT, es_ES,
pl_PL, tr_TR …: Laurent, Pascale, Luca, Jakob, Aleksander) are added, written in Latin letters. Its English
locales are left out: the names they add to the census are mostly recent American given names that are
places and words (Brooklyn, York, Liberty). Every name whose lower-case spelling is a word of
ontology/english-words.txt is left out (Will, Grace, Chase, Dell: everyday words and firms), and every name of
Faker's under three letters.

    python bench/given_names.py DIR            # DIR holds dist.male.first and dist.female.first
    pip install faker && python bench/given_names.py DIR --faker
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from pathlib import Path

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
HEADER = """\
# Given names: the first names of the U.S. Census Bureau's 1990 name files (dist.male.first, dist.female.first;
# a U.S. government work, public domain; as redistributed in the PyPI package names 0.3.0){faker}, capitalised, one per
# line, leaving out every name whose lower-case spelling is a word of english-words.txt (Will, Grace, Chase, Dell).
# Read by names.yaml given_name_people.names_file; regenerate with bench/given_names.py.
"""
FAKER_NOTE = ("\n# and of the non-English locales of Faker {version} (PyPI faker, MIT licence, Copyright (c) 2012 Daniele "
              "Faraglia;\n# those in Latin letters)")
LATIN_NAME = re.compile(r"[A-Z][a-zà-öø-ÿ'-]+")
FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def faker_names() -> tuple[set[str], str]:
    """The first names of Faker's person providers of every locale but the English ones, and Faker's version."""
    import faker
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name.startswith("en"):
            continue
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in FIRST_NAME_LISTS:
            value = next((cls.__dict__[attr] for cls in provider.__mro__ if attr in cls.__dict__), None)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, (list, tuple)):
                names.update(n for n in value if isinstance(n, str) and LATIN_NAME.fullmatch(n))
    return names, faker.VERSION


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("census", type=Path, help="folder with dist.male.first and dist.female.first")
    ap.add_argument("--faker", action="store_true", help="add the first names of Faker's non-English locales")
    ap.add_argument("-o", "--output", type=Path, default=ONTOLOGY / "given-names.txt")
    args = ap.parse_args()
    words = {w.strip() for w in (ONTOLOGY / "english-words.txt").read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")}
    names: set[str] = set()
    for part in ("dist.male.first", "dist.female.first"):
        for line in (args.census / part).read_text(encoding="ascii").splitlines():
            if line.split():
                names.add(line.split()[0].capitalize())
    note = ""
    if args.faker:
        more, version = faker_names()
        names |= {n for n in more if len(n) >= 3}
        note = FAKER_NOTE.format(version=version)
    keep = sorted(n for n in names if n.lower() not in words)
    args.output.write_text(HEADER.format(faker=note) + "\n".join(keep) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(keep)} of {len(names)} names")


if __name__ == "__main__":
    main()
