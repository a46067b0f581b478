"""Set-based writing of a canonical roster frame (see roster.CANONICAL): persons, units and engagements.

The frame is staged into one temporary table (PostgreSQL: COPY; SQLite: executemany) and merged with a
handful of UPDATE ... FROM / INSERT ... SELECT statements, whatever the row count. A blank cell never erases
what the registry already knows, and a row that would change nothing is not touched at all (its
``updated_at`` stays), which is what makes importing the same roster twice a no-op.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from payung.registry import names
from payung.registry.models import Engagement, Person, Unit

STAGE = "payung_roster_stage"
NIK_STAGE = "payung_nik_stage"
# Person and engagement columns written from the frame (village_id comes from village_code).
PERSON_FIELDS = ("name", "sex", "birth_place", "birth_date", "address", "village_id", "phone",
                 "mother_maiden_name", "kpj")  # fmt: skip
ENGAGEMENT_FIELDS = ("position", "decree_number", "decree_date", "start_date", "end_date", "monthly_wage",
                     "occupation", "poverty_status")  # fmt: skip
DATES = {"birth_date", "decree_date", "start_date", "end_date"}
INTEGERS = {"monthly_wage", "unit_id", "is_first", "person_id", "engagement_id", "person_changed",
            "engagement_changed"}  # fmt: skip
SLICE_ROWS = 50_000  # rows staged per round trip; bounds the memory of the CSV/parameter buffers
SQLITE_CACHE_KIB = 256 * 1024
VILLAGE_GROUPS = {"rentan", "perangkat", "rt_rw"}


def upsert_roster(
    frame: pl.DataFrame, *, region_code: str, default_group: str, unit_code: str | None = None
) -> dict[str, int]:
    """Write ``frame``'s people and engagements into ``region_code``; one engagement per person+unit+group.

    Rows without a unit take ``unit_code``; units the frame names that do not exist yet are created.
    Returns row counts ``imported`` (new engagement), ``updated``, ``unchanged``, and ``people_created``,
    ``people_updated``, ``units_created``.
    """
    frame = _with_defaults(frame, default_group, unit_code)
    with transaction.atomic():
        _lock_region(region_code)
        frame, units_created = _with_unit_ids(frame, region_code)
        counts = _merge(_staged_frame(frame), region_code)
    return {**counts, "units_created": units_created}


def may_skip_row_triggers(cursor) -> bool:
    """Whether this PostgreSQL role may switch off per-row foreign-key triggers (decision 0008): a
    superuser, or a role granted ``SET ON PARAMETER session_replication_role`` (PostgreSQL 15+)."""
    if connection.vendor != "postgresql":
        return False
    if connection.pg_version < 150000:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    else:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    return bool(cursor.fetchone()[0])


@contextmanager
def _set_based_references(cursor, region_code: str):
    """On PostgreSQL, check the writes' foreign keys per set, not per row (decision 0008): per-row checks
    are about 16 of the 43 seconds of a million-row import. Elsewhere (SQLite, or a role without the
    privilege) the database's own checks run as usual."""
    if not may_skip_row_triggers(cursor):
        yield
        return
    _hold_references(cursor, region_code)
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # on an error the (sub)transaction rolls back, and SET LOCAL with it
    cursor.execute("SET LOCAL session_replication_role = origin")


def _hold_references(cursor, region_code: str) -> None:
    """What PostgreSQL's foreign-key triggers would do for the rows about to be written, once per set
    instead of once per row: every referenced region, unit and existing person must exist, and is locked
    FOR KEY SHARE until commit so that nobody can delete it meanwhile."""
    region, unit, person = "regions_region", Unit._meta.db_table, Person._meta.db_table
    checks = [
        (region, "code", f"SELECT %s UNION SELECT village_id FROM {STAGE} WHERE village_id IS NOT NULL",
         [region_code]),
        (unit, "id", f"SELECT unit_id FROM {STAGE} WHERE engagement_id IS NULL AND unit_id IS NOT NULL", []),
        (person, "id", f"SELECT person_id FROM {STAGE} WHERE engagement_id IS NULL AND person_id IS NOT NULL",
         []),
    ]  # fmt: skip
    for table, key, wanted, params in checks:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT * FROM ({wanted}) w) d), "
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} t WHERE t.{key} IN ({wanted}) FOR KEY SHARE) l)",
            params * 2,
        )
        wanted_count, held = cursor.fetchone()
        if held != wanted_count:
            raise IntegrityError(f"{table}: {wanted_count - held} referenced rows do not exist")


