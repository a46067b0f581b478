"""The named list behind a number over the API and the command: a page at a time with the whole list's
count (the API's page shape), NIKs masked, each page read audited, region-wide like the web page."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.monitoring.models import Source, Summary
from tests.monitoring.test_compute import kupang  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
LIST = "/api/v1/monitoring/regions/5371/people?period=2024-03"
UNCOVERED = ["Cici Ended", "Dedi Never", "Eka Teacher"]  # in name order


def _browser(username: str, role: str, region: str) -> tuple[Client, User]:
    user = User.objects.create_user(username, role=role, region_id=region)
    browser = Client()
    browser.force_login(user)
    return browser, user


def _names(page: dict) -> list[str]:
    return [r["name"] for r in page["results"]]


def test_the_api_pages_the_uncovered_with_their_reasons_and_the_whole_count(kupang):  # noqa: F811
    browser, user = _browser("kupang", Role.VIEWER, "5371")
    first = browser.get(f"{LIST}&status=uncovered&page_size=2")
    assert first.status_code == 200, first.content
    first = first.json()
    assert (first["count"], first["page"], first["page_size"], first["period"]) == (3, 1, 2, "2024-03")
    assert _names(first) == UNCOVERED[:2]
    assert [r["reason"] for r in first["results"]] == ["ended", "never"]
    second = browser.get(f"{LIST}&status=uncovered&page_size=2&page=2").json()
    assert (second["count"], _names(second)) == (3, UNCOVERED[2:])
    assert (
        second["results"][0]["reason"] == "no_agreement"
        and second["results"][0]["unit"] == "SD Negeri 1 Kupang"
    )
    people = kupang[1]
    assert all(people[r["name"]].nik not in r["nik"] and "*" in r["nik"] for r in first["results"])
    assert AuditEvent.objects.filter(actor=user, action="view", object_type="monitoring.list").count() == 2
    beyond = browser.get(f"{LIST}&status=uncovered&page_size=2&page=3").json()
    assert (beyond["count"], beyond["results"]) == (3, [])


def test_the_api_filters_by_reason_and_unit_and_everyone_is_the_default(kupang):  # noqa: F811
    region, people, dlhk, school = kupang
    browser, _ = _browser("ntt", Role.PROVINCE, "53")  # a province monitor reads its kab/kota's list
    everyone = browser.get(LIST).json()
    assert everyone["count"] == 5 and everyone["page_size"] == 50
    assert _names(browser.get(f"{LIST}&reason=never").json()) == ["Dedi Never"]
    unpaid = browser.get(f"{LIST}&status=unpaid").json()
    assert _names(unpaid) == ["Beni Unpaid"] and unpaid["results"][0]["programs"] == ["JKK", "JKM"]
    assert browser.get(f"{LIST}&unit={school.pk}").json()["count"] == 1


def test_the_api_refuses_a_bad_page_or_filter_and_hides_other_regions(kupang):  # noqa: F811
    browser, _ = _browser("kupang", Role.VIEWER, "5371")
    for bad in ("page_size=201", "page=0", "status=semua", "reason=malas"):
        answer = browser.get(f"{LIST}&{bad}")
        assert answer.status_code == 422, (bad, answer.content)
    other, _ = _browser("ttu", Role.VIEWER, "5304")
    assert other.get(LIST).status_code == 404


def test_a_district_reporting_by_file_has_no_named_list(kupang, monkeypatch):  # noqa: F811
    Summary.objects.update(source=Source.FILE)
    monkeypatch.setattr("payung.monitoring.queries.has_local_data", lambda code: False)
    browser, _ = _browser("ntt", Role.PROVINCE, "53")
    assert browser.get(LIST).status_code == 404
    with pytest.raises(CommandError, match="tidak ada di server ini"):
        call_command("coverage", "list", "--region", "5371", "--period", "2024-03", stdout=StringIO())


def _command(*args: str) -> str:
    out = StringIO()
    call_command("coverage", "list", "--region", "5371", "--period", "2024-03", *args, stdout=out)
    return out.getvalue()


def test_the_command_pages_like_the_api_and_its_json_has_the_total(kupang):  # noqa: F811
    page = json.loads(_command("--status", "uncovered", "--page-size", "2", "--page", "2", "--json"))
    assert (page["count"], page["page"], page["page_size"], _names(page)) == (3, 2, 2, UNCOVERED[2:])
    browser, _ = _browser("kupang", Role.VIEWER, "5371")
    assert page == browser.get(f"{LIST}&status=uncovered&page_size=2&page=2").json()
    text = _command("--status", "uncovered", "--page-size", "2")
    assert "Cici Ended" in text and "Eka Teacher" not in text and "Halaman 1 dari 2; 3 baris." in text
    assert "Kepesertaan sudah berakhir" in text and kupang[1]["Cici Ended"].nik not in text
    assert _names(json.loads(_command("--unit", "SDN1", "--json"))) == ["Eka Teacher"]
    assert AuditEvent.objects.filter(action="view", object_type="monitoring.list", channel="cli").count() == 3


def test_the_command_refuses_a_page_size_beyond_the_apis(kupang):  # noqa: F811
    with pytest.raises(CommandError, match="Ukuran halaman"):
        _command("--page-size", "500")
