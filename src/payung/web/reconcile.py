"""Web pages for reconciling the registry with BPJS's lists and bills (reconcile.services).

/rekonsiliasi/: the region's runs and the upload form; /rekonsiliasi/<id>/: one run per period with counts
and rupiah per finding, what a re-run changed, downloads; /rekonsiliasi/<id>/temuan/?jenis=...: the people
of one finding (NIKs masked); /rekonsiliasi/temuan/<id>/: both sides side by side with the decision form.

Scoping: runs and findings of the user's regions (reconcile.services.visible_runs); an operator limited to
some units sees none and runs none (a run names every unit's people). Writing (upload, re-run, review)
needs a reviewing or money role over the whole region: others get 404, like the other review pages.
Downloads are audited exports.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from payung import formats, uploads
from payung.accounts import scope
from payung.audit.locking import Conflict
from payung.reconcile import exports, services
from payung.reconcile.errors import ReconcileProblem
from payung.reconcile.findings import IMPACT_PARTS, impact_part
from payung.reconcile.models import BpjsSnapshot, Finding, Reconciliation
from payung.registry import duplicates
from payung.registry.nik import mask
from payung.registry.services import ValidationFailed, record_export
from payung.web.forms import Form, MonthField, ServiceForm, Versioned

PAGE_SIZE = 50


def _lang() -> str:
    return translation.get_language() or "id"


def _writer(user):
    """The user's kab/kota when the user may reconcile there; None otherwise."""
    region = scope.tenant_of(user)
    return region if region is not None and services.can_reconcile(user) else None


class UploadForm(Form):
    file = uploads.FileField(
        label=gettext_lazy("Berkas BPJS (XLSX/CSV)"),
        help_text=gettext_lazy("Daftar peserta atau tagihan dari BPJS Ketenagakerjaan."),
    )
    period = MonthField(label=gettext_lazy("Bulan"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis berkas"),
        required=False,
        choices=[
            ("", gettext_lazy("Kenali sendiri")),
            *BpjsSnapshot.Kind.choices,
        ],
        help_text=gettext_lazy("Tagihan bila berkasnya punya kolom iuran."),
    )


class ReviewForm(Versioned, ServiceForm):
    decision = forms.ChoiceField(label=gettext_lazy("Keputusan"), widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions(finding)
        self.fields["version"].initial = finding.version


def decisions(finding: Finding) -> list[tuple[str, str]]:
    choices = []
    if finding.kind in services.PAIRED:
        choices += [("accept", _("Terima pasangan")), ("reject", _("Tolak pasangan: orang berbeda"))]
    actions = dict(Finding.Action.choices)
    choices += [(a, actions[a]) for a in services.ACTIONS.get(finding.kind, ())]
    return choices


# ------------------------------------------------------------------------------------------------ pages
@login_required
def runs_list(request: HttpRequest) -> HttpResponse:
    region = _writer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None) if region else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                run = _upload_and_run(request, region, form.cleaned_data)
            except ReconcileProblem as problem:
                form.add_error("file", problem.text(_lang()))
            else:
                return redirect("reconciliation", run.pk)
    runs = services.visible_runs(request.user).order_by("-snapshot__period", "-created_at")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": _("Rekonsiliasi dengan BPJS"), "page": page, "form": form}
    return render(request, "web/reconciliations.html", context, status=400 if form and form.errors else 200)


def _upload_and_run(request, region, data) -> Reconciliation:
    with uploads.received(data["file"], fallback=uploads.BPJS_FILE) as upload:
        run = services.upload_and_run(
            request.user, region, upload.path, filename=upload.name, period=data["period"], kind=data["kind"]
        )
    messages.success(request, _("Berkas %(name)s disimpan dan dicocokkan.") % {"name": run.snapshot.filename})
    return run


def _rows(run: Reconciliation) -> list[dict]:
    return [
        {"kind": kind, "label": exports.label(kind), **run.totals.get(kind, {})} for kind in services.KINDS
    ]


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = scope.get_or_404(services.visible_runs(request.user), pk=pk)
    parts = services.impact_parts(run)
    named = [(part, exports.part_label(part)) for part in IMPACT_PARTS]
    rows = [{**row, "parts": [(label, parts[row["kind"]][p]) for p, label in named]} for row in _rows(run)]
    total = {k: sum(r.get(k, 0) for r in rows) for k in ("count", "billed", "computed")}
    change = services.changes(run)
    if change is not None:
        change.counts = [row for row in change.counts if row["before"] != row["now"]]
        for row in change.counts:
            row["label"] = exports.label(row["kind"])
        for finding in change.closed + change.new:
            finding.label, finding.name = exports.label(finding.kind), _listed(finding)["name"]
    latest = Reconciliation.objects.filter(region=run.region, snapshot__period=run.snapshot.period).first()
    open_count = run.findings.exclude(kind="matched").filter(state=Finding.State.OPEN).count()
    context = {
        "title": _("Rekonsiliasi %(period)s")
        % {"period": formats.format_month(run.snapshot.period, _lang())},
        "run": run,
        "rows": rows,
        "total": total,
        "parts": [(part, label, parts["total"][part]) for part, label in named],
        "change": change,
        "can_write": _writer(request.user) == run.region,
        "is_latest": latest == run,
        "open_count": open_count,
    }
    return render(request, "web/reconciliation.html", context)


@login_required
def findings_list(request: HttpRequest, pk: int) -> HttpResponse:
    run = scope.get_or_404(services.visible_runs(request.user), pk=pk)
    kind = request.GET.get("jenis", "")
    if kind not in services.KINDS:
        kind = "differences"
    state = request.GET.get("status", "")
    found = run.findings.filter(kind=kind).select_related("person").order_by("-impact", "id")
    if state in Finding.State.values:
        found = found.filter(state=state)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_listed(f) for f in page.object_list]
    context = {
        "title": exports.label(kind),
        "run": run,
        "kind": kind,
        "kinds": [(k, exports.label(k), run.totals.get(k, {}).get("count", 0)) for k in services.KINDS],
        "page": page,
        "rows": rows,
        "state": state,
        "states": Finding.State.choices,
    }
    return render(request, "web/reconcile_findings.html", context)


