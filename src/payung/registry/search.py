"""People search: by NIK prefix or by a (misspelt) name, within a queryset the caller has already scoped.

Every lookup goes through an index, so a query costs the same with a thousand people or a million:
- digits: a range on ``nik`` ("5371" <= nik < "5372"), which a plain B-tree index serves on SQLite and on
  PostgreSQL in any collation (a LIKE would need a pattern-ops index on PostgreSQL);
- a name: candidates whose normalised name starts with the query, those whose first and last words
  sound like words of the query (``sound_first``/``sound_last``, see registry.names), and those whose first
  word sounds alike and last word nearly so; for a one-word query or when fewer than ``limit`` were found,
  also those sharing one such word. Each step reads at most ``POOL`` index
  entries and keeps at most ``CANDIDATES`` rows of the scope. RapidFuzz ranks the candidates.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from payung.registry import names
from payung.registry.nik import clean

CANDIDATES = 1000  # rows fetched per retrieval step; the ranking is cheap, the fetch is not
POOL = 5000  # index entries read per retrieval step, before the scope filter
MIN_SCORE = 60  # RapidFuzz WRatio below which a candidate is not shown


def search_people(queryset: QuerySet, query: str, limit: int = 50) -> list:
    """People of ``queryset`` matching ``query``, best first; each carries ``search_score`` (0-100)."""
    text = (query or "").strip()
    digits = clean(text)
    if digits.isdigit() and digits.isascii():
        return _by_nik(queryset, digits, limit)
    return _by_name(queryset, text, limit)


def _by_nik(queryset: QuerySet, digits: str, limit: int) -> list:
    if len(digits) >= 16:
        people = queryset.filter(nik=digits[:16])
    else:
        upper = _next_prefix(digits)
        people = queryset.filter(nik__gte=digits, **({"nik__lt": upper} if upper else {}))
    found = list(people.order_by("nik")[:limit])
    for person in found:
        person.search_score = 100.0
    return found


def _next_prefix(digits: str) -> str | None:
    """The smallest digit string after every string starting with ``digits``; None for '99...'."""
    stripped = digits.rstrip("9")
    return stripped[:-1] + str(int(stripped[-1]) + 1) if stripped else None


def _by_name(queryset: QuerySet, text: str, limit: int) -> list:
    key = names.normalize(text)
    if not key:
        return []
    sounds = [s for s in dict.fromkeys(names.sound(w) for w in key.split()) if s]
    # Strong matches: the name starts with the query, or its first and last words sound like query words.
    # Names that share a single word with the query: for a one-word query, or when nothing is strong.
    candidates: dict[int, str] = {}
    for step in [_prefix(key), Q(sound_first__in=sounds, sound_last__in=sounds), _near(sounds)]:
        candidates.update(_candidates(queryset, step, candidates))
    if len(candidates) < limit or len(sounds) == 1:
        either = Q(sound_first__in=sounds) | Q(sound_last__in=sounds)
        candidates.update(_candidates(queryset, either, candidates))
    ranked = _rank(key, candidates, limit)
    people = queryset.filter(pk__in=[pk for pk, _ in ranked]).order_by()  # keeps the caller's select_related
    by_pk = {person.pk: person for person in people}
    result = []
    for pk, score in ranked:
        by_pk[pk].search_score = score
        result.append(by_pk[pk])
    return result


def _candidates(queryset: QuerySet, step: Q, known: dict[int, str]) -> list[tuple[int, str]]:
    # The index is read for at most POOL rows before the caller's scope filters them: a narrow scope
    # (one kab/kota among many) would otherwise walk every "Yohanes" of the province.
    pool = queryset.model.objects.filter(step).order_by().values("pk")[:POOL]
    rows = queryset.filter(pk__in=pool).exclude(pk__in=list(known)).order_by()
    return list(rows.values_list("pk", "name_key")[:CANDIDATES])


def _near(sounds: list[str]) -> Q:
    """First word sounds alike and the last word's sound shares its first three letters ("prnds"/"prndj")."""
    if len(sounds) < 2:
        return Q(pk__in=[])
    stem = sounds[-1][:3]
    return Q(sound_first=sounds[0], sound_last__gte=stem, sound_last__lt=stem + "{")


def _prefix(key: str) -> Q:
    # PostgreSQL serves LIKE 'x%' from the person_name_key_prefix index (varchar_pattern_ops);
    # SQLite's LIKE is case-insensitive and skips the index, but a range on the [a-z ] key is exact.
    if connection.vendor == "postgresql":
        return Q(name_key__startswith=key)
    return Q(name_key__gte=key, name_key__lt=key + "{")  # '{' sorts right after 'z'


def _rank(key: str, candidates: dict[int, str], limit: int) -> list[tuple[int, float]]:
    scored = []
    for pk, name_key in candidates.items():
        score = fuzz.WRatio(key, name_key, score_cutoff=MIN_SCORE)
        if score:
            # Same length of name breaks ties: "yohanes bria" before "yohanes bria seran".
            scored.append((-score, abs(len(name_key) - len(key)), pk))
    scored.sort()
    return [(pk, round(-neg, 1)) for neg, _, pk in scored[:limit]]
