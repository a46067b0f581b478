"""Forms of the claim pages. They shape input; the rules live in claims.services and claims.family, whose
ValidationFailed errors are put back next to the fields they name (ServiceForm.show)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payung.claims import benefits, words
from payung.claims.family import HeirData
from payung.claims.models import EventKind, Relation
from payung.claims.services import Details, EventData
from payung.registry.models import Sex
from payung.web.forms import Form, RupiahField, ServiceForm, Versioned, date_field

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def _money(label) -> RupiahField:
    return RupiahField(
        label=label, required=False, min_value=0, initial=0, widget=forms.TextInput(attrs=NUMERIC)
    )


def _percent(label, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class Sections:
    SECTIONS: tuple = ()

    def sections(self) -> list[tuple[str, list]]:
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.SECTIONS]


class DetailsForm(Sections, Versioned, ServiceForm):
    """What prices a claim beyond the event: also the second half of the event form."""

    member_since = date_field(_("Menjadi peserta BPJS sejak"))
    children = forms.IntegerField(
        label=_("Jumlah anak"),
        required=False,
        min_value=0,
        max_value=benefits.MAX_CHILDREN,
        initial=0,
        help_text=_("Anak di bawah 23 tahun, belum menikah dan belum bekerja (untuk beasiswa)."),
    )
    doctor_statement_on = date_field(_("Tanggal surat keterangan dokter"))
    disability = forms.ChoiceField(
        label=_("Cacat akibat kecelakaan"),
        required=False,
        choices=[("", _("Tidak ada")), ("partial", _("Cacat sebagian")), ("total", _("Cacat total tetap"))],
    )
    disability_percent = _percent(_("Persen cacat sebagian"), _("Menurut tabel cacat (lihat Aturan)."))
    function_percent = _percent(_("Persen berkurangnya fungsi"), _("Kosongkan bila anggota badan hilang."))
    stmb_months = forms.IntegerField(
        label=_("Lama tidak mampu bekerja (bulan)"),
        min_value=0,
        max_value=benefits.MAX_STMB_MONTHS,
        initial=0,
        required=False,
    )
    transport = forms.ChoiceField(
        label=_("Angkutan ke rumah sakit"),
        required=False,
        choices=[("", "—"), ("land", _("Darat, sungai atau danau")), ("sea", _("Laut")), ("air", _("Udara"))],
    )
    transport_cost = _money(_("Biaya angkutan (Rp)"))
    home_care_cost = _money(_("Biaya perawatan di rumah (Rp)"))

    SECTIONS = (
        (_("Kepesertaan dan keluarga"), ("member_since", "children")),
        (
            _("Kecelakaan kerja (JKK)"),
            (
                "doctor_statement_on",
                "disability",
                "disability_percent",
                "function_percent",
                "stmb_months",
                "transport",
                "transport_cost",
                "home_care_cost",
            ),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_since"].help_text = _(
            "Dari kartu KPJ. Kosong: awal kepesertaan yang tercatat di Payung."
        )

    def details(self) -> Details:
        return Details.taken(self.cleaned_data)

    @staticmethod
    def initial_for(claim) -> dict:
        return {**vars(Details.of(claim)), "version": claim.version}


class EventForm(DetailsForm):
    """Record a death or a work accident; ``version`` is the person's (a death changes the person)."""

    error_fields = {"person": None}

    kind = forms.ChoiceField(
        label=_("Peristiwa"), choices=EventKind.choices, widget=forms.RadioSelect, initial=EventKind.DEATH
    )
    work_related = forms.BooleanField(
        label=_("Meninggal akibat kecelakaan kerja atau penyakit akibat kerja (JKK)"), required=False
    )
    occurred_on = date_field(_("Tanggal"), required=True)
    occurred_time = forms.TimeField(
        label=_("Jam"),
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": _("jj:mm"), "autocomplete": "off"}),
        help_text=_("Untuk tenggat laporan kecelakaan 2 x 24 jam."),
    )
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    cause = forms.CharField(label=_("Sebab"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reporter = forms.CharField(label=_("Pelapor (nama dan hubungan)"), max_length=200, required=False)

    SECTIONS = (
        (
            _("Peristiwa"),
            ("kind", "work_related", "occurred_on", "occurred_time", "place", "cause", "reporter"),
        ),
        *DetailsForm.SECTIONS,
    )

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            work_related=data["work_related"],
            occurred_time=data["occurred_time"],
            place=data["place"],
            cause=data["cause"],
            reporter=data["reporter"],
            details=self.details(),
        )


class HeirForm(Versioned, ServiceForm):
    relation = forms.ChoiceField(label=_("Hubungan dengan peserta"), choices=Relation.choices)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        widget=forms.TextInput(attrs=NUMERIC),
        help_text=_("16 digit sesuai KTP atau KK."),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    birth_date = date_field(_("Tanggal lahir"))
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", _("Dari NIK")), *Sex.choices], required=False
    )
    married = forms.BooleanField(label=_("Sudah menikah"), required=False)
    working = forms.BooleanField(label=_("Sudah bekerja"), required=False)
    phone = forms.CharField(
        label=_("Nomor telepon"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    bank_account = forms.CharField(label=_("Bank dan nomor rekening"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].help_text = _("Kosong: dibaca dari NIK.")

    def heir_data(self) -> HeirData:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return HeirData(**data)


class SubmitForm(Versioned, ServiceForm):
    submitted_on = date_field(_("Tanggal diajukan ke BPJS"), required=True)
    bpjs_reference = forms.CharField(label=_("Nomor tanda terima BPJS"), max_length=100, required=False)


class DecideForm(Versioned, ServiceForm):
    outcome = forms.ChoiceField(
        label=_("Keputusan BPJS"),
        widget=forms.RadioSelect,
        choices=[("paid", _("Dibayar")), ("refused", _("Ditolak"))],
    )
    decided_on = date_field(_("Tanggal"), required=True)
    paid_amount = RupiahField(
        label=_("Jumlah yang dibayar BPJS (Rp)"), required=False, widget=forms.TextInput(attrs=NUMERIC)
    )
    refusal_reason = forms.CharField(
        label=_("Alasan penolakan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def school_years(claim) -> list[tuple[int, str]]:
    first = claim.event.occurred_on.year - 1
    last = timezone.localdate().year + 1
    return [(y, f"{y}/{y + 1}") for y in range(first, last + 1)]


class ScholarshipForm(Versioned, ServiceForm):
    heir = forms.TypedChoiceField(label=_("Anak"), coerce=int)
    school_year = forms.TypedChoiceField(label=_("Tahun ajaran"), coerce=int)
    level = forms.ChoiceField(label=_("Jenjang"))

    def __init__(self, *args, claim, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heir"].choices = [(h.pk, h.name) for h in children]
        self.fields["school_year"].choices = school_years(claim)
        levels = claim.quote.get("scholarship", {}).get("levels", [])
        self.fields["level"].choices = [(x["level"], _level(x["level"])) for x in levels] or [
            ("lump_sum", _("Beasiswa sekaligus (sebelum PP 82/2019)"))
        ]
        self.fields["school_year"].initial = timezone.localdate().year - (timezone.localdate().month < 7)


class ScholarshipPayForm(Versioned, ServiceForm):
    scholarship = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = date_field(_("Tanggal dibayar"), required=True)
    amount = RupiahField(label=_("Jumlah (Rp)"), widget=forms.TextInput(attrs=NUMERIC))


def _level(code: str) -> str:
    from django.utils import translation

    return words.label(code, translation.get_language() or "id", words.LEVEL_LABELS)


class PeriodForm(Form):
    """The list's filters and the period of its exports."""

    state = forms.ChoiceField(required=False)
    since = date_field(_("Peristiwa sejak"))
    until = date_field(_("sampai"))

    def __init__(self, *args, **kwargs):
        from payung.claims.models import ClaimState

        super().__init__(*args, **kwargs)
        self.fields["state"].label = _("Status")
        self.fields["state"].choices = [("", _("Semua status")), *ClaimState.choices]

    def values(self) -> dict[str, object]:
        if not self.is_valid():
            return {"state": "", "since": None, "until": None}
        return {
            k: self.cleaned_data.get(k) or ("" if k == "state" else None) for k in ("state", "since", "until")
        }


def default_period(today: dt.date) -> dict[str, dt.date]:
    return {"since": today.replace(month=1, day=1), "until": today}
