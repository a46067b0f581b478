"""The province rollup: every kab/kota of a province side by side for a month, from this server's own data
or from the district's imported summary (marked with its source and date), scored by the indicator set,
ranked, and compared with the last coordination meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from payung.monitoring import compute, indicators, queries
from payung.monitoring.models import Meeting, Regulation, Source, Summary
from payung.regions.models import Region

TK = set(indicators.TK_PROGRAMS)


@dataclass
class District:
    region: Region
    summary: Summary | None
    regulation: object = None
    budget: int | None = None
    values: dict = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None
    before: dict | None = None  # the same district at the last meeting

    @property
    def figures(self) -> dict:
        return self.summary.figures if self.summary else {}

    @property
    def money(self) -> dict:
        return self.figures.get("money", {})

    @property
    def source(self) -> str:
        return self.summary.source if self.summary else ""

    @property
    def is_file(self) -> bool:
        return self.source == Source.FILE

    def group_share(self, *groups: str) -> tuple[int, int]:
        found = [self.figures.get("groups", {}).get(g, {}) for g in groups]
        return sum(g.get("covered", 0) for g in found), sum(g.get("people", 0) for g in found)

    @property
    def non_asn(self) -> tuple[int, int]:
        return self.group_share("non_asn", "teacher")

    @property
    def rentan(self) -> tuple[int, int]:
        return self.group_share("rentan")

    @property
    def village(self) -> tuple[int, int]:
        return self.group_share("perangkat", "rt_rw")

    @property
    def agreements(self) -> list[dict]:
        return self.figures.get("agreements", [])

    @property
    def agreement_until(self) -> dt.date | None:
        ends = [a["valid_to"] for a in self.agreements]
        return dt.date.fromisoformat(max(ends)) if ends else None

    @property
    def programs(self) -> list[str]:
        found = {p for a in self.agreements for p in a["programs"]}
        return [p for p in compute.PROGRAMS if p in found]

    @property
    def tk_programs(self) -> int:
        return len(set(self.programs) & TK)

    @property
    def score_change(self) -> float | None:
        if not self.before or self.before.get("score") is None or self.score is None:
            return None
        return round(self.score - self.before["score"], 1)

    @property
    def covered_change(self) -> int | None:
        if not self.before or self.summary is None:
            return None
        return self.figures.get("covered", 0) - self.before.get("covered", 0)

    @property
    def rank_change(self) -> int | None:
        """Places gained since the last meeting (positive: up)."""
        if not self.before or self.before.get("rank") is None or self.rank is None:
            return None
        return self.before["rank"] - self.rank

    def facts(self) -> dict:
        return {
            "regulation": self.regulation is not None,
            "budget": self.budget,
            "agreement": bool(self.agreements),
            "programs": self.programs,
            "groups": self.figures.get("groups", {}),
            "year_billed": self.money.get("year_billed", 0),
            "year_paid": self.money.get("year_paid", 0),
        }

    def as_result(self) -> dict:
        """What a meeting keeps of the district (the next meeting's "before")."""
        return {
            "region": self.region.code,
            "name": self.region.name,
            "source": self.source,
            "people": self.figures.get("people", 0),
            "covered": self.figures.get("covered", 0),
            "paid": self.figures.get("paid", 0),
            "outstanding": self.money.get("outstanding", 0),
            "claims_paid_year": self.money.get("claims_paid_year", 0),
            "values": self.values,
            "score": self.score,
            "rank": self.rank,
        }


def districts(province: Region, period: dt.date, *, refresh: bool = False) -> list[District]:
    """Every kab/kota of ``province`` for the month, best score first (no data last, by code). The month's
    summaries and the regulations are read in one query each (a local one missing is computed once)."""
    first = compute.first_of(period)
    regions = list(
        Region.objects.filter(level=Region.Level.REGENCY, code__startswith=province.code).order_by("code")
    )
    codes = [r.code for r in regions]
    stored = {
        (s.region_id, s.source): s
        for s in Summary.objects.defer("rows").filter(region_id__in=codes, period=first)
    }
    regulations: dict[str, Regulation] = {}
    for found_regulation in Regulation.objects.filter(region_id__in=codes).order_by(
        "region_id", "-issued_on", "-id"
    ):
        regulations.setdefault(found_regulation.region_id, found_regulation)
    meeting = last_meeting(province)
    before = {r["region"]: r for r in meeting.results} if meeting else {}
    found = []
    chosen = indicators.indicator_set()
    for region in regions:
        if queries.has_local_data(region.code):
            summary = stored.get((region.code, Source.LOCAL))
            if summary is None or refresh:
                summary = queries.summary(region.code, first, refresh=refresh, light=True)
        else:
            summary = stored.get((region.code, Source.FILE))
        district = District(region, summary, regulation=_regulation(regulations.get(region.code), summary))
        district.budget = queries.budget_allocated(region.code, first.year, summary)
        if summary is not None:
            district.values = {i.key: indicators.value(i, district.facts()) for i in chosen}
            district.score = indicators.score(district.values, chosen)
        district.before = before.get(region.code)
        found.append(district)
    ranks = indicators.rank({d.region.code: d.score for d in found})
    for district in found:
        district.rank = ranks[district.region.code]
    found.sort(key=lambda d: (d.rank is None, d.rank or 0, d.region.code))
    return found


@dataclass(frozen=True)
class FileRegulation:
    """A regulation as a district's signed summary reports it (the province holds no record of it)."""

    kind: str
    number: str
    issued_on: dt.date
    title: str

    def get_kind_display(self) -> str:
        return str(dict(Regulation.Kind.choices).get(self.kind, self.kind))


def _regulation(found: Regulation | None, summary: Summary | None):
    reported = (
        summary.figures.get("regulation") if summary is not None and summary.source == Source.FILE else None
    )
    if found is None and reported:
        return FileRegulation(
            reported["kind"],
            reported["number"],
            dt.date.fromisoformat(reported["issued_on"]),
            reported.get("title", ""),
        )
    return found


def last_meeting(province: Region) -> Meeting | None:
    return Meeting.objects.filter(province=province).order_by("-held_on", "-id").first()


def totals(found: list[District]) -> dict:
    with_data = [d for d in found if d.summary is not None]
    return {
        "regions": len(found),
        "with_data": len(with_data),
        "people": sum(d.figures.get("people", 0) for d in with_data),
        "covered": sum(d.figures.get("covered", 0) for d in with_data),
        "paid": sum(d.figures.get("paid", 0) for d in with_data),
        "outstanding": sum(d.money.get("outstanding", 0) for d in with_data),
        "claims_paid_year": sum(d.money.get("claims_paid_year", 0) for d in with_data),
    }
