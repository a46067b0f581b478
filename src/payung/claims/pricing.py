"""What a claim is worth and whether its person was protected: the claim's computed fields, kept on it
so lists show them without recomputing (claims.benefits prices, claims.eligibility checks)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone, translation

from payung.claims import benefits, eligibility, heirs
from payung.claims.models import Claim, EventKind
from payung.rules import queries as rule_queries

# The calculator's refusal codes -> the claim field they concern.
FIELDS = {
    "basis": "basis",
    "member_since": "member_since",
    "children": "children",
    "disability": "disability_percent",
    "function": "function_percent",
    "stmb": "stmb_months",
    "transport": "transport",
    "cost": "transport_cost",
}


def priced(claim: Claim, errors: dict[str, list[str]]) -> None:
    """Price the claim (``reprice``) and put the calculator's refusal on the field it concerns."""
    try:
        reprice(claim)
    except benefits.BenefitError as refused:
        field = FIELDS.get(refused.code, "occurred_on")
        errors.setdefault(field, []).append(refused.text(translation.get_language() or "id"))


def children(claim: Claim, book) -> int:
    """Children who count for the scholarship: the recorded child heirs once there are any, else the
    number reported with the event."""
    recorded = [h for h in claim.heirs.all() if h.relation == "child"] if claim.pk else []
    if not recorded:
        return claim.children
    on = claim.event.occurred_on
    max_age = book.optional("benefit.scholarship.max_age", on)
    facts = [heirs.Facts(h.pk, h.relation, h.birth_date, h.married, h.working) for h in recorded]
    return len(
        heirs.scholarship_children(facts, on, int(max_age.value) if max_age else None, benefits.MAX_CHILDREN)
    )


def case(claim: Claim, book=None) -> benefits.Case:
    book = book or rule_queries.book()
    event = claim.event
    disability = None
    if claim.disability:
        disability = benefits.Disability(
            claim.disability == "total", claim.disability_percent or Decimal(0), claim.function_percent
        )
    kind = "death" if event.kind == EventKind.DEATH else ("disability" if disability else "accident")
    return benefits.Case(
        program=claim.program,
        event=kind,
        on=event.occurred_on,
        member_since=claim.member_since,
        basis=claim.basis,
        category=claim.category,
        work_related=claim.program == "JKK",
        children=children(claim, book),
        disability=disability,
        stmb_months=claim.stmb_months,
        transport=claim.transport,
        transport_cost=claim.transport_cost,
        home_care_cost=claim.home_care_cost,
    )


def reprice(claim: Claim) -> None:
    book = rule_queries.book()
    found = benefits.quote(book, case(claim, book))
    claim.quote, claim.computed_total = found.as_dict(), found.total


def recheck(claim: Claim) -> None:
    """Check again whether the person was protected on the day (payments move on); saves the claim's
    eligibility fields only, never its version: a check is not an edit."""
    result = eligibility.check(claim.person, claim.program, claim.event.occurred_on)
    claim.eligibility, claim.verdict, claim.checked_at = result.as_dict(), result.verdict, timezone.now()
    if claim.pk:
        Claim.objects.filter(pk=claim.pk).update(
            eligibility=claim.eligibility, verdict=claim.verdict, checked_at=claim.checked_at
        )


def membership_terms(claim: Claim) -> None:
    """Category and basis from the membership in force on the day (else the latest one before it)."""
    found = eligibility.periods(claim.person, claim.program)
    on = claim.event.occurred_on
    period = eligibility.in_force(found, on) or next((m for m in reversed(found) if m.start <= on), found[0])
    claim.category, claim.basis = period.agreement.category, period.basis
