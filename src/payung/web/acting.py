"""Where a user's writes go, and the buttons that depend on it (decision 0018).

A kab/kota user writes into their own region. A national admin (a superuser without a region) reads every
region and, to import, add a person, record a PKS, generate bills, reconcile or search duplicates, first
chooses the kab/kota to work in: the choice lives in the web session (``ActingRegionMiddleware`` puts it on
the user as ``acting_region``, which ``accounts.scope.tenant_of`` reads) and a bar under the header says
where writes go. Everyone else (a province monitor, a user without a region) never writes into a region.

Templates get ``tenant`` (``scope.tenant_of``, the same function the views ask) so that a button is shown
exactly when its page will answer: no button leads to a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from payung.accounts import scope
from payung.regions.models import Region

SESSION_KEY = "payung_wilayah_kerja"


def may_choose(user) -> bool:
    """A national admin: may write, reads every region, has none of their own."""
    return bool(user.is_authenticated and user.is_superuser and not user.region_id and user.can_edit)


def choices():
    """The kab/kota that have a unit or a user: where there is something to work on."""
    from payung.accounts.models import User
    from payung.registry.models import Unit

    codes = set(Unit.objects.values_list("region_id", flat=True).distinct())
    codes |= set(User.objects.filter(region__level=Region.Level.REGENCY).values_list("region_id", flat=True))
    return Region.objects.filter(code__in=codes, level=Region.Level.REGENCY).select_related("parent")


def _regency(code: str | None) -> Region | None:
    return Region.objects.filter(code=code, level=Region.Level.REGENCY).first() if code else None


class ActingRegionMiddleware:
    """Puts a national admin's chosen kab/kota on ``request.user.acting_region`` (None when not chosen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and may_choose(user):
            user.acting_region = _regency(request.session.get(SESSION_KEY))
        return self.get_response(request)


def context(request: HttpRequest) -> dict:
    """Template context: ``tenant`` (where this user's writes go, or None) and, for a national admin, the
    regions to choose from."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    found = {"tenant": scope.tenant_of(user)}
    if may_choose(user):
        found["acting_choices"] = choices
    return found


@require_POST
@login_required
def choose(request: HttpRequest) -> HttpResponse:
    """POST wilayah=<kab/kota code> (or empty to stop) from the bar under the header."""
    if not may_choose(request.user):
        raise Http404
    region = _regency(request.POST.get("wilayah"))
    if region is None:
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Tidak ada wilayah kerja: Anda hanya membaca."))
    else:
        request.session[SESSION_KEY] = region.code
        messages.success(request, _("Wilayah kerja: %(region)s.") % {"region": region.name})
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return redirect(target if safe and target else "home")
