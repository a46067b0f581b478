"""NIK parsing: compose/parse round trip and the century of the birth code (hypothesis), every reason, and
the `payung nik check` CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import assume, given
from hypothesis import strategies as st

from payung.regions.catalog import DISTRICT, areas_above_village
from payung.registry import nik

DISTRICTS = sorted(code for code, area in areas_above_village().items() if area.level == DISTRICT)
TODAY = dt.date(2026, 6, 1)
PAYUNG = Path(sys.executable).with_name("payung")


@st.composite
def births(draw):
    """A 'today' and a birth date less than 100 years before it: the span a two-digit year can name."""
    today = draw(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2090, 12, 31)))
    earliest = (
        today.replace(year=today.year - 100) + dt.timedelta(days=1)
        if today.month != 2
        else today.replace(year=today.year - 100, day=1) + dt.timedelta(days=28)
    )
    return today, draw(st.dates(min_value=earliest, max_value=today))


@given(
    district=st.sampled_from(DISTRICTS),
    born=births(),
    sex=st.sampled_from([nik.MALE, nik.FEMALE]),
    sequence=st.integers(1, 9999),
)
def test_compose_then_parse_gives_back_what_went_in(district, born, sex, sequence):
    today, birth_date = born
    info = nik.parse(nik.compose(district, birth_date, sex, sequence), today=today)
    areas = areas_above_village()
    assert info.valid, info.reasons
    assert (info.birth_date, info.sex) == (birth_date, sex)
    assert (info.province, info.regency, info.district) == (
        areas[district[:2]].name,
        areas[district[:4]].name,
        areas[district].name,
    )
    assert nik.parse(info.nik, birth_date=birth_date, sex=sex, today=today).valid


def test_a_centenarian_born_on_29_february_reads_back_in_the_same_leap_year():
    # 29 Feb 1928 seen on 10 Jan 2028: year 28 must go back a century, and 1928 was a leap year.
    info = nik.parse(nik.compose("530301", dt.date(1928, 2, 29), nik.MALE, 1), today=dt.date(2028, 1, 10))
    assert info.valid and info.birth_date == dt.date(1928, 2, 29)


# --- the century (decision 0016) ------------------------------------------------------------------------
BIRTHS = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
SEXES = st.sampled_from([nik.MALE, nik.FEMALE])
# From 2001 every code of a real date has a reading 0-100 years back (29/02/00 is 2000's; 1900 had none).
REFERENCES = st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 31))


@given(born=BIRTHS, sex=SEXES, on=REFERENCES)
def test_a_recorded_date_agrees_with_its_own_code_whatever_the_century(born, sex, on):
    info = nik.parse(nik.compose("537101", born, sex, 1), birth_date=born, sex=sex, today=on)
    assert info.valid, info.reasons
    assert info.birth_date == born


@given(born=BIRTHS, other=BIRTHS, sex=SEXES, on=REFERENCES)
def test_a_recorded_date_with_another_day_month_or_year_digits_disagrees(born, other, sex, on):
    assume((other.day, other.month, other.year % 100) != (born.day, born.month, born.year % 100))
    info = nik.parse(nik.compose("537101", born, sex, 1), birth_date=other, sex=sex, today=on)
    assert [r.code for r in info.reasons] == ["birth_date_mismatch"]


@given(born=BIRTHS, sex=SEXES, on=REFERENCES)
def test_without_a_recorded_date_the_code_is_read_as_someone_0_to_100_years_old(born, sex, on):
    decoded = nik.parse(nik.compose("537101", born, sex, 1), today=on).birth_date
    assert decoded is not None and nik.BirthCode.read(f"{born:%d%m%y}").agrees(decoded)
    assert 0 <= nik.age(decoded, on) <= 100


@given(born=BIRTHS, sex=SEXES, on=REFERENCES)
def test_an_age_under_15_or_over_100_is_a_warning_not_a_fault(born, sex, on):
    info = nik.parse(nik.compose("537101", born, sex, 1), birth_date=born, sex=sex, today=on)
    unusual = born <= on and not 15 <= nik.age(born, on) <= 100
    assert [w.code for w in info.warnings] == (["age_unusual"] if unusual else [])
    assert info.valid


def test_a_1921_birth_agrees_with_code_080621_and_is_flagged_as_104_years_old():
    info = nik.parse("5371010806210001", birth_date=dt.date(1921, 6, 8), today=TODAY)
    assert info.valid and info.birth_date == dt.date(1921, 6, 8)
    assert [w.text("en") for w in info.warnings] == [
        "Aged 104 on 1 Jun 2026 (born 8 Jun 1921), outside the working ages of 15 to 100; "
        "check the birth year."
    ]


def test_a_code_is_read_in_the_younger_century_when_both_fit():
    assert nik.parse("5371010106260001", today=TODAY).birth_date == dt.date(2026, 6, 1)  # not 1926: 100
    assert nik.parse("5371010206260001", today=TODAY).birth_date == dt.date(1926, 6, 2)  # 2026 is ahead


VALID = nik.compose("537101", dt.date(1985, 4, 30), nik.FEMALE, 12)  # 5371017004850012

# (raw NIK, recorded birth date, recorded sex) -> the reason codes parse must give, in order.
REASONS = {
    "empty": ("", None, None),
    "not_digits": ("53710170048500A2", None, None),
    "scientific": ("5.37101E+15", None, None),
    "length": ("537101700485001", None, None),
    "region": ("9999017004850012", None, None),
    "date": ("5371013113850012", None, None),
    "sequence": ("5371017004850000", None, None),
    "birth_date_mismatch": (VALID, dt.date(1985, 4, 29), None),
    "sex_mismatch": (VALID, None, nik.MALE),
    "age_unusual": (nik.compose("537101", dt.date(2016, 4, 30), nik.FEMALE, 12), None, None),  # a warning
}


@pytest.mark.parametrize("code", sorted(nik.MESSAGES))
def test_every_reason_is_given_and_has_a_message_in_both_languages(code):
    raw, birth_date, sex = REASONS[code]
    info = nik.parse(raw, birth_date=birth_date, sex=sex, today=TODAY)
    found = info.reasons + info.warnings
    assert info.valid == (code in nik.WARNINGS)
    assert [r.code for r in found] == [code]
    indonesian, english = found[0].text("id"), found[0].text("en")
    assert indonesian != english and "{" not in indonesian + english


def test_the_reason_table_covers_every_reason_and_nothing_else():
    assert set(REASONS) == set(nik.MESSAGES)


def test_several_reasons_are_reported_together():
    info = nik.parse("9999013213850000", today=TODAY)
    assert [r.code for r in info.reasons] == ["region", "date", "sequence"]


@pytest.mark.parametrize(
    "raw", ["5371 0170 0485 0012", "5371-0170-0485-0012", "'5371017004850012", 5371017004850012]
)
def test_spaces_dashes_quotes_and_numbers_are_cleaned(raw):
    assert nik.parse(raw, today=TODAY).nik == VALID


def test_a_float_from_excel_is_read_back_when_complete():
    assert nik.parse("5371017004850012.0", today=TODAY).valid


def test_mask_keeps_region_and_last_two_digits():
    assert nik.mask(VALID) == "537101********12"


# --- the CLI ---------------------------------------------------------------------------------------------


def _check(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("nik", "check", *args, stdout=out)
    except SystemExit as stop:
        return stop.code, out.getvalue()
    return 0, out.getvalue()


def test_cli_prints_region_birth_date_and_sex_of_a_valid_nik():
    code, out = _check(VALID)
    assert code == 0
    for text in ("SAH", "Nusa Tenggara Timur", "Kota Kupang", "30-04-1985", "perempuan"):
        assert text in out


def test_cli_lists_the_reasons_and_exits_1_when_invalid():
    code, out = _check("5371017004850000", "--sex", "L", "--birth-date", "1985-04-29")
    assert code == 1
    assert "TIDAK SAH" in out
    for reason in ("0000", "berbeda dengan tanggal lahir tercatat", "Jenis kelamin pada NIK"):
        assert reason in out


def test_cli_json_in_english():
    code, out = _check("5371017004850000", "--json", "--lang", "en")
    data = json.loads(out)
    assert code == 1 and data["valid"] is False
    assert data["reasons"] == [{"code": "sequence", "message": "The NIK sequence number cannot be 0000."}]
    assert (data["regency"], data["birth_date"], data["sex"]) == ("Kota Kupang", "1985-04-30", "P")


def test_cli_shows_an_age_warning_and_still_exits_0():
    code, out = _check("5371010806210001", "--birth-date", "1921-06-08")
    assert code == 0
    assert out.startswith("NIK 5371010806210001: SAH\n") and "Peringatan: Umur 1" in out


def test_cli_rejects_a_malformed_birth_date_with_a_message():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _check(VALID, "--birth-date", "30/04/1985")


def test_the_installed_command_exits_0_and_1():
    valid = subprocess.run([PAYUNG, "nik", "check", VALID], capture_output=True, text=True, timeout=60)
    invalid = subprocess.run(
        [PAYUNG, "nik", "check", "123", "--json"], capture_output=True, text=True, timeout=60
    )
    assert (valid.returncode, invalid.returncode) == (0, 1), valid.stderr + invalid.stderr
    assert json.loads(invalid.stdout)["reasons"][0]["code"] == "length"
