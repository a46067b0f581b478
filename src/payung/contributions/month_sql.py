"""A month's bill in SQL: who is billed (``chosen_members``), the lines written from them with one
INSERT ... SELECT, the amounts by the calculator's formulas rendered as SQL (``formula_sql``), and the
corrections of earlier months staged for the next bill (``stage_adjustments``). contributions.billing
decides what to bill and calls these; the rules of who is billed are in its module doc (decision 0010).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import IntegrityError, connection

from payung.contributions import calculator
from payung.contributions.calculator import MAX_AMOUNT, Formula
from payung.contributions.models import Bill, BillLine, LineKind
from payung.contributions.refusals import BillingError
from payung.coverage.models import Agreement, Membership, MidMonthRule
from payung.coverage.queries import month_end
from payung.registry import bulk
from payung.registry.models import Person, Unit

CHOSEN = "payung_billed_people"  # the temporary table of one month's billed people (chosen_members)
EARLIER = "payung_rebilled_people"  # the same for an earlier month recomputed (stage_adjustments)
ADJUSTED = "payung_bill_adjustments"  # the staged adjustment lines (stage_adjustments)


# ------------------------------------------------------------------------------------------ the month
# The month's own lines never leave the database: who is billed is chosen into a temporary table of three
# integers a person, and the lines are written from it with one INSERT ... SELECT that joins the NIK, name
# and unit name and computes the amounts with calculator.share (formula_sql). A million people's lines are
# thus never bound, copied or parsed one value at a time (docs/benchmarks.md, issue 3).
class _Sql(str):
    """An integer SQL expression that ``calculator.share`` can compute with (``*``, ``+``, ``//``), so the
    bill's SQL rounds exactly where and how a quote does. The operands are never negative (wages above 0,
    rates and flat amounts of at least 0), so SQL's truncating integer division is ``//``."""

    def __mul__(self, other):
        return _Sql(f"({self} * {int(other)})")

    def __add__(self, other):
        return _Sql(f"({self} + {int(other)})")

    def __floordiv__(self, other):
        return _Sql(f"({self} / {int(other)})")


def formula_sql(found: Formula, wage: str) -> dict[str, str]:
    """``Formula.apply`` over the integer column ``wage``: the basis (floor, then cap), then each billed
    payer's term; the property test keeps it equal to a single quote."""
    greatest, least = ("GREATEST", "LEAST") if connection.vendor == "postgresql" else ("MAX", "MIN")
    basis = _Sql(wage)
    if found.floor is not None:
        basis = _Sql(f"{greatest}({basis}, {int(found.floor)})")
    if found.cap is not None:
        basis = _Sql(f"{least}({basis}, {int(found.cap)})")
    parts = {"basis": basis}
    for payer in ("employer", "worker"):
        term = found.terms.get(payer)
        if term is None:
            parts[payer] = "0"
            continue
        value = calculator.share(basis, term.percent) + term.flat
        parts[payer] = f"{greatest}({value}, {int(term.minimum)})" if term.minimum else value
    return parts


def _day(day: dt.date) -> str:
    """A date literal (from a date object, never from text)."""
    return f"DATE '{day.isoformat()}'" if connection.vendor == "postgresql" else f"'{day.isoformat()}'"


@contextmanager
def chosen_members(agreement: Agreement, month: dt.date, rule: str, table: str = CHOSEN):
    """Who is billed for ``month`` under the mid-month ``rule``, and from which period (the rules in the
    module doc), staged in the temporary ``table`` (person_id, unit_id, wage). Dropped after use; on an
    error the transaction's rollback takes it."""
    membership, end = Membership._meta.db_table, _quoted("end")
    first, last = _day(month), _day(month_end(month))
    wage = "m.basis"
    if agreement.category == "bpu" and agreement.declared_income:  # a BPU period without its own income
        wage = f"CASE WHEN COALESCE(m.basis, 0) > 0 THEN m.basis ELSE {int(agreement.declared_income)} END"
    on_first = f"m.start <= {first} AND (m.{end} IS NULL OR m.{end} >= {first})"
    covered = (
        on_first
        if rule == MidMonthRule.FIRST_DAY
        else f"m.start <= {last} AND (m.{end} IS NULL OR m.{end} >= {first})"
    )
    order = f"CASE WHEN {on_first} THEN 0 ELSE 1 END, m.start, {wage} DESC, m.id"
    where = f"m.agreement_id = {int(agreement.pk)} AND {covered}"
    if connection.vendor == "postgresql":
        select = (f"SELECT DISTINCT ON (m.person_id) m.person_id, m.unit_id, {wage} AS wage "
                  f"FROM {membership} m WHERE {where} ORDER BY m.person_id, {order}")  # fmt: skip
    else:  # in person order (the window's), which keeps the person index's inserts local
        select = (f"SELECT person_id, unit_id, wage FROM (SELECT m.person_id, m.unit_id, {wage} AS wage, "
                  f"ROW_NUMBER() OVER (PARTITION BY m.person_id ORDER BY {order}) AS rank "
                  f"FROM {membership} m WHERE {where}) WHERE rank = 1")  # fmt: skip
    with _temporary(table, f"AS {select}"):
        yield table


