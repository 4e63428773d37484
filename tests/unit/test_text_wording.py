"""Wording helpers shared by the china_scale and structure chapters (helpers.text)."""

from __future__ import annotations

import pytest

from helpers import text


def test_usd_bn_shows_enough_digits_for_small_economies():
    assert text.usd_bn(1234.56) == "US$ 1,234.6 billion"
    assert text.usd_bn(2.345) == "US$ 2.35 billion" or text.usd_bn(2.345) == "US$ 2.34 billion"
    assert text.usd_bn(0.4123) == "US$ 412 million"
    assert text.usd_bn(0.0034) == "US$ 3.4 million"
    assert text.usd_bn(-12.0) == "−US$ 12.0 billion"
    assert text.usd_bn(float("nan")) == "n/a"


def test_seed_names_are_what_a_reader_knows():
    assert text.seed_name("000") == "the study"
    assert text.seed_name("003_7ed7f3c30ba74b4d.txt") == "the third policy article"
    with pytest.raises(ValueError):
        text.seed_name("009")


def fmt(v):
    return f"{v:.1f}"


def test_highest_lowest_has_its_own_wording_for_degenerate_cases():
    assert text.highest_lowest([], fmt) == "no economy has a value"
    assert text.highest_lowest([("Australia", 66.0)], fmt) == "only Australia has a value (66.0)"
    assert text.highest_lowest([("A", 66.0), ("B", 66.04)], fmt) == "all 2 have the same value (66.0)"
    assert text.highest_lowest([("A", 3.0), ("B", 1.0), ("C", 1.0)], fmt) == "A highest (3.0), B and C lowest (1.0)"
    assert text.highest_lowest([("A", 3.0), ("B", float("nan"))], fmt) == "only A has a value (3.0)"


def test_rank_phrase():
    assert text.rank_phrase(1, 1) == "the only one with data"
    assert text.rank_phrase(3, 10) == "3rd of 10"
    assert text.rank_phrase(2, 5, ties=2) == "2nd of 5 (tied)"
    assert text.rank_phrase(11, 12) == "11th of 12"
    assert text.rank_phrase(22, 30) == "22nd of 30"
