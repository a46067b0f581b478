"""Monthly bills: one immutable snapshot per agreement (PKS) and month, computed set-based.

``generate`` computes the month's own lines inside the database: who is billed under the agreement's
mid-month rule is chosen into a temporary table (``chosen_members``), and one INSERT ... SELECT writes every
person x program line from it, the amounts by the same ``Formula`` a single quote uses rendered as SQL
(``formula_sql``, rounding by ``calculator.share``), from the rules in force on the 1st of the month.
Earlier months' corrections are computed the same way, in the database too (``stage_adjustments``).
Decision: docs/decisions/0010.

Who is billed for a month (``chosen_members``):
- ``any_day``: everyone with a period overlapping the month; ``first_day``: a period covering its 1st.
- One line per person and program. When a person has several periods in the month (a wage change or a
  transfer splits a period), the period in force on the 1st wins, else the earliest one; so a wage rise
  takes effect from the next full month, like the rules themselves.
- A period's basis is the wage (PU) or declared income (BPU); a BPU period without one takes the
  agreement's declared income.

Adjustments: for every earlier month already billed under the agreement, the month is computed again
from today's memberships and rules (with the mid-month rule that bill used), compared per person x program
with everything billed for it so far (its own bill and earlier corrections), and each difference becomes
an ADJUSTMENT line dated with the corrected month. Nothing already billed is ever changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from payung.audit.services import record
from payung.contributions import calculator
from payung.contributions.calculator import MAX_AMOUNT, PROGRAMS, Formula, QuoteError
from payung.contributions.models import Bill, BillLine, LineKind
from payung.coverage import queries as coverage_queries
from payung.coverage.models import Agreement, Membership, MidMonthRule
from payung.registry import bulk
from payung.registry.models import Person, Unit
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook, RuleMissing

CHOSEN = "payung_billed_people"  # the temporary table of one month's billed people (chosen_members)
EARLIER = "payung_rebilled_people"  # the same for an earlier month recomputed (stage_adjustments)
ADJUSTED = "payung_bill_adjustments"  # the staged adjustment lines (stage_adjustments)
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip

MESSAGES = {
    "period": ("Periode harus ditulis YYYY-MM, mis. 2023-05.",
               "The period must be written YYYY-MM, e.g. 2023-05."),
    "future": ("Tagihan %(period)s belum bisa dibuat: paling jauh untuk bulan depan (%(latest)s).",
               "The %(period)s bill cannot be generated yet: next month (%(latest)s) at the latest."),
    "no_agreement": ("Tidak ada PKS %(region)s yang berlaku pada %(period)s; tagihan hanya dibuat untuk "
                     "bulan dalam masa berlaku PKS.",
                     "No agreement (PKS) of %(region)s is valid in %(period)s; bills are generated only "
                     "for months within an agreement."),
    "outside": ("PKS %(number)s berlaku %(valid_from)s s.d. %(valid_to)s; %(period)s di luar masa "
                "berlakunya.",
                "Agreement %(number)s is valid %(valid_from)s to %(valid_to)s; %(period)s is outside it."),
    "exists": ("Tagihan PKS %(number)s untuk %(period)s sudah dibuat (tagihan #%(bill)s) dan tidak dibuat "
               "dua kali. Perubahan sesudahnya masuk sebagai koreksi pada tagihan bulan berikutnya.",
               "The %(period)s bill of agreement %(number)s already exists (bill #%(bill)s) and is never "
               "generated twice. Later changes appear as adjustments on the next month's bill."),
    "no_members": ("PKS %(number)s belum punya peserta: daftarkan peserta (kepesertaan) dulu, lalu buat "
                   "tagihan.",
                   "Agreement %(number)s has no members yet: enrol people first, then generate the bill."),
    "nobody": ("Tidak ada peserta PKS %(number)s yang terlindungi pada %(period)s dan tidak ada koreksi.",
               "No member of agreement %(number)s is covered in %(period)s and there is nothing to adjust."),
    "no_programs": ("PKS %(number)s tidak mencantumkan program yang ditagih.",
                    "Agreement %(number)s names no billable program."),
    "basis": ("%(count)s peserta PKS %(number)s tidak punya upah/penghasilan yang sah (mis. NIK %(nik)s): "
              "lengkapi upahnya dulu.",
              "%(count)s members of agreement %(number)s have no valid wage/income (e.g. NIK %(nik)s): "
              "complete their wages first."),
}  # fmt: skip


class BillingError(ValueError):
    """A refused bill: a code, its parameters, the message in Indonesian or English. Nothing was written."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code, params)
        self.code, self.params = code, params

    def text(self, lang: str = "id") -> str:
        english = lang.startswith("en")
        params = {k: month_label(v, lang) if isinstance(v, dt.date) and k == "period" else v
                  for k, v in self.params.items()}  # fmt: skip
        if self.code == "future":
            params["latest"] = month_label(self.params["latest"], lang)
        if self.code in MESSAGES:
            return MESSAGES[self.code][english] % params
        # The calculator's own refusals (a rule missing on that date, a missing JKK class, ...).
        return QuoteError(self.code, **self.params).text(lang)


