"""Heirs of a participant in the regulation's order, and who receives what. Pure: no Django.

Order (PP 44/2015 pasal 37 ayat 5 for JKK and the same for JKM; Permenaker 5/2021; Permenaker 4/2023
pasal 57 for migrant workers): (1) the widow or widower, or the children; only when there are none,
(2) blood relatives in the straight line up and down to the second degree (parents, grandparents,
grandchildren), then (3) brothers and sisters, then (4) parents-in-law, then (5) the person the
participant named in a will (a notarial deed, Permenaker 1/2025). The nearest class present takes the
benefit; the others are listed but receive nothing.

No regulation says how heirs of one class share: BPJS pays the heirs the heir statement names. Payung
shows an equal split of the cash among the entitled heirs, the rupiah left over to the first of them
(decision 0019), as a starting point the heir statement overrides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from payung.registry.nik import age

CLASSES = {
    "spouse": 1,
    "child": 1,
    "parent": 2,
    "grandparent": 2,
    "grandchild": 2,
    "sibling": 3,
    "parent_in_law": 4,
    "designated": 5,
}
RELATIONS = tuple(CLASSES)


@dataclass(frozen=True)
class Facts:
    """What the order and the shares need to know of one heir; ``key`` is the caller's id for it."""

    key: object
    relation: str
    birth_date: dt.date | None = None
    married: bool = False
    working: bool = False


def ordered(heirs: Iterable[Facts]) -> list[Facts]:
    """Nearest class first; within it the spouse before the children, then the eldest first."""
    return sorted(heirs, key=lambda h: (CLASSES[h.relation], RELATIONS.index(h.relation),
                                        h.birth_date or dt.date.max))  # fmt: skip


def entitled(heirs: Iterable[Facts]) -> list[Facts]:
    """The heirs of the nearest class present, in order; nobody when there are no heirs."""
    found = ordered(heirs)
    return [h for h in found if CLASSES[h.relation] == CLASSES[found[0].relation]] if found else []


def shares(amount: int, heirs: Sequence[Facts]) -> dict[object, int]:
    """key -> rupiah: ``amount`` split equally among the entitled heirs; the remainder to the first."""
    receiving = entitled(heirs)
    if not receiving:
        return {}
    each, left = divmod(amount, len(receiving))
    return {h.key: each + (left if i == 0 else 0) for i, h in enumerate(receiving)}


def child_problem(child: Facts, on: dt.date, max_age: int | None) -> str | None:
    """Why a child cannot receive a scholarship on ``on`` ("married", "working", "age"), or None."""
    if child.married:
        return "married"
    if child.working:
        return "working"
    if max_age is not None and child.birth_date is not None and age(child.birth_date, on) >= max_age:
        return "age"
    return None


def scholarship_children(heirs: Iterable[Facts], on: dt.date, max_age: int | None, limit: int) -> list[Facts]:
    """The children who receive the scholarship: unmarried, not working, younger than ``max_age`` on
    ``on``, the eldest first, at most ``limit`` (decision 0019)."""
    children = [h for h in ordered(heirs) if h.relation == "child"]
    return [c for c in children if child_problem(c, on, max_age) is None][:limit]
