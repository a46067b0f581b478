"""Web forms. They only shape input; the rules live in registry.services, whose ValidationFailed errors
are put back next to the fields they name (see ``ServiceForm.show``)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from payung import formats, uploads
from payung.regions.models import Region
from payung.registry import nik as nik_rules
from payung.registry.models import Group, Sex, Status
from payung.registry.parsing import parse_date, parse_month
from payung.registry.services import EngagementData, PersonData


class DateInput(forms.TextInput):
    """The one date box of every form (decision 0018): text, not a browser picker, shown in the page's date
    style (01-09-1978 / 1 Sep 1978, payung.formats). Quicker than a picker for a birth date typed from a
    paper record, and the same on every phone whatever its language. The placeholder is the language's."""

    def __init__(self, attrs: dict | None = None, placeholder: dict[str, str] = formats.PLACEHOLDER):
        super().__init__({"autocomplete": "off", "class": "date", **(attrs or {})})
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        lang = formats.language(translation.get_language())
        return super().get_context(name, value, {**(attrs or {}), "placeholder": self.placeholder[lang]})

    def format_value(self, value):
        """A date in the page's style; text as the user typed it (a form shown again with its error)."""
        if isinstance(value, dt.date):
            return self.shown(value)
        return super().format_value(value)

    @staticmethod
    def shown(value: dt.date) -> str:
        return formats.format_date(value, translation.get_language())


class DateField(forms.DateField):
    """Reads what people type into the date box: every style registry.parsing.parse_date knows (the same
    parser as the roster import), 8 digits without dashes included, never a bare Excel serial."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Tanggal tidak terbaca. Tulis hari-bulan-tahun, mis. 30-04-1985."),
    }

    @staticmethod
    def read(text: str) -> dt.date | None:
        return parse_date(text, serial=False)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = value if isinstance(value, dt.date) else self.read(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def date_field(label, required: bool = False) -> DateField:
    """A date field of any form: the one widget and the one parser."""
    return DateField(label=label, required=required)


class MonthInput(DateInput):
    """The one month box (a bill's or a reconciliation's month): 'September 2026', or typed as 09-2026."""

    def __init__(self, attrs: dict | None = None):
        super().__init__({"class": "month", **(attrs or {})}, placeholder=formats.MONTH_PLACEHOLDER)

    @staticmethod
    def shown(value: dt.date) -> str:
        return formats.format_month(value, translation.get_language())


class MonthField(DateField):
    """A month: the first day of the month typed (09-2026, 2026-09, Sep 2026, September 2026)."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Bulan tidak terbaca. Tulis bulan-tahun, mis. 09-2026.")}

    @staticmethod
    def read(text: str) -> dt.date | None:
        return parse_month(text)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class RupiahField(forms.IntegerField):
    """Accepts what people type: '1.500.000', 'Rp 1.500.000', '1500000'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*rp\.?|[\s.]", "", value)
        return super().to_python(value)


class Form(forms.Form):
    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels stand above their fields; a colon adds nothing
        super().__init__(*args, **kwargs)


class ServiceForm(Form):
    """A form whose saving may fail in a service: ``show`` puts the service's errors on the fields."""

    # Service error keys that differ from the form's field names.
    error_fields: dict[str, str] = {}

    def show(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = self.error_fields.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class Versioned(forms.Form):
    """An edit form: it carries the version of the record it was opened on, so that saving over a change
    made meanwhile is refused (audit.locking) instead of silently reverting it."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": _("Formulir ini kedaluwarsa. Buka lagi halamannya lalu isi ulang.")},
    )


class PersonForm(ServiceForm):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 digit sesuai KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = date_field(_("Tanggal lahir"), required=True)
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    village_code = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    phone = forms.CharField(
        label=_("Nomor telepon"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    mother_maiden_name = forms.CharField(label=_("Nama ibu kandung"), max_length=150, required=False)
    kpj = forms.CharField(
        label=_("Nomor KPJ"),
        max_length=11,
        required=False,
        help_text=_("Nomor kartu peserta BPJS Ketenagakerjaan, 11 digit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_nik(self) -> str:
        """The NIK's own faults at once, next to the field; agreement with birth date and sex is the
        service's check (it needs the other fields)."""
        info = nik_rules.parse(self.cleaned_data["nik"])
        if not info.valid:
            lang = translation.get_language() or "id"
            raise forms.ValidationError([r.text(lang) for r in info.reasons])
        return info.nik

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=region.code)
        self.fields["village_code"].choices = [("", "—")] + [
            (v.code, f"{v.name} ({v.dotted_code})") for v in villages.order_by("name")
        ]

    def person_data(self) -> PersonData:
        data = {k: v for k, v in self.cleaned_data.items() if k in PersonForm.base_fields}
        data["village_code"] = data["village_code"] or None
        return PersonData(**data)

    @staticmethod
    def initial_for(person) -> dict:
        return {
            "version": person.version,
            "nik": person.nik,
            "name": person.name,
            "sex": person.sex,
            "birth_place": person.birth_place,
            "birth_date": person.birth_date,
            "address": person.address,
            "village_code": person.village_id or "",
            "phone": person.phone,
            "mother_maiden_name": person.mother_maiden_name,
            "kpj": person.kpj,
        }