def month_label(day: dt.date, lang: str = "id") -> str:
    """'Mei 2023' / 'May 2023'."""
    return f"{MONTHS['en' if lang.startswith('en') else 'id'][day.month - 1]} {day.year}"


def parse_period(text: str) -> dt.date:
    """'2023-05' (or '2023-5', '05/2023') -> the first day of that month."""
    text = str(text).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if match is None:
        raise BillingError("period")
    year, month = (int(g) for g in (match.groups() if "-" in text else reversed(match.groups())))
    if not 1 <= month <= 12 or year < 1900:
        raise BillingError("period")
    return dt.date(year, month, 1)


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def due_date(book: RuleBook, category: str, period: dt.date, region: str = "") -> dt.date:
    """PU: ``pu.due_day`` of the following month; BPU: ``bpu.due_day`` of the month paid for (the day
    clipped to the month's length)."""
    try:
        day = int(book.at(f"{category}.due_day", period, region).value)
    except RuleMissing as missing:
        raise _rule_missing(missing, period) from None
    month = next_month(period) if category == "pu" else period
    return month.replace(day=min(day, month_end(month).day))


def _rule_missing(missing: RuleMissing, on: dt.date) -> BillingError:
    first = missing.first and missing.first.isoformat()
    return BillingError("rule_missing", key=missing.key, on=on.isoformat(), first=first)


# ------------------------------------------------------------------------------------------ agreements
def valid_agreements(region_code: str, period: dt.date):
    """The region's agreements valid on any day of the month, oldest first."""
    return coverage_queries.valid_in(region_code, period).order_by("valid_from", "number")


def bills_reached(version) -> tuple[int, dt.date | None]:
    """Bills already issued that a new rule ``version`` (rules.models.RuleVersion) would have priced: the
    bills of its category and region whose month's formulas (month_formulas, the bill's own choice of
    rules) now use it. How many, and the first month. They stay as they are; the next bill of each such
    agreement carries the difference as adjustments (decision 0010), so the operator is told."""
    book = rule_queries.book()
    first = version.effective_from
    first = first if first.day == 1 else next_month(first.replace(day=1))
    bills = Bill.objects.filter(period__gte=first, agreement__category=version.parameter.category)
    if version.region_code:
        bills = bills.filter(region_id=version.region_code)
    reached = [
        bill.period
        for bill in bills.select_related("agreement").only("period", "agreement")
        if version.pk in _version_ids(book, bill.agreement, bill.period)
    ]
    return len(reached), min(reached, default=None)


def _version_ids(book: RuleBook, agreement: Agreement, month: dt.date) -> set[int]:
    try:
        return {v.id for f in month_formulas(book, agreement, month) for v in f.versions}
    except BillingError:  # no billable rule that month: nothing it could have priced
        return set()