def _lock_region(region_code: str) -> None:
    """On PostgreSQL, one import per region at a time (until commit): the inserts below can then skip
    ON CONFLICT, whose speculative insertion costs about a third of their time. Another writer adding the
    same NIK meanwhile (a form) makes the import fail whole, never half-done. SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"payung.import.{region_code}"])


def _conflict_clause() -> str:
    return "" if connection.vendor == "postgresql" else " ON CONFLICT DO NOTHING"


def _with_defaults(frame: pl.DataFrame, default_group: str, unit_code: str | None) -> pl.DataFrame:
    missing = {c: pl.lit(None, t) for c, t in _FRAME_TYPES.items() if c not in frame.columns}
    frame = frame.with_columns(**missing)
    no_unit = pl.col("unit_code").is_null() & pl.col("unit_name").is_null()
    return frame.with_columns(
        pl.col("group").fill_null(default_group),
        pl.when(no_unit).then(pl.lit(unit_code, pl.Utf8)).otherwise(pl.col("unit_code")).alias("unit_code"),
    )


_FRAME_TYPES = {
    "sex": pl.Utf8, "birth_place": pl.Utf8, "address": pl.Utf8, "village_code": pl.Utf8, "phone": pl.Utf8,
    "mother_maiden_name": pl.Utf8, "kpj": pl.Utf8, "unit_code": pl.Utf8, "unit_name": pl.Utf8,
    "group": pl.Utf8, "position": pl.Utf8, "monthly_wage": pl.Int64, "decree_number": pl.Utf8,
    "decree_date": pl.Date, "start_date": pl.Date, "end_date": pl.Date, "occupation": pl.Utf8,
    "poverty_status": pl.Utf8,
}  # fmt: skip


def registrations(niks: pl.Series) -> pl.DataFrame:
    """Every registration of these NIKs, in any region: nik, region_id, and each engagement's unit id and
    name (null for a person without one). Read-only; the NIKs go through a temporary table, not a long IN."""
    person, engagement, unit = Person._meta.db_table, Engagement._meta.db_table, Unit._meta.db_table
    with connection.cursor() as cursor:
        _create_stage(cursor, ["nik"], NIK_STAGE)
        _load_stage(cursor, niks.unique().to_frame("nik"), NIK_STAGE)
        cursor.execute(
            f"SELECT p.nik, p.region_id, e.unit_id, u.name FROM {NIK_STAGE} s "
            f"JOIN {person} p ON p.nik = s.nik LEFT JOIN {engagement} e ON e.person_id = p.id "
            f"LEFT JOIN {unit} u ON u.id = e.unit_id"
        )
        rows = cursor.fetchall()
        cursor.execute(f"DROP TABLE {NIK_STAGE}")
    schema = {"nik": pl.Utf8, "region_id": pl.Utf8, "known_unit": pl.Int64, "known_unit_name": pl.Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row")


# ------------------------------------------------------------------------------------------------ units
def derived_code(name: str) -> str:
    """A unit code from its name: 'Dinas Kesehatan' -> 'DINAS-KESEHATAN' (long names end in a hash)."""
    slug = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-") or "UNIT"
    if len(slug) <= 40:
        return slug
    digest = hashlib.sha1(_name_key(name).encode()).hexdigest()[:8].upper()
    return f"{slug[:31].rstrip('-')}-{digest}"


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class UnitIndex:
    """A region's units by code and by normalised name: how a roster's unit cells find their unit."""

    by_code: dict[str, int]
    by_name: dict[str, int]

    @classmethod
    def load(cls, region_code: str) -> UnitIndex:
        units = Unit.objects.filter(region_id=region_code).values_list("id", "code", "name")
        return cls({code: pk for pk, code, _ in units}, {_name_key(name): pk for pk, _, name in units})

    def find(self, code: str | None, name: str | None) -> int | None:
        if code:
            return self.by_code.get(code)
        return self.by_name.get(_name_key(name or "")) or self.by_code.get(derived_code(name or ""))

    def with_ids(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` plus unit_id (null where the unit does not exist yet)."""
        pairs = frame.select("unit_code", "unit_name").unique().rows()
        ids = pl.DataFrame(
            [(code, name, self.find(code, name)) for code, name in pairs],
            schema={"unit_code": pl.Utf8, "unit_name": pl.Utf8, "unit_id": pl.Int64},
            orient="row",
        )
        return frame.join(ids, on=["unit_code", "unit_name"], how="left", nulls_equal=True)


