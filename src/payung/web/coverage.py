"""Web pages for agreements (PKS): the list with expiry warnings, the create and change forms, the detail
page with member counts, enrolment and the collective registrations with BPJS (file, reply).

Scoping: coverage.queries (agreements of the user's regions, what they say about people cut to the people
the user may see; registration batches region-wide); another tenant's agreement or batch is 404. Writing
(create, change, enrol, register, reply) is for users who manage money; for anyone else those URLs do not
exist (404). Registration files carry full NIKs: each download is audited as an export.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung import uploads
from payung.accounts import scope
from payung.audit.locking import Conflict
from payung.contributions.calculator import JKK_CLASSES, PROGRAMS
from payung.coverage import enrolment, kpj_review, queries, registration
from payung.coverage.models import Agreement, FundingSource, MidMonthRule
from payung.coverage.services import AgreementData, create_agreement, update_agreement
from payung.registry import nik as nik_rules
from payung.registry.models import Group
from payung.registry.services import ValidationFailed
from payung.web.forms import Form, RupiahField, ServiceForm, Versioned, date_field
from payung.web.views import conflict_page, save_or_show, treasurer_required

ALL_PROGRAMS = tuple(dict.fromkeys(PROGRAMS["pu"] + PROGRAMS["bpu"]))


# ------------------------------------------------------------------------------------------------ forms
class AgreementForm(ServiceForm):
    error_fields = {"unit_ids": "units"}

    number = forms.CharField(label=gettext_lazy("Nomor PKS"), max_length=100)
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200, required=False)
    pemda_party = forms.CharField(label=gettext_lazy("Pihak Pemda"), max_length=200)
    bpjs_branch = forms.CharField(label=gettext_lazy("Pihak BPJS (kantor cabang)"), max_length=200)
    signed_on = date_field(gettext_lazy("Tanggal ditandatangani"), required=True)
    valid_from = date_field(gettext_lazy("Berlaku sejak"), required=True)
    valid_to = date_field(gettext_lazy("Berlaku sampai"), required=True)
    category = forms.ChoiceField(
        label=gettext_lazy("Kategori peserta"),
        choices=[
            ("pu", gettext_lazy("Penerima upah (PU)")),
            ("bpu", gettext_lazy("Bukan penerima upah (BPU)")),
        ],
        widget=forms.RadioSelect,
        initial="pu",
    )
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Kelompok yang dijamin"),
        choices=Group.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    programs = forms.MultipleChoiceField(
        label=gettext_lazy("Program"),
        choices=[(p, p) for p in ALL_PROGRAMS],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("BPU: JKK, JKM, JHT."),
    )
    jkk_class = forms.TypedChoiceField(
        label=gettext_lazy("Kelompok risiko JKK"),
        choices=[("", "—")] + [(str(c), str(c)) for c in JKK_CLASSES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Ditetapkan BPJS; wajib bila PU dengan JKK (kelas 1: 0,24 %)."),
    )
    declared_income = RupiahField(
        label=gettext_lazy("Penghasilan dilaporkan (Rp/bulan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("Wajib untuk BPU: dasar iuran bila daftar tidak mencantumkan penghasilan."),
    )
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Unit yang dijamin"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Kosongkan untuk semua unit di wilayah ini."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    funding_source = forms.ChoiceField(label=gettext_lazy("Sumber dana"), choices=FundingSource.choices)
    budget_account = forms.CharField(
        label=gettext_lazy("Kode rekening belanja"), max_length=60, required=False
    )
    mid_month_rule = forms.ChoiceField(
        label=gettext_lazy("Masuk/keluar di tengah bulan"), choices=MidMonthRule.choices
    )
    late_fine = forms.BooleanField(label=gettext_lazy("Denda keterlambatan mengikat Pemda"), required=False)
    notes = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    SECTIONS = (
        (gettext_lazy("Para pihak"), ("number", "title", "pemda_party", "bpjs_branch", "signed_on")),
        (gettext_lazy("Masa berlaku"), ("valid_from", "valid_to")),
        (
            gettext_lazy("Cakupan"),
            ("category", "groups", "programs", "jkk_class", "declared_income", "units"),
        ),
        (
            gettext_lazy("Pembiayaan"),
            ("funding_source", "budget_account", "mid_month_rule", "late_fine", "notes"),
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def sections(self) -> list[tuple[str, list]]:
        found = [(title, [self[n] for n in names]) for title, names in self.SECTIONS]
        listed = {n for _, names in self.SECTIONS for n in names}
        extra = [self[n] for n in self.fields if n not in listed and not self[n].is_hidden]
        return found + ([(_("Alasan perubahan"), extra)] if extra else [])

    def agreement_data(self) -> AgreementData:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        data.pop("version", None)
        data["unit_ids"] = [u.pk for u in data.pop("units")]
        return AgreementData(**data)

    @staticmethod
    def initial_for(agreement: Agreement) -> dict:
        data = vars(AgreementData.of(agreement)).copy()
        data["units"] = data.pop("unit_ids")
        return {**data, "version": agreement.version}


class AgreementChangeForm(Versioned, AgreementForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan perubahan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Mis. nomor adendum. Masa kepesertaan disusun ulang sesuai isi baru."),
    )


class ReplyForm(Form):
    file = uploads.FileField(
        label=gettext_lazy("Balasan BPJS (XLSX atau CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.txt"}),
        help_text=gettext_lazy("Kolom NIK dan KPJ; Status dan Keterangan bila ada."),
    )


# ------------------------------------------------------------------------------------------------ pages
@login_required
def agreements_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = queries.with_people(request.user, queries.agreements(request.user))
    covers = queries.cover_ends(request.user, queries.agreements(request.user), today)
    rows = [
        {
            "agreement": a,
            "cover": covers.get(a.pk),
            "state": "future" if a.valid_from > today else ("ended" if a.valid_to < today else "valid"),
        }
        for a in agreements.order_by("region_id", "-valid_from", "number")
    ]
    context = {
        "rows": rows,
        "covers": sorted(covers.values(), key=lambda c: (c.last_day, c.agreement.number)),
        "can_create": request.user.can_manage_money and scope.tenant_of(request.user) is not None,
    }
    return render(request, "web/agreements.html", context)


@treasurer_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    initial = {"pemda_party": _("Pemerintah %(region)s") % {"region": region.name}, "funding_source": "apbd",
               "mid_month_rule": MidMonthRule.ANY_DAY}  # fmt: skip
    form = AgreementForm(
        request.POST or None, units=scope.units(request.user).filter(region=region), initial=initial
    )
    created: list[Agreement] = []

    def save() -> None:
        created.append(create_agreement(request.user, region, form.agreement_data()))

    if request.method == "POST" and form.is_valid() and save_or_show(form, save):
        messages.success(request, _("PKS %(number)s sudah disimpan.") % {"number": created[0].number})
        return redirect("agreement", pk=created[0].pk)
    return render(request, "web/agreement_form.html", {"form": form, "title": _("PKS baru")})


@treasurer_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = scope.get_or_404(queries.agreements(request.user), pk=pk)
    units = scope.units(request.user).filter(region=agreement.region_id)
    form = AgreementChangeForm(
        request.POST or None, units=units, initial=AgreementForm.initial_for(agreement)
    )

    def save() -> None:
        data = form.cleaned_data
        update_agreement(
            request.user, agreement, form.agreement_data(), reason=data["reason"], version=data["version"]
        )

    context = {"title": _("Ubah PKS %(number)s") % {"number": agreement.number}, "agreement": agreement}
    try:
        if request.method == "POST" and form.is_valid() and save_or_show(form, save):
            messages.success(request, _("Perubahan PKS sudah disimpan."))
            return redirect("agreement", pk=agreement.pk)
    except Conflict as conflict:
        # The terms as stored now; the reason typed stays, to be saved with them once checked.
        stored = scope.get_or_404(queries.agreements(request.user), pk=pk)
        initial = {**AgreementForm.initial_for(stored), "reason": form.cleaned_data["reason"]}
        reopened = AgreementChangeForm(units=units, initial=initial)
        return conflict_page(request, "web/agreement_form.html", {**context, "form": reopened}, conflict)
    return render(request, "web/agreement_form.html", {**context, "form": form})


def _counted_on(agreement: Agreement, today: dt.date) -> dt.date:
    """The day member counts are shown for: today, kept inside the agreement's validity."""
    return min(max(today, agreement.valid_from), agreement.valid_to)


