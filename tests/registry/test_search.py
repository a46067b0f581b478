"""People search on a small real database: NIK prefixes, misspelt names, and the caller's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payung.registry.models import Person
from payung.registry.names import index_values
from payung.registry.search import search_people

pytestmark = pytest.mark.django_db

KUPANG, TTU = "5371", "5303"


def person(region: str, nik: str, name: str, sex: str = "L") -> Person:
    return Person.objects.create(
        region_id=region, nik=nik, name=name, sex=sex, birth_date=dt.date(1985, 4, 15), **index_values(name)
    )


@pytest.fixture
def people(db):
    made = [
        person(KUPANG, "5371011504850001", "Yohanes Berya"),
        person(KUPANG, "5371011504850002", "Muhammad Iqbal, S.Pd."),
        person(KUPANG, "5371021504850003", "Maria Goreti Seran", "P"),
        person(KUPANG, "5371021504850004", "Yohanes Seran"),
        person(KUPANG, "5371031504850005", "Agustinus Tefa"),
        person(KUPANG, "5371031504850006", "Siti Aminah", "P"),
        person(TTU, "5303011504850007", "Yohanes Bria"),
        person(TTU, "5303011504850008", "Muh. Ikbal"),
    ]
    return {p.name: p for p in made}


def kupang():
    return Person.objects.filter(region_id=KUPANG)


def names_of(found) -> list[str]:
    return [p.name for p in found]


def test_misspelt_name_finds_the_person(people):
    found = search_people(kupang(), "Yohanis Bria")
    assert names_of(found)[0] == "Yohanes Berya"


def test_abbreviation_and_spelling_find_muhammad_iqbal(people):
    found = search_people(kupang(), "Muh Ikbal")
    assert names_of(found)[0] == "Muhammad Iqbal, S.Pd."
    assert found[0].search_score >= 80


def test_best_match_first(people):
    found = search_people(kupang(), "Yohanes Seran")
    assert names_of(found)[0] == "Yohanes Seran"


def test_one_word_finds_everyone_with_that_word(people):
    assert set(names_of(search_people(kupang(), "Seran"))) == {"Maria Goreti Seran", "Yohanes Seran"}


def test_start_of_a_name_finds_it(people):
    assert names_of(search_people(kupang(), "agustinus")) == ["Agustinus Tefa"]


def test_unrelated_names_are_not_returned(people):
    assert search_people(kupang(), "Bambang Pamungkas") == []


def test_nik_prefix(people):
    found = search_people(kupang(), "537102")
    assert names_of(found) == ["Maria Goreti Seran", "Yohanes Seran"]  # in NIK order


def test_nik_prefix_tolerates_separators_and_full_nik(people):
    assert names_of(search_people(kupang(), "5371.03 1504")) == ["Agustinus Tefa", "Siti Aminah"]
    assert names_of(search_people(kupang(), "5371031504850006")) == ["Siti Aminah"]


def test_nik_prefix_of_nines_has_no_upper_bound(people):
    assert search_people(kupang(), "99") == []
    assert len(search_people(kupang(), "5")) == 6


def test_search_stays_inside_the_given_queryset(people):
    kupang_names = set(names_of(search_people(kupang(), "Yohanes Bria")))
    assert "Yohanes Bria" not in kupang_names  # the TTU record
    assert "Muh. Ikbal" not in names_of(search_people(kupang(), "Muh Ikbal"))
    assert search_people(kupang(), "530301") == []
    ttu = Person.objects.filter(region_id=TTU)
    assert names_of(search_people(ttu, "Yohanes Bria")) == ["Yohanes Bria"]


def test_limit(people):
    assert len(search_people(kupang(), "5371", limit=2)) == 2
    assert len(search_people(kupang(), "Yohanes", limit=1)) == 1


def test_empty_or_punctuation_query_finds_nothing(people):
    assert search_people(kupang(), "") == []
    assert search_people(kupang(), " ., ") == []


def test_name_search_reads_through_indexes(people):
    """Candidate retrieval filters on the indexed key columns; it never loads every name of the scope."""
    with CaptureQueriesContext(connection) as queries:
        search_people(kupang(), "Yohanis Bria")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "sound_first" in sql and "sound_last" in sql
    assert all("LIMIT" in q["sql"] or "IN (" in q["sql"] for q in queries.captured_queries)


def test_a_near_surname_is_not_hidden_by_a_person_whose_words_both_sound_like_the_query(db):
    # "Agustina Agustina" matches both sound keys of "Agustina Fernandes"; the real Fernandez must still come.
    person(KUPANG, "5371011504850011", "Agustina Agustina", "P")
    person(KUPANG, "5371011504850012", "Agustina Fernandez, S.Sos.", "P")
    found = search_people(kupang(), "Agustina Fernandes")
    assert names_of(found)[0] == "Agustina Fernandez, S.Sos."
