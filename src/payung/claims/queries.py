"""Reads of claims: which a user may see, the lists, and a claim file as its pages, API and letter show it.

Scoping (decision 0004): a claim belongs to its person. A user sees the claims of the people they may see:
their region's (a province monitor: every kab/kota below it) and, for an operator limited to some units,
only those of people engaged in their units. Anything else answers 404, as a missing claim would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from payung.accounts import scope
from payung.claims import checklist, deadlines, documents, eligibility, family, heirs, words
from payung.claims.models import Claim, ClaimState, EventKind
from payung.registry.nik import mask
from payung.rules import queries as rule_queries

VERDICT_BADGES = {"protected": "st-active", "at_risk": "st-warning", "not_protected": "st-error"}
STATE_BADGES = {"draft": "st-open", "complete": "st-preview", "submitted": "st-warning", "paid": "st-active",
                "refused": "st-error"}  # fmt: skip


def visible(user, queryset: QuerySet | None = None) -> QuerySet[Claim]:
    """The claims ``user`` may see."""
    claims = scope.scoped(user, queryset if queryset is not None else Claim.objects.all())
    if scope.restricted_unit_ids(user) is not None:
        claims = claims.filter(person__in=scope.people(user).values("pk"))
    return claims


def listing(user, *, state: str = "", since: dt.date | None = None, until: dt.date | None = None) -> QuerySet:
    """Claims in scope, newest event first; ``state`` and an event period narrow them."""
    return narrowed(visible(user, Claim.objects.all()), state=state, since=since, until=until)


def narrowed(
    claims: QuerySet, *, state: str = "", since: dt.date | None = None, until: dt.date | None = None
):
    claims = claims.select_related("event", "person", "region")
    if state in ClaimState.values:
        claims = claims.filter(state=state)
    if since:
        claims = claims.filter(event__occurred_on__gte=since)
    if until:
        claims = claims.filter(event__occurred_on__lte=until)
    return claims.order_by("-event__occurred_on", "-id")


def row(claim: Claim) -> dict[str, Any]:
    """A claim as lists show it (the API, the CLI): the NIK masked."""
    return {
        "id": claim.pk,
        "region": claim.region_id,
        "person_id": claim.person_id,
        "name": claim.person.name,
        "nik": mask(claim.person.nik),
        "event": claim.event.kind,
        "occurred_on": claim.event.occurred_on,
        "program": claim.program,
        "state": claim.state,
        "verdict": claim.verdict,
        "pemda_fault": bool(claim.eligibility.get("pemda_fault")),
        "computed_total": claim.computed_total,
        "scholarship_children": claim.quote.get("scholarship_children", 0),
        "paid_amount": claim.paid_amount,
        "difference": claim.difference,
    }


# ------------------------------------------------------------------------------------------ deadlines
def _count(book, key: str, on: dt.date) -> int | None:
    version = book.optional(key, on)
    return int(version.value) if version is not None else None


def claim_deadlines(claim: Claim, held: set[str] | None = None, book=None) -> list[deadlines.Deadline]:
    """Report stages I/II (JKK), the JKK claim's expiry, and BPJS's days to pay once submitted."""
    event, tz = claim.event, timezone.get_current_timezone()
    held = {d.code for d in claim.documents.all()} if held is None else held
    book = book or rule_queries.book()
    found = []
    submitted = claim.state not in checklist.OPEN
    if claim.program == "JKK":
        at = dt.datetime.combine(event.occurred_on, event.occurred_time or dt.time.min, tzinfo=tz)
        doctor = deadlines.start_of(event.doctor_statement_on, tz) if event.doctor_statement_on else None
        hours = _count(book, "claims.jkk.report_hours", event.occurred_on) or 48
        found += deadlines.reports(
            at, doctor, hours, "accident_report_1" in held, "accident_report_2" in held
        )
        years = _count(book, "claims.jkk.expiry_years", event.occurred_on)
        if years:
            found.append(deadlines.expiry(at, years, submitted))
    days = _count(book, f"claims.{claim.program.lower()}.payment_days", event.occurred_on)
    if claim.submitted_on and days:
        decided = claim.state in (ClaimState.PAID, ClaimState.REFUSED)
        found.append(deadlines.payment(claim.submitted_on, days, decided, tz))
    return found


def warnings(claim: Claim, now: dt.datetime | None = None, book=None) -> list[tuple[deadlines.Deadline, str]]:
    """The deadlines worth a warning now (soon or late), with their state."""
    now = now or timezone.now()
    return [(d, d.state(now)) for d in claim_deadlines(claim, book=book) if d.state(now) in ("soon", "late")]


# ------------------------------------------------------------------------------------------ the file
@dataclass
class HeirRow:
    heir: Any
    share: int | None
    entitled: bool
    scholarship: bool  # among the children who receive one
    problem: str | None  # why a child receives none: married, working, age
    remaining: dict[str, Any] | None = None


def lang() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def heir_rows(claim: Claim) -> list[HeirRow]:
    rows = list(claim.heirs.select_related("person").prefetch_related("scholarships"))
    facts = {h.pk: heirs.Facts(h.pk, h.relation, h.birth_date, h.married, h.working) for h in rows}
    shares = heirs.shares(claim.computed_total, list(facts.values()))
    on, limit = claim.event.occurred_on, (claim.quote.get("scholarship") or {}).get("children", 0)
    max_age = family.quote_max_age(claim)
    chosen = {f.key for f in heirs.scholarship_children(facts.values(), on, max_age, limit)}
    found = []
    for heir in sorted(rows, key=lambda h: heirs.ordered(list(facts.values())).index(facts[h.pk])):
        problem = heirs.child_problem(facts[heir.pk], on, max_age) if heir.relation == "child" else None
        remaining = family.remaining(claim, heir) if heir.pk in chosen else None
        found.append(
            HeirRow(heir, shares.get(heir.pk), heir.pk in shares, heir.pk in chosen, problem, remaining)
        )
    return found


def checklist_rows(claim: Claim) -> list[dict[str, Any]]:
    held = {d.code: d for d in claim.documents.all()}
    return [
        {"code": code, "label": documents.label(code, lang()), "received": code in held,
         "received_on": held[code].received_on if code in held else None,
         "note": held[code].note if code in held else ""}
        for code in checklist.needed_documents(claim)
    ]  # fmt: skip


def parts(claim: Claim) -> list[dict[str, Any]]:
    """The quote's parts labelled in the active language (the stored labels are the creator's)."""
    return [{**p, "label": words.label(p["code"], lang())} for p in claim.quote.get("parts", [])]


def findings(claim: Claim) -> list[dict[str, Any]]:
    return [{**f, "text": eligibility.text(f)} for f in claim.eligibility.get("findings", [])]


def claim_file(claim: Claim) -> dict[str, Any]:
    """Everything the claim page, the API and the letter show about one claim."""
    rows = checklist_rows(claim)
    now = timezone.now()
    return {
        "claim": claim,
        "event": claim.event,
        "death": claim.event.kind == EventKind.DEATH,
        "parts": parts(claim),
        "scholarship": claim.quote.get("scholarship", {}),
        "findings": findings(claim),
        "heirs": heir_rows(claim),
        "documents": rows,
        "missing": [r for r in rows if not r["received"]],
        "deadlines": [
            (d, d.state(now)) for d in claim_deadlines(claim, {r["code"] for r in rows if r["received"]})
        ],
        "scholarships": list(claim.scholarships.select_related("heir")),
        "open": claim.state in checklist.OPEN,
    }
