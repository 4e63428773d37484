import pytest

from helpers import text


def test_formatting():
    assert text.num(1234.56, 1) == "1,234.6"
    assert text.num(float("nan")) == "n/a"
    assert text.pct(7.84) == "7.8 %"
    assert text.pct(-3.25, 1, sign=True) == "−3.2 %" or text.pct(-3.25, 1, sign=True) == "−3.3 %"
    assert text.pct(2.0, 1, sign=True) == "+2.0 %"
    assert text.usd(9.331e11) == "US$ 933.1 bn"
    assert text.listing(["a", "b", "c"]) == "a, b and c"


def test_growth_and_cagr():
    assert text.growth(100, 110) == pytest.approx(10.0)
    assert text.cagr(100, 121, 2) == pytest.approx(10.0)
    assert text.cagr(164.84, 294.76, 9) == pytest.approx((294.76 / 164.84) ** (1 / 9) * 100 - 100)
    with pytest.raises(ValueError):
        text.cagr(0, 1, 3)
    with pytest.raises(ValueError):
        text.growth(0, 1)


def test_badges_carry_the_word():
    html = text.badge("inconsistent")
    assert "inconsistent" in html and "verdict-bad" in html
    with pytest.raises(ValueError):
        text.badge("maybe")


def test_year_ranges_joins_consecutive_years():
    from helpers.text import year_ranges

    assert year_ranges([2010, 2003, 2004, 2005]) == "2003–2005, 2010"
    assert year_ranges([2001, 2003]) == "2001, 2003"
    assert year_ranges([]) == ""
    assert year_ranges([2020, 2020, 2021]) == "2020–2021"


def test_a_value_that_is_not_zero_is_never_printed_as_zero():
    from helpers.text import pct

    assert pct(0.018) == "0.02 %" and pct(-0.018) == "−0.02 %" and pct(0.0) == "0.0 %"
    assert pct(0.0004) == "less than 0.001 %" and pct(-0.0004) == "less than 0.001 % below zero"
    assert pct(7.84) == "7.8 %" and pct(0.05, 1) == "0.1 %"
