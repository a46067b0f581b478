"""Who lost BPU protection: ``bpu.lapse_months`` consecutive due months left unpaid (decision 0010's
allocation decides which lines a bill's payments cover), with the name, NIK and unit as last billed.

Set-based and in two statements (decision 0023): the first finds each lapsed person's runs of unpaid
months; the second, only for a named list, reads the lapsed people's last billed line with one window over
their lines. The allocation's running sum (in the bill's order, arrears.line_order) is read only for bills
it can change: a bill paid in full without refund lines is all covered and is not read at all; a bill with
nothing paid and no refund lines has every line above zero unpaid, so its lines are read without the sum
(contributions.settled knows both from the bills and their payments). Only partly paid bills and bills
with refunds pay for it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Sum, Window

from payung.contributions import settled
from payung.contributions.arrears import _as_date, line_order
from payung.contributions.models import Bill, BillLine
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook

LAPSE_KEY = "bpu.lapse_months"


@dataclass(frozen=True)
class LapsedPerson:
    person_id: int
    name: str
    nik: str
    unit_name: str
    since: dt.date  # the first month of the longest unpaid run
    until: dt.date  # its last month
    months: int


def lapse_months(book: RuleBook, agreement, on: dt.date) -> int | None:
    version = book.optional(LAPSE_KEY, on, agreement.region_id)
    return int(version.value) if version is not None else None


def lapsed(agreement, on: dt.date, *, book: RuleBook | None = None) -> list[LapsedPerson]:
    """For a BPU agreement: the people whose lines stayed unpaid (as of ``on``) for ``bpu.lapse_months``
    consecutive months whose bills were already due, sorted by name (casefolded) then NIK; each with the
    longest such run (the later one of two as long). Empty for a PU agreement."""
    runs = _runs(agreement, on, book)
    names = _last_billed(agreement, runs)
    found = [
        LapsedPerson(pk, *names[pk], since=_month(first), until=_month(last), months=count)
        for pk, (first, last, count) in runs.items()
    ]
    found.sort(key=lambda p: (p.name.casefold(), p.nik))
    return found


def lapsed_ids(agreement, on: dt.date, *, book: RuleBook | None = None) -> set[int]:
    """The people ``lapsed`` would list, without reading anyone's name (coverage monitoring, counts)."""
    return set(_runs(agreement, on, book))


def _runs(agreement, on: dt.date, book: RuleBook | None) -> dict[int, tuple[int, int, int]]:
    """person id -> (first month, last month, months) of the longest unpaid run long enough to lapse; of
    two as long, the later (month numbers: year * 12 + month)."""
    query = _runs_query(agreement, on, book)
    if query is None:
        return {}
    sql, params = query
    runs: dict[int, tuple[int, int, int]] = {}
    for person_id, first, last, count in _fetch(sql + _RUNS, params):
        first, last, count = int(first), int(last), int(count)
        best = runs.get(person_id)
        if best is None or (count, last) > (best[2], best[1]):
            runs[person_id] = (first, last, count)
    return runs


def _last_billed(agreement, runs: dict[int, tuple[int, int, int]]) -> dict[int, tuple[str, str, str]]:
    """person id -> (name, NIK, unit name) of the person's last line under the agreement (the latest month,
    then the latest line), for the people of ``runs``. Everyone of them has a line in their run's last
    month, so their last line is no earlier than the earliest such month: only lines from then on (and so
    only bills from then on) are read, and one window picks each person's latest instead of a look-up per
    person."""
    if not runs:
        return {}
    connection = connections[Bill.objects.db]
    since = connection.ops.adapt_datefield_value(_month(min(last for _, last, _ in runs.values())))
    ids = sorted(runs)
    if connection.vendor == "postgresql":
        people, people_params = "l.person_id = ANY(%s)", [ids]
    else:  # one parameter whatever the count (SQLite allows 32,766 at most)
        people, people_params = "l.person_id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]
    sql = f"""
        SELECT person_id, name, nik, unit_name FROM (
            SELECT l.person_id, l.name, l.nik, l.unit_name,
                   ROW_NUMBER() OVER (PARTITION BY l.person_id ORDER BY l.period DESC, l.id DESC) AS newest
            FROM {BillLine._meta.db_table} l
            WHERE l.bill_id IN (SELECT b.id FROM {Bill._meta.db_table} b WHERE b.agreement_id = %s
                                AND b.period >= %s)
              AND l.period >= %s AND {people}
        ) x WHERE newest = 1"""
    rows = _fetch(sql, [agreement.pk, since, since, *people_params])
    return {person_id: (name, nik, unit) for person_id, name, nik, unit in rows}


