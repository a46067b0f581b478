"""After an import: enrolment without waiting for a button, and the people outside every agreement.

Decision 0020 (enrolment prompts): memberships are derived data (decision 0010), so deriving them is not a
decision anyone has to take. Once a roster import is committed (registry.signals.roster_committed), every
agreement of the region still in force (valid today or later) is enrolled again, which writes only the
difference (coverage.enrolment.sync), and the import's page says what changed per agreement, how many were
left out for want of a wage, and how many active people of the region no agreement covers, with a link to
them by name (``uncovered``). The bill and the BPJS registration file stay separate steps, taken by whoever
manages money.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from payung import formats
from payung.coverage import enrolment
from payung.coverage.models import Agreement, Membership
from payung.registry.models import Engagement, Person, Status
from payung.registry.signals import roster_committed


def in_force(region_code: str, today: dt.date) -> QuerySet[Agreement]:
    """The region's agreements valid today or later, oldest first."""
    agreements = Agreement.objects.filter(region_id=region_code, valid_to__gte=today)
    return agreements.order_by("valid_from", "number")


def uncovered(people: QuerySet[Person], today: dt.date) -> QuerySet[Person]:
    """Of ``people``: the active ones with an engagement whom no membership covers today. A contract that
    has ended counts too: the registry still says the person works (status active), so either the contract
    was renewed and not recorded, or the person left and that was not recorded; both need someone."""
    covered = Membership.objects.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
    return people.filter(status=Status.ACTIVE, pk__in=Engagement.objects.values("person_id")).exclude(
        pk__in=covered.values("person_id")
    )


@dataclass(frozen=True)
class Why:
    """Why a person is not covered: no agreement in force names their group (and unit), or one does and
    they are not enrolled under it (a PU engagement without a wage, an agreement not enrolled yet); and
    whether every contract of theirs has ended (``ended``: the last end)."""

    agreement: Agreement | None
    ended: dt.date | None


def why(people: list[Person], today: dt.date) -> dict[int, Why]:
    """person id -> Why, for a page of ``uncovered`` people (their engagements running today)."""
    regions = {p.region_id for p in people}
    agreements = [
        (a, {u.pk for u in a.units.all()})
        for a in Agreement.objects.filter(region_id__in=regions, valid_from__lte=today, valid_to__gte=today)
        .prefetch_related("units")
        .order_by("valid_from", "number")
    ]
    found = {}
    for person in people:
        match = None
        ends = [e.end_date for e in person.engagements.all()]
        ended = max(ends) if ends and all(d is not None and d < today for d in ends) else None
        for engagement in person.engagements.all():
            for agreement, units in agreements:
                if (
                    agreement.region_id == person.region_id
                    and engagement.group in agreement.groups
                    and (not units or engagement.unit_id in units)
                ):
                    match = match or agreement
        found[person.pk] = Why(match, ended)
    return found


@receiver(roster_committed, dispatch_uid="coverage.prompts.enrol_imported")
def enrol_imported(sender, batch, user=None, channel: str = "web", **kwargs) -> list[tuple[str, str]]:
    """Enrol again every agreement of the batch's region in force; the notes for the import's page."""
    today = timezone.localdate()
    notes = []
    for agreement in in_force(batch.region_id, today):
        counts = enrolment.sync(agreement, user=user, channel=channel)
        if counts["added"] or counts["removed"] or counts["without_wage"]:
            notes.append(_both(_enrolled, agreement, counts))
    left_out = uncovered(Person.objects.filter(region_id=batch.region_id), today).count()
    if left_out:
        notes.append(_both(_outside, left_out))
    return notes


def _both(text, *args) -> tuple[str, str]:
    found = []
    for lang in ("id", "en"):
        with translation.override(lang):
            found.append(text(*args))
    return found[0], found[1]


def _enrolled(agreement: Agreement, counts: dict) -> str:
    text = _(
        "Kepesertaan PKS %(number)s diperbarui otomatis: %(people)s orang dijamin (%(added)s masa baru, "
        "%(removed)s dihapus)."
    ) % {"number": agreement.number, **{k: _n(v) for k, v in counts.items()}}
    if counts["without_wage"]:
        text += " " + ngettext(
            "%(n)s orang belum dijamin karena upahnya belum tercatat.",
            "%(n)s orang belum dijamin karena upahnya belum tercatat.",
            counts["without_wage"],
        ) % {"n": _n(counts["without_wage"])}
    return text


def _outside(count: int) -> str:
    return ngettext(
        "%(n)s orang aktif di wilayah ini belum dijamin PKS mana pun.",
        "%(n)s orang aktif di wilayah ini belum dijamin PKS mana pun.",
        count,
    ) % {"n": _n(count)}


def _n(value: int) -> str:
    """A count in the language being told (2.345 / 2,345)."""
    return formats.format_number(value, translation.get_language())
