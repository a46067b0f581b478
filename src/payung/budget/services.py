"""The scenarios' writes: made from the registry, from planned people or a saved filter, or as a variant of
another one (budget lines: ``budget.lines``).

A scenario is priced before it is stored: bad input (a year before the rules, an unknown program, growth
that empties a roster, a wage assumption out of range) raises ``pricing.PricingError`` and nothing is
written. Every write is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.utils.translation import gettext as _

from payung.audit.services import record, snapshot, stored_user
from payung.budget import assumptions, pricing, queries, roster
from payung.budget.models import Scenario, ScenarioPart, ScenarioRow
from payung.registry.models import Group
from payung.registry.services import ValidationFailed
from payung.rules import queries as rule_queries


@dataclass(frozen=True)
class PartData:
    label: str
    group: str = ""
    unit_id: int | None = None
    category: str = "pu"
    programs: tuple[str, ...] = ("JKK", "JKM")
    funding_source: str = "apbd"
    planned_people: int = 0
    planned_wage: int | None = None
    growth: tuple[pricing.Growth, ...] = ()
    rows: pl.DataFrame | None = field(default=None, compare=False)  # None: counted from the registry now
    village: str = ""  # a desa or kecamatan code: only the group's people whose unit lies there
    criteria: dict = field(default_factory=dict, compare=False)  # a saved filter's, copied


@dataclass(frozen=True)
class ScenarioData:
    year: int
    name: str
    jkk_class: int | None = 1
    shares: str = "employer"
    wage_percent: Decimal | None = None
    wage_from: int = 1
    umk: int | None = None
    umk_from: int = 1
    notes: str = ""
    parts: tuple[PartData, ...] = field(default_factory=tuple)


def from_registry(
    region, year: int, programs: tuple[str, ...], groups: list[str] | None = None, village: str = ""
) -> tuple:
    """One part per registry group of the region (or ``groups``), with its agreement's or default terms;
    with ``village`` (a desa or kecamatan of the region) only the people whose unit lies there."""
    labels = dict(Group.choices)
    place = _place(region, village)
    counted = roster.counted(region.code, groups, place=village)
    suffix = f" · {place.name}" if place else ""
    return group_parts(
        region, year, programs, counted, lambda g: str(labels.get(g, g)) + suffix, village=village
    )


def group_parts(
    region, year: int, programs: tuple[str, ...], counted: dict, label_of, unit=None, **kept
) -> tuple:
    """A part per group of ``counted`` (roster.counted's rows), with the group's agreement's or default
    terms in ``year``; ``label_of(group)`` names it, ``kept`` (village, criteria) is stored with it."""
    book = rule_queries.book()
    wanted = pricing.programs_of(programs)
    parts = []
    for group in sorted(counted):
        terms = roster.terms(region.code, group, year, book)
        parts.append(PartData(label_of(group), group, unit, terms.category, wanted, terms.source,
                              rows=counted[group], **kept))  # fmt: skip
    return tuple(parts)


def planned(
    label: str,
    category: str,
    people: int,
    wage: int | None,
    from_month: int,
    programs: tuple[str, ...],
    source: str,
    steps: tuple[pricing.Growth, ...] = (),
) -> PartData:
    """People not yet registered, for the web form and the API alike: ``people`` from ``from_month`` (a
    first growth step when it is not January), then the later ``steps``. Ranges: assumptions.check."""
    first = () if from_month == 1 else (pricing.Growth(from_month, people),)
    return PartData(label.strip(), "", None, category, pricing.programs_of(programs), source,
                    people if from_month == 1 else 0, wage, first + tuple(steps))  # fmt: skip


def _place(region, code: str):
    """The desa or kecamatan ``code`` of ``region``; refused (ValidationFailed) when it is not one of its
    own: the one check of a part's village, for the web form and the API alike."""
    from payung.regions.models import Region

    if not code:
        return None
    levels = (Region.Level.DISTRICT, Region.Level.VILLAGE)
    found = Region.objects.filter(code=code, level__in=levels, code__startswith=region.code).first()
    if found is None:
        raise ValidationFailed({"village": [_("Desa atau kecamatan itu bukan milik wilayah ini.")]})
    return found


def create(
    user, region, data: ScenarioData, *, based_on: Scenario | None = None, channel: str = "web"
) -> Scenario:
    """A scenario, checked and priced first: a ValidationFailed or PricingError leaves nothing stored."""
    assumptions.check(data)
    _check_units(region, data)
    with transaction.atomic():
        scenario = Scenario.objects.create(
            region=region,
            year=data.year,
            name=data.name.strip()[:200] or _("Skenario %(year)s") % {"year": data.year},
            jkk_class=data.jkk_class,
            shares=data.shares,
            wage_percent=data.wage_percent,
            wage_from=data.wage_from,
            umk=data.umk,
            umk_from=data.umk_from,
            based_on=based_on,
            notes=data.notes,
            created_by=stored_user(user),
        )
        for order, part in enumerate(data.parts):
            stored = ScenarioPart.objects.create(
                scenario=scenario,
                label=part.label[:120],
                group=part.group,
                unit_id=part.unit_id,
                village_id=part.village or None,
                criteria=part.criteria,
                category=part.category,
                programs=list(part.programs),
                funding_source=part.funding_source,
                planned_people=part.planned_people,
                planned_wage=part.planned_wage,
                growth=[{"month": g.month, "people": g.people} for g in part.growth],
                order=order,
            )
            _store_rows(stored, _rows(region, part))
        priced = queries.price(scenario)  # refuses bad input before anything commits
        record(
            user,
            "budget.scenario",
            scenario,
            after=snapshot(scenario) | {"total": priced.total},
            channel=channel,
        )
    return scenario


def _rows(region, part: PartData) -> pl.DataFrame:
    if part.rows is not None:
        return part.rows
    if not part.group:
        return pl.DataFrame(schema=pricing.ROSTER)
    units = [part.unit_id] if part.unit_id else None
    status = part.criteria.get("status", "")
    counted = roster.counted(region.code, [part.group], units, place=part.village, status=status)
    return counted.get(part.group, pl.DataFrame(schema=pricing.ROSTER))


def _store_rows(part: ScenarioPart, frame: pl.DataFrame) -> None:
    ScenarioRow.objects.bulk_create(
        [
            ScenarioRow(
                part=part,
                unit_id=unit_id,
                unit_name=unit or "",
                village=village or "",
                basis=basis,
                people=people,
            )  # fmt: skip
            for unit_id, unit, village, basis, people in frame.select(list(pricing.ROSTER)).iter_rows()
        ],
        batch_size=2000,
    )


def data_of(scenario: Scenario) -> ScenarioData:
    parts = tuple(
        PartData(
            p.label,
            p.group,
            p.unit_id,
            p.category,
            tuple(p.programs),
            p.funding_source,
            p.planned_people,
            p.planned_wage,
            tuple(pricing.Growth(int(g["month"]), int(g["people"])) for g in p.growth),
            queries.stored_rows(p),
            p.village_id or "",
            dict(p.criteria),
        )
        for p in scenario.parts.prefetch_related("rows")
    )
    fields = ("year", "name", "jkk_class", "shares", "wage_percent", "wage_from", "umk", "umk_from", "notes")
    return ScenarioData(**{f: getattr(scenario, f) for f in fields}, parts=parts)


def with_programs(
    user, scenario: Scenario, part_index: int, programs: tuple[str, ...], channel: str = "web"
) -> Scenario:
    """A variant in which one part is priced with other programs ("2 programs vs 4"), one click away."""
    data = data_of(scenario)
    wanted = pricing.programs_of(programs)
    parts = list(data.parts)
    parts[part_index] = replace(parts[part_index], programs=wanted)
    name = _("%(name)s · %(part)s %(programs)s") % {
        "name": scenario.name,
        "part": parts[part_index].label,
        "programs": "+".join(wanted),
    }
    return create(
        user,
        scenario.region,
        replace(data, name=name, parts=tuple(parts)),
        based_on=scenario,
        channel=channel,
    )


def with_planned(user, scenario: Scenario, part: PartData, channel: str = "web") -> Scenario:
    """A variant with people not yet registered added ("add the teachers")."""
    data = data_of(scenario)
    name = _("%(name)s + %(part)s") % {"name": scenario.name, "part": part.label}
    return create(
        user,
        scenario.region,
        replace(data, name=name, parts=(*data.parts, part)),
        based_on=scenario,
        channel=channel,
    )


def with_growth(
    user, scenario: Scenario, part_index: int, growth: tuple[pricing.Growth, ...], channel: str = "web"
) -> Scenario:
    """A variant in which one part grows (or shrinks) in steps ("120 more pekerja rentan from July")."""
    data = data_of(scenario)
    parts = list(data.parts)
    parts[part_index] = replace(parts[part_index], growth=parts[part_index].growth + growth)
    steps = ", ".join(f"{g.month}:{g.people:+d}" for g in growth)
    name = _("%(name)s · %(part)s %(steps)s") % {
        "name": scenario.name,
        "part": parts[part_index].label,
        "steps": steps,
    }
    return create(
        user,
        scenario.region,
        replace(data, name=name, parts=tuple(parts)),
        based_on=scenario,
        channel=channel,
    )


def _check_units(region, data: ScenarioData) -> None:
    from payung.registry.models import Unit

    units = {p.unit_id for p in data.parts if p.unit_id}
    if units and Unit.objects.filter(pk__in=units, region=region).count() != len(units):
        raise ValidationFailed({"unit": [_("Unit itu bukan milik wilayah ini.")]})
    for village in {p.village for p in data.parts if p.village}:
        _place(region, village)
