"""The person page's coverage periods, fetched from the template so the page's view stays the registry's."""

from __future__ import annotations

from django import template

from payung.coverage import queries

register = template.Library()


@register.simple_tag
def coverage_of(person) -> list[dict]:
    """Each program's coverage periods of ``person``: program, agreement, from, to, basis."""
    return queries.person_coverage(person)
