"""Monthly bills: one immutable snapshot per agreement (PKS) and month, computed set-based.

``generate`` computes the month's own lines inside the database: who is billed under the agreement's
mid-month rule is chosen into a temporary table (``chosen_members``), and one INSERT ... SELECT writes every
person x program line from it, the amounts by the same ``Formula`` a single quote uses rendered as SQL
(``formula_sql``, rounding by ``calculator.share``), from the rules in force on the 1st of the month.
Earlier months' corrections are computed in polars (``month_lines``, ``Formula.column``, the same rules)
and written like registry.bulk stages a roster: COPY on PostgreSQL, executemany on SQLite.
Decision: docs/decisions/0010.

Who is billed for a month (``chosen_members`` in SQL, ``month_lines`` in polars):
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

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from payung.audit.services import record
from payung.contributions import calculator
from payung.contributions.calculator import MAX_AMOUNT, PROGRAMS, Formula, QuoteError
from payung.contributions.models import Bill, BillLine, LineKind
from payung.coverage.models import Agreement, Membership, MidMonthRule
from payung.registry import bulk
from payung.registry.models import Person, Unit
from payung.rules import queries as rule_queries
from payung.rules.book import RuleBook, RuleMissing

SLICE_ROWS = 50_000  # lines per COPY/executemany round trip, as in registry.bulk
MEMBER_SCHEMA = {
    "membership_id": pl.Int64, "person_id": pl.Int64, "nik": pl.Utf8, "name": pl.Utf8, "unit_id": pl.Int64,
    "unit_name": pl.Utf8, "start": pl.Date, "end": pl.Date, "basis": pl.Int64,
}  # fmt: skip
LINE_SCHEMA = {
    "person_id": pl.Int64, "nik": pl.Utf8, "name": pl.Utf8, "unit_id": pl.Int64, "unit_name": pl.Utf8,
    "program": pl.Utf8, "period": pl.Date, "kind": pl.Utf8, "basis": pl.Int64, "employer": pl.Int64,
    "worker": pl.Int64, "total": pl.Int64,
}  # fmt: skip
LINE_COLUMNS = tuple(LINE_SCHEMA)
CHOSEN = "payung_billed_people"  # the temporary table of one month's billed people (chosen_members)
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
    """The region's agreements valid on any day of the month (coverage.queries.valid_in when present)."""
    try:
        from payung.coverage.queries import valid_in
    except ImportError:
        return Agreement.objects.filter(
            region_id=region_code, valid_from__lte=month_end(period), valid_to__gte=period
        ).order_by("valid_from", "number")
    return valid_in(region_code, period)


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
    earlier = dict(
        Bill.objects.filter(agreement=agreement, period__lt=period).values_list("period", "mid_month_rule")
    )
    formulas = month_formulas(book, agreement, period)
    versions = {v.id: v for f in formulas for v in f.versions}
    with chosen_members(agreement, period, agreement.mid_month_rule) as chosen:
        people, employer, worker = _regular_totals(chosen, agreement, formulas)
        adjusted = _adjustments(agreement, period, earlier, book, versions)
        if not people and adjusted.is_empty():
            raise BillingError("nobody", number=agreement.number, period=period)
        sums = adjusted.select(pl.col("employer", "worker", "total").sum()).row(0)
        totals = {
            "people": people,
            "line_count": people * len(formulas) + adjusted.height,
            "employer": employer + int(sums[0] or 0),
            "worker": worker + int(sums[1] or 0),
            "adjustments": int(sums[2] or 0),
            "total": employer + worker + int(sums[2] or 0),
        }
        bill = _create(user, agreement, period, book, versions, totals)
        insert_regular(bill.pk, chosen, period, formulas, people)
    write_lines(bill.pk, adjusted)
    summary = dict(totals, period=period.isoformat(), agreement=agreement.number)
    record(
        user, "bill.generate", bill, after=summary | {"due_date": bill.due_date.isoformat()}, channel=channel
    )
    return bill