@contextmanager
def _temporary(table: str, definition: str):
    """A temporary table (``AS SELECT ...`` or a column list), dropped after use (on an error the
    transaction's rollback takes it)."""
    with connection.cursor() as cursor:
        bulk.roomy_cache(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} {definition}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    yield table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")


def check_wages(chosen: str, agreement: Agreement) -> None:
    """Refused (BillingError) when a billed period has no valid wage."""
    bad = f"wage IS NULL OR wage <= 0 OR wage >= {MAX_AMOUNT}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {chosen} WHERE {bad}")
        wrong = cursor.fetchone()[0]
        if wrong:
            person = Person._meta.db_table
            cursor.execute(
                f"SELECT MIN(p.nik) FROM {chosen} c JOIN {person} p ON p.id = c.person_id WHERE {bad}"
            )
            raise BillingError("basis", count=wrong, number=agreement.number, nik=cursor.fetchone()[0])


def sums(table: str, employer: str = "employer", worker: str = "worker") -> tuple[int, int, int]:
    """Rows of ``table``, and the sums of its ``employer`` and ``worker`` expressions."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM({employer}), 0), COALESCE(SUM({worker}), 0) FROM {table}"
        )
        return tuple(int(v) for v in cursor.fetchone())


def month_sums(chosen: str, formulas: list[Formula]) -> tuple[int, int, int]:
    """People billed, employer and worker totals of the month's own lines."""
    parts = [formula_sql(f, "wage") for f in formulas]
    return sums(chosen, " + ".join(p["employer"] for p in parts), " + ".join(p["worker"] for p in parts))


def _lines_from(chosen: str, formulas: list[Formula], *, names: bool = True) -> tuple[str, list[str]]:
    """A SELECT of every person x program line of ``chosen`` (SIDE's columns: amounts by formula_sql, NIK,
    name and unit name joined; without the two names when not ``names``), and its parameters (the program
    names)."""
    person, unit = Person._meta.db_table, Unit._meta.db_table
    parts = [formula_sql(f, "c.wage") for f in formulas]

    def by_program(key: str) -> str:
        return f"CASE f.column1 {' '.join(f'WHEN {i} THEN {p[key]}' for i, p in enumerate(parts))} END"

    programs = ", ".join(f"({i}, %s)" for i in range(len(formulas)))
    name, unit_name, unit_join = ("p.name, ", "u.name AS unit_name, ", f"JOIN {unit} u ON u.id = c.unit_id ")
    if not names:
        name = unit_name = unit_join = ""
    select = (
        f"SELECT c.person_id, p.nik, {name}c.unit_id, {unit_name}f.column2 AS program, "
        f"{by_program('basis')} AS basis, {by_program('employer')} AS employer, "
        f"{by_program('worker')} AS worker FROM {chosen} c JOIN {person} p ON p.id = c.person_id "
        f"{unit_join}CROSS JOIN (VALUES {programs}) AS f"
    )
    return select, [f.program for f in formulas]


def insert_regular(bill_id: int, chosen: str, month: dt.date, formulas: list[Formula], people: int) -> None:
    """The month's own lines, one per person and program, with one INSERT ... SELECT from ``chosen``."""
    select, params = _lines_from(chosen, formulas)
    statement = _insert_lines(bill_id, f"SELECT l.*, {_day(month)} AS period FROM ({select}) l", "regular")
    with connection.cursor() as cursor, references_locked(cursor, chosen, people):
        cursor.execute(statement, params)
        if cursor.rowcount != people * len(formulas):  # a person or unit deleted meanwhile
            raise IntegrityError("a billed person or unit no longer exists")


SIDE = "person_id, nik, name, unit_id, unit_name, program, basis, employer, worker"  # of _lines_from


def _insert_lines(bill_id: int, select: str, kind: str) -> str:
    """INSERT ... SELECT of bill lines from ``select``, which gives SIDE's columns and the period."""
    line = BillLine._meta.db_table
    return (
        f"INSERT INTO {line} (bill_id, {SIDE}, period, kind, total) SELECT {int(bill_id)}, {SIDE}, period, "
        f"'{LineKind(kind).value}', employer + worker FROM ({select}) s"
    )


