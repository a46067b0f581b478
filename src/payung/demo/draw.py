"""Seeded, vectorised random draws as polars Series. Pure: no Django, no numpy.

Python's Mersenne Twister fills one byte buffer per draw (stable across Python versions for a given seed),
which pyarrow turns into a UInt32 column without a Python loop: a million draws cost milliseconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import polars as pl
import pyarrow as pa

_SPAN = float(2**32)


class Draw:
    """One random stream; every call consumes it in order, so the same calls give the same columns."""

    def __init__(self, seed: int | str):
        self.rng = random.Random(seed)

    def u32(self, n: int) -> pl.Series:
        buffer = pa.py_buffer(self.rng.randbytes(4 * n))
        return pl.from_arrow(pa.Array.from_buffers(pa.uint32(), n, [None, buffer]))  # type: ignore[return-value]

    def uniform(self, n: int) -> pl.Series:
        """Floats in [0, 1)."""
        return self.u32(n).cast(pl.Float64) / _SPAN

    def index(self, n: int, size: int) -> pl.Series:
        """Integers in [0, size)."""
        return (self.uniform(n) * size).floor().cast(pl.UInt32)

    def choice(self, n: int, pool: Sequence, weights: Sequence[float] | None = None) -> pl.Series:
        values = pl.Series(list(pool))
        if weights is None:
            return values.gather(self.index(n, len(values)))
        total = float(sum(weights))
        cumulative, running = [], 0.0
        for weight in weights:
            running += weight / total
            cumulative.append(running)
        picks = pl.Series(cumulative).search_sorted(self.uniform(n), side="right")
        return values.gather(picks.clip(upper_bound=len(values) - 1))

    def integers(self, n: int, low: int, high: int) -> pl.Series:
        """Integers in [low, high] inclusive, as Int64."""
        return self.index(n, high - low + 1).cast(pl.Int64) + low

    def bernoulli(self, n: int, p: float | pl.Series) -> pl.Series:
        return self.uniform(n) < p

    def counts(self, total: int, weights: Sequence[float]) -> list[int]:
        """Split ``total`` into len(weights) parts drawn in proportion to the weights (a multinomial)."""
        picks = self.choice(total, range(len(weights)), weights)
        tally = picks.value_counts()
        found = dict(zip(tally[tally.columns[0]].to_list(), tally["count"].to_list(), strict=True))
        return [found.get(i, 0) for i in range(len(weights))]
