"""Dates, months, times, numbers and rupiah as Payung writes them for people: one style per language,
from this one module (decision 0018). Pure: no Django, so the importer's polars messages, the pure
reconciliation and the exports use it as the pages do (through the template filters of web.templatetags).

- Indonesian: ``01-09-1978`` (day-month-year, two-digit day and month, hyphens: the order of every Indonesian
  form and of BPJS's own files). English: ``1 Sep 1978`` (the month in letters: an English reader of
  01-09-1978 may read 9 January).
- A month (a bill's, a reconciliation's): ``September 2026`` in both, with the language's month name.
- A moment: the date as above and the 24-hour time, ``01-09-2026 14:05``; the caller passes local time.
- A dinas letter (the bill's cover letter) writes the month in full, ``9 April 2024``, as the rules for
  official letters prescribe: ``format_letter_date``, the one exception.
- Numbers: ``1.234.567`` / ``1,234,567``; rupiah: ``Rp 1.234.567``, a negative ``-Rp 39.960`` (the sign before
  the currency). Pages keep an amount on one line with CSS (the ``rupiah`` filter's ``.money`` span).

Stored and machine-read values (the database, JSON, the API, CSV for BPJS) stay ISO 8601; these functions
are for what a person reads. Parsing what a person types is ``registry.parsing.parse_date``.
"""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal

MONTH_NAMES = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip
# The same styles for polars' Date.dt.strftime (chrono): the importer formats a column at once.
STRFTIME = {"id": "%d-%m-%Y", "en": "%-d %b %Y"}
PLACEHOLDER = {"id": "hh-bb-tttt", "en": "dd-mm-yyyy"}  # what a date field asks for
MONTH_PLACEHOLDER = {"id": "bb-tttt", "en": "mm-yyyy"}


def language(lang: str | None) -> str:
    """'en' for any English ('en', 'en-gb'), else 'id'."""
    return "en" if (lang or "id").lower().startswith("en") else "id"


def _as_date(value: object) -> dt.date | None:
    """A date, a datetime (its date) or an ISO text ('1978-09-01', '2026-09-01T10:00:00'); else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def format_date(value: object, lang: str | None = "id") -> str:
    """'01-09-1978' / '1 Sep 1978'; '' for None or ''; any other text unchanged (a value as typed)."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    if language(lang) == "en":
        return f"{day.day} {MONTH_NAMES['en'][day.month - 1][:3]} {day.year}"
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def format_month(value: object, lang: str | None = "id") -> str:
    """'September 2026' / 'Mei 2023' / 'May 2023'."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{MONTH_NAMES[language(lang)][day.month - 1]} {day.year}"


def format_datetime(value: dt.datetime | None, lang: str | None = "id") -> str:
    """'01-09-2026 14:05' / '1 Sep 2026 14:05' (``value`` already in local time)."""
    if value is None:
        return ""
    return f"{format_date(value, lang)} {value:%H:%M}"


def shown(value: object, lang: str | None = "id") -> object:
    """A message parameter as a person reads it: dates formatted, anything else unchanged."""
    return format_date(value, lang) if isinstance(value, dt.date) else value


def format_letter_date(value: dt.date) -> str:
    """'9 April 2024': an Indonesian dinas letter's date."""
    return f"{value.day} {MONTH_NAMES['id'][value.month - 1]} {value.year}"


def format_number(value: object, lang: str | None = "id") -> str:
    """1234567 -> '1.234.567' (Indonesian), '1,234,567' (English); '' for None or ''."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=language(lang))


def format_rupiah(value: object, lang: str | None = "id", space: str = " ") -> str:
    """'Rp 1.234.567', '-Rp 39.960'; '' for None or ''. ``space`` between 'Rp' and the number."""
    if value is None or value == "":
        return ""
    return f"{'-' if value < 0 else ''}Rp{space}{format_number(abs(value), lang)}"  # type: ignore[operator]
