"""The registry as the roster side of a reconciliation: the agreement's options for the month, one row per
engagement with the wage in force and when it ended, the people current in the month as a Listing, and the
BPJS-only rows that name someone whose engagements all ended earlier (reconcile.services.run)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from payung.coverage import queries
from payung.reconcile import findings, lists
from payung.registry import names
from payung.registry.models import Engagement, StatusChange, WageChange


def options_for(region, period: dt.date) -> tuple[findings.Options, dict]:
    """Programs and JKK class of the agreement valid in the month, else the defaults."""
    agreement = queries.valid_in(region.code, period).order_by("-valid_from").first()
    if agreement is None:
        options = findings.Options(period=period, region=region.code)
        return options, {"agreement": None, "groups": []}
    programs = tuple(p for p in findings.ORDER if p in agreement.programs) or findings.Options().programs
    options = findings.Options(programs, agreement.jkk_class, agreement.category, period, region.code)
    return options, {"agreement": agreement.number, "agreement_id": agreement.pk, "groups": agreement.groups}


def engagements(region, period: dt.date) -> pl.DataFrame:
    """One row per engagement of the region's people: person data, wage in force, when it ended (if)."""
    month_end = queries.month_end(period)
    fields = ["id", "person_id", "group", "start_date", "end_date", "monthly_wage", "status", "unit__name",
              "person__nik", "person__kpj", "person__name", "person__birth_date", "person__sex",
              "person__status", "person__address", "person__village__name"]  # fmt: skip
    rows = list(Engagement.objects.filter(person__region=region).values_list(*fields))
    schema = {
        "engagement_id": pl.Int64, "person_id": pl.Int64, "group": pl.Utf8, "start_date": pl.Date,
        "end_date": pl.Date, "wage": pl.Int64, "status": pl.Utf8, "unit_name": pl.Utf8, "nik": pl.Utf8,
        "kpj": pl.Utf8, "name": pl.Utf8, "birth_date": pl.Date, "sex": pl.Utf8, "person_status": pl.Utf8,
        "address": pl.Utf8, "village": pl.Utf8,
    }  # fmt: skip
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    wages = pl.DataFrame(
        list(
            WageChange.objects.filter(
                engagement__person__region=region, effective_date__lte=month_end
            ).values_list("engagement_id", "effective_date", "monthly_wage", "id")
        ),
        schema={"engagement_id": pl.Int64, "on": pl.Date, "wage_then": pl.Int64, "wid": pl.Int64},
        orient="row",
    )
    wages = wages.sort("on", "wid").group_by("engagement_id").agg(pl.col("wage_then").last())
    stops = pl.DataFrame(
        list(
            StatusChange.objects.filter(person__region=region, status__in=["ended", "deceased"]).values_list(
                "person_id", "engagement_id", "status", "effective_date"
            )
        ),
        schema={"person_id": pl.Int64, "engagement_id": pl.Int64, "stop": pl.Utf8, "stop_on": pl.Date},
        orient="row",
    )
    by_person = (
        stops.filter(pl.col("engagement_id").is_null())
        .group_by("person_id")
        .agg(pl.col("stop_on").min().alias("person_stop"), (pl.col("stop") == "deceased").any().alias("died"))
    )
    by_engagement = (
        stops.filter(pl.col("engagement_id").is_not_null())
        .group_by("engagement_id")
        .agg(pl.col("stop_on").min().alias("engagement_stop"))
    )
    frame = (
        frame.join(wages, on="engagement_id", how="left")
        .join(by_person, on="person_id", how="left")
        .join(by_engagement, on="engagement_id", how="left")
    )
    # A stop counts only while the status it set is still the current one (a later reactivation undoes it).
    person_stop = pl.when(pl.col("person_status") != "active").then(pl.col("person_stop"))
    engagement_stop = pl.when(pl.col("status") != "active").then(pl.col("engagement_stop"))
    return frame.with_columns(
        pl.coalesce("wage_then", "wage").alias("monthly_wage"),
        pl.min_horizontal("end_date", person_stop, engagement_stop).alias("ended_on"),
        (pl.col("died").fill_null(False) | (pl.col("person_status") == "deceased")).alias("died"),
    )


def roster_listing(frame: pl.DataFrame, period: dt.date, groups: list[str]) -> lists.Listing:
    """The registry as the roster side: one row per person with a current engagement, lines 1..n."""
    month_end = queries.month_end(period)
    current = frame.filter(
        (pl.col("start_date").is_null() | (pl.col("start_date") <= month_end))
        & (pl.col("ended_on").is_null() | (pl.col("ended_on") >= period))
        & (pl.col("group").is_in(groups) if groups else pl.lit(True))
    )
    people = current.sort("person_id", "engagement_id").unique("person_id", keep="first", maintain_order=True)
    people = people.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(lists.LINE))
    people = names.with_index_columns(people)
    typed = people.select(
        lists.LINE,
        pl.col(lists.LINE).alias(lists.SHEET_LINE),
        "nik",
        pl.col("kpj").replace("", None),
        "name",
        "birth_date",
        "sex",
        "monthly_wage",
        pl.lit(None, pl.Int64).alias("contribution"),
        pl.lit(None, pl.Utf8).alias("programs"),
        "unit_name",
        pl.col("address").replace("", None),
        "village",
        "name_key",
        "sound_first",
        "sound_last",
        pl.col("nik").alias("raw_nik"),
        pl.col("kpj").alias("raw_kpj"),
        pl.col("birth_date").cast(pl.Utf8).alias("raw_birth_date"),
        pl.col("monthly_wage").cast(pl.Utf8).alias("raw_monthly_wage"),
        "person_id",
        "engagement_id",
    )
    headers = {c: c for c in ("nik", "kpj", "name", "birth_date", "sex", "monthly_wage", "unit_name")}
    return lists.Listing("roster", "registri", typed, headers)


def after_end(rows: pl.DataFrame, registry: pl.DataFrame, period: dt.date) -> pl.DataFrame:
    """BPJS-only rows naming a registry person (NIK, else KPJ) whose every engagement ended earlier."""
    ended = registry.group_by("person_id").agg(
        pl.col("nik").first(),
        pl.col("kpj").first(),
        pl.col("ended_on").max().alias("end_on"),
        pl.col("ended_on").is_null().any().alias("_open"),
        pl.col("died").any(),
    )
    ended = ended.filter(~pl.col("_open") & (pl.col("end_on") < period)).drop("_open")
    by_nik = ended.select(pl.col("nik").alias("b_nik"), pl.col("person_id").alias("_p1"), "end_on", "died")
    by_kpj = ended.filter(pl.col("kpj") != "").select(
        pl.col("kpj").alias("b_kpj"), pl.col("person_id").alias("_p2"), pl.col("end_on").alias("_e2"),
        pl.col("died").alias("_d2"),
    )  # fmt: skip
    rows = rows.join(by_nik, on="b_nik", how="left").join(by_kpj, on="b_kpj", how="left")
    gone = (pl.col("finding") == "bpjs_only") & pl.coalesce("_p1", "_p2").is_not_null()
    return rows.with_columns(
        pl.when(gone).then(pl.lit("billed_after_end")).otherwise(pl.col("finding")).alias("finding"),
        pl.when(gone).then(pl.coalesce("_p1", "_p2")).otherwise(pl.col("person_id")).alias("person_id"),
        pl.when(gone).then(pl.coalesce("end_on", "_e2")).alias("end_on"),
        pl.when(gone).then(pl.coalesce("died", "_d2")).alias("died"),
    ).drop("_p1", "_p2", "_e2", "_d2")