# ------------------------------------------------------------------------------------------ the SQL
_RUNS = " SELECT person_id, first_month, last_month, months FROM lapse"


def _runs_query(agreement, on: dt.date, book: RuleBook | None) -> tuple[str, list] | None:
    """The CTEs ending in ``lapse`` (person_id, first, last, months: every unpaid run long enough), or None
    when nobody can have lapsed: a PU agreement, no lapse rule, or no run of open bills long enough."""
    if agreement.category != "bpu":
        return None
    needed = lapse_months(book or rule_queries.book(), agreement, on)
    if not needed:
        return None
    # Only bills not wholly paid can hold an unpaid month, and only a run of ``needed`` consecutive such
    # months can lapse anyone: checked from the bills before any line is read.
    due = Bill.objects.filter(agreement_id=agreement.pk, due_date__lt=on).values_list("pk", "period")
    state = settled.states([pk for pk, _ in due], on)
    open_bills = {pk: state[pk] for pk, period in due if not state[pk].wholly}
    months = {period for pk, period in due if pk in open_bills}
    months = months.union(*(bill.adjusted for bill in open_bills.values()))
    if _longest_run(months) < needed:
        return None
    unpaid, params = _unpaid_sql(open_bills)
    adapt = connections[Bill.objects.db].ops.adapt_datefield_value
    ordered = sorted({_as_date(m) for m in months})
    case = " ".join("WHEN %s THEN %s" for _ in ordered)
    for month in ordered:
        params += [adapt(month), month.year * 12 + month.month]
    sql = f"""
        WITH unpaid AS ({unpaid}),
        indexed AS (
            SELECT DISTINCT person_id, CASE period {case} END AS month_index FROM unpaid
        ), runs AS (
            SELECT person_id, month_index,
                   month_index - ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY month_index) AS run
            FROM indexed
        ), lapse AS (
            SELECT person_id, MIN(month_index) AS first_month, MAX(month_index) AS last_month,
                   COUNT(*) AS months
            FROM runs GROUP BY person_id, run HAVING COUNT(*) >= %s
        )"""
    return sql, [*params, needed]


def _unpaid_sql(bills: dict[int, settled.BillState]) -> tuple[str, list]:
    """SQL for the (person_id, period) of every line above zero left unpaid on ``bills`` (open bills)."""
    parts, params = [], []
    nothing = sorted(pk for pk, state in bills.items() if state.nothing)
    if nothing:  # nothing paid and no refunds: every line above zero is unpaid, no running sum needed
        parts.append(
            f"SELECT l.person_id, l.period FROM {BillLine._meta.db_table} l WHERE l.bill_id IN "
            f"({_marks(nothing)}) AND l.total > 0 AND l.person_id IS NOT NULL"
        )
        params += nothing
    partly = sorted(pk for pk, state in bills.items() if not state.nothing)
    if partly:
        # The running sum over the bill's lines that name a person, as it always was; the bill's payments
        # are already known (settled.states), not summed again for each line.
        lines = BillLine.objects.filter(bill_id__in=partly, person__isnull=False).order_by()
        order = line_order(lines.db)
        running = lines.annotate(running=Window(Sum("total"), partition_by=[F("bill_id")], order_by=order))
        inner, inner_params = running.values(
            "bill_id", "person_id", "period", "total", "running"
        ).query.sql_with_params()
        paid = " ".join("WHEN %s THEN %s" for _ in partly)
        parts.append(
            f"SELECT a.person_id, a.period FROM ({inner}) a "
            f"WHERE a.total > 0 AND a.running > CASE a.bill_id {paid} END"
        )
        params += [*inner_params, *(v for pk in partly for v in (pk, bills[pk].paid))]
    return " UNION ALL ".join(parts), params


def _fetch(sql: str, params: list) -> list[tuple]:
    with connections[Bill.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _month(index: int) -> dt.date:
    year, month = divmod(index - 1, 12)
    return dt.date(year, month + 1, 1)


def _longest_run(months: set[dt.date]) -> int:
    """The most consecutive calendar months among ``months``."""
    indexes = sorted({_as_date(m).year * 12 + _as_date(m).month for m in months})
    best = run = 0
    for i, index in enumerate(indexes):
        run = run + 1 if i and index == indexes[i - 1] + 1 else 1
        best = max(best, run)
    return best
