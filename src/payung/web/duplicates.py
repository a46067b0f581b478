"""The duplicate review queue: open candidates, a side-by-side comparison, merge or dismiss with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from payung.accounts import scope
from payung.registry import duplicates, services
from payung.registry.models import DuplicateCandidate, Person
from payung.web import queries
from payung.web.forms import MergeForm, ReasonForm
from payung.web.templatetags.payung import status_label

# (label, how to read the value off a person) for the comparison table.
COMPARED = [
    (gettext_lazy("NIK"), lambda p: p.nik),
    (gettext_lazy("Nama"), lambda p: p.name),
    (gettext_lazy("Jenis kelamin"), lambda p: p.get_sex_display()),
    (gettext_lazy("Tempat lahir"), lambda p: p.birth_place),
    (gettext_lazy("Tanggal lahir"), lambda p: p.birth_date),
    (gettext_lazy("Alamat"), lambda p: p.address),
    (gettext_lazy("Desa/kelurahan"), lambda p: p.village.name if p.village else ""),
    (gettext_lazy("Nomor telepon"), lambda p: p.phone),
    (gettext_lazy("Nama ibu kandung"), lambda p: p.mother_maiden_name),
    (gettext_lazy("Nomor KPJ"), lambda p: p.kpj),
    (gettext_lazy("Status"), lambda p: status_label(p.status)),
    (gettext_lazy("Penugasan"), lambda p: "; ".join(_engagements(p))),
]


def _engagements(person: Person) -> list[str]:
    return [f"{e.unit.name} ({e.get_group_display()})" for e in person.engagements.select_related("unit")]


def reviewer_required(view):
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.can_review:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.open_duplicates(request.user), 50).get_page(request.GET.get("page"))
    can_search = request.user.can_review and scope.tenant_of(request.user) is not None
    return render(request, "web/duplicates.html", {"page": page, "can_search": can_search})


@require_POST
@reviewer_required
def search(request: HttpRequest) -> HttpResponse:
    region = scope.tenant_of(request.user)
    if region is None:
        raise Http404
    found = duplicates.find_candidates(region, user=request.user)
    messages.success(request, _("Pencarian selesai: %(n)s kemungkinan duplikat baru.") % {"n": found})
    return redirect("duplicates")


def _candidate(request: HttpRequest, pk: int) -> DuplicateCandidate:
    return scope.get_or_404(
        queries.open_duplicates(request.user).select_related("left__village", "right__village"), pk=pk
    )


def _rows(left: Person, right: Person) -> list[tuple[str, object, object, bool]]:
    rows = []
    for label, read in COMPARED:
        a, b = read(left), read(right)
        rows.append((label, a, b, a != b))
    return rows


def _detail(request, candidate, merge_form=None, dismiss_form=None, status=200) -> HttpResponse:
    for person in (candidate.left, candidate.right):
        services.record_view(request.user, person)  # both full records are on screen
    context = {
        "candidate": candidate,
        "rows": _rows(candidate.left, candidate.right),
        "evidence": duplicates.describe(candidate.evidence or {}),
        "merge_form": merge_form or MergeForm(candidate=candidate),
        "dismiss_form": dismiss_form or ReasonForm(),
    }
    return render(request, "web/duplicate_detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _candidate(request, pk))


def _decide(request: HttpRequest, pk: int, form_class, decide) -> HttpResponse:
    """Merge or dismiss: both need a reason; the service's refusals are shown on the comparison page."""
    candidate = _candidate(request, pk)
    form = form_class(request.POST, **({"candidate": candidate} if form_class is MergeForm else {}))
    if form.is_valid():
        try:
            message = decide(candidate, form.cleaned_data)
        except services.ValidationFailed as failed:
            form.show(failed.errors)
        else:
            messages.success(request, message)
            return redirect("duplicates")
    key = "merge_form" if form_class is MergeForm else "dismiss_form"
    return _detail(request, candidate, status=400, **{key: form})


@require_POST
@reviewer_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(candidate, data) -> str:
        keep = candidate.left if data["keep"] == "left" else candidate.right
        duplicates.merge(candidate, keep=keep, user=request.user, reason=data["reason"])
        return _("Kedua data sudah digabung ke %(name)s.") % {"name": keep.name}

    return _decide(request, pk, MergeForm, decide)


@require_POST
@reviewer_required
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(candidate, data) -> str:
        duplicates.dismiss(candidate, user=request.user, reason=data["reason"])
        return _("Ditandai bukan duplikat.")

    return _decide(request, pk, ReasonForm, decide)