def _detail(request: HttpRequest, agreement: Agreement, **extra) -> HttpResponse:
    today = timezone.localdate()
    on = _counted_on(agreement, today)
    by_unit = queries.counts_by_unit_and_program(request.user, agreement, on)
    cover = queries.cover_ends(request.user, Agreement.objects.filter(pk=agreement.pk), today)
    sent = queries.registration_batches(request.user, agreement.registrations.select_related("created_by"))
    batches = list(sent.annotate(entry_count=Count("entries")))
    for batch in batches:
        states = batch.entries.order_by().values("state").annotate(n=Count("id"))
        batch.by_state = {row["state"]: row["n"] for row in states}
    user = request.user
    can_manage = user.can_manage_money
    context = {
        "agreement": agreement,
        "units": agreement.units.all(),
        "groups": [Group(g).label for g in agreement.groups if g in Group.values],
        "on": on,
        "by_unit": by_unit,
        "total_people": sum(r["people"] for r in by_unit),
        "total_on": {p: sum(r["programs"][p] for r in by_unit) for p in agreement.programs},
        "periods": queries.memberships(request.user, agreement).count(),
        "cover": cover.get(agreement.pk),
        "batches": batches,
        "pending": registration.pending(agreement).count() if can_manage else None,
        "conflicts": [(e, nik_rules.mask(e.person.nik)) for e in kpj_review.conflicts(user, agreement)],
        "can_manage": can_manage,
        "reply_form": extra.pop("reply_form", None) or (ReplyForm() if can_manage else None),
        **extra,
    }
    return render(request, "web/agreement_detail.html", context, status=extra.get("status", 200))


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, scope.get_or_404(queries.agreements(request.user), pk=pk))


