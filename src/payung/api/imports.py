"""Roster imports over the API: upload and import in one call, read a batch, download its error file."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from payung import uploads
from payung.accounts import scope
from payung.api import queries
from payung.api.auth import require_editor
from payung.api.schemas import ImportOut, Problem
from payung.registry import importer, services
from payung.registry.models import Group, ImportBatch
from payung.registry.services import ValidationFailed

router = Router(tags=["imports"])
ERRORS_BUT_422 = {400: Problem, 401: Problem, 403: Problem, 404: Problem}
ERRORS = {**ERRORS_BUT_422, 422: Problem}
MAX_ISSUES_SHOWN = 1000


def _out(batch: ImportBatch) -> dict:
    issues = batch.issues.all()
    counts = importer.summary(batch)
    has_errors = bool(batch.error_file) and Path(batch.error_file).is_file()
    return {
        "id": batch.pk,
        "region": batch.region_id,
        "unit_id": batch.unit_id,
        "filename": batch.filename,
        "sha256": batch.sha256,
        "state": batch.state,
        "created_at": batch.created_at,
        "total_rows": batch.total_rows,
        **{key: counts[key] for key in ("imported", "updated", "unchanged", "rejected", "warnings")},
        "message": batch.text(),  # in the reader's language
        "issue_count": issues.count(),
        "issues": list(issues[:MAX_ISSUES_SHOWN]),
        "errors_url": reverse("api:import_errors", args=[batch.pk]) if has_errors else None,
    }


class ImportRefused(ImportOut):
    """A file of which nothing could be imported: the batch as usual, with the reason as a problem."""

    detail: str
    errors: dict[str, list[str]]


def _refused(batch: ImportBatch) -> bool:
    """Nothing imported because of the file itself, or because every one of its rows was rejected."""
    failed = batch.state == ImportBatch.State.FAILED
    return failed or (batch.total_rows > 0 and batch.rejected == batch.total_rows)


def _answer(batch: ImportBatch) -> Status:
    """201 when the file's rows were imported, even in part (0005); 422 with the reasons when none was."""
    body = _out(batch)
    if not _refused(batch):
        return Status(201, body)
    reason = batch.text()  # a failed or committed batch always has its message
    return Status(422, {**body, "detail": reason, "errors": {"file": [reason]}})


@router.post(
    "/imports",
    response={201: ImportOut, 422: ImportRefused, **ERRORS_BUT_422},
    summary="Impor daftar (XLSX/CSV) ke satu wilayah; 422 bila tidak satu baris pun dapat diimpor",
)
def create_import(
    request,
    file: File[UploadedFile],
    region: Form[str],
    unit: Form[str] = "",
    group: Form[str] = "non_asn",
):
    user = request.auth
    tenant = queries.tenant(user, region)  # 404 before 403: another tenant's code is simply unknown
    target_unit = queries.unit_by_code(user, tenant, unit) if unit.strip() else None
    require_editor(user)
    if group not in Group.values:
        raise ValidationFailed({"group": [_("Kelompok tidak dikenal.")]})
    with uploads.received(file, fallback=uploads.ROSTER) as upload:
        batch = importer.run(
            upload.path,
            filename=upload.name,
            region=tenant,
            unit=target_unit,
            group=group,
            user=user,
            lang=translation.get_language() or "id",
            channel="api",
        )
    return _answer(batch)


@router.get("/imports/{batch_id}", response={200: ImportOut, **ERRORS}, summary="Hasil satu impor")
def read_import(request, batch_id: int):
    importer.expire()
    return _out(scope.get_or_404(scope.imports(request.auth), pk=batch_id))


@router.get(
    "/imports/{batch_id}/errors.xlsx",
    response={200: None, **ERRORS},
    url_name="import_errors",
    summary="Baris yang ditolak beserta alasannya (XLSX), untuk diperbaiki dan diimpor ulang",
)
def import_errors(request, batch_id: int):
    batch = scope.get_or_404(scope.imports(request.auth), pk=batch_id)
    path = Path(batch.error_file) if batch.error_file else None
    if path is None or not path.is_file():
        raise Http404
    services.record_export(request.auth, "import.errors", batch.region_id, batch.rejected, channel="api")
    return FileResponse(path.open("rb"), as_attachment=True, filename=importer.error_download_name(batch))
