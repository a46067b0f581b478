"""Forms of the monitoring pages: a head-of-region regulation, a priority group, a coordination meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.monitoring.models import Regulation
from payung.registry.models import Group, Unit
from payung.web.forms import Form, MonthField, date_field


class RegulationForm(Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Regulation.Kind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=80, help_text=_("Mis. 12 Tahun 2024"))
    issued_on = date_field(_("Tanggal ditetapkan"), required=True)
    title = forms.CharField(label=_("Tentang"), max_length=250)


class PriorityForm(Form):
    label = forms.CharField(label=_("Nama kelompok"), max_length=120, help_text=_("Mis. Penyapu jalan DLHK"))
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=Unit.objects.none(), required=False)
    group = forms.ChoiceField(label=_("Kelompok"), choices=[("", "—"), *Group.choices], required=False)
    position = forms.CharField(
        label=_("Jabatan"), max_length=120, required=False, help_text=_("Kosong: semua jabatan di unit itu")
    )
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))
    since = date_field(_("Prioritas sejak"), required=True)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(region=region).only("id", "name")

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("group"):
            raise forms.ValidationError(_("Pilih unit kerja, kelompok, atau keduanya."))
        return data


class MeetingForm(Form):
    title = forms.CharField(
        label=_("Nama rapat"), max_length=200, initial=_("Rapat koordinasi jaminan sosial ketenagakerjaan")
    )
    held_on = date_field(_("Tanggal rapat"), required=True)
    period = MonthField(label=_("Bulan yang dibahas"))


class PeriodForm(Form):
    bulan = MonthField(label=_("Bulan"), required=False)
