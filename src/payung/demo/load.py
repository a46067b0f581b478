"""Writing demo people into the database: units first (with their kind), then people set-based."""

from __future__ import annotations

from collections import Counter

import polars as pl
from django.db import transaction

from payung.demo import people
from payung.regions.models import Region
from payung.registry.models import Unit

CHUNK = 100_000  # rows per upsert: bounds memory at large scales


def region_villages(region_code: str) -> list[tuple[str, str]]:
    """(code, name) of the region's desa/kelurahan as the Region table holds them."""
    rows = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=region_code)
    return list(rows.order_by("code").values_list("code", "name"))


def generate(region_code: str, *, scale: float, seed: int) -> people.Demo:
    return people.generate(region_code, scale=scale, seed=seed, villages=region_villages(region_code))


@transaction.atomic
def ensure_units(region_code: str, units: pl.DataFrame) -> int:
    """Create the demo units missing in the region (kind and desa set); returns how many were added."""
    existing = set(Unit.objects.filter(region_id=region_code).values_list("code", flat=True))
    new = [
        Unit(
            region_id=region_code,
            code=u["code"],
            name=u["name"],
            kind=u["kind"],
            village_id=u["village_code"],
        )
        for u in units.iter_rows(named=True)
        if u["code"] not in existing
    ]
    Unit.objects.bulk_create(new, batch_size=1000)
    return len(new)


def load(demo: people.Demo, *, chunk: int = CHUNK) -> dict[str, int]:
    """Units, then people in chunks per group through the registry's bulk upsert. Safe to run again."""
    from payung.registry.bulk import upsert_roster  # the import helper's set-based writer

    totals: Counter[str] = Counter(units_added=ensure_units(demo.region_code, demo.units))
    for (group,), part in demo.people.group_by("group", maintain_order=True):
        for offset in range(0, part.height, chunk):
            result = upsert_roster(
                part.slice(offset, chunk), region_code=demo.region_code, default_group=group
            )
            totals.update(result)
    return dict(totals)
