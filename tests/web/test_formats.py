"""One date style, one date box (decision 0018): payung.formats writes dates, months and rupiah; the date and
month fields of every form read back what it writes and what people type, with the roster import's parser."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

import payung.web
from payung import formats
from payung.registry.parsing import parse_date, parse_month
from payung.web import bills, coverage, payments, reconcile, rules
from payung.web import forms as web_forms
from payung.web.templatetags.payung import bulan, tanggal, waktu

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def test_the_one_style_in_each_language():
    day = dt.date(1978, 9, 1)
    assert formats.format_date(day, "id") == "01-09-1978"
    assert formats.format_date(day, "en") == "1 Sep 1978"
    assert formats.format_date("1978-09-01", "en-gb") == "1 Sep 1978"  # stored ISO evidence, read by people
    assert formats.format_date("31/02/1985", "id") == "31/02/1985"  # a value as typed stays as typed
    assert formats.format_month(dt.date(2023, 5, 1), "id") == "Mei 2023"
    assert formats.format_datetime(dt.datetime(2026, 9, 1, 14, 5), "id") == "01-09-2026 14:05"
    assert formats.format_rupiah(-39_960, "id") == "-Rp 39.960" and formats.format_rupiah(None) == ""
    assert formats.format_letter_date(dt.date(2024, 4, 9)) == "9 April 2024"


@given(DAYS, st.sampled_from(["id", "en"]))
def test_every_date_written_is_read_back(day, lang):
    assert parse_date(formats.format_date(day, lang), serial=False) == day


@given(DAYS)
def test_eight_digits_read_day_first_or_year_first_never_both(day):
    """A phone's number pad has no dash: 01091978 and 19780901 are both 1 September 1978."""
    assert parse_date(f"{day:%d%m%Y}") == day == parse_date(f"{day:%Y%m%d}")


@given(DAYS, st.sampled_from(["id", "en"]))
def test_every_month_written_is_read_back(day, lang):
    first = day.replace(day=1)
    assert parse_month(formats.format_month(first, lang)) == first
    assert parse_month(f"{first:%m-%Y}") == first == parse_month(f"{first:%Y-%m}")


def test_filters_keep_dates_and_amounts_on_one_line():
    with translation.override("id"):
        assert tanggal(dt.date(1978, 9, 1)) == '<span class="nowrap">01-09-1978</span>'
        assert tanggal(None) == "" and bulan(dt.date(2026, 9, 1)) == "September 2026"
        moment = dt.datetime(2026, 9, 1, 6, 5, tzinfo=dt.UTC)  # 14:05 in WITA
        assert waktu(moment) == '<span class="nowrap">01-09-2026 14:05</span>'


def _forms() -> list[type[forms.Form]]:
    """Every form class of the web package."""
    found = []
    for module in (web_forms, bills, coverage, payments, reconcile, rules):
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(payung.web.__name__)
        ]
    return found


@pytest.mark.parametrize("form", _forms(), ids=lambda f: f.__name__)
def test_every_date_field_is_the_one_date_box(form):
    for name, field in form.base_fields.items():
        if isinstance(field, forms.DateField) or "date" in name or name in ("period", "on", "tanggal"):
            assert isinstance(field, web_forms.DateField), f"{form.__name__}.{name}"
            assert isinstance(field.widget, web_forms.DateInput), f"{form.__name__}.{name}"


def test_the_date_box_shows_and_reads_the_page_style():
    field = web_forms.date_field("Tanggal lahir", required=True)
    for lang, shown in (("id", "01-09-1978"), ("en", "1 Sep 1978")):
        with translation.override(lang):
            html = field.widget.render("born", dt.date(1978, 9, 1))
            assert f'value="{shown}"' in html and 'type="text"' in html
            assert f'placeholder="{formats.PLACEHOLDER[lang]}"' in html
            assert field.clean(shown) == dt.date(1978, 9, 1)
    assert field.clean("01091978") == field.clean("1978-09-01") == dt.date(1978, 9, 1)
    with pytest.raises(forms.ValidationError, match="Tanggal tidak terbaca"):
        field.clean("30000")  # an Excel serial is a typo in a form
    month = web_forms.MonthField(label="Bulan")
    assert month.clean("09-2026") == month.clean("September 2026") == dt.date(2026, 9, 1)


def test_a_select_with_a_long_option_takes_two_form_columns():
    """A select in one 260-px column of the form grid cuts an option such as "Semua PKS yang berlaku pada
    bulan itu"; its field spans two columns instead, and a short select keeps one."""

    class Choice(web_forms.Form):
        long = forms.ChoiceField(choices=[("", "Semua PKS yang berlaku pada bulan itu"), ("1", "PKS 1")])
        short = forms.ChoiceField(choices=[("a", "JKK"), ("b", "JKM")])

    form = Choice()
    assert 'class="field span2"' in render_to_string("web/_field.html", {"field": form["long"]})
    assert 'class="field"' in render_to_string("web/_field.html", {"field": form["short"]})