class EngagementForm(ServiceForm):
    error_fields = {"unit_id": "unit"}

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label="—")
    group = forms.ChoiceField(label=_("Kelompok"), choices=Group.choices)
    position = forms.CharField(label=_("Jabatan"), max_length=120, required=False)
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=80, required=False)
    decree_date = date_field(_("Tanggal SK"))
    start_date = date_field(_("Awal kontrak"))
    end_date = date_field(_("Akhir kontrak"))
    monthly_wage = RupiahField(
        label=_("Upah per bulan (Rp)"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=80, required=False)
    poverty_status = forms.CharField(label=_("Status kemiskinan"), max_length=40, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def engagement_data(self) -> EngagementData:
        data = dict(self.cleaned_data)
        data["unit_id"] = data.pop("unit").pk
        return EngagementData(**data)


class NewPersonForm(PersonForm, EngagementForm):
    """A new person with the engagement that brings them into the registry (an operator limited to some
    units would not see a person who belongs to none)."""

    engagement_fields = ("unit", "group", "position", "start_date", "monthly_wage")
    field_order = [*PersonForm.base_fields, *engagement_fields]

    def __init__(self, *args, region: Region, units, **kwargs):
        super().__init__(*args, region=region, units=units, **kwargs)
        for name in set(EngagementForm.base_fields) - set(self.engagement_fields):
            del self.fields[name]

    def sections(self) -> list[tuple[str, list]]:
        """Fieldsets for the template: personal data, then the engagement."""
        person = [self[n] for n in PersonForm.base_fields]
        return [(_("Data pribadi"), person), (_("Penugasan"), [self[n] for n in self.engagement_fields])]

    def engagement_data(self) -> EngagementData:
        data = {k: self.cleaned_data[k] for k in self.engagement_fields}
        data["unit_id"] = data.pop("unit").pk
        return EngagementData(**data)


class PersonChangeForm(Versioned, PersonForm):
    pass


class StatusForm(Versioned, ServiceForm):
    status = forms.ChoiceField(label=_("Status baru"), choices=Status.choices)
    effective_date = date_field(_("Berlaku sejak"), required=True)
    engagement = forms.ModelChoiceField(
        label=_("Berlaku untuk"), queryset=None, required=False, empty_label=_("Orangnya (semua penugasan)")
    )
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        # What the person's status is as this form is opened: after a conflict, what someone else recorded.
        current = Status(person.status).label if person.status in Status.values else person.status
        self.fields["status"].help_text = _("Status sekarang: %(status)s") % {"status": current}
        field = self.fields["engagement"]
        field.queryset = person.engagements.select_related("unit")
        field.label_from_instance = lambda e: f"{e.unit.name} · {e.get_group_display()}"


class ImportForm(Form):
    file = uploads.FileField(
        label=_("Berkas daftar (XLSX atau CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        empty_label=_("Dari kolom Unit Kerja / OPD di berkas"),
    )
    group = forms.ChoiceField(label=_("Kelompok"), choices=Group.choices, initial=Group.NON_ASN)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReasonForm(ServiceForm):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ReasonForm):
    keep = forms.ChoiceField(label=_("Data yang dipertahankan"), widget=forms.RadioSelect)
    field_order = ["keep", "reason"]

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            ("left", _("Data A: %(name)s") % {"name": candidate.left.name}),
            ("right", _("Data B: %(name)s") % {"name": candidate.right.name}),
        ]


class DatedChangeForm(ServiceForm):
    """A change of one engagement from a date on (decision 0010): it splits the membership at that date
    instead of rewriting the engagement's past."""

    effective_date = date_field(_("Berlaku sejak"), required=True)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))


class WageChangeForm(DatedChangeForm):
    monthly_wage = RupiahField(
        label=_("Upah baru per bulan (Rp)"),
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["monthly_wage", "effective_date", "reason"]


class TransferForm(DatedChangeForm):
    error_fields = {"unit_id": "unit"}

    unit = forms.ModelChoiceField(label=_("Unit baru"), queryset=None, empty_label="—")
    field_order = ["unit", "effective_date", "reason"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
