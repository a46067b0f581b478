"""The people and faults of a demo roster file. Pure: the registry is regenerated from its seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from payung.demo import faults, people
from payung.demo.draw import Draw


@dataclass(frozen=True)
class RosterRequest:
    rows: int = 50
    seed: int = 1
    region: str = people.KUPANG
    unit: str | None = None
    faults: bool = False
    bad: int | None = None  # default: 5 % of rows
    duplicates: int | None = None  # within the file; default: 1 % of rows, at least 1
    registry_duplicates: int | None = None  # of people of the demo registry; default as ``duplicates``
    registry_seed: int = people.DEFAULT_SEED
    title: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","


def new_people(request: RosterRequest, registry: pl.DataFrame) -> pl.DataFrame:
    """``request.rows`` people generated with the request's seed, none of them already in ``registry``."""
    available = (
        registry.filter(pl.col("unit_code") == request.unit).height if request.unit else registry.height
    )
    scale = max(1.0, 1.1 * request.rows / max(available, 1))  # the registry is the same profile at scale 1
    for _ in range(3):
        pool = _pool(request, scale, registry)
        if pool.height >= request.rows:
            picks = Draw(f"roster:{request.seed}").u32(pool.height)
            return pool.with_columns(_k=picks).sort("_k").head(request.rows).sort("_i").drop("_k", "_i")
        scale *= 1.2 * request.rows / max(pool.height, 1)
    raise ValueError(
        f"not enough demo people for {request.rows} rows in {request.region} {request.unit or ''}"
    )


def _pool(request: RosterRequest, scale: float, registry: pl.DataFrame) -> pl.DataFrame:
    frame = people.generate(request.region, scale=scale, seed=request.seed).people
    if request.unit:
        frame = frame.filter(pl.col("unit_code") == request.unit)
    frame = frame.filter(~pl.col("nik").is_in(registry["nik"].implode()))
    return frame.with_row_index("_i")


def plan_for(request: RosterRequest) -> faults.Plan:
    if not request.faults:
        return faults.Plan()
    share = faults.Plan.share(request.rows, 0.05, registry=True)
    return faults.Plan(
        bad=share.bad if request.bad is None else request.bad,
        probable=share.probable if request.duplicates is None else request.duplicates,
        registry_duplicates=share.registry_duplicates
        if request.registry_duplicates is None
        else request.registry_duplicates,
    )


def build_roster(path: str | Path, request: RosterRequest) -> faults.Truth:
    """Write the roster file ``request`` describes to ``path`` and return its truth."""
    registry = people.generate(request.region, seed=request.registry_seed).people
    if request.unit:
        same_unit = registry.filter(pl.col("unit_code") == request.unit)
        duplicable = same_unit if same_unit.height else registry
    else:
        duplicable = registry
    return faults.write_roster(
        new_people(request, registry),
        path,
        plan=plan_for(request),
        seed=request.seed,
        registry=duplicable,
        title=request.title,
        encoding=request.encoding,
        delimiter=request.delimiter,
    )
