"""Two people editing one record from forms they opened at the same time: the later save is refused with
who changed it and when, and the earlier change survives (issue 14 item 4, decision 0013)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import Role, User
from payung.registry.models import Person, StatusChange
from tests.web.filled import form_values


@pytest.fixture
def two_editors(world) -> tuple[Client, Client]:
    """The Kupang operator and a colleague (Yosef Lake), each in their own browser."""
    colleague = User.objects.create_user(
        "kupang2", first_name="Yosef", last_name="Lake", role=Role.OPERATOR, region_id="5371"
    )
    operator, other = Client(), Client()
    operator.force_login(world.users["kupang"])
    other.force_login(colleague)
    return operator, other


def opened(browser: Client, url: str) -> dict[str, list[str]]:
    response = browser.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode())


def test_the_later_save_of_a_person_is_refused_and_the_earlier_change_survives(world, two_editors):
    operator, colleague = two_editors
    person = world.kupang.person
    url = reverse("person_edit", args=[person.pk])
    mine, theirs = opened(operator, url), opened(colleague, url)

    assert colleague.post(url, {**theirs, "phone": "081111111111"}).status_code == 302
    response = operator.post(url, {**mine, "address": "Jl. Timor Raya 5"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Data ini sudah diubah oleh Yosef Lake pada" in page
    assert "Periksa nilai terbaru di bawah lalu simpan lagi." in page
    person.refresh_from_db()
    assert (person.phone, person.address) == ("081111111111", "")
    # The reopened form holds the colleague's phone and the new version: saving it again keeps both.
    again = form_values(page)
    assert again["phone"] == ["081111111111"]
    assert operator.post(url, {**again, "address": "Jl. Timor Raya 5"}).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == ("081111111111", "Jl. Timor Raya 5")


def test_a_status_form_opened_before_an_edit_is_refused(world, two_editors):
    operator, colleague = two_editors
    person = world.kupang.person
    status_url = reverse("status_change", args=[person.pk])
    mine = opened(operator, status_url)
    edit_url = reverse("person_edit", args=[person.pk])
    renamed = {**opened(colleague, edit_url), "name": "Maria G. Bere"}
    assert colleague.post(edit_url, renamed).status_code == 302

    entered = {"status": "ended", "effective_date": "31/01/2025", "reason": "Kontrak habis"}
    response = operator.post(status_url, {**mine, **entered})

    assert response.status_code == 409
    assert "Data ini sudah diubah oleh Yosef Lake" in response.content.decode()
    assert not StatusChange.objects.filter(person=person).exists()
    again = form_values(response.content.decode())  # what was entered, over the current version
    assert again["reason"] == ["Kontrak habis"]
    assert operator.post(status_url, again).status_code == 302
    assert Person.objects.get(pk=person.pk).status == "ended"


def test_saving_an_unchanged_form_changes_nothing_and_stales_no_one(world, two_editors):
    operator, colleague = two_editors
    url = reverse("person_edit", args=[world.kupang.person.pk])
    mine, theirs = opened(operator, url), opened(colleague, url)
    assert colleague.post(url, theirs).status_code == 302
    assert operator.post(url, {**mine, "phone": "082222222222"}).status_code == 302


def test_a_post_without_the_version_is_refused_with_a_message(client, login, world):
    login("kupang")
    url = reverse("person_edit", args=[world.kupang.person.pk])
    fields = opened(client, url)
    del fields["version"]
    response = client.post(url, {**fields, "phone": "083333333333"})
    assert "Formulir ini kedaluwarsa." in response.content.decode()
    assert Person.objects.get(pk=world.kupang.person.pk).phone == ""


def test_a_pair_decided_meanwhile_is_not_decided_again(world, two_editors, api_client):
    """Duplicate decisions were already final (the service locks the pair and wants it open): pinned here,
    on the web and the API, so that a second decision never overwrites the first."""
    operator, colleague = two_editors
    candidate = world.kupang.candidate
    dismissed = colleague.post(reverse("duplicate_dismiss", args=[candidate.pk]), {"reason": "Kakak beradik"})
    assert dismissed.status_code == 302

    merge = {"keep": "left", "reason": "Orang yang sama"}
    assert operator.post(reverse("duplicate_merge", args=[candidate.pk]), merge).status_code == 404
    again = api_client("kupang", f"/duplicates/{candidate.pk}/merge", {**merge, "keep": candidate.left_id})
    assert again.status_code == 422 and "state" in again.json()["errors"]
    candidate.refresh_from_db()
    assert candidate.state == "dismissed" and Person.objects.filter(pk=candidate.right_id).exists()


@pytest.fixture
def api_client(world):
    def post(who: str, path: str, body: dict):
        headers = world.auth(who)
        return Client().post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )

    return post
