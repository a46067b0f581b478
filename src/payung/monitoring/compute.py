"""Coverage computed, never typed (decision 0022): for one kab/kota and one month, who of the registry is
protected, who is paid for, who is not and why; counts per group, unit, kecamatan, desa and program, and the
month's money. Set-based: a handful of queries over columns, one pass in Python over (person, unit) pairs.

A person of the registry in a month: an engagement that started by the month's end and is still active in
the registry or ended on or after the month's first day. Protected ("terlindungi"): a membership under an
agreement that overlaps the month, and not lapsed (BPU, ``bpu.lapse_months`` unpaid). Paid for: protected,
and every bill line of theirs for the month covered by the bill's payments as of ``as_of`` (the allocation
order of decision 0010). The reasons of the rest, the first that applies: no agreement in force for their
group/unit; never enrolled; membership ended; lapsed; and, protected but not paid for, unpaid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, Sum

from payung.claims.models import Claim
from payung.contributions import arrears, lapse
from payung.contributions.models import Bill, BillLine, Payment
from payung.coverage.models import Agreement, Membership
from payung.coverage.queries import month_end
from payung.registry.models import Engagement, Person, StatusChange
from payung.registry.models import Status as PersonStatus
from payung.rules import queries as rule_queries

TK_PROGRAMS = ("JKK", "JKM", "JHT", "JP")  # BPJS Ketenagakerjaan's four: "2 of 4", "4 of 4"
PROGRAMS = (*TK_PROGRAMS, "JKN")
NON_ASN = ("non_asn", "teacher")  # contract teachers are non-ASN too
VILLAGE_GROUPS = ("perangkat", "rt_rw")
REASON_ORDER = ("no_agreement", "never", "ended", "lapsed", "unpaid")


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(first: dt.date, months: int) -> dt.date:
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    return dt.date(year, month + 1, 1)


@dataclass
class Tally:
    """Counts of one breakdown row (or the whole region)."""

    people: int = 0
    covered: int = 0
    paid: int = 0
    reasons: Counter = field(default_factory=Counter)
    programs: Counter = field(default_factory=Counter)

    def add(self, covered: bool, paid: bool, reason: str, programs: frozenset[str]) -> None:
        self.people += 1
        self.covered += covered
        self.paid += paid
        if reason:
            self.reasons[reason] += 1
        for program in programs:
            self.programs[program] += 1
        tk = len(programs & set(TK_PROGRAMS))
        if tk:
            self.programs[f"tk{tk}"] += 1

    def as_dict(self) -> dict:
        return {
            "people": self.people,
            "covered": self.covered,
            "uncovered": self.people - self.covered,
            "paid": self.paid,
            "unpaid": self.covered - self.paid,
            "reasons": {r: self.reasons[r] for r in REASON_ORDER if self.reasons[r]},
            "programs": dict(sorted(self.programs.items())),
        }


@dataclass
class Result:
    figures: dict
    rows: list[dict]
    # (person_id, unit_id, group, village, covered, paid, reason, programs, name, position)
    entries: list[tuple]


def fingerprint(region_code: str) -> str:
    """What a summary was computed from: counts and latest ids of the rows it reads. A change in any of them
    (an import, a status change, an enrolment, a bill, a payment, a claim decision) makes it stale."""
    people = Person.objects.filter(region_id=region_code)
    parts = [
        people.aggregate(n=Count("id"), t=Max("updated_at")),
        Engagement.objects.filter(person__region_id=region_code).aggregate(n=Count("id"), m=Max("id")),
        StatusChange.objects.filter(person__region_id=region_code).aggregate(m=Max("id")),
        Membership.objects.filter(region_id=region_code).aggregate(n=Count("id"), m=Max("id")),
        Agreement.objects.filter(region_id=region_code).aggregate(m=Max("id"), v=Sum("version")),
        Bill.objects.filter(region_id=region_code).aggregate(m=Max("id")),
        Payment.objects.filter(bill__region_id=region_code).aggregate(m=Max("id")),
        Claim.objects.filter(region_id=region_code).aggregate(m=Max("id"), v=Sum("version")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def compute(region_code: str, period: dt.date, as_of: dt.date) -> Result:
    first = first_of(period)
    last = month_end(first)
    registry = _registry(region_code, first, last)
    agreements = list(
        Agreement.objects.filter(region_id=region_code, valid_from__lte=last, valid_to__gte=first)
        .prefetch_related("units")
        .order_by("valid_from", "id")
    )
    in_force = _coverers(agreements)
    programs_of = {a.pk: frozenset(a.programs) for a in agreements}
    active: dict[int, set[str]] = defaultdict(set)
    for person_id, agreement_id in (
        Membership.objects.filter(region_id=region_code, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .values_list("person_id", "agreement_id")
    ):
        active[person_id] |= programs_of.get(agreement_id, frozenset())
    ever = set(
        Membership.objects.filter(region_id=region_code, start__lte=last).values_list("person_id", flat=True)
    )
    lapsed: set[int] = set()
    for agreement in agreements:
        if agreement.category == "bpu" and _may_have_lapsed(agreement, min(as_of, last)):
            lapsed |= lapse.lapsed_ids(agreement, min(as_of, last))
    unpaid = _unpaid_people(region_code, first, as_of)

    total, rows, entries = Tally(), defaultdict(Tally), []
    seen: set[int] = set()
    for person_id, unit_id, unit_name, unit_kind, group, village, name, position in registry:
        programs = frozenset(active.get(person_id, ()))
        covered = bool(programs) and person_id not in lapsed
        paid = covered and person_id not in unpaid
        reason = _reason(person_id, covered, paid, programs, ever, lapsed, in_force, group, unit_id)
        entries.append(
            (
                person_id,
                unit_id,
                group,
                village or "",
                covered,
                paid,
                reason,
                ",".join(sorted(programs)),
                name,
                position or "",
            )
        )
        for key in (
            ("group", group, ""),
            ("unit", str(unit_id), unit_name),
            ("kind", unit_kind, ""),
            ("kecamatan", (village or "")[:6], ""),
            ("village", village or "", ""),
        ):
            rows[key].add(covered, paid, reason, programs)
        if person_id not in seen:
            seen.add(person_id)
            total.add(covered, paid, reason, programs)
    figures = {
        **total.as_dict(),
        "groups": _group_totals(entries),
        "money": money(region_code, first, as_of),
        "agreements": [_agreement_row(a) for a in agreements],
    }
    breakdown = [
        {"by": by, "key": key, "name": label, **tally.as_dict()} for (by, key, label), tally in rows.items()
    ]
    breakdown.sort(key=lambda r: (r["by"], -(r["people"] - r["covered"]), r["name"] or r["key"]))
    return Result(figures, breakdown, entries)


def _registry(region_code: str, first: dt.date, last: dt.date) -> list[tuple]:
    # Still active in the registry (a contract's end date passes unrecorded when it is renewed), or ended
    # on or after the month's first day.
    present = Q(status=PersonStatus.ACTIVE) | Q(end_date__gte=first)
    return list(
        Engagement.objects.filter(person__region_id=region_code)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=last))
        .filter(present)
        .order_by()
        .values_list(
            "person_id",
            "unit_id",
            "unit__name",
            "unit__kind",
            "group",
            "person__village_id",
            "person__name",
            "position",
        )
    )


def _coverers(agreements: list[Agreement]) -> list[tuple[frozenset[str], frozenset[int] | None]]:
    """(groups, units or None for every unit) of each agreement in force."""
    return [(frozenset(a.groups), frozenset(u.pk for u in a.units.all()) or None) for a in agreements]


def _reason(person_id, covered, paid, programs, ever, lapsed, in_force, group, unit_id) -> str:
    if covered:
        return "" if paid else "unpaid"
    if programs and person_id in lapsed:
        return "lapsed"
    if person_id in ever:
        return "ended"
    if any(group in groups and (units is None or unit_id in units) for groups, units in in_force):
        return "never"
    return "no_agreement"


def _may_have_lapsed(agreement: Agreement, on: dt.date) -> bool:
    """Whether enough of the agreement's bills due by ``on`` are still unpaid for anyone to have lapsed:
    a cheap test on the bills before the line-by-line search (lapse.lapsed_ids) is run."""
    needed = lapse.lapse_months(rule_queries.book(), agreement, on)
    if not needed:
        return False
    due = arrears.with_paid(Bill.objects.filter(agreement=agreement, due_date__lt=on), on)
    return due.filter(total__gt=F("paid_amount")).count() >= needed


def _unpaid_people(region_code: str, first: dt.date, as_of: dt.date) -> set[int]:
    """People with a bill line for the month not fully covered by its bill's payments (as of ``as_of``), and
    members of the month with no line on any of its bills (a month not yet billed has nobody paid for)."""
    bills = arrears.with_paid(Bill.objects.filter(region_id=region_code, period=first), as_of)
    unpaid: set[int] = set()
    billed: set[int] = set()
    for bill in bills:
        lines = BillLine.objects.filter(bill_id=bill.pk, period=first, person__isnull=False)
        people = lines.values_list("id", "person_id", "total")
        if bill.paid_amount >= bill.total:
            billed |= {p for _, p, _ in people}
            continue
        covered = arrears.allocation(bill, as_of) if bill.paid_amount > 0 else {}
        for line_id, person_id, amount in people:
            billed.add(person_id)
            if covered.get(line_id, 0) < amount:
                unpaid.add(person_id)
    members = set(
        Membership.objects.filter(region_id=region_code, start__lte=month_end(first))
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .values_list("person_id", flat=True)
    )
    return unpaid | (members - billed)


def _group_totals(entries: list[tuple]) -> dict[str, dict]:
    """Distinct people per group: known, protected, paid for."""
    seen: dict[str, dict[int, tuple[bool, bool]]] = defaultdict(dict)
    for person_id, _unit, group, _village, covered, paid, *_ in entries:
        was = seen[group].get(person_id, (False, False))
        seen[group][person_id] = (was[0] or covered, was[1] or paid)
    return {
        group: {
            "people": len(people),
            "covered": sum(c for c, _ in people.values()),
            "paid": sum(p for _, p in people.values()),
        }
        for group, people in sorted(seen.items())
    }


def _agreement_row(agreement: Agreement) -> dict:
    return {
        "number": agreement.number,
        "valid_from": agreement.valid_from.isoformat(),
        "valid_to": agreement.valid_to.isoformat(),
        "programs": list(agreement.programs),
        "groups": list(agreement.groups),
        "category": agreement.category,
    }


def money(region_code: str, first: dt.date, as_of: dt.date) -> dict[str, int]:
    """The month's bills (billed, paid as of ``as_of``), the year so far, everything still owed, the claims
    BPJS paid to heirs and victims in the month and the year, and a projection of the year's commitment:
    the year's bills so far plus this month's bills for each month the agreements still run this year."""
    bills = Bill.objects.filter(region_id=region_code)
    month = arrears.with_paid(bills.filter(period=first), as_of).aggregate(
        billed=Sum("total"), paid=Sum("paid_amount")
    )
    year = bills.filter(period__year=first.year, period__lte=first)
    year_paid = Payment.objects.filter(bill__in=year, paid_on__lte=as_of).aggregate(s=Sum("amount"))["s"] or 0
    year_billed = year.aggregate(s=Sum("total"))["s"] or 0
    owed = arrears.with_paid(bills.filter(period__lte=first), as_of).aggregate(
        billed=Sum("total"), paid=Sum("paid_amount")
    )
    outstanding = max((owed["billed"] or 0) - (owed["paid"] or 0), 0)
    remaining = _months_left(region_code, first)
    claims = Claim.objects.filter(region_id=region_code, state="paid", decided_on__year=first.year)
    return {
        "billed": month["billed"] or 0,
        "paid": month["paid"] or 0,
        "outstanding_month": max((month["billed"] or 0) - (month["paid"] or 0), 0),
        "year_billed": year_billed,
        "year_paid": year_paid,
        "outstanding": outstanding,
        "committed": year_billed + (month["billed"] or 0) * remaining,
        "claims_paid": _sum(claims.filter(decided_on__month=first.month)),
        "claims_paid_year": _sum(claims),
        "claims_paid_count_year": claims.count(),
    }


def _sum(claims) -> int:
    return claims.aggregate(s=Sum("paid_amount"))["s"] or 0


def _months_left(region_code: str, first: dt.date) -> int:
    """Months after ``first`` until December that an agreement of the region still covers."""
    last_day = Agreement.objects.filter(region_id=region_code, valid_to__gte=first).aggregate(
        m=Max("valid_to")
    )
    end = min(last_day["m"] or first, dt.date(first.year, 12, 31))
    return max((end.year * 12 + end.month) - (first.year * 12 + first.month), 0)
