"""After an import: enrolment under the agreements in force without a button, and the people outside every
agreement listed by name with a count on the home page (issue 13 point 4, decision 0020)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from payung.coverage import prompts
from payung.coverage.models import Membership
from payung.registry import importer
from payung.registry.models import Person

HEADER = ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Gaji", "Unit Kerja", "Kelompok"]
ROWS = [
    ["5371014107900001", "Maria Taolin", "01/07/1990", "P", "2500000", "Dinas Kesehatan", "Non-ASN"],
    ["5371012505900002", "Petrus Nahak", "25/05/1990", "L", "2500000", "Dinas Kesehatan", "Non-ASN"],
    ["5371011206910003", "Yakobus Tefa", "12/06/1991", "L", "2000000", "SMPN 1 Kupang", "Guru"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def in_force(kupang):
    today = dt.date.today()
    return kupang.agreement(valid_from=today - dt.timedelta(400), valid_to=today + dt.timedelta(400))


def imported(tmp_path, kupang, rows=ROWS):
    path = tmp_path / "daftar.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows([HEADER, *rows])
    return importer.run(path, filename=path.name, region=kupang.region, user=kupang.operator)


def test_an_import_enrols_the_people_an_agreement_in_force_covers_and_says_so(tmp_path, kupang, in_force):
    """Issue 13: newly imported people were covered only once finance found "Daftarkan peserta"."""
    batch = imported(tmp_path, kupang)
    assert batch.state == "committed"
    covered = set(Membership.objects.filter(agreement=in_force).values_list("person__name", flat=True))
    assert covered == {"Maria Taolin", "Petrus Nahak"}  # the teacher's group is not in the PKS
    notes = importer.notes(batch, "id")
    assert any("diperbarui otomatis: 2 orang dijamin" in n for n in notes), notes
    assert any("1 orang aktif di wilayah ini belum dijamin PKS mana pun" in n for n in notes), notes
    assert any("updated automatically: 2 people covered" in n for n in importer.notes(batch, "en"))
    rise = [[*ROWS[0][:4], "2750000", *ROWS[0][5:]]]  # a wage rise: no new people, a split period
    again = imported(tmp_path, kupang, rise)
    assert Membership.objects.filter(agreement=in_force).values("person").distinct().count() == 2
    assert importer.notes(again, "id")


def test_an_ended_agreement_is_not_enrolled_after_an_import(tmp_path, kupang):
    ended = kupang.agreement()  # 2021-2024
    batch = imported(tmp_path, kupang)
    assert not Membership.objects.filter(agreement=ended).exists()
    assert any("3 orang aktif" in n for n in importer.notes(batch, "id"))


def test_people_outside_every_agreement_are_listed_by_name_and_counted_at_home(tmp_path, kupang, in_force):
    imported(tmp_path, kupang)
    no_wage = kupang.hire("Agus Seran", kupang.dlhk, start=dt.date(2020, 1, 1), wage=None)
    ended = dict(start=dt.date(2020, 7, 1), end=dt.date(2021, 6, 30), group="teacher")
    kupang.hire("Guru Kontrak", kupang.dinkes, **ended)
    from payung.coverage import enrolment

    enrolment.sync(in_force)
    outside = prompts.uncovered(Person.objects.all(), dt.date.today())
    assert sorted(outside.values_list("name", flat=True)) == ["Agus Seran", "Guru Kontrak", "Yakobus Tefa"]
    browser = Client()
    browser.force_login(kupang.operator)
    page = browser.get(reverse("uncovered"))
    html = page.content.decode()
    assert page.status_code == 200 and "Yakobus Tefa" in html and "Agus Seran" in html
    assert "Tidak ada PKS yang berlaku untuk kelompok atau unitnya" in html  # the teacher
    assert f"PKS {in_force.number} mencakup kelompoknya" in html  # the one without a wage
    assert no_wage.nik not in html and "Kontrak berakhir" in html and "30-06-2021" in html
    home = browser.get(reverse("home")).content.decode()
    assert reverse("uncovered") in home and "orang aktif belum dijamin PKS" in home
    assert browser.get(reverse("home")).context["stats"]["uncovered"] == 3
