"""The province's indicator set (monitoring/data/indicators.toml, decision 0022): each kab/kota's values
0..1 from its summary's figures, a weighted score 0..100 and a ranking. Pure: no Django."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "indicators.toml"
TK_PROGRAMS = ("JKK", "JKM", "JHT", "JP")


@dataclass(frozen=True)
class Indicator:
    key: str
    aspect: str
    label: str
    label_en: str
    measure: str
    weight: float
    confidence: str

    def text(self, lang: str) -> str:
        return self.label_en if lang.startswith("en") and self.label_en else self.label


@cache
def indicator_set(path: Path = DATA) -> tuple[Indicator, ...]:
    with path.open("rb") as handle:
        found = tomllib.load(handle)["indicator"]
    return tuple(Indicator(**{k: row[k] for k in Indicator.__dataclass_fields__}) for row in found)


def value(indicator: Indicator, facts: dict) -> float | None:
    """One indicator's value 0..1 from a kab/kota's facts; None when it cannot be measured (not counted).

    facts: regulation (bool), budget (int | None), agreement (bool), programs (list of codes),
    groups ({group: {"people", "covered"}}), year_billed, year_paid."""
    measure = indicator.measure
    if measure == "regulation":
        return 1.0 if facts.get("regulation") else 0.0
    if measure == "budget":
        budget = facts.get("budget")
        return None if budget is None else float(budget > 0)
    if measure == "agreement":
        return 1.0 if facts.get("agreement") else 0.0
    if measure == "programs":
        return len(set(facts.get("programs") or ()) & set(TK_PROGRAMS)) / len(TK_PROGRAMS)
    if measure.startswith("share:"):
        groups = facts.get("groups") or {}
        chosen = [groups[g] for g in measure.removeprefix("share:").split(",") if g in groups]
        people = sum(g["people"] for g in chosen)
        return None if not people else sum(g["covered"] for g in chosen) / people
    if measure == "paid_share":
        billed = facts.get("year_billed") or 0
        return None if billed <= 0 else min((facts.get("year_paid") or 0) / billed, 1.0)
    raise ValueError(f"unknown measure {measure!r}")


def score(values: dict[str, float | None], indicators: tuple[Indicator, ...]) -> float | None:
    """The weighted mean of the measured values x 100 (an unmeasured indicator drops out with its weight);
    None when nothing could be measured."""
    weighted = [(i.weight, values[i.key]) for i in indicators if values.get(i.key) is not None]
    total = sum(w for w, _ in weighted)
    return None if not total else round(100 * sum(w * v for w, v in weighted) / total, 1)


def rank(scores: dict[str, float | None]) -> dict[str, int | None]:
    """1 for the highest score; equal scores share a rank (1, 2, 2, 4); no score, no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    return {code: (None if s is None else ordered.index(s) + 1) for code, s in scores.items()}
