"""Fewer passes of Python's cyclic garbage collector while extracting and building.

A build allocates many small objects that live long (spaCy lexemes and spans, rdflib's indexes,
the Oxigraph terms of the output), and with the default thresholds (a collection every 700 net
allocations, a full one every 100 collections) the collector keeps walking them: about 15 % of a
x20 build's time, and more of the graph and output steps of a larger one. ``fewer_collections``
raises the first and third thresholds for the duration of a call and restores them afterwards;
cycles are still collected, only less often (peak memory of the x20 synthetic build: 222 -> 229
MiB; of the x100 one unchanged between the two third thresholds). Outputs do not depend on it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

THRESHOLD0 = 10_000  # net allocations between young collections (CPython default 700)
THRESHOLD2 = 100  # middle collections between full ones (default 10)


@contextmanager
def fewer_collections(threshold0: int = THRESHOLD0, threshold2: int = THRESHOLD2):
    """Usable as ``with fewer_collections():`` or as a decorator ``@fewer_collections()``."""
    old = gc.get_threshold()
    if old[0] > 0:  # a collector switched off (threshold 0) is left alone; higher settings are kept
        gc.set_threshold(max(old[0], threshold0), old[1], max(old[2], threshold2))
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextmanager
def no_collections():
    """The collector off for the duration (extracting one document: ``kg.extract.Extractor.extract``).
    Extraction makes no cyclic garbage (a full collection after extracting the x10 corpus or any
    corpus interview finds 0 unreachable objects; the spaCy ``Doc`` and everything hanging off it go
    by reference counting), so the collector's passes over the young objects it makes (spans,
    matches, feature strings) are pure cost: 3-5 % of the extraction. Peak memory does not change;
    were a component one day to make cycles, they would wait until the document is done, when the
    collector (back on, with many allocations counted) runs at the next allocation. Usable as a
    decorator; a collector already off stays off."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_frozen = False


@contextmanager
def quiet_imports():
    """Heavy imports (spaCy, thinc, numpy, pydantic: hundreds of thousands of objects that live as
    long as the process) without the collector walking them again and again while they load: the
    collector is off inside, and the first time in a process what exists then is moved out of its
    reach (``gc.freeze``) before it is switched on again. A fifth of a one-line build's CPU here.
    Cycles made before that first time are not collected (a command-line process makes few)."""
    global _frozen
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not _frozen:
            _frozen = True
            gc.freeze()
        gc.enable()
