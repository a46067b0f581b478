"""The rules in force on a date, as plain data (no Django): what the calculator and the bulk paths read.

A ``RuleBook`` holds every version of every parameter. ``at(key, on, region)`` answers "what was the rule
on that day" with exactly one version: the latest one in force on ``on`` for the most specific region
(kab/kota code, then its province, then national), or ``RuleMissing`` when there is none yet.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Version:
    key: str
    effective_from: dt.date
    value: Decimal
    source: str
    region_code: str = ""
    confidence: str = "R"
    id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "key": self.key,
            "region": self.region_code,
            "effective_from": self.effective_from.isoformat(),
            "value": format(self.value.normalize(), "f"),
            "source": self.source,
            "confidence": self.confidence,
        }


class RuleMissing(LookupError):
    """No version of ``key`` is in force on ``on`` (e.g. a date before the program existed)."""

    def __init__(self, key: str, on: dt.date, first: dt.date | None):
        super().__init__(key, on, first)
        self.key, self.on, self.first = key, on, first


@dataclass
class RuleBook:
    versions: dict[tuple[str, str], list[Version]] = field(default_factory=dict)  # (key, region) -> by date

    @classmethod
    def of(cls, versions: list[Version]) -> RuleBook:
        book = cls()
        for version in sorted(versions, key=lambda v: v.effective_from):
            book.versions.setdefault((version.key, version.region_code), []).append(version)
        return book

    def knows(self, key: str) -> bool:
        return any(k == key for k, _ in self.versions)

    def at(self, key: str, on: dt.date, region: str = "") -> Version:
        for scope in _scopes(region):
            found = self._latest(key, scope, on)
            if found is not None:
                return found
        raise RuleMissing(key, on, self.first(key))

    def optional(self, key: str, on: dt.date, region: str = "") -> Version | None:
        """The version in force, or None where the rule simply does not apply (e.g. no wage floor)."""
        try:
            return self.at(key, on, region)
        except RuleMissing:
            return None

    def history(self, key: str) -> list[Version]:
        """Every version of ``key``, newest first, national and regional together."""
        found = [v for (k, _), versions in self.versions.items() if k == key for v in versions]
        return sorted(found, key=lambda v: (v.effective_from, v.region_code), reverse=True)

    def first(self, key: str) -> dt.date | None:
        dates = [v[0].effective_from for (k, _), v in self.versions.items() if k == key]
        return min(dates) if dates else None

    def _latest(self, key: str, region: str, on: dt.date) -> Version | None:
        versions = self.versions.get((key, region), [])
        index = bisect.bisect_right([v.effective_from for v in versions], on)
        return versions[index - 1] if index else None


def _scopes(region: str) -> list[str]:
    """'5371' -> ['5371', '53', '']: the most specific region first, national last."""
    scopes = [region[:n] for n in (13, 10, 6, 4, 2) if len(region) >= n]
    return [*dict.fromkeys(scopes), ""]