def _listed(finding: Finding) -> dict:
    side = finding.evidence.get("roster") or finding.evidence.get("bpjs") or {}
    nik = side.get("nik") or ""
    return {
        "finding": finding,
        "name": side.get("name") or "—",
        "nik": mask(nik) if nik else "—",
        "unit": side.get("unit_name") or "",
        "differences": exports.difference_labels(finding.differences),
        "end": finding.evidence.get("end"),
        "part": exports.part_label(impact_part(finding.kind, finding.impact)),
        "amount": abs(finding.impact),
    }


COMPARED = [
    ("nik", gettext_lazy("NIK")),
    ("kpj", gettext_lazy("Nomor KPJ")),
    ("name", gettext_lazy("Nama")),
    ("birth_date", gettext_lazy("Tanggal lahir")),
    ("sex", gettext_lazy("Jenis kelamin")),
    ("monthly_wage", gettext_lazy("Upah sebulan")),
    ("programs", gettext_lazy("Program")),
    ("contribution", gettext_lazy("Iuran ditagih")),
    ("unit_name", gettext_lazy("Unit kerja")),
    ("sheet_line", gettext_lazy("Baris di berkas")),
]


# Compared field -> the difference code (reconcile.findings.DIFFERENCES) that marks its row.
DIFFERENCE_OF = {"monthly_wage": "wage", "contribution": "amount"} | {
    f: f for f in ("name", "birth_date", "nik", "kpj", "sex", "programs")
}
LEVELS = duplicates.LEVEL_LABELS
FIELDS = duplicates.FIELD_LABELS | {"kpj": gettext_lazy("Nomor KPJ")}


