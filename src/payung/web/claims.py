"""Web pages of claims: the list with its warnings and exports, recording a death or a work accident, and a
claim's file (eligibility, benefit, heirs, documents, deadlines, BPJS's answer, scholarships, the letter).

Scoping: claims.queries (the claims of the people the user may see); anything else answers 404. Writing is
for editors (admin, operator); for anyone else the write URLs do not exist (404). Every display of a claim
file is audited (UU 27/2022: it holds health and family data), and so is every download.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.audit.locking import Conflict
from payung.claims import checklist, exports, family, pricing, queries, services
from payung.claims.models import Claim, Relation, Scholarship
from payung.registry.services import ValidationFailed
from payung.rules import queries as rule_queries
from payung.web import claim_forms as f
from payung.web.views import conflict_page, editor_required, save_or_show

PAGE_SIZE = 50


def _claim(request: HttpRequest, pk: int) -> Claim:
    found = queries.visible(request.user, Claim.objects.select_related("event", "person", "region"))
    return scope.get_or_404(found, pk=pk)


def _post_only(request: HttpRequest) -> None:
    if request.method != "POST":
        raise Http404


# ------------------------------------------------------------------------------------------ the list
@login_required
def claims_list(request: HttpRequest) -> HttpResponse:
    period = f.PeriodForm(request.GET or None)
    chosen = period.values()
    claims = queries.listing(request.user, **chosen)
    page = Paginator(claims.prefetch_related("documents"), PAGE_SIZE).get_page(request.GET.get("page"))
    book = rule_queries.book()
    rows = [{"claim": c, "warnings": queries.warnings(c, book=book)} for c in page.object_list]
    context = {
        "title": _("Klaim manfaat"),
        "page": page,
        "rows": rows,
        "period": period,
        "query": request.GET.urlencode(),
        "warned": [r for r in rows if r["warnings"]],
        "verdict_badges": queries.VERDICT_BADGES,
        "state_badges": queries.STATE_BADGES,
    }
    return render(request, "web/claims.html", context)


def _download(request: HttpRequest, build, name: str) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="payung-claims-"))
    try:
        path = build(folder / name)
        handle = path.open("rb")  # still readable after its folder is gone (the response streams it)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=name)


def _period_claims(request: HttpRequest) -> list[Claim]:
    chosen = f.PeriodForm(request.GET or None).values()
    return list(queries.listing(request.user, **chosen).prefetch_related("heirs"))


@login_required
def claims_xlsx(request: HttpRequest) -> FileResponse:
    found = _period_claims(request)
    region = request.user.region.code if request.user.region else ""
    title = _("Klaim manfaat, dibuat %(day)s") % {"day": timezone.localdate().strftime("%d-%m-%Y")}
    response = _download(request, lambda p: exports.claims_xlsx(found, p, title=title), "klaim.xlsx")
    exports.audited(request.user, "claims.xlsx", region, len(found), channel="web")
    return response


@login_required
def claims_handover(request: HttpRequest) -> FileResponse:
    """The ceremony's list: claims paid (else submitted) in the period, of the user's own kab/kota."""
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    found = [
        c for c in _period_claims(request) if c.region_id == region.code and c.state in ("paid", "submitted")
    ]
    party = _("Pemerintah %(region)s") % {"region": region.name}
    today = timezone.localdate()
    build = lambda p: exports.handover_pdf(found, p, party=party, region=region, today=today)  # noqa: E731
    response = _download(request, build, "serah-terima.pdf")
    exports.audited(request.user, "claims.handover", region.code, len(found), channel="web")
    return response


# ------------------------------------------------------------------------------------------ the event
@editor_required
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a death or a work accident of a person (pk) and open its claim."""
    person = scope.get_or_404(scope.people(request.user).select_related("region"), pk=pk)
    form = f.EventForm(request.POST or None, initial={"version": person.version})
    created: list[Claim] = []

    def save() -> None:
        data = form.event_data()
        created.append(
            services.record_event(request.user, person, data, version=form.cleaned_data["version"])
        )

    context = {
        "person": person,
        "form": form,
        "title": _("Catat peristiwa: %(name)s") % {"name": person.name},
    }
    try:
        if request.method == "POST" and form.is_valid() and save_or_show(form, save):
            messages.success(request, _("Peristiwa dicatat dan klaim dibuka."))
            return redirect("claim", pk=created[0].pk)
    except Conflict as conflict:
        stored = scope.get_or_404(scope.people(request.user), pk=pk)
        reopened = f.EventForm(initial={**form.cleaned_data, "version": stored.version})
        return conflict_page(request, "web/claim_form.html", {**context, "form": reopened}, conflict)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/claim_form.html", context, status=status)


