"""Loading the shipped rules file (data/rules.toml) into the rule tables: additions only, never changes.

A version already stored under the same parameter, region and date is left as it is, even if the file now
says otherwise: a bill may already cite it. The difference is reported, so a correction becomes a new
version with its own date, as a regulation would.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from payung.rules.book import RuleBook, Version

RULES_FILE = Path(__file__).parent / "data" / "rules.toml"


@dataclass
class LoadReport:
    added: int = 0
    kept: int = 0
    conflicts: list[str] = field(default_factory=list)


def read(path: Path = RULES_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def shipped_book() -> RuleBook:
    """The shipped rules file as a book, without a database (the versions the migration loads): for
    tools that work on files alone, and for tests of the calculator against the file itself."""
    return RuleBook.of(
        [
            Version(
                p["key"],
                v["from"],
                Decimal(v["value"]),
                v["source"],
                v.get("region", ""),
                v.get("confidence", "R"),
            )
            for p in read()["parameter"]
            for v in p["versions"]
        ]
    )


def load(models, path: Path = RULES_FILE) -> LoadReport:
    """Write ``path`` into the tables; ``models`` maps names to model classes (historical ones in a
    migration: pass ``apps.get_model``-backed lookups)."""
    data, report = read(path), LoadReport()
    Scheme, Program, Parameter, RuleVersion = (
        models[n] for n in ("Scheme", "Program", "Parameter", "RuleVersion")
    )
    for row in data.get("scheme", []):
        defaults = {"name": row["name"], "region_id": row.get("region")}
        Scheme.objects.update_or_create(code=row["code"], defaults=defaults)
    for row in data.get("program", []):
        defaults = {k: row.get(k, "") for k in ("name", "name_en")} | {"order": row.get("order", 0)}
        Program.objects.update_or_create(code=row["code"], scheme_id=row["scheme"], defaults=defaults)
    for row in data.get("parameter", []):
        fields = {k: row.get(k, "") for k in ("category", "measure", "description", "description_en")}
        Parameter.objects.update_or_create(
            key=row["key"], defaults=fields | {"program_id": row.get("program")}
        )
        for version in row["versions"]:
            _add_version(RuleVersion, row["key"], version, report)
    return report


def _add_version(RuleVersion, key: str, version: dict, report: LoadReport) -> None:
    value = Decimal(version["value"])
    stored, created = RuleVersion.objects.get_or_create(
        parameter_id=key,
        region_code=version.get("region", ""),
        effective_from=version["from"],
        defaults={"value": value, "source": version["source"], "confidence": version.get("confidence", "R"),
                  "note": version.get("note", "")},
    )  # fmt: skip
    if created:
        report.added += 1
        return
    report.kept += 1
    if stored.value != value:
        report.conflicts.append(f"{key} {version['from']}: {stored.value} (file: {value})")
