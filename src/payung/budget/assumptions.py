"""A scenario's assumptions checked once, for the web form and the API alike: the wage change (a percentage
from a month), a new UMK from a month, the JKK class and the planned growth of each part (people more or
fewer from a month, in several steps).

``check`` is called by ``services.create`` before anything is written, so every way in (web, API, a
variant) is held to the same rules; it raises ``ValidationFailed`` with the fields' messages in the active
language (the web shows them next to its fields, the API answers 422). ``steps`` reads the web's growth
text ("7:+120, 10:-5"); ``grow`` puts the API's steps on the parts of their groups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _

from payung.budget import pricing
from payung.coverage.models import FundingSource
from payung.registry.services import ValidationFailed

LOWEST_PERCENT, HIGHEST_PERCENT = Decimal(-100), Decimal(1000)  # above -100: a wage stays above zero
MOST_PEOPLE = 10_000_000  # a step larger than a province's workforce is a typing slip
STEP = re.compile(r"^\s*(\d{1,2})\s*:\s*([+-]?\s*[\d.]+)\s*$")


def check(data) -> None:
    """Refuse a ScenarioData whose assumptions are out of range (ValidationFailed, nothing written)."""
    errors: dict[str, list[str]] = {}
    percent = data.wage_percent
    if percent is not None and not _percent(percent):
        errors["wage_percent"] = [
            _("Perubahan upah harus lebih dari -100 % dan paling banyak 1.000 %, paling banyak 2 desimal.")
        ]
    for name in ("wage_from", "umk_from"):
        if data_month(getattr(data, name)) is None:
            errors[name] = [_("Bulan harus 1 sampai 12.")]
    umk = data.umk
    if umk is not None and not (_integer(umk) and 0 < umk < pricing.MAX_AMOUNT):
        errors["umk"] = [_("UMK harus bilangan bulat rupiah lebih dari 0.")]
    if data.jkk_class is not None and not (_integer(data.jkk_class) and 1 <= data.jkk_class <= 5):
        errors["jkk_class"] = [_("Kelompok risiko JKK harus 1 sampai 5.")]
    for part in data.parts:
        problem = _growth_problem(part.growth)
        if problem:
            errors.setdefault("growth", []).append(f"{part.label}: {problem}")
        if not part.group:
            for name, message in _planned_problems(part):
                errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationFailed(errors)


def _planned_problems(part) -> list[tuple[str, str]]:
    """People not yet registered: a name, a category, a funding source, a head count and a wage."""
    found = []
    if not part.label.strip():
        found.append(("label", _("Nama kelompok wajib diisi.")))
    if part.category not in ("pu", "bpu"):
        found.append(("category", _("Kategori harus pu atau bpu.")))
    if part.funding_source not in FundingSource.values:
        found.append(("funding_source", _("Sumber dana tidak dikenal.")))
    people = part.planned_people
    if not (_integer(people) and 0 <= people <= MOST_PEOPLE) or not (people or part.growth):
        found.append(("people", _("Jumlah orang harus bilangan bulat 1 sampai 10 juta.")))
    wage = part.planned_wage
    if not (_integer(wage) and 0 < wage < pricing.MAX_AMOUNT):
        found.append(("wage", _("Upah/penghasilan harus bilangan bulat rupiah lebih dari 0.")))
    return found


def _percent(value) -> bool:
    """A finite percentage in range with at most two decimals (what is stored: pricing the unrounded value
    would make the figure shown when the scenario is made differ from every later one)."""
    if not (isinstance(value, Decimal) and value.is_finite()):
        return False
    return LOWEST_PERCENT < value <= HIGHEST_PERCENT and value == value.quantize(Decimal("0.01"))


def data_month(value) -> int | None:
    return value if _integer(value) and value in pricing.MONTHS else None


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _growth_problem(growth: Iterable[pricing.Growth]) -> str | None:
    months = [g.month for g in growth]
    for step in growth:
        if data_month(step.month) is None:
            return _("bulan harus 1 sampai 12.")
        if not (_integer(step.people) and step.people and abs(step.people) <= MOST_PEOPLE):
            return _("jumlah orang harus bilangan bulat bukan nol, paling banyak 10 juta.")
    if len(set(months)) < len(months):
        return _("setiap bulan hanya boleh disebut sekali.")
    return None


def steps(text: str) -> tuple[pricing.Growth, ...]:
    """The web's growth steps: "7:+120, 10:-5" (month:people, separated by commas, semicolons or lines)."""
    found = []
    for piece in re.split(r"[,;\n]", text or ""):
        if not piece.strip():
            continue
        match = STEP.match(piece)
        people = match and match.group(2).replace(" ", "").replace(".", "")
        if not match or not people.lstrip("+-").isdigit():
            raise ValidationFailed(
                {"growth": [_("Tulis perubahan sebagai bulan:jumlah, mis. 7:+120, 10:-5.")]}
            )
        found.append(pricing.Growth(int(match.group(1)), int(people)))
    return tuple(sorted(found, key=lambda g: g.month))


def grow(parts: tuple, wanted: dict[str, tuple[pricing.Growth, ...]]) -> tuple:
    """The parts with the growth planned for their groups; a group the scenario does not hold is refused."""
    groups = {p.group for p in parts if p.group}
    unknown = sorted(set(wanted) - groups)
    if unknown:
        message = _("Kelompok %(group)s tidak ada dalam skenario ini (yang ada: %(known)s).") % {
            "group": ", ".join(unknown),
            "known": ", ".join(sorted(groups)) or "-",
        }
        raise ValidationFailed({"growth": [message]})
    return tuple(replace(p, growth=p.growth + wanted.get(p.group, ())) for p in parts)
