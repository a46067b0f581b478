"""The demo claims: every state on the claim pages after a fresh `make demo`, through the claim services."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from payung.audit.models import AuditEvent
from payung.claims.models import Claim
from payung.demo import claims, coverage, load, people

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def kupang():
    load.load(load.generate("5371", scale=0.2, seed=people.DEFAULT_SEED))
    coverage.load(TODAY, ["5371"])


def test_demo_claims_show_every_state_heirs_a_difference_and_a_claim_at_risk(kupang):
    assert claims.load(TODAY, ["5371"]) == {"5371": 6}
    found = {(c.program, c.state): c for c in Claim.objects.select_related("event")}
    assert {c.state for c in found.values()} == {"paid", "submitted", "complete", "draft"}
    paid = found[("JKM", "paid")]
    assert paid.computed_total == paid.paid_amount == 42_000_000 and paid.scholarships.get().state == "paid"
    assert found[("JKK", "paid")].difference == -2_000_000  # BPJS paid less than Payung computed
    risky = [c for c in Claim.objects.all() if c.verdict == "at_risk"]
    assert risky and all(c.eligibility["pemda_fault"] for c in risky)
    assert Claim.objects.filter(heirs__isnull=False).distinct().count() == 4
    assert AuditEvent.objects.filter(action="claim.create", channel="demo").count() == 6


def test_running_again_adds_nothing(kupang):
    claims.load(TODAY, ["5371"])
    out = StringIO()
    call_command("demo-claims", region=["5371"], stdout=out)
    assert Claim.objects.count() == 6 and "5371: 0 klaim demo baru" in out.getvalue()
