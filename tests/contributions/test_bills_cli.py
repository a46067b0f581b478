"""`payung bills generate` and `payung bills export`, acting as a user."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import User
from payung.audit.models import AuditEvent
from payung.contributions.models import Bill
from tests.contributions import world

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("bills", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pks():
    agreement = world.agreement()
    world.member(agreement, 2_000_000, dt.date(2021, 4, 10))
    return agreement


@pytest.fixture
def users():
    make = User.objects.create_user
    return {
        "finance": make("kupang.keuangan", role="finance", region_id="5371"),
        "operator": make("kupang.operator", role="operator", region_id="5371"),
        "ttu": make("ttu.keuangan", role="finance", region_id="5303"),
    }


def test_generate_json_then_refuse_twice(pks, users):
    result = json.loads(run("generate", "--region", "5371", "--period", "2023-05", "--json", "--user",
                            "kupang.keuangan"))  # fmt: skip
    assert [(r["agreement"]["number"], r["period"], r["total"]) for r in result] == [
        (pks.number, "2023-05", 4_800 + 6_000)
    ]
    assert result[0]["due_date"] == "2023-06-15" and result[0]["people"] == 1
    with pytest.raises(CommandError, match="sudah dibuat"):
        run("generate", "--region", "5371", "--period", "2023-05", "--user", "kupang.keuangan")
    with pytest.raises(CommandError, match="already exists"):
        run("generate", "--region", "5371", "--period", "2023-05", "--lang", "en")
    assert Bill.objects.count() == 1


def test_generate_refusals_and_scope(pks, users):
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("generate", "--region", "5371", "--period", "Mei 2023")
    with pytest.raises(CommandError, match="Mei 2024"):
        run("generate", "--region", "5371", "--period", "2024-05")
    with pytest.raises(CommandError, match="tidak ditemukan"):  # another tenant: not found, not forbidden
        run("generate", "--region", "5371", "--period", "2023-05", "--user", "ttu.keuangan")
    with pytest.raises(CommandError, match="tidak berhak"):
        run("generate", "--region", "5371", "--period", "2023-05", "--user", "kupang.operator")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("generate", "--region", "5371", "--period", "2023-05", "--agreement", "999999")
    assert not Bill.objects.exists()
    text = run("generate", "--region", "5371", "--period", "2023-05", "--agreement", str(pks.pk))
    assert "Rp 10.800" in text and "Mei 2023" in text


def test_export_xlsx_and_pdf_audited(pks, users, tmp_path):
    run("generate", "--region", "5371", "--period", "2023-05")
    bill = Bill.objects.get()
    for name in ("tagihan.xlsx", "surat.pdf"):
        out = tmp_path / name
        run("export", "--bill", str(bill.pk), "--out", str(out), "--user", "kupang.keuangan")
        assert out.stat().st_size > 1000
    events = AuditEvent.objects.filter(action="export", object_id=str(bill.pk))
    assert sorted(e.after["format"] for e in events) == ["pdf", "xlsx"]
    assert all(e.actor == users["finance"] and e.channel == "cli" for e in events)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("export", "--bill", str(bill.pk), "--out", str(tmp_path / "x.xlsx"), "--user", "ttu.keuangan")
    with pytest.raises(CommandError, match=".xlsx atau .pdf"):
        run("export", "--bill", str(bill.pk), "--out", str(tmp_path / "x.csv"))