def _with_unit_ids(frame: pl.DataFrame, region_code: str) -> tuple[pl.DataFrame, int]:
    """Create the units the frame names that do not exist yet, then add unit_id."""
    index = UnitIndex.load(region_code)
    new: dict[str, Unit] = {}
    for code, name, group in frame.group_by("unit_code", "unit_name").agg(pl.col("group").first()).rows():
        if (code or name) and index.find(code, name) is None:
            unit = new_unit(region_code, code, name, group)
            new.setdefault(unit.code, unit)
    if new:
        Unit.objects.bulk_create(new.values())
        index = UnitIndex.load(region_code)
    return index.with_ids(frame), len(new)


def new_unit(region_code: str, code: str | None, name: str | None, group: str) -> Unit:
    """A unit the roster names (or `payung units add` adds): a school for teachers, a desa for village groups
    keyed by desa code, else an OPD."""
    code = code or derived_code(name or "")
    kind = Unit.Kind.OPD
    village = None
    if group == "teacher":
        kind = Unit.Kind.SCHOOL
    elif group in VILLAGE_GROUPS and re.fullmatch(r"\d{10}", code) and code.startswith(region_code):
        kind, village = Unit.Kind.VILLAGE, code
    return Unit(region_id=region_code, code=code, name=(name or code)[:200], kind=kind, village_id=village)


# ------------------------------------------------------------------------------------------------ stage
def _index_columns() -> list[str]:
    """The name-index columns names.index_exprs produces that Person actually has."""
    fields = {f.column for f in Person._meta.concrete_fields}
    return [c for c in names.index_exprs(pl.col("name")) if c in fields]


def _staged_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per person+unit+group in stage column order, sorted by NIK (index inserts then append);
    is_first marks the row a person's details come from (the first in the roster)."""
    frame = frame.unique(["nik", "unit_id", "group"], keep="first", maintain_order=True)
    frame = frame.with_columns(pl.col("nik").is_first_distinct().cast(pl.Int8).alias("is_first"))
    return (
        _with_name_index(frame)
        .sort("nik")
        .select(
            "nik",
            *_index_columns(),
            *(c for c in PERSON_FIELDS if c != "village_id"),
            pl.col("village_code").alias("village_id"),
            "unit_id",
            pl.col("group").alias("grp"),
            *ENGAGEMENT_FIELDS,
            "is_first",
        )
    )


def _with_name_index(frame: pl.DataFrame) -> pl.DataFrame:
    """names' index columns (names.index_exprs), computed once per distinct name. with_index_columns is
    the eager form of index_exprs that normalises each name once instead of once per column."""
    distinct = names.with_index_columns(frame.select(pl.col("name").unique()))
    return frame.join(distinct.select("name", *_index_columns()), on="name", how="left")


def _stage_columns(frame: pl.DataFrame) -> list[str]:
    return [*frame.columns, "person_id", "engagement_id", "person_changed", "engagement_changed"]


def roomy_cache(cursor) -> None:
    """SQLite's default 2 MB page cache thrashes on a million-row write into indexed tables (a roster merge,
    a bill): give this connection's main and temporary databases SQLITE_CACHE_KIB each. No-op elsewhere."""
    if connection.vendor == "sqlite":
        cursor.execute(f"PRAGMA main.cache_size = -{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA temp.cache_size = -{SQLITE_CACHE_KIB}")  # stages, chosen members


def _create_stage(cursor, columns: list[str], table: str = STAGE) -> None:
    postgres = connection.vendor == "postgresql"
    kinds = []
    for column in columns:
        kind = "bigint" if column in INTEGERS else ("date" if column in DATES and postgres else "text")
        kinds.append(f"{column} {kind}")
    roomy_cache(cursor)
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TEMPORARY TABLE {table} ({', '.join(kinds)})")