def _post_only(request: HttpRequest) -> None:
    if request.method != "POST":
        raise Http404


@treasurer_required
def agreement_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = scope.get_or_404(queries.agreements(request.user), pk=pk)
    _post_only(request)
    counts = enrolment.sync(agreement, user=request.user)
    messages.success(
        request,
        _("%(people)s orang dijamin, %(periods)s masa kepesertaan (%(added)s baru, %(removed)s dihapus).")
        % counts,
    )
    if counts["without_wage"]:
        messages.warning(
            request,
            _("%(n)s orang belum tercatat upahnya dan belum dijamin.") % {"n": counts["without_wage"]},
        )
    return redirect("agreement", pk=agreement.pk)


@treasurer_required
def registration_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = scope.get_or_404(queries.agreements(request.user), pk=pk)
    _post_only(request)
    try:
        batch = registration.create_batch(
            request.user, agreement, layout_code=request.POST.get("layout", "sipp")
        )
    except ValidationFailed as failed:
        for errors in failed.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("agreement", pk=agreement.pk)
    messages.success(
        request,
        _("Berkas pendaftaran #%(batch)s berisi %(n)s orang siap diunduh dan dikirim ke BPJS.")
        % {"batch": batch.pk, "n": batch.entries.count()},
    )
    return redirect("agreement", pk=agreement.pk)


@login_required
def registration_file(request: HttpRequest, pk: int) -> HttpResponse:
    path = registration.batch_file(request.user, pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@treasurer_required
def registration_reply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = scope.get_or_404(queries.registration_batches(request.user), pk=pk)
    _post_only(request)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, batch.agreement, reply_form=form, reply_batch=batch, status=400)
    try:
        with uploads.received(form.cleaned_data["file"], fallback=uploads.REPLY_FILE) as upload:
            result = registration.reply(
                request.user,
                batch,
                upload.path,
                filename=upload.name,
                lang=translation.get_language() or "id",
            )
    except ValidationFailed as failed:
        form.add_error("file", failed.errors.get("file", [_("Berkas tidak dapat dibaca.")]))
        return _detail(request, batch.agreement, reply_form=form, reply_batch=batch, status=400)
    messages.success(
        request,
        _("Balasan BPJS untuk pendaftaran #%(batch)s: %(registered)s terdaftar, %(rejected)s ditolak.")
        % {"batch": batch.pk, "registered": result.registered, "rejected": result.rejected},
    )
    if result.conflicts:
        messages.warning(
            request,
            _("%(n)s orang sudah punya KPJ lain di registri: KPJ mereka tidak ditimpa; putuskan di bawah.")
            % {"n": result.conflicts},
        )
    return _detail(request, batch.agreement, reply_result=result, reply_batch=batch)


@treasurer_required
def registration_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide a KPJ conflict of a reply: BPJS's number or the registry's (coverage.kpj_review)."""
    entry = scope.get_or_404(kpj_review.conflicts(request.user).select_related("batch__agreement"), pk=pk)
    _post_only(request)
    agreement = entry.batch.agreement
    try:
        kpj_review.resolve(request.user, entry, request.POST.get("choice", ""))
    except ValidationFailed as failed:
        for errors in failed.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("KPJ %(name)s sudah diputuskan.") % {"name": entry.person.name})
    return redirect(reverse("agreement", args=[agreement.pk]) + "#kpj-berbeda")
