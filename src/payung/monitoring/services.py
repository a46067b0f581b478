"""Every write of monitoring: a month's summary (re)computed with its named list, a regulation, a priority
group, a coordination meeting. Each leaves an audit trail."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from payung.audit.services import record, stored_user
from payung.monitoring import compute
from payung.monitoring.models import Entry, Meeting, Priority, Regulation, Source, Summary

CHUNK = 5000
CHECK_EVERY = dt.timedelta(minutes=5)  # a change shows within this, or at once with "Hitung ulang"


def refresh(
    region_code: str, period: dt.date, *, today: dt.date | None = None, force: bool = False
) -> Summary:
    """The local summary of ``region_code`` for ``period``, recomputed when missing, stale (its fingerprint
    changed) or ``force``; otherwise the stored one as it is. The fingerprint (a few aggregates over the
    region's people: 0.2 s at 100,000) is checked at most every CHECK_EVERY per region and month."""
    first = compute.first_of(period)
    today = today or timezone.localdate()
    as_of = today  # what has been paid for the month by now (a late payment still counts)
    found = Summary.objects.filter(region_id=region_code, period=first, source=Source.LOCAL).first()
    checked = f"monitoring:checked:{region_code}:{first:%Y-%m}"
    if found is not None and not force and found.as_of >= as_of and cache.get(checked) == found.fingerprint:
        return found
    stamp = compute.fingerprint(region_code)
    if found is not None and not force and found.fingerprint == stamp and found.as_of >= as_of:
        cache.set(checked, stamp, CHECK_EVERY.total_seconds())
        return found
    result = compute.compute(region_code, first, as_of)
    cache.set(checked, stamp, CHECK_EVERY.total_seconds())
    with transaction.atomic():
        if found is not None:
            found.entries.all().delete()
        summary = found or Summary(region_id=region_code, period=first, source=Source.LOCAL)
        summary.computed_at = timezone.now()
        summary.as_of = as_of
        summary.fingerprint = stamp
        summary.figures = result.figures
        summary.rows = result.rows
        summary.save()
        _write_entries(summary, result.entries)
    return summary


COLUMNS = (
    "summary_id",
    "person_id",
    "unit_id",
    "group",
    "village",
    "covered",
    "paid",
    "reason",
    "programs",
    "name",
    "position",
)


def _write_entries(summary: Summary, entries: list[tuple]) -> None:
    """The named list in plain INSERTs, a chunk at a time (the ORM's bulk_create builds a model per row:
    three times slower for TTU's 18,700 rows)."""
    table = connection.ops.quote_name(Entry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, len(entries), CHUNK):
            cursor.executemany(sql, [(summary.pk, *row) for row in entries[start : start + CHUNK]])


def add_regulation(
    user, region, *, kind: str, number: str, issued_on: dt.date, title: str, channel: str = "web"
) -> Regulation:
    with transaction.atomic():
        regulation = Regulation.objects.create(
            region=region,
            kind=kind,
            number=number,
            issued_on=issued_on,
            title=title,
            recorded_by=stored_user(user),
        )
        record(
            user,
            "create",
            regulation,
            after={"number": number, "issued_on": issued_on.isoformat()},
            channel=channel,
        )
    return regulation


def add_priority(
    user,
    region,
    *,
    label: str,
    reason: str,
    since: dt.date,
    unit=None,
    group: str = "",
    position: str = "",
    channel: str = "web",
) -> Priority:
    with transaction.atomic():
        priority = Priority.objects.create(
            region=region,
            unit=unit,
            group=group,
            position=position,
            label=label,
            reason=reason,
            since=since,
            recorded_by=stored_user(user),
        )
        record(user, "create", priority, after={"label": label, "reason": reason}, channel=channel)
    return priority


def record_meeting(
    user,
    province,
    *,
    held_on: dt.date,
    period: dt.date,
    title: str,
    results: list[dict],
    channel: str = "web",
) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.create(
            province=province,
            held_on=held_on,
            period=compute.first_of(period),
            title=title,
            results=results,
            recorded_by=stored_user(user),
        )
        record(user, "create", meeting, region_code=province.code, after={"title": title}, channel=channel)
    return meeting
