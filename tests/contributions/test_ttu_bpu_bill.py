"""Kab. TTU's monthly BPU bill for its 14,880 pekerja rentan (seed 004): JKK 1 % of Rp 1,000,000 declared
income (Rp 10,000) plus JKM Rp 6,800 = Rp 16,800 each, enrolled by coverage.enrolment from the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from payung.contributions import billing
from payung.contributions.models import BillLine
from payung.coverage import enrolment
from payung.demo import load, people, slots
from payung.demo.tables import TTU_RENTAN
from payung.regions.models import Region
from tests.contributions import world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_ttu_bpu_bill_is_14880_times_16800():
    load.load(load.generate(people.TTU, scale=1.0, seed=people.DEFAULT_SEED))
    year = slots.REFERENCE_DATE.year
    pks = world.agreement(
        "5303",
        pemda_party="Pemerintah Kabupaten Timor Tengah Utara",
        bpjs_branch="BPJS Ketenagakerjaan Cabang Atambua",
        signed_on=dt.date(year, 1, 20),
        valid_from=dt.date(year, 2, 1),
        valid_to=dt.date(year, 12, 31),
        category="bpu",
        groups=["rentan"],
        programs=["JKK", "JKM"],
        jkk_class=None,
        declared_income=1_000_000,
        funding_source="apbd",
    )
    counts = enrolment.sync(pks, channel="cli")
    assert counts["people"] == TTU_RENTAN
    (bill,) = billing.generate(None, Region.objects.get(code="5303"), dt.date(year, 6, 1))
    assert bill.people == TTU_RENTAN == 14_880
    assert bill.total == TTU_RENTAN * 16_800 == 249_984_000
    assert (bill.employer, bill.worker) == (0, bill.total)  # BPU: the participant's own, paid by the Pemda
    assert bill.due_date == dt.date(year, 6, 15)  # BPU is due within the month it pays for
    per_program = dict(BillLine.objects.filter(bill=bill).values_list("program").annotate(Sum("total")))
    assert per_program == {"JKK": TTU_RENTAN * 10_000, "JKM": TTU_RENTAN * 6_800}
