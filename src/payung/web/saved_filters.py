"""Saved filters of the people list (/orang/): "Simpan filter ini" when a filter is applied, and deleting
one's own (an admin: any of the region's). Another region's filter is 404 (accounts.scope)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.registry import filters
from payung.registry.services import ValidationFailed


def link(saved) -> str:
    """The people list with the saved filter's criteria applied."""
    return reverse("people") + "?" + urlencode(saved.criteria)


def listed(user) -> list[dict]:
    """The region's saved filters for the people list: name, link, whether this user may delete it."""
    return [
        {"filter": f, "link": link(f), "deletable": filters.may_delete(user, f)}
        for f in filters.visible(user).order_by("name", "id")
    ]


@login_required
def filter_save(request: HttpRequest) -> HttpResponse:
    region = scope.tenant_of(request.user)
    if request.method != "POST" or region is None:
        raise Http404
    criteria = {key: request.POST.get(key, "") for key in filters.CRITERIA}
    try:
        saved = filters.save(request.user, region, request.POST.get("name", ""), criteria)
    except ValidationFailed as failed:
        for text in (m for found in failed.errors.values() for m in found):
            messages.error(request, text)
        return redirect(reverse("people") + "?" + urlencode({k: v for k, v in criteria.items() if v}))
    messages.success(request, _("Filter “%(name)s” disimpan.") % {"name": saved.name})
    return redirect(link(saved))


@login_required
def filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = scope.get_or_404(filters.visible(request.user), pk=pk)
    if request.method != "POST" or not filters.may_delete(request.user, saved):
        raise Http404
    filters.delete(request.user, saved)
    messages.success(request, _("Filter “%(name)s” dihapus.") % {"name": saved.name})
    return redirect("people")
