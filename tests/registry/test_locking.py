"""Versions on the registry's people (decision 0013): every writer takes the next one, the bulk ones too, so
an edit started from an older read is refused; and two saves of one version at once: exactly one wins."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from payung.audit.locking import Conflict
from payung.regions.models import Region
from payung.registry import duplicates, importer, services
from payung.registry.models import DuplicateCandidate, Person
from payung.registry.nik import compose
from payung.registry.services import PersonData
from tests.registry.test_roster import GOOD, HEADER, NIK_F, write_csv


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _data(person: Person, **changes) -> PersonData:
    """The person's fields as an edit form opened on it holds them, with ``changes`` typed in."""
    fields = {"nik": person.nik, "name": person.name, "sex": person.sex, "birth_date": person.birth_date,
              "address": person.address, "phone": person.phone}  # fmt: skip
    return PersonData(**{**fields, **changes})


def _person(name: str, seq: int) -> Person:
    born = dt.date(1985, 4, 30)
    data = PersonData(nik=compose("537101", born, "P", seq), name=name, sex="P", birth_date=born)
    return services.create_person(None, Region.objects.get(code="5371"), data, channel="cli")


@pytest.mark.django_db
def test_an_import_that_changes_a_person_stales_an_edit_started_before(tmp_path):
    kupang = Region.objects.get(code="5371")
    path = write_csv(tmp_path / "a.csv", [HEADER, *GOOD])
    importer.run(path, filename=path.name, region=kupang)
    opened = Person.objects.get(nik=NIK_F)
    importer.run(path, filename="a-lagi.csv", region=kupang)  # the same rows change nothing
    assert Person.objects.get(nik=NIK_F).version == opened.version

    renamed = write_csv(tmp_path / "b.csv", [HEADER, [NIK_F, "Maria Goreti Bere", *GOOD[0][2:]]])
    importer.run(renamed, filename=renamed.name, region=kupang)
    assert Person.objects.get(nik=NIK_F).version == opened.version + 1
    with pytest.raises(Conflict):
        stored = Person.objects.get(pk=opened.pk)  # as the save's request reads it
        services.update_person(None, stored, _data(opened, address="Oebobo"), version=opened.version)
    assert Person.objects.get(nik=NIK_F).name == "Maria Goreti Bere"


@pytest.mark.django_db
def test_a_merge_stales_an_edit_of_the_kept_record():
    keep, other = _person("Maria Bere", 1), _person("Maria Berek", 2)
    candidate = DuplicateCandidate.objects.create(region_id="5371", left=keep, right=other, score=0.97)
    duplicates.merge(candidate, keep=keep, user=None, reason="Orang yang sama")
    with pytest.raises(Conflict):  # ``keep`` as a form opened before the merge holds it
        stored = Person.objects.get(pk=keep.pk)
        services.update_person(None, stored, _data(keep, address="Oebobo"), version=keep.version)


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_version_at_once_exactly_one_wins():
    """On PostgreSQL the second save runs while the first holds its transaction open: it waits for the row
    lock, then finds the version moved on (a read-then-compare would let both through). SQLite lets one
    writer in at a time, so there the two run one after the other."""
    person = _person("Maria Bere", 1)
    first_claimed, outcomes = threading.Event(), {}
    overlap = connection.vendor == "postgresql"

    def save(name: str, changes: dict, hold: bool) -> None:
        try:
            mine = Person.objects.select_related("region").get(pk=person.pk)
            with transaction.atomic():
                services.update_person(None, mine, _data(mine, **changes), version=0)
                first_claimed.set()
                if hold and overlap:
                    threading.Event().wait(0.5)  # the other save starts meanwhile and must wait
            outcomes[name] = "saved"
        except Conflict:
            outcomes[name] = "conflict"
        finally:
            first_claimed.set()
            connection.close()

    first = threading.Thread(target=save, args=("first", {"address": "Oebobo"}, True))
    second = threading.Thread(target=save, args=("second", {"phone": "081111111111"}, False))
    first.start()
    first_claimed.wait(10)
    if not overlap:
        first.join()
    second.start()
    first.join(), second.join()

    assert outcomes == {"first": "saved", "second": "conflict"}
    stored = Person.objects.get(pk=person.pk)
    assert (stored.address, stored.phone, stored.version) == ("Oebobo", "", 1)
