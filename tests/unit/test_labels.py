"""helpers.book.labels: direct labels moved or thinned so that they never overlap."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.book import labels


def test_dodge_keeps_labels_apart_and_close_to_their_values():
    got = labels.dodge([10.0, 10.2, 10.1, 30.0], gap=1.0)
    assert got[3] == 30.0  # a label with room stays where its value is
    trio = sorted(got[:3])
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(trio, trio[1:]))
    assert trio[0] == 10.0  # the lowest keeps its place, the others move up
    assert labels.dodge([], 1.0) == []


def test_dodge_respects_the_top_of_the_axis():
    got = labels.dodge([9.8, 9.9, 10.0], gap=1.0, lo=0.0, hi=10.0)
    assert max(got) <= 10.0 and sorted(got) == pytest.approx([8.0, 9.0, 10.0])


def test_sparse_labels_the_most_important_and_skips_crowded_neighbours():
    df = pd.DataFrame({"x": [1.0, 1.01, 5.0, 9.0], "y": [1.0, 1.01, 5.0, 9.0], "weight": [1, 2, 0, 0]})
    keep = labels.sparse(df, "x", "y", "weight")
    assert keep.tolist() == [False, True, True, True]  # of the two crowded points, the heavier is labelled


def test_sparse_on_log_axes_measures_distance_in_log_space():
    df = pd.DataFrame({"x": [1.0, 10.0, 100.0], "y": [10.0, 10.0, 10.0], "w": [3, 2, 1]})
    assert labels.sparse(df, "x", "y", "w", log_x=True).tolist() == [True, True, True]  # 0, 0.5, 1 apart
    assert labels.sparse(df, "x", "y", "w", log_x=False).tolist() == [True, False, True]  # 1 and 10 crowd
