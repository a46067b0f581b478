"""What a roster preview flags against the registry (warnings: the rows are still imported).

- a NIK already registered in another unit of the region, or in another region (which is not named);
- a KPJ that contradicts the registry (registry.kpj, decision 0020: KPJ conflicts): recorded for someone
  else, on two NIKs of the same file, or replacing the one the registry holds for the NIK.

Each warning carries its message in every language (a batch is read later in either).
"""

from __future__ import annotations

import polars as pl

from payung.regions.models import Region
from payung.registry import bulk, kpj, problems, roster

COLUMNS = [roster.LINE, "column", "severity", "code", "message_id", "message_en"]


def registry_warnings(checked: roster.Checked, region: Region, languages) -> pl.DataFrame:
    """Every warning of ``checked``'s valid rows against the registry, in COLUMNS."""
    return pl.concat([_registered_elsewhere(checked, region, languages), _kpj(checked, region, languages)])


def _kpj(checked: roster.Checked, region: Region, languages) -> pl.DataFrame:
    if "kpj" not in checked.rows.columns:
        return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.Utf8) | {roster.LINE: pl.Int64})
    found = kpj.import_warnings(checked.rows, region.code, roster.LINE)
    rows = found.select("code", "value", "other").rows()  # only flagged rows: a per-row format is cheap
    return found.select(
        roster.LINE,
        pl.lit(checked.sheet.header_of("kpj") or "KPJ").alias("column"),
        pl.lit("warning").alias("severity"),
        "code",
        *(
            pl.Series(
                f"message_{lang}", [problems.message(c, lang, value=v, other=o) for c, v, o in rows], pl.Utf8
            )
            for lang in languages
        ),
    )


def _registered_elsewhere(checked: roster.Checked, region: Region, languages) -> pl.DataFrame:
    """Valid rows whose NIK is already registered in another unit of the region or in another region."""
    rows = checked.rows.select(roster.LINE, "nik", "unit_code", "unit_name")
    rows = bulk.UnitIndex.load(region.code).with_ids(rows)
    known = bulk.registrations(rows.get_column("nik"))
    column = checked.sheet.header_of("nik")
    found = rows.join(known, on="nik", how="inner")
    elsewhere = pl.col("known_unit") != pl.col("unit_id").fill_null(-1)  # a unit created by this file: -1
    other_unit = (
        found.filter((pl.col("region_id") == region.code) & elsewhere)
        .group_by(roster.LINE)
        .agg(pl.col("known_unit_name").unique().sort().str.join(", ").alias("value"))
        .with_columns(pl.lit("registered_other_unit").alias("code"))
    )
    other_region = (
        found.filter(pl.col("region_id") != region.code)
        .select(roster.LINE)
        .unique()
        .with_columns(pl.lit("").alias("value"), pl.lit("registered_other_region").alias("code"))
    )
    both = pl.concat([other_unit, other_region.select(other_unit.columns)])
    rows = both.select("code", "value").rows()  # only flagged rows: a per-row format is cheap enough
    return both.select(
        roster.LINE,
        pl.lit(column).alias("column"),
        pl.lit("warning").alias("severity"),
        "code",
        *(
            pl.Series(f"message_{lang}", [problems.message(c, lang, value=v) for c, v in rows], dtype=pl.Utf8)
            for lang in languages
        ),
    )
