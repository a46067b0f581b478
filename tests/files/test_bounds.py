"""payung.files.bounds: the reference patterns, and the limits at their edges."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payung.files import bounds
from tests.files import corpus

NUMBERS = st.integers(0, 10**9)


@given(NUMBERS, NUMBERS, st.integers(0, 3))
def test_digits_above_matches_exactly_the_greater_numbers(n, m, zeros):
    pattern = re.compile(bounds._digits_above(n))
    assert (pattern.fullmatch("0" * zeros + str(m)) is not None) == (m > n)


@given(st.integers(0, 20_000), st.integers(1, 20_000), st.booleans())
def test_letters_above_matches_exactly_the_later_columns(n, m, lower):
    letters = bounds.column_letters(m)
    pattern = re.compile(bounds._letters_above(n))
    assert (pattern.fullmatch(letters.lower() if lower else letters) is not None) == (m > n)


@given(st.integers(1, 10**6))
def test_column_letters_and_numbers_round_trip(number):
    assert bounds.column_number(bounds.column_letters(number)) == number


def _cell(ref: str) -> str:
    return f'<row r="{re.sub("[A-Z]", "", ref)}"><c r="{ref}"><v>1</v></c></row>'


@pytest.mark.parametrize(
    ("ref", "refused"),
    [
        (f"{bounds.column_letters(bounds.MAX_COLUMNS)}3", False),
        (f"{bounds.column_letters(bounds.MAX_COLUMNS + 1)}3", True),
        (f"A{bounds.MAX_ROWS}", False),
        (f"A{bounds.MAX_ROWS + 1}", True),
        (f"AD{bounds.MAX_ROWS}", False),  # 30 columns of a million rows: the cell limit
        (f"AE{bounds.MAX_ROWS}", True),
    ],
)
def test_the_limits_at_their_edges(tmp_path, ref, refused):
    path = tmp_path / "r.xlsx"
    path.write_bytes(corpus.xlsx(corpus.ROSTER_ROWS + _cell(ref)))
    if refused:
        with pytest.raises(bounds.Refused) as caught:
            bounds.check_xlsx(path)
        assert caught.value.code == "sheet_too_large"
    else:
        bounds.check_xlsx(path)


def test_an_over_budget_archive_is_refused_by_what_it_unpacks(tmp_path, monkeypatch):
    path = tmp_path / "r.xlsx"
    path.write_bytes(corpus.xlsx(corpus.ROSTER_ROWS + "".join(_cell(f"A{n}") for n in range(3, 30_000))))
    bounds.check_xlsx(path)
    monkeypatch.setattr(bounds, "MAX_UNPACKED_BYTES", 1 << 20)
    monkeypatch.setattr(bounds, "RATIO_FLOOR", 0)
    with pytest.raises(bounds.Refused) as caught:
        bounds.check_xlsx(path)
    assert (caught.value.code, caught.value.params) == ("unpacked_too_large", {"limit": 1})


@pytest.mark.parametrize(("far", "refused"), [("", False), (_cell(f"B{bounds.MAX_ROWS + 1}"), True)])
def test_references_out_of_order_are_all_read(tmp_path, far, refused):
    """The last cell is usually the largest; here it is the smallest, after 2,000 larger ones."""
    rows = (
        "".join(_cell(f"A{n}") for n in range(3, 1_500))
        + far
        + "".join(_cell(f"A{n}") for n in range(1_500, 2_000))
    )
    path = tmp_path / "r.xlsx"
    path.write_bytes(corpus.xlsx(corpus.ROSTER_ROWS + rows + _cell("A1")))
    if refused:
        with pytest.raises(bounds.Refused):
            bounds.check_xlsx(path)
    else:
        bounds.check_xlsx(path)
