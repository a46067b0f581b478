"""Reconciliation with BPJS over the API: upload a list or bill (stored and run at once), read a run's
totals and what a re-run changed, page through findings (NIKs masked), review, re-run, download the files.

Scoping as everywhere (reconcile.services.visible_runs): another tenant's run or finding answers 404, and so
does every run for an operator limited to some units (a run names every unit's people). Writing needs a
reviewing or money role over the whole region (403 otherwise, after the 404 check; a unit-limited operator
may not upload). A file that cannot be used (empty, damaged, the same KPJ twice, another region's, no valid
NIK or KPJ, too large) is a 422 saying why; nothing is stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from payung import uploads
from payung.accounts import scope
from payung.api import queries
from payung.api.pagination import PageQuery, page_of
from payung.api.preconditions import read_version
from payung.api.schemas import Problem
from payung.reconcile import exports, services
from payung.reconcile.errors import ReconcileProblem
from payung.reconcile.models import Finding, Reconciliation
from payung.registry.nik import mask
from payung.registry.services import ValidationFailed, record_export

router = Router(tags=["reconcile"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class UploadIn(Schema):
    region: str = Field(description="Kode kabupaten/kota, mis. 5371")
    period: str = Field(description="Bulan, YYYY-MM")
    kind: str = Field("", description="list | bill (bawaan: tagihan bila ada kolom iuran)")


class ReviewIn(Schema):
    decision: str = Field(description="accept | reject | register | deactivate | correct | dispute")
    reason: str
    version: int | None = Field(
        None,
        description="Versi temuan yang dibaca (atau If-Match); tanpa itu hanya temuan yang masih terbuka",
    )


class FindingFilter(PageQuery):
    kind: str = ""
    state: str = ""


def _lang() -> str:
    return translation.get_language() or "id"


def _problem(problem: ReconcileProblem) -> ValidationFailed:
    return ValidationFailed({"file": [problem.text(_lang())]})


def _run(request, reconciliation_id: int) -> Reconciliation:
    return scope.get_or_404(services.visible_runs(request.auth), pk=reconciliation_id)


def _run_out(run: Reconciliation) -> dict:
    change = services.changes(run)
    return {
        "id": run.pk,
        "region": run.region_id,
        "period": f"{run.snapshot.period:%Y-%m}",
        "filename": run.snapshot.filename,
        "kind": run.snapshot.kind,
        "bpjs_rows": run.snapshot.row_count,
        "roster_rows": run.roster_rows,
        "created_at": run.created_at.isoformat(),
        "options": run.options,
        "totals": run.totals,
        "previous": run.previous_id,
        "changes": None
        if change is None
        else {
            "counts": change.counts,
            "new": [f.key for f in change.new],
            "closed": [f.key for f in change.closed],
        },
    }


def _finding_out(f: Finding) -> dict:
    def side(values: dict | None) -> dict | None:
        if values is None:
            return None
        nik = values.get("nik") or ""
        return values | {"nik": mask(nik) if nik else None}

    return {
        "id": f.pk,
        "kind": f.kind,
        "person": f.person_id,
        "score": f.score,
        "differences": [d for d in f.differences.split(",") if d],
        "evidence": f.evidence.get("fields", {}),
        "end": f.evidence.get("end"),
        "roster": side(f.evidence.get("roster")),
        "bpjs": side(f.evidence.get("bpjs")),
        "billed": f.billed,
        "computed": f.computed,
        "impact": f.impact,
        "state": f.state,
        "action": f.action,
        "reason": f.reason,
        "version": f.version,
    }


@router.get("/reconciliations", response={200: list[dict], **ERRORS}, summary="Hasil rekonsiliasi")
def list_runs(request, region: str = ""):
    runs = services.visible_runs(request.auth)
    if region.strip():
        runs = runs.filter(region_id=region.strip())
    return [_run_out(r) for r in runs.order_by("-snapshot__period", "-created_at")[:200]]


@router.post(
    "/reconciliations",
    response={201: dict, **ERRORS},
    summary="Unggah daftar peserta atau tagihan BPJS (XLSX/CSV) dan cocokkan dengan registri",
)
def create(request, payload: Form[UploadIn], file: File[UploadedFile]):
    user = request.auth
    region = queries.tenant(user, payload.region)
    services.require(user, region)
    if payload.kind not in ("", "list", "bill"):
        raise ValidationFailed({"kind": [_("Pilihan tidak dikenal.")]})
    try:
        period = services.parse_period(payload.period)
        with uploads.received(file, fallback=uploads.BPJS_FILE) as upload:
            run = services.upload_and_run(
                user,
                region,
                upload.path,
                filename=upload.name,
                period=period,
                kind=payload.kind,
                channel="api",
            )
    except ReconcileProblem as problem:
        raise _problem(problem) from None
    return Status(201, _run_out(run))


@router.get("/reconciliations/{reconciliation_id}", response={200: dict, **ERRORS}, summary="Satu hasil")
def read(request, reconciliation_id: int):
    return _run_out(_run(request, reconciliation_id))


@router.get(
    "/reconciliations/{reconciliation_id}/findings",
    response={200: dict, **ERRORS},
    summary="Temuan per orang (NIK disamarkan)",
)
def findings(request, reconciliation_id: int, query: Query[FindingFilter]):
    run = _run(request, reconciliation_id)
    found = run.findings.order_by("id")
    if query.kind:
        found = found.filter(kind=query.kind)
    if query.state:
        found = found.filter(state=query.state)
    page = page_of(found, query)
    return page | {"results": [_finding_out(f) for f in page["results"]]}


@router.post(
    "/reconciliations/{reconciliation_id}/rerun",
    response={201: dict, **ERRORS},
    summary="Jalankan ulang dengan registri terbaru",
)
def rerun(request, reconciliation_id: int):
    run = _run(request, reconciliation_id)
    services.require(request.auth, run.region)
    try:
        return Status(201, _run_out(services.run(request.auth, run.snapshot, channel="api")))
    except ReconcileProblem as problem:
        raise _problem(problem) from None


@router.post(
    "/findings/{finding_id}/review",
    response={200: dict, 409: Problem, **ERRORS},
    summary="Putuskan satu temuan",
)
def review(request, finding_id: int, payload: ReviewIn):
    finding = scope.get_or_404(services.visible_findings(request.auth), pk=finding_id)
    services.require(request.auth, finding.region)
    read = {"reason": payload.reason, "version": read_version(request, payload.version), "channel": "api"}
    if payload.decision in ("accept", "reject"):
        services.decide(request.auth, finding, payload.decision == "accept", **read)
    else:
        services.act(request.auth, finding, payload.decision, **read)
    return _finding_out(finding)


def _download(request, reconciliation_id: int, what: str) -> FileResponse:
    run = _run(request, reconciliation_id)
    with tempfile.TemporaryDirectory(prefix="payung-api-") as folder:
        path = Path(folder) / "berkas.xlsx"
        count = (exports.bpjs_xlsx if what == "bpjs" else exports.summary_xlsx)(run, path)
        handle = path.open("rb")  # readable after its folder is gone
    record_export(request.auth, f"reconcile.{what}", run.region_id, count, channel="api")
    stem = f"{run.region_id}-{run.snapshot.period:%Y-%m}"
    name = f"koreksi-bpjs-{stem}.xlsx" if what == "bpjs" else f"ringkasan-rekonsiliasi-{stem}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)


@router.get("/reconciliations/{reconciliation_id}/bpjs.xlsx", summary="Berkas koreksi untuk BPJS")
def bpjs_xlsx(request, reconciliation_id: int):
    return _download(request, reconciliation_id, "bpjs")


@router.get(
    "/reconciliations/{reconciliation_id}/summary.xlsx", summary="Ringkasan bernama untuk kepala daerah"
)
def summary_xlsx(request, reconciliation_id: int):
    return _download(request, reconciliation_id, "summary")
