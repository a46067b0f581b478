"""Reads of the rule tables."""

from __future__ import annotations

from payung.rules.book import RuleBook, Version
from payung.rules.models import Parameter, RuleVersion


def book() -> RuleBook:
    """Every version of every parameter (a few hundred rows): the calculator's input."""
    rows = RuleVersion.objects.values_list(
        "id", "parameter_id", "region_code", "effective_from", "value", "source", "confidence"
    )
    return RuleBook.of(
        [
            Version(key, since, value, source, region, confidence, pk)
            for pk, key, region, since, value, source, confidence in rows
        ]
    )


def parameters():
    """Every parameter with its program, in a stable order (program, then key)."""
    return Parameter.objects.select_related("program").order_by("program__order", "key")
