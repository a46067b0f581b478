"""The duplicate review queue over the API. A pair is visible only when the caller may see both people."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from payung.accounts import scope
from payung.api.auth import require_reviewer
from payung.api.pagination import PageQuery, page_of
from payung.api.schemas import CandidateOut, CandidatePage, DismissIn, MergeIn, Problem
from payung.registry import duplicates
from payung.registry.models import DuplicateCandidate
from payung.registry.services import ValidationFailed

router = Router(tags=["duplicates"])
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


class CandidateFilter(PageQuery):
    state: str = DuplicateCandidate.State.OPEN


def _candidate(request, candidate_id: int) -> DuplicateCandidate:
    visible = scope.duplicate_candidates(request.auth).select_related("left", "right")
    return scope.get_or_404(visible, pk=candidate_id)


@router.get("/duplicates", response={200: CandidatePage, **ERRORS}, summary="Antrean kemungkinan duplikat")
def list_candidates(request, query: Query[CandidateFilter]):
    qs = scope.duplicate_candidates(request.auth).select_related("left", "right")
    return page_of(qs.filter(state=query.state).order_by("-score", "id"), query)


@router.post(
    "/duplicates/{candidate_id}/merge",
    response={200: CandidateOut, **ERRORS},
    summary="Gabungkan dua data menjadi satu (dengan alasan)",
)
def merge(request, candidate_id: int, payload: MergeIn):
    candidate = _candidate(request, candidate_id)
    require_reviewer(request.auth)
    sides = {p.pk: p for p in (candidate.left, candidate.right) if p is not None}
    if payload.keep not in sides:
        raise ValidationFailed({"keep": [_("Pilih salah satu dari kedua data yang dibandingkan.")]})
    duplicates.merge(
        candidate, keep=sides[payload.keep], user=request.auth, reason=payload.reason, channel="api"
    )
    return DuplicateCandidate.objects.select_related("left", "right").get(pk=candidate.pk)


@router.post(
    "/duplicates/{candidate_id}/dismiss",
    response={200: CandidateOut, **ERRORS},
    summary="Tandai bukan duplikat (dengan alasan)",
)
def dismiss(request, candidate_id: int, payload: DismissIn):
    candidate = _candidate(request, candidate_id)
    require_reviewer(request.auth)
    duplicates.dismiss(candidate, user=request.auth, reason=payload.reason, channel="api")
    return DuplicateCandidate.objects.select_related("left", "right").get(pk=candidate.pk)
