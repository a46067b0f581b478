"""KPJ numbers that contradict the registry (decision 0020, KPJ conflicts).

A KPJ is one person's BPJS Ketenagakerjaan card number, nationally. A roster row that carries a KPJ already
recorded for someone else (here or in another region), the same KPJ on two NIKs of one file, or a KPJ that
would replace the one the registry holds for that NIK is imported, but flagged in the preview: never
silently. ``import_warnings`` finds them for the whole file at once (one query per 10,000 KPJs or NIKs).
"""

from __future__ import annotations

import polars as pl

from payung.registry.models import Person
from payung.registry.nik import mask

CHUNK = 10_000
CODES = ("kpj_other_person", "kpj_other_region", "kpj_twice_in_file", "kpj_replaced")


def _people(field: str, values: list[str]) -> pl.DataFrame:
    """(kpj, nik, region_id) of the people whose ``field`` is one of ``values``, and who have a KPJ."""
    rows = []
    for start in range(0, len(values), CHUNK):
        chosen = Person.objects.filter(**{f"{field}__in": values[start : start + CHUNK]}).exclude(kpj="")
        rows += chosen.values_list("kpj", "nik", "region_id")
    return pl.DataFrame(rows, schema={"kpj": pl.Utf8, "nik": pl.Utf8, "region_id": pl.Utf8}, orient="row")


def import_warnings(rows: pl.DataFrame, region_code: str, line: str) -> pl.DataFrame:
    """The KPJ conflicts of a roster's valid ``rows`` (columns ``line``, nik, kpj) imported into
    ``region_code``: columns ``line``, code (CODES), value (the KPJ) and other (the other NIK masked, the
    other lines, or the KPJ replaced; empty for another region, which is not named)."""
    schema = {line: pl.Int64, "code": pl.Utf8, "value": pl.Utf8, "other": pl.Utf8}
    rows = rows.select(line, "nik", "kpj").filter(pl.col("kpj").is_not_null() & (pl.col("kpj") != ""))
    if rows.is_empty():
        return pl.DataFrame(schema=schema)
    kpjs = rows.get_column("kpj").unique().to_list()
    held = _people("kpj", kpjs).rename({"nik": "holder", "region_id": "holder_region"})
    others = rows.join(held, on="kpj").filter(pl.col("holder") != pl.col("nik"))
    here = pl.col("holder_region") == region_code
    other_person = (
        others.group_by(line, "kpj", maintain_order=True)
        .agg(pl.col("holder").filter(here).first(), pl.col("holder_region").first())
        .select(
            line,
            pl.when(pl.col("holder").is_not_null()).then(pl.lit(CODES[0])).otherwise(pl.lit(CODES[1])),
            pl.col("kpj"),
            pl.col("holder").map_elements(mask, return_dtype=pl.Utf8).fill_null(""),
        )
    )
    # The same KPJ on rows of different NIKs in this very file.
    niks_per_kpj = rows.group_by("kpj").agg(niks=pl.col("nik").n_unique(), lines=pl.col(line))
    twice = (
        rows.join(niks_per_kpj.filter(pl.col("niks") > 1), on="kpj")
        .with_columns(pl.col("lines").list.set_difference(pl.concat_list(line)).list.sort())
        .select(
            line,
            pl.lit(CODES[2]),
            "kpj",
            pl.col("lines").cast(pl.List(pl.Utf8)).list.join(", "),
        )
    )
    # A KPJ that would replace the one this region's registry holds for the NIK.
    niks = rows.get_column("nik").unique().to_list()
    known = _people("nik", niks).filter(pl.col("region_id") == region_code).select("nik", old="kpj")
    replaced = rows.join(known, on="nik").filter(pl.col("old") != pl.col("kpj"))
    replaced = replaced.select(line, pl.lit(CODES[3]), "kpj", "old")
    parts = [f.rename(dict(zip(f.columns, schema, strict=True))) for f in (other_person, twice, replaced)]
    return pl.concat([p.cast(schema) for p in parts]).sort(line, "code")
