"""The import wizard: upload (with a progress bar), preview of every bad row, commit, error file, history."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from payung import uploads
from payung.accounts import scope
from payung.registry import importer, services
from payung.registry.models import ImportBatch
from payung.web import queries
from payung.web.forms import ImportForm
from payung.web.views import editor_required

ISSUES_PER_PAGE = 200


def _preview(form: ImportForm, request: HttpRequest, region) -> ImportBatch:
    """Hand the upload to the importer, which keeps its own copy (and refuses files that are too large)."""
    with uploads.received(form.cleaned_data["file"], fallback=uploads.ROSTER) as upload:
        return importer.preview(
            upload.path,
            filename=upload.name,
            region=region,
            unit=form.cleaned_data["unit"],
            group=form.cleaned_data["group"],
            user=request.user,
            lang=translation.get_language() or "id",
        )


def _reply(request: HttpRequest, form: ImportForm, batch: ImportBatch | None) -> HttpResponse:
    """The upload's answer: JSON for the progress-bar script, a page or a redirect for a plain form post."""
    xhr = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    if batch is not None:
        url = reverse("import", args=[batch.pk])
        return JsonResponse({"redirect": url}) if xhr else redirect(url)
    if xhr:
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    return render(request, "web/import_upload.html", {"form": form}, status=400)


@editor_required
def upload(request: HttpRequest) -> HttpResponse:
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    units = scope.units(request.user).filter(region=region)
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method != "POST":
        return render(request, "web/import_upload.html", {"form": form})
    batch = _preview(form, request, region) if form.is_valid() else None
    return _reply(request, form, batch)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    importer.expire()
    batch = scope.get_or_404(queries.imports(request.user), pk=pk)
    issues = batch.issues.all()
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "page": page,
        "summary": importer.summary(batch),
        "valid": max(batch.total_rows - batch.rejected, 0),
        "can_commit": request.user.can_edit and batch.state == ImportBatch.State.PREVIEW,
        # What followed the commit: enrolment under the agreements in force (decision 0020).
        "notes": importer.notes(batch, translation.get_language() or "id")
        if batch.state == ImportBatch.State.COMMITTED
        else [],
    }
    return render(request, "web/import_detail.html", context)


@require_POST
@editor_required
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = scope.get_or_404(queries.imports(request.user), pk=pk)
    if batch.state != ImportBatch.State.PREVIEW:
        messages.info(request, _("Impor ini sudah diproses."))
        return redirect("import", pk=batch.pk)
    batch = importer.commit(batch, user=request.user, channel="web")  # an expired preview stays expired
    if batch.state == ImportBatch.State.COMMITTED:
        messages.success(request, _("%(n)s baris sudah disimpan.") % {"n": batch.imported})
    else:
        messages.error(request, batch.text() or _("Impor gagal; tidak ada data yang disimpan."))
    return redirect("import", pk=batch.pk)


@login_required
def error_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows with a reason column, to fix and import again. Handing it out is an export."""
    batch = scope.get_or_404(queries.imports(request.user), pk=pk)
    path = Path(batch.error_file) if batch.error_file else None
    if path is None or not path.is_file():
        raise Http404
    services.record_export(request.user, "import.errors", batch.region_id, batch.rejected)
    return FileResponse(path.open("rb"), as_attachment=True, filename=importer.error_download_name(batch))


@login_required
def history(request: HttpRequest) -> HttpResponse:
    importer.expire()
    page = Paginator(queries.imports(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "web/import_history.html", {"page": page})