def _adjustments(agreement, period: dt.date, earlier: dict, book: RuleBook, versions: dict) -> pl.DataFrame:
    """ADJUSTMENT lines for every earlier month already billed: that month as it should be today (the
    polars path) minus everything billed for it so far."""
    if not earlier:
        return pl.DataFrame(schema=LINE_SCHEMA)
    members = read_members(agreement, min(earlier), month_end(max(earlier)))
    members = _with_basis(members, agreement)
    should = []
    for month, rule in sorted(earlier.items()):
        lines, used = _month(members, agreement, month, rule, book)
        versions.update(used)
        should.append(lines)
    return differences(pl.concat(should), read_billed(agreement, period))


def _month(members: pl.DataFrame, agreement: Agreement, month: dt.date, rule: str, book: RuleBook):
    """One month's lines as they should be today, and the rule versions they used."""
    formulas = month_formulas(book, agreement, month)
    lines = month_lines(members, month, rule, formulas)
    _check_basis(lines, agreement)
    return lines, {v.id: v for f in formulas for v in f.versions}


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


def _with_basis(members: pl.DataFrame, agreement: Agreement) -> pl.DataFrame:
    if agreement.category != "bpu" or not agreement.declared_income:
        return members
    income = pl.lit(agreement.declared_income, pl.Int64)
    return members.with_columns(
        basis=pl.when(pl.col("basis").fill_null(0) > 0).then(pl.col("basis")).otherwise(income)
    )


def _check_basis(lines: pl.DataFrame, agreement: Agreement) -> None:
    wrong = lines.filter((pl.col("wage") <= 0) | (pl.col("wage") >= MAX_AMOUNT) | pl.col("wage").is_null())
    if wrong.height:
        niks = wrong.get_column("nik").unique().sort()
        raise BillingError("basis", count=niks.len(), number=agreement.number, nik=niks[0])


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
def chosen_members(agreement: Agreement, month: dt.date, rule: str):
    """Who is billed for ``month`` under the mid-month ``rule``, and from which period (the rules of
    ``month_lines``), staged in the temporary table CHOSEN (person_id, unit_id, wage). Dropped after use;
    on an error the transaction's rollback takes it."""
    membership, end = Membership._meta.db_table, _quoted("end")
    first, last = _day(month), _day(month_end(month))
    wage = "m.basis"
    if agreement.category == "bpu" and agreement.declared_income:  # as _with_basis
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
    with connection.cursor() as cursor:
        bulk.roomy_cache(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {CHOSEN}")
        cursor.execute(f"CREATE TEMPORARY TABLE {CHOSEN} AS {select}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {CHOSEN}")
    yield CHOSEN
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {CHOSEN}")


def _regular_totals(chosen: str, agreement: Agreement, formulas: list[Formula]) -> tuple[int, int, int]:
    """People billed, employer and worker totals of the month's own lines; refused (BillingError) when a
    billed period has no valid wage."""
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
        parts = [formula_sql(f, "wage") for f in formulas]
        employer = " + ".join(p["employer"] for p in parts)
        worker = " + ".join(p["worker"] for p in parts)
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM({employer}), 0), COALESCE(SUM({worker}), 0) FROM {chosen}"
        )
        return tuple(int(v) for v in cursor.fetchone())


def insert_regular(bill_id: int, chosen: str, month: dt.date, formulas: list[Formula], people: int) -> None:
    """The month's own lines, one per person and program, with one INSERT ... SELECT from ``chosen``."""
    line, person, unit = BillLine._meta.db_table, Person._meta.db_table, Unit._meta.db_table
    parts = [formula_sql(f, "c.wage") for f in formulas]

    def by_program(key: str) -> str:
        cases = " ".join(f"WHEN {i} THEN {p[key]}" for i, p in enumerate(parts))
        return f"CASE f.column1 {cases} END"

    programs = ", ".join(f"({i}, %s)" for i in range(len(formulas)))
    employer, worker = by_program("employer"), by_program("worker")
    statement = (
        f"INSERT INTO {line} ({', '.join(['bill_id', *LINE_COLUMNS])}) "
        f"SELECT {int(bill_id)}, c.person_id, p.nik, p.name, c.unit_id, u.name, f.column2, {_day(month)}, "
        f"'{LineKind.REGULAR.value}', {by_program('basis')}, {employer}, {worker}, {employer} + {worker} "
        f"FROM {chosen} c JOIN {person} p ON p.id = c.person_id JOIN {unit} u ON u.id = c.unit_id "
        f"CROSS JOIN (VALUES {programs}) AS f"
    )
    with connection.cursor() as cursor, _references_locked(cursor, chosen, people):
        cursor.execute(statement, [f.program for f in formulas])
        if cursor.rowcount != people * len(formulas):  # a person or unit deleted meanwhile
            raise IntegrityError(f"{line}: a billed person or unit no longer exists")


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


