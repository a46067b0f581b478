"""Saved filters of the people list: saved from /orang/ when a filter is applied, listed for the region,
deleted by their author (or an admin), audited; another region's filter is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.registry.models import SavedFilter
from tests.contributions import world


@pytest.fixture
def users(db):
    unit = world.unit()
    kupang = User.objects.create_user("kupang.op", role=Role.OPERATOR, region_id="5371")
    colleague = User.objects.create_user("kupang.op2", role=Role.OPERATOR, region_id="5371")
    ttu = User.objects.create_user("ttu.op", role=Role.OPERATOR, region_id="5303")
    return unit, kupang, colleague, ttu


def test_save_list_apply_and_delete(client, users):
    unit, kupang, colleague, ttu = users
    client.force_login(kupang)
    page = client.get(reverse("people") + f"?unit={unit.pk}&group=non_asn").content.decode()
    assert "Simpan filter ini" in page
    assert "Simpan filter ini" not in client.get(reverse("people")).content.decode()  # nothing to save
    answer = client.post(reverse("people_filter_save"), {"name": "DLHK non-ASN", "unit": unit.pk,
                                                         "group": "non_asn", "status": ""})  # fmt: skip
    saved = SavedFilter.objects.get()
    assert saved.criteria == {"unit": unit.pk, "group": "non_asn"} and saved.region_id == "5371"
    assert answer.status_code == 302 and f"unit={unit.pk}" in answer["Location"]
    assert AuditEvent.objects.filter(action="registry.filter.save", object_id=str(saved.pk)).exists()
    client.force_login(colleague)
    listed = client.get(reverse("people")).content.decode()
    assert "DLHK non-ASN" in listed and reverse("people_filter_delete", args=[saved.pk]) not in listed
    assert client.post(reverse("people_filter_delete", args=[saved.pk])).status_code == 404  # not theirs
    client.force_login(ttu)
    assert "DLHK non-ASN" not in client.get(reverse("people")).content.decode()
    assert client.post(reverse("people_filter_delete", args=[saved.pk])).status_code == 404
    client.force_login(kupang)
    assert client.post(reverse("people_filter_delete", args=[saved.pk])).status_code == 302
    assert not SavedFilter.objects.exists()
    assert AuditEvent.objects.filter(action="registry.filter.delete", object_id=str(saved.pk)).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "group": "non_asn"},
        {"name": "x"},  # no criterion
        {"name": "x", "group": "raja"},
        {"name": "x", "status": "hilang"},
        {"name": "x", "unit": "999999"},
    ],
)
def test_bad_filters_are_refused_plainly(client, users, body):
    _, kupang, _, ttu = users
    client.force_login(kupang)
    answer = client.post(reverse("people_filter_save"), body, follow=True)
    assert answer.status_code == 200 and not SavedFilter.objects.exists()
    assert answer.context["messages"] and "Traceback" not in answer.content.decode()


def test_a_unit_of_another_region_is_refused(client, users):
    _, kupang, _, _ = users
    other = world.unit(region="5303", code="X", name="Unit TTU")
    client.force_login(kupang)
    client.post(reverse("people_filter_save"), {"name": "x", "unit": other.pk})
    assert not SavedFilter.objects.exists()
