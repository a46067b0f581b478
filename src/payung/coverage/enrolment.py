"""Enrolment: membership periods derived from the registry, set-based, and the dated changes that move them.

``periods`` is pure (polars frames in, a frame out); ``sync`` reads an agreement's engagements, wage changes
and status changes in three queries, derives the periods and writes only the difference, so running it
again changes nothing and a million engagements cost seconds, not a million ORM saves. Decision 0010:

- who: engagements of the agreement's groups (and units, when it names any) of people of its region;
- from the later of the contract start (none: the agreement's start) and ``valid_from``;
- to the earliest of the contract end, ``valid_to``, the day of death (covered that day) and the day
  before an *ended* status takes effect. An ended status dated before the contract start belongs to an
  earlier stint and is ignored (a return is recorded as a new start date); a death never is;
- a wage change splits the period at its date; the basis is the wage in force (PU), or for BPU the
  engagement's wage else the agreement's declared income. A PU stretch without any known wage is not
  covered (there is nothing to bill on) and is counted as ``without_wage``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.audit.services import record, stored_user
from payung.coverage.models import Agreement, Membership
from payung.registry.models import Engagement, Person, Status, StatusChange, Unit, WageChange
from payung.registry.services import MAX_WAGE, ValidationFailed

ENGAGEMENTS = {
    "engagement_id": pl.Int64,
    "person_id": pl.Int64,
    "unit_id": pl.Int64,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "monthly_wage": pl.Int64,
}
WAGES = {"engagement_id": pl.Int64, "effective_date": pl.Date, "monthly_wage": pl.Int64}
STATUSES = {"person_id": pl.Int64, "engagement_id": pl.Int64, "status": pl.Utf8, "effective_date": pl.Date}
PERIODS = {
    "engagement_id": pl.Int64,
    "person_id": pl.Int64,
    "unit_id": pl.Int64,
    "start": pl.Date,
    "end": pl.Date,
    "basis": pl.Int64,
    "end_reason": pl.Utf8,
}
OPENING = dt.date(1900, 1, 1)  # the opening wage of an engagement without a start date
FUTURE_LIMIT = dt.timedelta(days=366)
SLICE_ROWS = 50_000
_ONE_DAY = pl.duration(days=1)


# --------------------------------------------------------------------------------------------- pure
def periods(
    engagements: pl.DataFrame,
    wages: pl.DataFrame,
    statuses: pl.DataFrame,
    *,
    valid_from: dt.date,
    valid_to: dt.date,
    fallback: int | None = None,
) -> pl.DataFrame:
    """Membership periods (PERIODS columns) of ``engagements`` (ENGAGEMENTS columns) under an agreement
    valid ``valid_from``..``valid_to``; ``fallback`` is the basis where no wage is known (BPU's declared
    income). ``wages`` and ``statuses`` may hold rows of other engagements: they are ignored."""
    spans = _spans(engagements, statuses, valid_from, valid_to)
    if spans.is_empty():
        return pl.DataFrame(schema=PERIODS)
    breaks = (
        wages.join(spans.select("engagement_id", "start", "end"), on="engagement_id")
        .filter((pl.col("effective_date") > pl.col("start")) & (pl.col("effective_date") <= pl.col("end")))
        .select("engagement_id", pl.col("effective_date").alias("from"))
    )
    pieces = (
        pl.concat([spans.select("engagement_id", pl.col("start").alias("from")), breaks])
        .unique()
        .sort("engagement_id", "from")
    )
    in_force = wages.select("engagement_id", "effective_date", pl.col("monthly_wage").alias("wage"))
    pieces = pieces.join_asof(
        in_force.sort("engagement_id", "effective_date"),
        left_on="from",
        right_on="effective_date",
        by="engagement_id",
        strategy="backward",
        check_sortedness=False,
    ).join(spans, on="engagement_id")
    # Neighbours compared by shifting one sorted frame: a window per engagement (.over) costs ~20x more.
    pieces = pieces.sort("engagement_id", "from")
    same_engagement = pl.col("engagement_id").shift(-1) == pl.col("engagement_id")
    following = pl.when(same_engagement).then(pl.col("from").shift(-1))
    pieces = pieces.with_columns(
        basis=pl.coalesce("wage", "monthly_wage", pl.lit(fallback, pl.Int64)),
        to=pl.coalesce(following - _ONE_DAY, "end"),
        reason=pl.when(same_engagement).then(pl.lit("wage_change")).otherwise("end_reason"),
    )
    # Neighbouring pieces at the same basis are one period (a wage change to the same wage splits nothing).
    new_engagement = (pl.col("engagement_id").shift(1) != pl.col("engagement_id")).fill_null(True)
    changed = new_engagement | pl.col("basis").ne_missing(pl.col("basis").shift(1))
    merged = (
        pieces.with_columns(run=changed.cum_sum())
        .group_by("run", maintain_order=True)
        .agg(
            pl.col("engagement_id", "person_id", "unit_id", "basis").first(),
            pl.col("from").first().alias("start"),
            pl.col("to").last().alias("end"),
            pl.col("reason").last().alias("end_reason"),
        )
    )
    return merged.filter(pl.col("basis").is_not_null()).select(
        [pl.col(c).cast(t) for c, t in PERIODS.items()]
    )


def _spans(engagements: pl.DataFrame, statuses: pl.DataFrame, valid_from: dt.date, valid_to: dt.date):
    """Per engagement: its covered start and end under the agreement and why it ends."""
    first = pl.coalesce("start_date", pl.lit(valid_from))
    spans = engagements.with_columns(start=pl.max_horizontal(first, pl.lit(valid_from)))
    person_wide = statuses.filter(pl.col("engagement_id").is_null()).drop("engagement_id")
    applying = pl.concat(
        [
            spans.select("engagement_id", "person_id", "start_date").join(person_wide, on="person_id"),
            spans.select("engagement_id", "person_id", "start_date").join(
                statuses.filter(pl.col("engagement_id").is_not_null()), on=["engagement_id", "person_id"]
            ),
        ],
        how="diagonal_relaxed",
    )
    ends = applying.group_by("engagement_id").agg(
        death=pl.col("effective_date").filter(pl.col("status") == Status.DECEASED).min(),
        ended=(
            pl.col("effective_date").filter(
                (pl.col("status") == Status.ENDED)
                & (pl.col("start_date").is_null() | (pl.col("effective_date") >= pl.col("start_date")))
            )
            - _ONE_DAY
        ).min(),
    )
    contract = pl.col("end_date")
    end = pl.min_horizontal(contract, pl.lit(valid_to), "death", "ended")
    reason = (
        pl.when(pl.col("death") == end)
        .then(pl.lit("deceased"))
        .when(pl.col("ended") == end)
        .then(pl.lit("ended"))
        .when(contract == end)
        .then(pl.lit("contract_end"))
        .otherwise(pl.lit("agreement_end"))
    )
    return (
        spans.join(ends, on="engagement_id", how="left")
        .with_columns(end=end)
        .with_columns(end_reason=reason)
        .filter(pl.col("start") <= pl.col("end"))
        .select("engagement_id", "person_id", "unit_id", "monthly_wage", "start", "end", "end_reason")
    )


# --------------------------------------------------------------------------------------------- sync
def sync(
    agreement: Agreement,
    *,
    user=None,
    channel: str = "web",
    engagement_ids: list[int] | None = None,
) -> dict[str, int]:
    """Derive the agreement's memberships again (only of ``engagement_ids`` when given) and write the
    difference. Returns counts: engagements considered, people and periods covered, periods added and
    removed, and engagements left out for want of a wage."""
    with transaction.atomic():
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()  # one sync at a time
        engagements, wages, statuses = _read(agreement, engagement_ids)
        fallback = agreement.declared_income if agreement.category == "bpu" else None
        derived = periods(
            engagements,
            wages,
            statuses,
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
            fallback=fallback,
        )
        added, removed = _write(agreement, derived, engagement_ids)
        spans = _spans(engagements, statuses, agreement.valid_from, agreement.valid_to)
        without_wage = spans.join(derived, on="engagement_id", how="anti").height
        counts = {
            "engagements": engagements.height,
            "people": derived["person_id"].n_unique(),
            "periods": derived.height,
            "added": added,
            "removed": removed,
            "without_wage": without_wage,
        }
        if engagement_ids is None or added or removed:
            record(user, "agreement.enrol", agreement, after=counts, channel=channel)
    return counts


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _read(agreement: Agreement, engagement_ids: list[int] | None):
    """The agreement's engagements, their wage changes and their people's endings, as frames."""
    engagement, person = Engagement._meta.db_table, Person._meta.db_table
    groups = list(agreement.groups) or [""]  # no group: nobody
    where = ["p.region_id = %s", f"e.{_quoted('group')} IN ({', '.join(['%s'] * len(groups))})"]
    params: list = [agreement.region_id, *groups]
    unit_ids = list(agreement.units.values_list("id", flat=True))
    if unit_ids:
        where.append(f"e.unit_id IN ({', '.join(['%s'] * len(unit_ids))})")
        params += unit_ids
    if engagement_ids is not None:
        where.append(f"e.id IN ({', '.join(['%s'] * len(engagement_ids))})" if engagement_ids else "1 = 0")
        params += list(engagement_ids)
    chosen = f"FROM {engagement} e JOIN {person} p ON p.id = e.person_id WHERE {' AND '.join(where)}"
    engagements = _frame(
        "SELECT e.id, e.person_id, e.unit_id, CAST(e.start_date AS TEXT), CAST(e.end_date AS TEXT), "
        f"e.monthly_wage {chosen}",
        params,
        ENGAGEMENTS,
    )
    wages = _frame(
        "SELECT w.engagement_id, CAST(w.effective_date AS TEXT), w.monthly_wage "
        f"FROM {WageChange._meta.db_table} w WHERE w.engagement_id IN (SELECT e.id {chosen})",
        params,
        WAGES,
    )
    statuses = _frame(
        "SELECT s.person_id, s.engagement_id, s.status, CAST(s.effective_date AS TEXT) "
        f"FROM {StatusChange._meta.db_table} s WHERE s.status IN (%s, %s) "
        f"AND s.person_id IN (SELECT e.person_id {chosen})",
        [Status.ENDED, Status.DECEASED, *params],
        STATUSES,
    )
    return engagements, wages, statuses


def _frame(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows of ``sql`` as a frame; dates come as ISO text (the same on SQLite and PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    text = {c: (pl.Utf8 if t == pl.Date else t) for c, t in schema.items()}
    frame = pl.DataFrame(rows, schema=text, orient="row")
    return frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d") for c, t in schema.items() if t == pl.Date)


def _write(agreement: Agreement, derived: pl.DataFrame, engagement_ids: list[int] | None) -> tuple[int, int]:
    """Delete the stored periods that are no longer derived and insert the new ones; return both counts."""
    table = Membership._meta.db_table
    where, params = "agreement_id = %s", [agreement.pk]
    if engagement_ids is not None:
        if not engagement_ids:
            return 0, 0
        where += f" AND engagement_id IN ({', '.join(['%s'] * len(engagement_ids))})"
        params += list(engagement_ids)
    stored = _frame(
        f"SELECT id, engagement_id, person_id, unit_id, CAST(start AS TEXT), CAST({_quoted('end')} AS TEXT), "
        f"basis, end_reason FROM {table} WHERE {where}",
        params,
        {"id": pl.Int64, **PERIODS},
    )
    keys = list(PERIODS)
    # A stored row kept is one the derivation gives again, once (a duplicate goes).
    kept = stored.filter(pl.struct(keys).is_first_distinct()).join(derived, on=keys, nulls_equal=True)
    gone = stored.join(kept.select("id"), on="id", how="anti")["id"]
    new = derived.join(stored, on=keys, how="anti", nulls_equal=True)
    with connection.cursor() as cursor:
        for part in gone.to_frame().iter_slices(SLICE_ROWS):
            ids = part["id"].to_list()
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        _insert(
            cursor,
            table,
            new.with_columns(agreement_id=pl.lit(agreement.pk), region_id=pl.lit(agreement.region_id)),
        )
    return new.height, gone.len()


def _insert(cursor, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    frame = frame.select(
        "agreement_id",
        "region_id",
        "person_id",
        "engagement_id",
        "unit_id",
        "start",
        "end",
        "basis",
        "end_reason",
    )
    columns = ", ".join(_quoted(c) for c in frame.columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for part in frame.iter_slices(SLICE_ROWS):
                copy.write(part.write_csv(include_header=False))
        return
    text = frame.with_columns(pl.col("start", "end").cast(pl.Utf8))
    marks = ", ".join(["%s"] * text.width)
    for part in text.iter_slices(SLICE_ROWS):
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", part.rows())


# --------------------------------------------------------------------------------------------- changes
def _enrolled_agreements(engagements: list[Engagement]) -> list[Agreement]:
    """The region's agreements that have been enrolled and could cover one of these engagements' groups."""
    groups = {e.group for e in engagements}
    agreements = Agreement.objects.filter(
        region_id=engagements[0].person.region_id, memberships__isnull=False
    )
    return [a for a in agreements.distinct() if groups & set(a.groups)]


def resync(engagements: list[Engagement], user, channel: str) -> None:
    """Derive again the memberships of these engagements (after a wage, unit or status change), under
    every agreement already enrolled that could cover them; the next bill turns differences into
    adjustments."""
    if not engagements:
        return
    ids = [e.pk for e in engagements]
    for agreement in _enrolled_agreements(engagements):
        sync(agreement, user=user, channel=channel, engagement_ids=ids)


def _wage_in_force(engagement: Engagement, on: dt.date) -> int | None:
    change = engagement.wage_changes.filter(effective_date__lte=on).order_by("-effective_date").first()
    return change.monthly_wage if change else engagement.monthly_wage


def _change_errors(engagement: Engagement, effective: dt.date | None, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if effective is None:
        errors["effective_date"] = [_("Wajib diisi.")]
    elif effective > timezone.localdate() + FUTURE_LIMIT:
        errors["effective_date"] = [_("Tanggal berlaku terlalu jauh di masa depan.")]
    elif engagement.start_date and effective < engagement.start_date:
        errors["effective_date"] = [_("Tanggal berlaku tidak boleh sebelum awal kontrak.")]
    elif engagement.end_date and effective > engagement.end_date:
        errors["effective_date"] = [_("Tanggal berlaku tidak boleh sesudah akhir kontrak.")]
    return errors


@transaction.atomic
def change_wage(
    user, engagement: Engagement, wage: int, effective: dt.date, *, reason: str, channel: str = "web"
) -> WageChange:
    """A new monthly wage from ``effective`` on. The first change also records the wage it replaces (from
    the contract start), so the periods before it keep their basis; the engagement shows the wage in force
    today; enrolled agreements re-derive this engagement's periods."""
    errors = _change_errors(engagement, effective, reason)
    if isinstance(wage, bool) or not isinstance(wage, int) or not 0 < wage < MAX_WAGE:
        errors["monthly_wage"] = [_("Upah harus lebih dari 0 dan kurang dari Rp 1 triliun.")]
    elif engagement.wage_changes.filter(effective_date=effective).exists():
        errors["effective_date"] = [_("Sudah ada perubahan upah pada tanggal ini.")]
    if errors:
        raise ValidationFailed(errors)
    before = engagement.monthly_wage
    opening = engagement.start_date or OPENING
    if not engagement.wage_changes.exists() and before is not None and opening < effective:
        WageChange.objects.create(
            engagement=engagement,
            effective_date=opening,
            monthly_wage=before,
            reason=_("Upah awal, dicatat pada perubahan upah pertama."),
            recorded_by=stored_user(user),
        )
    change = WageChange.objects.create(
        engagement=engagement,
        effective_date=effective,
        monthly_wage=wage,
        reason=reason.strip(),
        recorded_by=stored_user(user),
    )
    engagement.monthly_wage = _wage_in_force(engagement, max(timezone.localdate(), opening))
    engagement.save(update_fields=["monthly_wage"])
    record(
        user,
        "engagement.wage",
        engagement,
        region_code=engagement.person.region_id,
        before={"monthly_wage": before},
        after={"monthly_wage": wage, "effective_date": effective.isoformat()},
        reason=reason.strip(),
        channel=channel,
    )
    resync([engagement], user, channel)
    return change