# ------------------------------------------------------------------------------------------ adjustments
@contextmanager
def stage_adjustments(agreement: Agreement, period: dt.date, earlier: list[tuple[Bill, list[Formula]]]):
    """The ADJUSTMENT lines the bill of ``period`` carries, staged in the temporary table ADJUSTED (SIDE's
    columns and the period): every earlier month billed under the agreement (each bill with its month's
    formulas today) computed again from today's memberships and rules, with the mid-month rule its bill
    used (``chosen_members`` and ``_lines_from``, as the month's own lines), minus everything billed for it
    so far (the regular lines of its own bill and the adjustments of later bills), per person x NIK x
    program; only what differs."""
    with _temporary(ADJUSTED, ADJUSTED_COLUMNS):
        for bill, formulas in earlier:
            with chosen_members(agreement, bill.period, bill.mid_month_rule, EARLIER) as chosen:
                check_wages(chosen, agreement)
                select, params = _lines_from(chosen, formulas, names=False)
                with connection.cursor() as cursor:
                    cursor.execute(_differences(select, agreement, bill, period), params)
        yield ADJUSTED


ADJUSTED_COLUMNS = (
    "(person_id bigint, nik varchar(16), name varchar(150), unit_id bigint, unit_name varchar(200), "
    "program varchar(20), basis bigint, employer bigint, worker bigint, period date)"
)


def _differences(select: str, agreement: Agreement, bill: Bill, period: dt.date) -> str:
    """INSERT into ADJUSTED of what ``select`` (the bill's month as it should be, without names) differs
    from what was billed for that month before ``period``. The comparison groups narrow rows (numbers, NIK
    and program; the names would double what is sorted); the few differences then take their names and
    unit as they should be (person, unit), else from the latest line billed (``line_id``)."""
    line, bills, person, unit = (m._meta.db_table for m in (BillLine, Bill, Person, Unit))
    month = _day(bill.period)
    narrow = "person_id, nik, unit_id, program, basis, employer, worker"
    billed = "1, l.id, l.person_id, l.nik, l.unit_id, l.program, 0, -l.employer, -l.worker"
    compared = (
        f"SELECT person_id, nik, program, MAX(CASE WHEN side = 0 THEN unit_id END) AS unit_now, "
        f"MAX(line_id) AS line_id, SUM(basis) AS basis, SUM(employer) AS employer, SUM(worker) AS worker "
        f"FROM (SELECT 0 AS side, CAST(NULL AS bigint) AS line_id, {narrow} FROM ({select}) s "
        f"UNION ALL SELECT {billed} FROM {line} l WHERE l.bill_id = {int(bill.pk)} AND l.kind = 'regular' "
        f"UNION ALL SELECT {billed} FROM {line} l JOIN {bills} b ON b.id = l.bill_id "
        f"WHERE l.kind = 'adjustment' AND l.period = {month} AND b.agreement_id = {int(agreement.pk)} "
        f"AND b.period < {_day(period)}) u "
        f"GROUP BY person_id, nik, program HAVING SUM(employer) <> 0 OR SUM(worker) <> 0"
    )
    return (
        f"INSERT INTO {ADJUSTED} ({SIDE}, period) SELECT d.person_id, d.nik, COALESCE(p.name, l.name), "
        f"COALESCE(d.unit_now, l.unit_id), COALESCE(u.name, l.unit_name), d.program, d.basis, d.employer, "
        f"d.worker, {month} FROM ({compared}) d "
        f"LEFT JOIN {person} p ON p.id = d.person_id AND d.unit_now IS NOT NULL "
        f"LEFT JOIN {unit} u ON u.id = d.unit_now LEFT JOIN {line} l ON l.id = d.line_id"
    )


def insert_adjustments(bill_id: int, adjusted: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_insert_lines(bill_id, f"SELECT {SIDE}, period FROM {adjusted}", "adjustment"))


@contextmanager
def references_locked(cursor, chosen: str, people: int):
    """PostgreSQL checks a bill line's three foreign keys one row at a time at commit: about two thirds of
    a million-person bill's time. Where the role may (decision 0008, registry.bulk), the billed people and
    their units are checked and locked FOR KEY SHARE once per set instead, by a join with ``chosen`` (nobody
    can delete them until commit), the bill row is this transaction's own, and the per-row triggers are
    skipped for the insert."""
    if not bulk.may_skip_row_triggers(cursor):
        yield
        return
    person, unit = Person._meta.db_table, Unit._meta.db_table
    cursor.execute(f"SELECT COUNT(DISTINCT unit_id) FROM {chosen}")
    units = cursor.fetchone()[0]
    for wanted, lock in (
        (people, f"SELECT 1 FROM {person} p JOIN {chosen} c ON c.person_id = p.id FOR KEY SHARE OF p"),
        (units, f"SELECT 1 FROM {unit} u WHERE u.id IN (SELECT unit_id FROM {chosen}) FOR KEY SHARE"),
    ):
        cursor.execute(f"SELECT COUNT(*) FROM ({lock}) l")
        if cursor.fetchone()[0] != wanted:
            raise IntegrityError("a billed person or unit no longer exists")
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # on an error the transaction rolls back, and SET LOCAL with it
    cursor.execute("SET LOCAL session_replication_role = origin")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)
