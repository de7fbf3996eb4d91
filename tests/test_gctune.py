"""kg.gctune: thresholds raised for the duration of a call, restored afterwards."""

import gc

from kg.gctune import fewer_collections


def test_thresholds_restored():
    before = gc.get_threshold()
    with fewer_collections(threshold0=12345, threshold2=77):
        inside = gc.get_threshold()
        assert inside[0] == max(before[0], 12345) and inside[2] == max(before[2], 77)
    assert gc.get_threshold() == before


def test_collector_switched_off_is_left_alone():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