# ------------------------------------------------------------------------------------------ frames (pure)
def month_lines(members: pl.DataFrame, month: dt.date, rule: str, formulas: list[Formula]) -> pl.DataFrame:
    """Every person x program line of ``month`` from membership periods (MEMBER_SCHEMA): who is billed
    under the mid-month ``rule``, which period counts, and the amounts by the formulas' column path.
    ``wage`` is the period's own basis before any floor or cap (``basis`` is what the rate applied to)."""
    first, last = month, month_end(month)
    open_end = pl.col("end").is_null() | (pl.col("end") >= first)
    on_first = (pl.col("start") <= first) & open_end
    covered = on_first if rule == MidMonthRule.FIRST_DAY else (pl.col("start") <= last) & open_end
    chosen = (
        members.lazy()
        .filter(covered)
        .sort(
            [on_first, "start", "basis", "membership_id"],
            descending=[True, False, True, False],
            maintain_order=False,
        )
        .unique("person_id", keep="first")
        .select("person_id", "nik", "name", "unit_id", "unit_name", pl.col("basis").alias("wage"))
    )
    parts = []
    for found in formulas:
        columns = found.column(pl.col("wage"))
        parts.append(
            chosen.with_columns(
                program=pl.lit(found.program),
                period=pl.lit(month, pl.Date),
                basis=columns["basis"].cast(pl.Int64),
                employer=columns["employer"].cast(pl.Int64),
                worker=columns["worker"].cast(pl.Int64),
            )
        )
    lines = pl.concat(parts) if parts else chosen.clear()
    return lines.with_columns(total=pl.col("employer") + pl.col("worker")).collect()


def differences(should: pl.DataFrame, billed: pl.DataFrame) -> pl.DataFrame:
    """ADJUSTMENT lines: per person x program x month, what ``should`` be billed minus what was."""
    key = ["person_id", "nik", "program", "period"]
    joined = should.join(billed, on=key, how="full", coalesce=True, suffix="_billed", nulls_equal=True)
    zero = pl.lit(0, pl.Int64)
    employer = pl.col("employer").fill_null(zero) - pl.col("employer_billed").fill_null(zero)
    worker = pl.col("worker").fill_null(zero) - pl.col("worker_billed").fill_null(zero)
    return (
        joined.with_columns(
            employer=employer,
            worker=worker,
            total=employer + worker,
            basis=pl.col("basis").fill_null(zero),
            name=pl.coalesce("name", "name_billed"),
            unit_id=pl.coalesce("unit_id", "unit_id_billed"),
            unit_name=pl.coalesce("unit_name", "unit_name_billed"),
            kind=pl.lit(LineKind.ADJUSTMENT.value),
        )
        .filter((pl.col("employer") != 0) | (pl.col("worker") != 0))
        .select(LINE_COLUMNS)
    )


# ------------------------------------------------------------------------------------------ reading
def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def read_members(agreement: Agreement, since: dt.date, until: dt.date) -> pl.DataFrame:
    """The agreement's membership periods overlapping since..until, with NIK, name and unit: one query."""
    membership, person, unit = Membership._meta.db_table, Person._meta.db_table, Unit._meta.db_table
    end = _quoted("end")
    query = (
        f"SELECT m.id, m.person_id, p.nik, p.name, m.unit_id, u.name, CAST(m.start AS TEXT), "
        f"CAST(m.{end} AS TEXT), m.basis FROM {membership} m JOIN {person} p ON p.id = m.person_id "
        f"JOIN {unit} u ON u.id = m.unit_id "
        f"WHERE m.agreement_id = %s AND m.start <= %s AND (m.{end} IS NULL OR m.{end} >= %s)"
    )
    text = {**MEMBER_SCHEMA, "start": pl.Utf8, "end": pl.Utf8}
    frame = _select(query, [agreement.pk, until, since], text)
    return frame.with_columns(pl.col("start", "end").str.to_date("%Y-%m-%d"))


