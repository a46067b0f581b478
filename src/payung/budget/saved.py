"""A budget scenario made of a saved filter's people (registry.SavedFilter: the people list's unit, group,
status). The criteria are copied into the parts: a later change or deletion of the filter never reprices
an existing scenario, whose counts are stored anyway (ScenarioRow)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from payung.budget import roster, services
from payung.registry.models import Group, SavedFilter
from payung.registry.services import ValidationFailed


def from_filter(region, year: int, programs: tuple[str, ...], saved_id: int) -> tuple:
    """The people of a saved filter of the region, a part per group, labelled with the filter's name; the
    criteria are copied into the parts, so a later change of the filter never reprices the scenario."""
    saved = SavedFilter.objects.filter(pk=saved_id, region=region).first()
    if saved is None:
        raise ValidationFailed({"saved_filter": [_("Filter itu bukan milik wilayah ini.")]})
    criteria = dict(saved.criteria)
    unit, group = criteria.get("unit"), criteria.get("group")
    counted = roster.counted(region.code, [group] if group else None, [unit] if unit else None,
                             status=criteria.get("status", ""))  # fmt: skip
    labels = dict(Group.choices)

    def label_of(found: str) -> str:
        return saved.name if len(counted) == 1 else f"{saved.name} · {labels.get(found, found)}"

    return services.group_parts(region, year, programs, counted, label_of, unit, criteria=criteria)


def chosen(
    region, year: int, programs: tuple[str, ...], groups: list[str] | None, village: str, saved_id
) -> tuple:
    """The parts a new scenario starts from, for the web form and the API alike: the region's registry
    (optionally some groups, one desa or kecamatan) or one saved filter, not both."""
    if saved_id in (None, ""):
        return services.from_registry(region, year, programs, groups, village)
    if village or groups or not str(saved_id).isdigit():
        raise ValidationFailed(
            {"saved_filter": [_("Pilih filter tersimpan saja, tanpa desa atau kelompok.")]}
        )
    return from_filter(region, year, programs, int(saved_id))
