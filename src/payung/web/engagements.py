"""Dated changes of one engagement from the person's page: a new wage (e.g. the UMK of 1 January) and a
transfer (mutasi) to another unit. Both go through coverage.enrolment, which splits the membership at the
date; overwriting the engagement's wage or unit would rewrite the months already billed.

An engagement outside the user's units, or of a person outside their scope, answers 404 like any record."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.coverage import enrolment
from payung.registry.models import Engagement
from payung.web import queries
from payung.web.forms import TransferForm, WageChangeForm
from payung.web.views import _person_form, editor_required


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    return scope.get_or_404(queries.changeable_engagements(request.user), pk=pk)


@editor_required
def wage_change(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = WageChangeForm(request.POST or None)

    def save() -> None:
        data = form.cleaned_data
        enrolment.change_wage(
            request.user, engagement, data["monthly_wage"], data["effective_date"], reason=data["reason"]
        )

    names = {"name": engagement.person.name, "unit": engagement.unit.name}
    title = _("Ubah upah %(name)s · %(unit)s") % names
    done = _("Upah baru sudah dicatat.")
    return _person_form(request, engagement.person, form, save, done, title)


@editor_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    person = engagement.person
    units = scope.units(request.user).filter(region=person.region_id).exclude(pk=engagement.unit_id)
    form = TransferForm(request.POST or None, units=units.order_by("name"))

    def save() -> None:
        data = form.cleaned_data
        unit, effective = data["unit"], data["effective_date"]
        enrolment.transfer(request.user, engagement, unit, effective, reason=data["reason"])

    title = _("Mutasi %(name)s dari %(unit)s") % {"name": person.name, "unit": engagement.unit.name}
    return _person_form(request, person, form, save, _("Mutasi sudah dicatat."), title)