def read_billed(agreement: Agreement, before: dt.date) -> pl.DataFrame:
    """Everything billed so far per person x program x month of the agreement's bills before ``before``
    (regular lines and earlier adjustments together)."""
    line, bill = BillLine._meta.db_table, Bill._meta.db_table
    query = (
        f"SELECT l.person_id, l.nik, l.program, CAST(l.period AS TEXT), MAX(l.name), MAX(l.unit_id), "
        f"MAX(l.unit_name), SUM(l.employer), SUM(l.worker) FROM {line} l JOIN {bill} b ON b.id = l.bill_id "
        f"WHERE b.agreement_id = %s AND b.period < %s GROUP BY l.person_id, l.nik, l.program, l.period"
    )
    schema = {"person_id": pl.Int64, "nik": pl.Utf8, "program": pl.Utf8, "period": pl.Utf8,
              "name_billed": pl.Utf8, "unit_id_billed": pl.Int64, "unit_name_billed": pl.Utf8,
              "employer_billed": pl.Int64, "worker_billed": pl.Int64}  # fmt: skip
    frame = _select(query, [agreement.pk, before], schema)
    return frame.with_columns(pl.col("period").str.to_date("%Y-%m-%d"))


def _select(query: str, params: list, schema: dict) -> pl.DataFrame:
    """Run ``query`` into a frame: on PostgreSQL through COPY (text, parsed by polars), else the cursor."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = bytearray()
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", params) as copy:
                for chunk in copy:
                    buffer += chunk
            if not buffer:
                return pl.DataFrame(schema=schema)
            return pl.read_csv(bytes(buffer), has_header=False, schema=schema)
        cursor.execute(query, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


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


def write_lines(bill_id: int, lines: pl.DataFrame) -> None:
    """Insert lines computed in polars (the adjustments): COPY on PostgreSQL, executemany on SQLite. They
    go in person order, which keeps the person index's inserts local (ids only break ties: the bill's own
    order is by columns)."""
    if lines.is_empty():
        return
    table = BillLine._meta.db_table
    frame = lines.sort("person_id", "period", "program", nulls_last=True).select(
        pl.lit(bill_id, pl.Int64).alias("bill_id"), *LINE_COLUMNS
    )
    columns = ", ".join(frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
            with _set_based_references(cursor, frame), cursor.cursor.copy(statement) as copy:
                for part in frame.iter_slices(SLICE_ROWS):
                    copy.write(part.write_csv(include_header=False))
            return
        text = frame.with_columns(pl.col("period").cast(pl.Utf8))
        marks = ", ".join(["%s"] * text.width)
        for part in text.iter_slices(SLICE_ROWS):
            rows = zip(*(column.to_list() for column in part.iter_columns()), strict=True)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


@contextmanager
def _set_based_references(cursor, frame: pl.DataFrame):
    """PostgreSQL checks a bill line's three foreign keys one row at a time at commit: about two thirds of
    a million-person bill's time. Where the role may (decision 0008, registry.bulk), the referenced people
    and units are checked and locked FOR KEY SHARE once per set instead (nobody can delete them until
    commit), the bill row is this transaction's own, and the per-row triggers are skipped for the COPY."""
    if not bulk.may_skip_row_triggers(cursor):  # the import's own test of the privilege
        yield
        return
    for model, column in ((Person, "person_id"), (Unit, "unit_id")):
        wanted = frame.get_column(column).drop_nulls().unique().to_list()
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {model._meta.db_table} WHERE id = ANY(%s) FOR KEY SHARE) l",
            [wanted],
        )
        if cursor.fetchone()[0] != len(wanted):
            raise IntegrityError(f"{model._meta.db_table}: a referenced row no longer exists")
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # on an error the transaction rolls back, and SET LOCAL with it
    cursor.execute("SET LOCAL session_replication_role = origin")
