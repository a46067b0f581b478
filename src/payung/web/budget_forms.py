"""The budget pages' forms: a scenario from the registry, planned people, adopting a line, an APBD-P."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from payung.budget import pricing
from payung.budget.models import Shares
from payung.coverage.models import FundingSource
from payung.web.forms import RupiahField, ServiceForm, date_field

PROGRAM_CHOICES = [(p, p) for p in pricing.BUDGET_PROGRAMS]
MONTH_CHOICES = [(m, m) for m in pricing.MONTHS]
TWO, FOUR = ("JKK", "JKM"), ("JKK", "JKM", "JHT", "JP")


class ScenarioForm(ServiceForm):
    year = forms.IntegerField(label=gettext_lazy("Tahun anggaran"), min_value=pricing.FIRST_YEAR,
                              max_value=pricing.LAST_YEAR)  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Nama skenario"), max_length=200, required=False)
    programs = forms.MultipleChoiceField(label=gettext_lazy("Program"), choices=PROGRAM_CHOICES,
                                         widget=forms.CheckboxSelectMultiple, initial=list(TWO))  # fmt: skip
    # Ranges (JKK class, percentage, UMK, months, growth) are checked once for the web and the API alike,
    # by budget.assumptions when the scenario is made; the fields here only read what was typed.
    jkk_class = forms.IntegerField(label=gettext_lazy("Kelompok risiko JKK"), initial=1)
    shares = forms.ChoiceField(label=gettext_lazy("Bagian pekerja"), choices=Shares.choices)
    wage_percent = forms.DecimalField(label=gettext_lazy("Kenaikan upah (%)"), required=False, max_digits=7,
                                      decimal_places=2)  # fmt: skip
    wage_from = forms.TypedChoiceField(
        label=gettext_lazy("mulai bulan"), choices=MONTH_CHOICES, coerce=int, initial=1
    )
    umk = RupiahField(label=gettext_lazy("UMK baru (Rp)"), required=False)
    umk_from = forms.TypedChoiceField(
        label=gettext_lazy("UMK mulai bulan"), choices=MONTH_CHOICES, coerce=int, initial=1
    )
    # A select, but read as text: whether the code is a desa or kecamatan of the region is checked once, by
    # budget.services, for the web and the API alike.
    village = forms.CharField(label=gettext_lazy("Hanya desa/kecamatan"), required=False, max_length=10,
                              widget=forms.Select)  # fmt: skip

    saved_filter = forms.CharField(label=gettext_lazy("Atau: orang dari filter tersimpan"), required=False,
                                   max_length=12, widget=forms.Select)  # fmt: skip

    def __init__(self, *args, places: list = (), saved: list = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].widget.choices = [("", gettext_lazy("Seluruh wilayah")), *places]
        self.fields["saved_filter"].widget.choices = [("", "-"), *saved]
        if not saved:
            del self.fields["saved_filter"]


def places(region) -> list:
    """The region's kecamatan, each followed by its desa: (group label, [(code, name), ...]) for a select."""
    from payung.regions.models import Region

    levels = (Region.Level.DISTRICT, Region.Level.VILLAGE)
    found = Region.objects.filter(code__startswith=region.code, level__in=levels).order_by("code")
    found = found.values_list("code", "name", "level")
    grouped: list = []
    for code, name, level in found:
        if level == Region.Level.DISTRICT:
            grouped.append((name, [(code, gettext_lazy("Kec. %(name)s (semua desa)") % {"name": name})]))
        elif grouped:
            grouped[-1][1].append((code, name))
    return grouped


class PlannedForm(ServiceForm):
    label = forms.CharField(label=gettext_lazy("Nama kelompok"), max_length=120)
    category = forms.ChoiceField(label=gettext_lazy("Kategori"), choices=[("pu", "PU"), ("bpu", "BPU")])
    people = forms.IntegerField(label=gettext_lazy("Jumlah orang"), min_value=1, max_value=10_000_000)
    wage = RupiahField(label=gettext_lazy("Upah/penghasilan sebulan (Rp)"), min_value=1)
    from_month = forms.TypedChoiceField(label=gettext_lazy("Mulai bulan"), choices=MONTH_CHOICES, coerce=int)
    growth = forms.CharField(
        label=gettext_lazy("Perubahan berikutnya (bulan:jumlah)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Mis. 7:+30, 10:-5: 30 orang lagi mulai Juli, 5 orang keluar mulai Oktober."),
    )
    funding_source = forms.ChoiceField(label=gettext_lazy("Sumber dana"), choices=FundingSource.choices)
    programs = forms.MultipleChoiceField(label=gettext_lazy("Program"), choices=PROGRAM_CHOICES,
                                         widget=forms.CheckboxSelectMultiple, initial=list(TWO))  # fmt: skip


class GrowthForm(ServiceForm):
    """One part of a scenario more (or fewer) people from a month, in steps: a variant beside it."""

    part = forms.TypedChoiceField(label=gettext_lazy("Kelompok"), coerce=int)
    growth = forms.CharField(
        label=gettext_lazy("Perubahan (bulan:jumlah)"),
        max_length=200,
        help_text=gettext_lazy(
            "Mis. 7:+120, 10:-5: 120 orang lagi mulai Juli, 5 orang keluar mulai Oktober."
        ),
    )

    def __init__(self, *args, parts: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = parts


class AdoptForm(ServiceForm):
    funding_source = forms.ChoiceField(label=gettext_lazy("Sumber dana"), choices=FundingSource.choices)
    account_code = forms.CharField(label=gettext_lazy("Kode rekening"), max_length=60)
    account_name = forms.CharField(label=gettext_lazy("Nama rekening"), max_length=200)
    adopted_on = date_field(gettext_lazy("Tanggal penetapan"), required=True)


class AmendForm(ServiceForm):
    amount = RupiahField(label=gettext_lazy("Pagu baru (Rp)"), min_value=1)
    adopted_on = date_field(gettext_lazy("Tanggal penetapan APBD-P"), required=True)
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, max_length=500)