@transaction.atomic
def transfer(
    user, engagement: Engagement, unit: Unit, effective: dt.date, *, reason: str, channel: str = "web"
) -> Engagement:
    """Move the person to ``unit`` from ``effective`` on: the old engagement ends the day before and a new
    one (same group, position and wage, the rest of the contract) starts; later wage changes move along."""
    errors = _change_errors(engagement, effective, reason)
    person = engagement.person
    if unit is None or unit.region_id != person.region_id:
        errors["unit_id"] = [_("Unit tidak ditemukan di wilayah ini.")]
    elif unit.pk == engagement.unit_id:
        errors["unit_id"] = [_("Orang ini sudah di unit tersebut.")]
    elif Engagement.objects.filter(person=person, unit=unit, group=engagement.group).exists():
        errors["unit_id"] = [_("Orang ini sudah tercatat di unit dan kelompok ini.")]
    if not errors and engagement.start_date and effective <= engagement.start_date:
        errors["effective_date"] = [_("Tanggal pindah harus sesudah awal kontrak.")]
    if errors:
        raise ValidationFailed(errors)
    later = engagement.wage_changes.filter(effective_date__gte=effective)
    moved = later.exists()
    at_move = _wage_in_force(engagement, effective)
    new = Engagement.objects.create(
        person=person,
        unit=unit,
        group=engagement.group,
        position=engagement.position,
        decree_number=engagement.decree_number,
        decree_date=engagement.decree_date,
        start_date=effective,
        end_date=engagement.end_date,
        monthly_wage=engagement.monthly_wage if moved else at_move,
        occupation=engagement.occupation,
        poverty_status=engagement.poverty_status,
        status=engagement.status,
    )
    if moved:
        later.update(engagement=new)
        if not new.wage_changes.filter(effective_date=effective).exists():
            WageChange.objects.create(
                engagement=new, effective_date=effective, monthly_wage=at_move, reason=reason.strip()
            )
    before = {
        "unit_id": engagement.unit_id,
        "end_date": engagement.end_date and engagement.end_date.isoformat(),
    }
    engagement.end_date = effective - dt.timedelta(days=1)
    engagement.save(update_fields=["end_date"])
    record(
        user,
        "engagement.transfer",
        person,
        before=before,
        after={
            "unit_id": unit.pk,
            "engagement_id": new.pk,
            "effective_date": effective.isoformat(),
            "end_date": engagement.end_date.isoformat(),  # the old engagement's, the day before the move
        },
        reason=reason.strip(),
        channel=channel,
    )
    resync([engagement, new], user, channel)
    return new
