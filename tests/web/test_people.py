import datetime as dt

import pytest
from django.urls import reverse

from payung.audit.models import AuditEvent
from payung.registry.models import Person, StatusChange
from payung.registry.nik import compose


def html(response) -> str:
    return response.content.decode()


def test_home_counts_only_the_users_region(client, login, world):
    login("kupang")
    page = html(client.get(reverse("home")))
    assert "Beranda" in page
    assert world.kupang.batch.filename in page
    assert world.ttu.batch.filename not in page


def test_list_masks_niks_and_hides_other_regions(client, login, world):
    login("kupang")
    page = html(client.get(reverse("people")))
    person = world.kupang.person
    assert person.name in page
    assert person.masked_nik in page
    assert person.nik not in page
    assert world.ttu.person.name not in page


def test_list_filters_by_status(client, login, world):
    login("kupang")
    Person.objects.filter(pk=world.kupang.twin.pk).update(status="ended")
    page = html(client.get(reverse("people"), {"status": "ended"}))
    assert reverse("person", args=[world.kupang.twin.pk]) in page
    assert reverse("person", args=[world.kupang.person.pk]) not in page


def test_person_page_shows_full_record_and_audits_the_view(client, login, world):
    login("kupang")
    person = world.kupang.person
    before = AuditEvent.objects.filter(action="person.view", object_id=str(person.pk)).count()
    page = html(client.get(reverse("person", args=[person.pk])))
    assert person.nik in page
    assert "Jejak audit" in page
    assert AuditEvent.objects.filter(action="person.view", object_id=str(person.pk)).count() == before + 1


@pytest.mark.parametrize("name", ["person", "person_edit", "engagement_add", "status_change"])
def test_other_regions_person_is_404_on_every_url(client, login, world, name):
    login("kupang")
    response = client.get(reverse(name, args=[world.ttu.person.pk]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html(response)
    assert world.ttu.person.name not in html(response)


def test_viewer_sees_no_write_buttons_and_write_urls_are_404(client, login, world):
    login("kupang_viewer")
    person = world.kupang.person
    page = html(client.get(reverse("person", args=[person.pk])))
    assert reverse("person_edit", args=[person.pk]) not in page
    assert client.get(reverse("person_edit", args=[person.pk])).status_code == 404
    assert client.get(reverse("person_create")).status_code == 404


def new_person(world, **changes) -> dict:
    data = {
        "nik": compose("537101", dt.date(1990, 1, 2), "L", 77),
        "name": "Agustinus Nalle",
        "sex": "L",
        "birth_date": "02/01/1990",
        "unit": world.kupang.unit.pk,
        "group": "non_asn",
        "monthly_wage": "2.500.000",
    }
    return {**data, **changes}


def test_create_person_with_engagement(client, login, world):
    login("kupang")
    response = client.post(reverse("person_create"), new_person(world))
    person = Person.objects.get(name="Agustinus Nalle")
    assert response.status_code == 302
    assert person.engagements.get().monthly_wage == 2_500_000


def test_create_shows_service_errors_next_to_the_field(client, login, world):
    login("kupang")
    response = client.post(reverse("person_create"), new_person(world, birth_date="02/01/1991"))
    page = html(response)
    assert response.status_code == 200
    assert "berbeda dengan tanggal lahir tercatat" in page
    # the message sits inside the NIK field's block, not only in a summary
    nik_block = page.split('for="id_nik"')[1].split('class="field')[0]
    assert "berbeda dengan tanggal lahir tercatat" in nik_block
    assert not Person.objects.filter(name="Agustinus Nalle").exists()


def test_create_rolls_back_the_person_when_the_engagement_fails(client, login, world):
    login("kupang")
    client.post(reverse("person_create"), new_person(world, unit=world.ttu.unit.pk))
    assert not Person.objects.filter(name="Agustinus Nalle").exists()


def test_edit_person(client, login, world):
    login("kupang")
    person = world.kupang.person
    data = {
        "nik": person.nik,
        "name": "Maria Goreti Bere",
        "sex": "P",
        "birth_date": "1985-04-30",
        "phone": "081234567890",
        "version": person.version,  # as the form opened on it says
    }
    response = client.post(reverse("person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone) == ("Maria Goreti Bere", "081234567890")
    page = html(client.get(reverse("person", args=[person.pk])))
    assert "Data diubah" in page and "081234567890" in page


def test_add_engagement_validates_dates(client, login, world):
    login("kupang")
    url = reverse("engagement_add", args=[world.kupang.person.pk])
    data = {
        "unit": world.kupang.unit.pk,
        "group": "teacher",
        "start_date": "2024-05-01",
        "end_date": "2024-01-01",
    }
    page = html(client.post(url, data))
    assert "Akhir kontrak tidak boleh sebelum awal kontrak." in page


def test_change_status_requires_a_reason_then_records_it(client, login, world):
    login("kupang")
    person = world.kupang.person
    url = reverse("status_change", args=[person.pk])
    opened = {"status": "ended", "effective_date": "2025-01-31", "version": person.version}
    page = html(client.post(url, {**opened, "reason": ""}))
    assert "errorlist" in page and not StatusChange.objects.filter(person=person).exists()
    response = client.post(url, {**opened, "reason": "Kontrak habis"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "ended"
    page = html(client.get(reverse("person", args=[person.pk])))
    assert "Kontrak habis" in page and "31-01-2025" in page


def test_search_finds_a_misspelt_name_and_a_nik_prefix_in_scope_only(client, login, world):
    login("kupang")
    page = html(client.get(reverse("people"), {"q": "Marya Bere"}))
    assert reverse("person", args=[world.kupang.person.pk]) in page
    page = html(client.get(reverse("people"), {"q": world.ttu.person.nik[:8]}))
    assert reverse("person", args=[world.ttu.person.pk]) not in page
    page = html(client.get(reverse("people"), {"q": world.kupang.person.nik[:10]}))
    assert reverse("person", args=[world.kupang.person.pk]) in page


def test_nik_faults_show_with_the_other_missing_fields(client, login, world):
    login("kupang")
    page = html(client.post(reverse("person_create"), {"nik": "5371"}))
    assert "NIK harus 16 digit, bukan 4." in page
    assert page.count('class="field invalid') >= 4  # NIK, name, sex, birth date, unit


def test_province_monitor_reads_both_regions_and_writes_nothing(client, login, world):
    login("province")
    page = html(client.get(reverse("people")))
    assert reverse("person", args=[world.kupang.person.pk]) in page
    assert reverse("person", args=[world.ttu.person.pk]) in page
    assert reverse("person_create") not in page
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("person_create")).status_code == 404