def _evidence(fields: dict) -> list[str]:
    return [f"{FIELDS[name]}: {LEVELS.get(code, code)}" for name, code in fields.items() if name in FIELDS]


def _finding(request: HttpRequest, pk: int) -> Finding:
    return scope.get_or_404(services.visible_findings(request.user), pk=pk)


def _detail(
    request, finding: Finding, form=None, status=200, conflict: Conflict | None = None
) -> HttpResponse:
    roster = finding.evidence.get("roster") or {}
    bpjs = finding.evidence.get("bpjs") or {}
    codes = set(finding.differences.split(","))
    rows = []
    for field, label in COMPARED:
        a, b = roster.get(field), bpjs.get(field)
        if field == "sheet_line":
            a = None  # the registry has no lines; the BPJS file's row helps find it there
        rows.append((label, a, b, DIFFERENCE_OF.get(field) in codes, field))
    if finding.person_id:
        from payung.registry.services import record_view

        record_view(request.user, finding.person)  # full NIKs of a registry person are on screen
    can_write = _writer(request.user) == finding.region and bool(decisions(finding))
    context = {
        **_listed(finding),
        "title": exports.label(finding.kind),
        "run": finding.reconciliation,
        "rows": rows,
        "evidence": _evidence(finding.evidence.get("fields", {})),
        "form": (form or ReviewForm(finding=finding)) if can_write else None,
        "conflict": conflict.for_form() if conflict else "",
    }
    return render(request, "web/reconcile_finding.html", context, status=status)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _finding(request, pk))


@require_POST
@login_required
def finding_review(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    if _writer(request.user) != finding.region:
        raise Http404
    form = ReviewForm(request.POST, finding=finding)
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        read = {"reason": reason, "version": form.cleaned_data["version"]}
        try:
            if decision in ("accept", "reject"):
                services.decide(request.user, finding, decision == "accept", **read)
            else:
                services.act(request.user, finding, decision, **read)
        except ValidationFailed as failed:
            form.show(failed.errors)
        except Conflict as conflict:  # decided by someone else since this page was opened
            return _detail(request, _finding(request, pk), status=409, conflict=conflict)
        else:
            name = _listed(finding)["name"]
            messages.success(request, _("Keputusan untuk %(name)s disimpan.") % {"name": name})
            back = reverse("reconcile_findings", args=[finding.reconciliation_id])
            return redirect(f"{back}?jenis={finding.kind}")
    return _detail(request, finding, form, status=400)


@require_POST
@login_required
def run_again(request: HttpRequest, pk: int) -> HttpResponse:
    run = scope.get_or_404(services.visible_runs(request.user), pk=pk)
    if _writer(request.user) != run.region:
        raise Http404
    try:
        again = services.run(request.user, run.snapshot)
    except ReconcileProblem as problem:
        messages.error(request, problem.text(_lang()))
        return redirect("reconciliation", run.pk)
    messages.success(request, _("Rekonsiliasi dijalankan ulang dengan data registri terbaru."))
    return redirect("reconciliation", again.pk)


def _download(request: HttpRequest, pk: int, what: str) -> FileResponse:
    run = scope.get_or_404(services.visible_runs(request.user), pk=pk)
    folder = Path(tempfile.mkdtemp(prefix="payung-reconcile-"))
    stem = f"{run.region.code}-{run.snapshot.period:%Y-%m}"
    try:
        path = folder / "berkas.xlsx"
        if what == "bpjs":
            count = exports.bpjs_xlsx(run, path)
            name = f"koreksi-bpjs-{stem}.xlsx"
        else:
            count = exports.summary_xlsx(run, path)
            name = f"ringkasan-rekonsiliasi-{stem}.xlsx"
        handle = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    record_export(request.user, f"reconcile.{what}", run.region_id, count, channel="web")
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def bpjs_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "bpjs")


@login_required
def summary_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "summary")