@editor_required
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    form = f.DetailsForm(request.POST or None, initial=f.DetailsForm.initial_for(claim))

    def save() -> None:
        services.update_details(request.user, claim, form.details(), version=form.cleaned_data["version"])

    context = {"claim": claim, "person": claim.person, "form": form, "title": _("Ubah rincian klaim")}
    try:
        if request.method == "POST" and form.is_valid() and save_or_show(form, save):
            messages.success(request, _("Rincian klaim disimpan; manfaat dihitung ulang."))
            return redirect("claim", pk=claim.pk)
    except Conflict as conflict:
        reopened = f.DetailsForm(initial=f.DetailsForm.initial_for(_claim(request, pk)))
        return conflict_page(request, "web/claim_form.html", {**context, "form": reopened}, conflict)
    return render(request, "web/claim_form.html", context, status=400 if request.method == "POST" else 200)


@editor_required
def claim_heir(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    form = f.HeirForm(request.POST or None, initial={"version": claim.version})

    def save() -> None:
        family.add_heir(request.user, claim, form.heir_data(), version=form.cleaned_data["version"])

    context = {"claim": claim, "person": claim.person, "form": form, "title": _("Tambah ahli waris")}
    try:
        if request.method == "POST" and form.is_valid() and save_or_show(form, save):
            messages.success(request, _("Ahli waris ditambahkan."))
            return redirect("claim", pk=claim.pk)
    except Conflict as conflict:
        reopened = f.HeirForm(initial={**form.cleaned_data, "version": _claim(request, pk).version})
        return conflict_page(request, "web/claim_form.html", {**context, "form": reopened}, conflict)
    return render(request, "web/claim_form.html", context, status=400 if request.method == "POST" else 200)


# ------------------------------------------------------------------------------------------ the file
@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    pricing.recheck(claim)  # payments move on: was the person protected, as of today's records
    return _detail(request, claim)


def _forms(request: HttpRequest, claim: Claim, given: dict) -> dict:
    if not request.user.can_edit:
        return {}
    initial = {"version": claim.version}
    children = [h for h in claim.heirs.all() if h.relation == Relation.CHILD]
    return {
        "submit_form": given.get("submit_form")
        or f.SubmitForm(initial={**initial, "submitted_on": timezone.localdate()}),
        "decide_form": given.get("decide_form")
        or f.DecideForm(initial={**initial, "outcome": "paid", "decided_on": timezone.localdate()}),
        "scholarship_form": given.get("scholarship_form")
        or f.ScholarshipForm(initial=initial, claim=claim, children=children),
    }


def _detail(request: HttpRequest, claim: Claim, *, status: int = 200, **given) -> HttpResponse:
    services.record_view(request.user, claim)
    context = {
        **queries.claim_file(claim),
        **_forms(request, claim, given),
        "title": _("Klaim %(program)s: %(name)s") % {"program": claim.program, "name": claim.person.name},
        "difference": services.difference_text(claim),
        "verdict_badges": queries.VERDICT_BADGES,
        "state_badges": queries.STATE_BADGES,
        "error": given.get("error"),
        "conflict": given.get("conflict"),
    }
    return render(request, "web/claim_detail.html", context, status=status)


def _act(request: HttpRequest, pk: int, form_class, write, done: str, name: str, extra=None) -> HttpResponse:
    """A POST from the claim page: write through a service and come back; on bad input the page again
    with the form's errors (400); on a change made meanwhile the page as stored now (409)."""
    _post_only(request)
    claim = _claim(request, pk)
    form = form_class(request.POST, **(extra(claim) if extra else {}))
    try:
        if form.is_valid() and save_or_show(form, lambda: write(claim, form.cleaned_data)):
            messages.success(request, done)
            return redirect("claim", pk=claim.pk)
    except Conflict as conflict:
        return _detail(request, _claim(request, pk), status=409, conflict=conflict.for_form())
    return _detail(request, _claim(request, pk), status=400, **{name: form})


def _plain_post(request: HttpRequest, pk: int, write, done: str) -> HttpResponse:
    """A POST from the claim page without a Django form (the checklist, a heir's remove button): the
    version the page showed, then ``write(claim, version)``; problems come back on the page."""
    _post_only(request)
    claim = _claim(request, pk)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise ValidationFailed(
                {"version": [_("Formulir ini kedaluwarsa. Buka lagi halamannya lalu isi ulang.")]}
            )
        write(claim, int(version))
    except Conflict as conflict:
        return _detail(request, _claim(request, pk), status=409, conflict=conflict.for_form())
    except ValidationFailed as failed:
        text = " ".join(str(m) for errors in failed.errors.values() for m in errors)
        return _detail(request, _claim(request, pk), status=400, error=text)
    messages.success(request, done)
    return redirect("claim", pk=claim.pk)


@editor_required
def claim_documents(request: HttpRequest, pk: int) -> HttpResponse:
    received = {
        code: request.POST.get(f"note_{code}", "").strip() for code in request.POST.getlist("received")
    }

    def write(claim, version):
        checklist.set_documents(request.user, claim, received, version=version)

    return _plain_post(request, pk, write, _("Daftar dokumen disimpan."))


@editor_required
def claim_heir_remove(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = request.POST.get("heir", "")

    def write(claim, version):
        heir = claim.heirs.filter(pk=chosen).first() if chosen.isdigit() else None
        if heir is None:
            raise ValidationFailed({"heir": [_("Ahli waris tidak ditemukan pada klaim ini.")]})
        family.remove_heir(request.user, claim, heir, version=version)

    return _plain_post(request, pk, write, _("Ahli waris dihapus dari klaim."))


@editor_required
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def write(claim, data):
        services.submit(
            request.user,
            claim,
            data["submitted_on"],
            reference=data["bpjs_reference"],
            version=data["version"],
        )

    return _act(request, pk, f.SubmitForm, write, _("Klaim dicatat sudah diajukan ke BPJS."), "submit_form")


@editor_required
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def write(claim, data):
        services.decide(
            request.user,
            claim,
            data["outcome"],
            data["decided_on"],
            amount=data["paid_amount"],
            reason=data["refusal_reason"],
            version=data["version"],
        )

    return _act(request, pk, f.DecideForm, write, _("Keputusan BPJS dicatat."), "decide_form")


@editor_required
def claim_scholarship(request: HttpRequest, pk: int) -> HttpResponse:
    def write(claim, data):
        heir = claim.heirs.filter(pk=data["heir"]).first()
        if heir is None:
            raise ValidationFailed({"heir": [_("Anak tidak ditemukan pada klaim ini.")]})
        family.add_scholarship(
            request.user, claim, heir, data["school_year"], data["level"], version=data["version"]
        )

    def kwargs(claim):
        return {"claim": claim, "children": [h for h in claim.heirs.all() if h.relation == Relation.CHILD]}

    done = _("Beasiswa tahun ajaran dicatat.")
    return _act(request, pk, f.ScholarshipForm, write, done, "scholarship_form", kwargs)


@editor_required
def claim_scholarship_pay(request: HttpRequest, pk: int) -> HttpResponse:
    def write(claim, data):
        found = Scholarship.objects.filter(claim=claim, pk=data["scholarship"]).first()
        if found is None:
            raise ValidationFailed({"scholarship": [_("Beasiswa tidak ditemukan pada klaim ini.")]})
        family.pay_scholarship(
            request.user, claim, found, data["paid_on"], data["amount"], version=data["version"]
        )

    return _act(request, pk, f.ScholarshipPayForm, write, _("Pembayaran beasiswa dicatat."), "pay_form")


@login_required
def claim_letter(request: HttpRequest, pk: int) -> FileResponse:
    claim = _claim(request, pk)
    today = timezone.localdate()
    response = _download(
        request, lambda p: exports.letter_pdf(claim, p, today=today), f"surat-klaim-{claim.pk}.pdf"
    )
    exports.audited(request.user, "claim.letter", claim.region_id, 1, claim=claim, channel="web")
    return response
