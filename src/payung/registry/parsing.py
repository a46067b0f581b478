"""An operator's values: dates, rupiah wages, sex and group, as typed into rosters and BPJS lists."""

from __future__ import annotations

import datetime as dt
import re

from payung.registry.headers import normalise_header

GROUPS = ("non_asn", "rentan", "perangkat", "rt_rw", "teacher")
GROUP_LABELS = {
    "non asn": "non_asn", "ptt": "non_asn", "honorer": "non_asn", "tenaga honorer": "non_asn",
    "pekerja rentan": "rentan", "rentan": "rentan", "perangkat desa": "perangkat", "perangkat": "perangkat",
    "rt rw": "rt_rw", "ketua rt": "rt_rw", "ketua rw": "rt_rw", "rt": "rt_rw", "rw": "rt_rw",
    "guru": "teacher", "guru kontrak": "teacher", "guru komite": "teacher", "teacher": "teacher",
} | {g.replace("_", " "): g for g in GROUPS}  # fmt: skip


MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8,
    "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "october": 10, "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
    "dec": 12, "december": 12,
}  # fmt: skip
_MIDNIGHT = r"(?:[ t]0?0:00(?::00(?:\.0+)?)?)?"  # a date cell exported as text carries its time
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _MIDNIGHT)
_YMD = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})" + _MIDNIGHT)
_D_MONTH_Y = re.compile(r"(\d{1,2})[\s.-]*([a-z]+)\.?[\s.,-]*(\d{4})")
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_COMPACT = re.compile(r"\d{8}")  # ddmmyyyy or yyyymmdd, no separator
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system, past its 1900-02-29 bug
SERIAL_RANGE = (10_000, 73_050)  # 1927-05-18 .. 2099-12-31; shorter numbers are more likely years


def parse_date(text: str, *, serial: bool = True) -> dt.date | None:
    """An operator's date: 30-04-1985, 30/04/1985, 30.04.1985, 1985-04-30, 30 April 1985, 30 Agu 1985,
    1 Sep 1985, 30041985 or 19850430 (eight digits: a phone's number pad has no dash; the two orders never
    both make a date, since a day-first reading's year would be a month and day, below 1900), and with
    ``serial`` an Excel serial number (a cell exported as a number; not in a form, where it is a typo)."""
    value = text.strip().lower()
    parts: tuple[int, int, int] | None = None
    if m := _DMY.fullmatch(value):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD.fullmatch(value):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _D_MONTH_Y.fullmatch(value)) and m[2] in MONTHS:
        parts = (int(m[3]), MONTHS[m[2]], int(m[1]))
    elif _COMPACT.fullmatch(value):
        d, m, y = int(value[:2]), int(value[2:4]), int(value[4:])
        return _date(y, m, d) or _date(int(value[:4]), int(value[4:6]), int(value[6:]))
    elif serial and (m := _SERIAL.fullmatch(value)) and SERIAL_RANGE[0] <= int(m[1]) <= SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    return _date(*parts) if parts else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_MONTH_NUMBERS = re.compile(r"(\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})")
_MONTH_NAMED = re.compile(r"([a-z]+)\.?[\s.,-]*(\d{4})")


def parse_month(text: str) -> dt.date | None:
    """A month as people write it: 09-2026, 9/2026, 2026-09, Sep 2026, September 2026, Agustus 2026 ->
    its first day; None when it is not one."""
    value = text.strip().lower()
    if m := _MONTH_NUMBERS.fullmatch(value):
        year, month = (int(m[2]), int(m[1])) if m[1] else (int(m[3]), int(m[4]))
    elif (m := _MONTH_NAMED.fullmatch(value)) and m[1] in MONTHS:
        year, month = int(m[2]), MONTHS[m[1]]
    else:
        return None
    return _date(year, month, 1)


_CURRENCY = re.compile(r"^(rp\.?|idr)|(,-|\.-|,00-)$")
_WAGE_FORMS = (  # (pattern, thousands separator, decimal separator)
    (re.compile(r"\d+"), "", ""),
    (re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"), ".", ","),
    (re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"), ",", "."),
    (re.compile(r"\d+[.,]\d{1,2}"), "", ".,"),
)
MAX_WAGE = 10**12


class WageError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_wage(text: str) -> int:
    """Integer rupiah from 'Rp 2.500.000', '2,500,000', '2500000', '2.500.000,00'; raises WageError."""
    value = re.sub(r"\s+", "", text.strip().lower())
    value = _CURRENCY.sub("", _CURRENCY.sub("", value))
    negative = value.startswith("-")
    value = value.lstrip("-")
    for pattern, thousands, decimal in _WAGE_FORMS:
        if pattern.fullmatch(value):
            whole, cents = _split_decimal(value, decimal)
            if cents.strip("0"):
                raise WageError("wage_fraction")
            amount = int(whole.replace(thousands, "") if thousands else whole)
            if negative and amount:
                raise WageError("wage_negative")
            if amount >= MAX_WAGE:
                raise WageError("wage_range")
            return amount
    raise WageError("wage_invalid")


def _split_decimal(value: str, marks: str) -> tuple[str, str]:
    for mark in marks:
        if mark in value:
            whole, _, cents = value.rpartition(mark)
            return whole, cents
    return value, ""


SEX_WORDS = {
    "L": ("l", "lk", "laki", "laki laki", "laki2", "pria", "m", "male", "man"),
    "P": ("p", "pr", "perempuan", "wanita", "w", "f", "female", "woman"),
}
_SEX = {word: code for code, words in SEX_WORDS.items() for word in words}


def parse_sex(text: str) -> str | None:
    return _SEX.get(normalise_header(text))


def parse_group(text: str) -> str | None:
    return GROUP_LABELS.get(normalise_header(text))