def _load_stage(cursor, frame: pl.DataFrame, table: str = STAGE) -> None:
    if frame.is_empty():
        return
    columns = ", ".join(frame.columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for part in frame.iter_slices(SLICE_ROWS):
                copy.write(part.write_csv(include_header=False))
        cursor.execute(f"ANALYZE {table}")
        return
    # Binding parameters is what costs here: columns with no value at all stay out (the stage has NULL).
    frame = frame.select(c for c in frame.columns if frame.get_column(c).null_count() < frame.height)
    text = frame.with_columns(pl.col(c).cast(pl.Utf8) for c in frame.columns if c in DATES)
    columns, marks = ", ".join(frame.columns), ", ".join(["%s"] * frame.width)
    for part in text.iter_slices(SLICE_ROWS):
        rows = zip(*(column.to_list() for column in part.iter_columns()), strict=True)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


# ------------------------------------------------------------------------------------------------ merge
def _merge(frame: pl.DataFrame, region_code: str) -> dict[str, int]:
    """Look up who and what exists, change what differs, add what is new; count per staged row."""
    person, engagement = Person._meta.db_table, Engagement._meta.db_table
    person_columns = [*_index_columns(), *PERSON_FIELDS]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        _create_stage(cursor, _stage_columns(frame))
        _load_stage(cursor, frame)
        _find(
            cursor,
            person,
            "person",
            person_columns,
            f"p.region_id = %s AND p.nik = {STAGE}.nik",
            [region_code],
        )
        _find(cursor, engagement, "engagement", ENGAGEMENT_FIELDS, _SAME_ENGAGEMENT, [])
        with _set_based_references(cursor, region_code):
            cursor.execute(
                # version + 1: a form opened before this import must not save over what it changed
                _update_from(
                    person,
                    person_columns,
                    "person",
                    "AND s.is_first = 1",
                    f"updated_at = %s, version = {person}.version + 1",
                ),
                [now],
            )
            people_updated = cursor.rowcount
            cursor.execute(_update_from(engagement, ENGAGEMENT_FIELDS, "engagement"))
            cursor.execute(_insert_people(person, person_columns), [region_code, "active", now, now])
            people_created = cursor.rowcount
            cursor.execute(_insert_engagements(person, engagement), ["active", region_code])
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN engagement_id IS NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN engagement_id IS NOT NULL AND (engagement_changed = 1 OR person_changed = 1) "
            f"THEN 1 ELSE 0 END) FROM {STAGE}"
        )
        total, imported, updated = (int(v or 0) for v in cursor.fetchone())
        cursor.execute(f"DROP TABLE {STAGE}")
    return {
        "imported": imported,
        "updated": updated,
        "unchanged": total - imported - updated,
        "people_created": people_created,
        "people_updated": people_updated,
    }


_SAME_ENGAGEMENT = (
    f"p.person_id = {STAGE}.person_id AND p.unit_id = {STAGE}.unit_id AND p.{{group}} = {STAGE}.grp"
)


def _find(cursor, table: str, kind: str, columns, match: str, params: list) -> None:
    """Fill stage.<kind>_id and <kind>_changed (would the staged values change that row?)."""
    changed = " OR ".join(_differs(c, "p") for c in columns)
    cursor.execute(
        f"UPDATE {STAGE} SET {kind}_id = p.id, {kind}_changed = CASE WHEN {changed} THEN 1 ELSE 0 END "
        f"FROM {table} p WHERE {match.format(group=connection.ops.quote_name('group'))}",
        params,
    )


def _insert_people(table: str, columns: list[str]) -> str:
    values = ", ".join(_blank_if_null(c) for c in columns)
    return (
        f"INSERT INTO {table} (region_id, nik, {', '.join(columns)}, status, created_at, updated_at) "
        f"SELECT %s, s.nik, {values}, %s, %s, %s FROM {STAGE} s "
        f"WHERE s.person_id IS NULL AND s.is_first = 1{_conflict_clause()}"
    )


def _insert_engagements(person: str, table: str) -> str:
    """New engagements; their people are found by NIK, so people added a moment ago are included."""
    values = ", ".join(_blank_if_null(c) for c in ENGAGEMENT_FIELDS)
    return (
        f"INSERT INTO {table} (person_id, unit_id, {connection.ops.quote_name('group')}, "
        f"{', '.join(ENGAGEMENT_FIELDS)}, status) "
        f"SELECT p.id, s.unit_id, s.grp, {values}, %s FROM {STAGE} s "
        f"JOIN {person} p ON p.region_id = %s AND p.nik = s.nik "
        f"WHERE s.engagement_id IS NULL{_conflict_clause()}"
    )


_NULLABLE = {"village_id", "monthly_wage", *DATES}


def _blank_if_null(column: str) -> str:
    """Django stores empty text as '', not NULL; nullable columns stay NULL."""
    return f"s.{column}" if column in _NULLABLE else f"COALESCE(s.{column}, '')"


def _differs(column: str, target: str) -> str:
    """The staged value would change ``target``'s (a blank stays blank: it never erases)."""
    new, old = f"{STAGE}.{column}", f"{target}.{column}"
    return f"({new} IS NOT NULL AND ({old} IS NULL OR {new} <> {old}))"


def _update_from(table: str, columns, kind: str, condition: str = "", extra: str = "") -> str:
    """UPDATE the ``table`` rows the stage found changed; a blank staged value keeps the old one."""
    sets = ", ".join([*(f"{c} = COALESCE(s.{c}, {table}.{c})" for c in columns), *([extra] if extra else [])])
    return (
        f"UPDATE {table} SET {sets} FROM {STAGE} s "
        f"WHERE {table}.id = s.{kind}_id AND s.{kind}_changed = 1 {condition}"
    )
