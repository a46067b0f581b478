"""A finding decided twice: the second reviewer, working from a page or a read taken before the first
decision, is refused with who decided and when; a decision can still be changed on purpose (0013)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import ApiToken, Role, User
from payung.reconcile import services
from payung.reconcile.models import Finding
from tests.api.world import FAST_HASHERS, build
from tests.web.filled import form_values


@pytest.fixture
def pair(db, tmp_path, settings) -> tuple[Finding, dict[str, Client], str]:
    """Kupang's BPJS list naming its one person, reconciled: the proposed pair, two reviewers' browsers
    and the first one's API token."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "files"
    world = build(tmp_path)
    person, operator = world.kupang.person, world.users["kupang"]
    bpjs = tmp_path / "bpjs.csv"
    bpjs.write_text(f"NO KPJ,NIK,NAMA PESERTA,TGL LAHIR\n23011111111,{person.nik},{person.name},30/04/1985\n")
    snapshot = services.upload(
        operator, world.kupang.region, bpjs, filename=bpjs.name, period=dt.date(2030, 1, 1)
    )
    run = services.run(operator, snapshot, channel="cli")
    finding = Finding.objects.get(reconciliation=run, person=person, bpjs_line__isnull=False)
    colleague = User.objects.create_user(
        "kupang2", first_name="Yosef", last_name="Lake", role=Role.OPERATOR, region_id="5371"
    )
    browsers = {"kupang": Client(), "kupang2": Client()}
    browsers["kupang"].force_login(operator)
    browsers["kupang2"].force_login(colleague)
    return finding, browsers, ApiToken.issue(operator, "ujian")[1]


def test_a_decision_from_a_page_opened_before_anothers_is_refused(pair):
    finding, browsers, _ = pair
    page = reverse("reconcile_finding", args=[finding.pk])
    review = reverse("reconcile_review", args=[finding.pk])
    mine = form_values(browsers["kupang"].get(page).content.decode())
    theirs = form_values(browsers["kupang2"].get(page).content.decode())

    accepted = {**theirs, "decision": "accept", "reason": "Orang yang sama"}
    assert browsers["kupang2"].post(review, accepted).status_code == 302
    response = browsers["kupang"].post(review, {**mine, "decision": "reject", "reason": "Orang berbeda"})

    assert response.status_code == 409
    assert "Data ini sudah diubah oleh Yosef Lake pada" in response.content.decode()
    finding.refresh_from_db()
    assert (finding.state, finding.reason) == ("accepted", "Orang yang sama")
    # Seen now, the decision may still be changed on purpose, from the page as it is.
    again = form_values(response.content.decode())
    rejected = {**again, "decision": "reject", "reason": "Orang berbeda"}
    assert browsers["kupang"].post(review, rejected).status_code == 302
    assert Finding.objects.get(pk=finding.pk).state == "rejected"


def _review(client: Client, token: str, finding: Finding, body: dict):
    url = f"/api/v1/findings/{finding.pk}/review"
    headers = {"Authorization": f"Bearer {token}"}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_over_the_api_only_an_open_finding_is_decided_without_a_version(pair):
    finding, _, token = pair
    client = Client()
    first = _review(client, token, finding, {"decision": "accept", "reason": "Orang yang sama"})
    assert first.status_code == 200 and first.json()["version"] == 1

    blind = _review(client, token, finding, {"decision": "reject", "reason": "Orang berbeda"})
    stale = _review(client, token, finding, {"decision": "reject", "reason": "Orang berbeda", "version": 0})
    assert blind.status_code == stale.status_code == 409
    assert Finding.objects.get(pk=finding.pk).state == "accepted"

    seen = _review(client, token, finding, {"decision": "reject", "reason": "Orang berbeda", "version": 1})
    assert seen.status_code == 200 and Finding.objects.get(pk=finding.pk).state == "rejected"
