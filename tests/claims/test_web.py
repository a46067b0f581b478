"""The claim pages through Django's test client: record, read (audited), heirs, documents, BPJS's answer,
the letter and the exports; and what the pages refuse."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.claims import checklist
from payung.claims.models import Claim, Event
from payung.registry.nik import compose
from tests.claims import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    found = world.kupang()
    for bill in found.bills()[:4]:  # January-April paid; May and June not
        world.pay(bill)
    return found


def browser(role=Role.OPERATOR, region="5371", name="op") -> Client:
    client = Client()
    client.force_login(User.objects.create_user(name, role=role, region_id=region))
    return client


def record(client, person, day="20/04/2025", **more):
    data = {
        "version": person.version,
        "kind": "death",
        "occurred_on": day,
        "member_since": "10/04/2021",
        "children": "2",
        "place": "RSUD Kupang",
        **more,
    }
    return client.post(reverse("claim_create", args=[person.pk]), data)


def test_an_operator_records_a_death_and_reads_the_claim_file(town):
    client = browser()
    answer = record(client, town.people["Yohanes"])
    claim = Claim.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("claim", args=[claim.pk])
    page = client.get(answer.url).content.decode()
    assert "Rp 42.000.000" in page and "Terlindungi" in page and "Beasiswa untuk 2 anak" in page
    assert AuditEvent.objects.filter(action="claim.view", object_id=str(claim.pk)).count() == 1
    client.get(answer.url)
    assert AuditEvent.objects.filter(action="claim.view", object_id=str(claim.pk)).count() == 2


def test_a_person_with_unpaid_months_shows_why_the_claim_is_at_risk(town):
    client = browser()
    record(client, town.people["Maria"], day="20/06/2025")
    page = client.get(reverse("claim", args=[Claim.objects.get().pk])).content.decode()
    assert "Berisiko" in page and "Kelalaian Pemda" in page and "Mei 2025" in page


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(town):
    client = browser()
    answer = record(client, town.people["Yohanes"], day="01/01/2099")
    assert answer.status_code == 400 and "tidak boleh di masa depan" in answer.content.decode()
    assert not Event.objects.exists()


def test_heirs_documents_submission_and_payment_through_the_page(town):
    client = browser()
    record(client, town.people["Yohanes"])
    claim = Claim.objects.get()
    heir = {
        "version": claim.version,
        "relation": "spouse",
        "nik": compose("537101", dt.date(1987, 2, 2), "P", 7),
        "name": "Yuliana Bria",
    }
    assert client.post(reverse("claim_heir", args=[claim.pk]), heir).status_code == 302
    claim.refresh_from_db()
    codes = checklist.needed_documents(claim)
    sent = {"version": claim.version, "received": codes, "note_death_certificate": "AK 123/2025"}
    assert client.post(reverse("claim_documents", args=[claim.pk]), sent).status_code == 302
    claim.refresh_from_db()
    assert claim.state == "complete"
    stale = {"version": claim.version - 1, "submitted_on": "02/05/2025"}
    assert client.post(reverse("claim_submit", args=[claim.pk]), stale).status_code == 409
    fresh = {"version": claim.version, "submitted_on": "02/05/2025", "bpjs_reference": "TT-1"}
    assert client.post(reverse("claim_submit", args=[claim.pk]), fresh).status_code == 302
    claim.refresh_from_db()
    paid = {
        "version": claim.version,
        "outcome": "paid",
        "decided_on": "08/05/2025",
        "paid_amount": "42.000.000",
    }
    assert client.post(reverse("claim_decide", args=[claim.pk]), paid).status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.difference) == ("paid", 0)


def test_the_letter_and_the_exports_are_files_and_audited(town):
    client = browser()
    record(client, town.people["Yohanes"])
    claim = Claim.objects.get()
    letter = client.get(reverse("claim_letter", args=[claim.pk]))
    assert letter["Content-Type"] == "application/pdf" and b"".join(letter.streaming_content).startswith(
        b"%PDF"
    )
    sheet = client.get(reverse("claims_xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert rows[3][2] == town.people["Yohanes"].nik and rows[3][11] == 42_000_000
    handover = client.get(reverse("claims_handover"))
    assert b"".join(handover.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_a_viewer_reads_but_every_write_url_is_missing(town):
    record(browser(), town.people["Yohanes"])
    claim = Claim.objects.get()
    viewer = browser(Role.VIEWER, name="lihat")
    assert viewer.get(reverse("claim", args=[claim.pk])).status_code == 200
    assert viewer.get(reverse("claim_create", args=[town.people["Maria"].pk])).status_code == 404
    assert (
        viewer.post(reverse("claim_submit", args=[claim.pk]), {"version": claim.version}).status_code == 404
    )