def reached_note(version) -> str | None:
    """What to tell whoever adds a rule version that reaches bills already issued (bills_reached)."""
    count, first = bills_reached(version)
    if not count:
        return None
    text = ngettext(
        "Perhatian: %(count)s tagihan yang sudah dibuat (mulai %(first)s) termasuk masa berlaku versi ini. "
        "Tagihan itu tidak diubah; tagihan berikutnya dari PKS yang sama membawa selisihnya sebagai koreksi.",
        "Perhatian: %(count)s tagihan yang sudah dibuat (mulai %(first)s) termasuk masa berlaku versi ini. "
        "Tagihan itu tidak diubah; tagihan berikutnya dari PKS yang sama membawa selisihnya sebagai koreksi.",
        count,
    )  # Indonesian counts without a plural; English needs one
    return text % {"count": count, "first": month_label(first, translation.get_language() or "id")}


def _agreements(region, period: dt.date, agreement: Agreement | None) -> list[Agreement]:
    valid = list(valid_agreements(region.code, period))
    if agreement is None:
        if not valid:
            raise BillingError("no_agreement", region=region.name, period=period)
        return valid
    if agreement.region_id != region.code or agreement.pk not in {a.pk for a in valid}:
        raise BillingError(
            "outside",
            number=agreement.number,
            valid_from=agreement.valid_from.isoformat(),
            valid_to=agreement.valid_to.isoformat(),
            period=period,
        )
    return [agreement]


def _check_period(period: dt.date) -> dt.date:
    period = period.replace(day=1)
    latest = next_month(timezone.localdate().replace(day=1))
    if period > latest:
        raise BillingError("future", period=period, latest=latest)
    return period


# ------------------------------------------------------------------------------------------ generation
def generate(
    user, region, period: dt.date, *, agreement: Agreement | None = None, channel: str = "web"
) -> list[Bill]:
    """The bills of ``region`` for the month of ``period``: one per agreement valid in it (or only
    ``agreement``). All or nothing: any refusal (BillingError) leaves the database as it was."""
    period = _check_period(period)
    agreements = _agreements(region, period, agreement)
    billed = dict(Bill.objects.filter(agreement__in=agreements, period=period).values_list("agreement", "pk"))
    todo = [a for a in agreements if a.pk not in billed]
    if not todo:  # asked again for a month already billed: say which bill holds it
        first = agreements[0]
        raise BillingError("exists", number=first.number, period=period, bill=billed[first.pk])
    book = rule_queries.book()
    with transaction.atomic():
        return [_generate_one(user, a, period, book, channel) for a in todo]


def _generate_one(user, agreement: Agreement, period: dt.date, book: RuleBook, channel: str) -> Bill:
    if not Membership.objects.filter(agreement=agreement).exists():
        raise BillingError("no_members", number=agreement.number)
    earlier = list(
        Bill.objects.filter(agreement=agreement, period__lt=period)
        .only("period", "mid_month_rule")
        .order_by("period")
    )
    formulas = month_formulas(book, agreement, period)
    versions = {v.id: v for f in formulas for v in f.versions}
    with chosen_members(agreement, period, agreement.mid_month_rule) as chosen:
        _check_wages(chosen, agreement)
        people, employer, worker = _month_sums(chosen, formulas)
        with stage_adjustments(agreement, period, earlier, book, versions) as adjusted:
            count, more_employer, more_worker = _sums(adjusted)
            if not people and not count:
                raise BillingError("nobody", number=agreement.number, period=period)
            totals = {
                "people": people,
                "line_count": people * len(formulas) + count,
                "employer": employer + more_employer,
                "worker": worker + more_worker,
                "adjustments": more_employer + more_worker,
                "total": employer + worker + more_employer + more_worker,
            }
            bill = _create(user, agreement, period, book, versions, totals)
            insert_regular(bill.pk, chosen, period, formulas, people)
            insert_adjustments(bill.pk, adjusted)
    summary = dict(totals, period=period.isoformat(), agreement=agreement.number)
    record(
        user, "bill.generate", bill, after=summary | {"due_date": bill.due_date.isoformat()}, channel=channel
    )
    return bill


def month_formulas(book: RuleBook, agreement: Agreement, month: dt.date) -> list[Formula]:
    """The agreement's billable programs' formulas on the 1st of ``month`` (JKP, paid by the central
    government, is never billed)."""
    category = agreement.category
    known = PROGRAMS.get(category, ())
    programs = sorted(
        {p.upper() for p in agreement.programs},
        key=lambda p: (p not in known, known.index(p) if p in known else 0, p),
    )
    formulas = []
    for program in programs:
        try:
            found = calculator.formula(
                book, category, program, month, agreement.jkk_class, agreement.region_id
            )
        except QuoteError as error:
            raise BillingError(error.code, **error.params) from None
        if {"employer", "worker"} & set(found.terms):
            formulas.append(found)
    if not formulas:
        raise BillingError("no_programs", number=agreement.number)
    return formulas


# ------------------------------------------------------------------------------------------ the month in SQL
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


def _check_wages(chosen: str, agreement: Agreement) -> None:
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


def _sums(table: str, employer: str = "employer", worker: str = "worker") -> tuple[int, int, int]:
    """Rows of ``table``, and the sums of its ``employer`` and ``worker`` expressions."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM({employer}), 0), COALESCE(SUM({worker}), 0) FROM {table}"
        )
        return tuple(int(v) for v in cursor.fetchone())


def _month_sums(chosen: str, formulas: list[Formula]) -> tuple[int, int, int]:
    """People billed, employer and worker totals of the month's own lines."""
    parts = [formula_sql(f, "wage") for f in formulas]
    return _sums(chosen, " + ".join(p["employer"] for p in parts), " + ".join(p["worker"] for p in parts))


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
    with connection.cursor() as cursor, _references_locked(cursor, chosen, people):
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
def stage_adjustments(
    agreement: Agreement, period: dt.date, earlier: list[Bill], book: RuleBook, versions: dict
):
    """The ADJUSTMENT lines the bill of ``period`` carries, staged in the temporary table ADJUSTED (SIDE's
    columns and the period): every earlier month billed under the agreement computed again from today's
    memberships and rules, with the mid-month rule its bill used (``chosen_members`` and ``_lines_from``,
    as the month's own lines), minus everything billed for it so far (the regular lines of its own bill
    and the adjustments of later bills), per person x NIK x program; only what differs. The rule versions
    used go into ``versions``."""
    with _temporary(ADJUSTED, ADJUSTED_COLUMNS):
        for bill in earlier:
            formulas = month_formulas(book, agreement, bill.period)
            versions.update({v.id: v for f in formulas for v in f.versions})
            with chosen_members(agreement, bill.period, bill.mid_month_rule, EARLIER) as chosen:
                _check_wages(chosen, agreement)
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
def _references_locked(cursor, chosen: str, people: int):
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


# ------------------------------------------------------------------------------------------ writing
def _create(
    user, agreement: Agreement, period: dt.date, book: RuleBook, versions: dict, totals: dict
) -> Bill:
    """The bill's row, with its totals already known (a bill is never changed once written)."""
    due = due_date(book, agreement.category, period, agreement.region_id)
    due_version = book.at(f"{agreement.category}.due_day", period, agreement.region_id)
    versions[due_version.id] = due_version
    try:
        with transaction.atomic():
            return Bill.objects.create(
                region_id=agreement.region_id,
                agreement=agreement,
                period=period,
                due_date=due,
                generated_by=user if getattr(user, "pk", None) else None,
                mid_month_rule=agreement.mid_month_rule,
                rules=[v.as_dict() for v in sorted(versions.values(), key=_version_order)],
                **totals,
            )
    except IntegrityError:  # the same bill generated a moment ago by someone else
        existing = Bill.objects.get(agreement=agreement, period=period)
        raise BillingError("exists", number=agreement.number, period=period, bill=existing.pk) from None


def _version_order(version) -> tuple:
    return (version.key, version.region_code, version.effective_from)
