"""The coverage commands: list, enrol, export and reply, acting as a user within scope."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from payung.coverage.models import Membership

D = dt.date


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def agreement(kupang):
    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1))
    kupang.hire("Maria Taolin", kupang.dinkes, start=D(2022, 7, 15))
    return kupang.agreement(valid_to=dt.date.today() + dt.timedelta(days=20))


def test_list_shows_the_agreement_with_its_expiry_warning(agreement):
    rows = json.loads(run("agreements", "list", "--json", "--user", "kupang.keuangan"))
    assert [(r["number"], r["days_left"], r["people"]) for r in rows] == [(agreement.number, 20, 0)]
    assert "berakhir dalam 20 hari" in run("agreements", "list", "--region", "5371")
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        run("agreements", "list", "--region", "5303", "--user", "kupang.keuangan")


def test_list_warns_when_every_covered_person_loses_cover_before_the_agreement_ends(kupang):
    today = dt.date.today()
    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), end=today + dt.timedelta(days=30))
    agreement = kupang.agreement(valid_from=D(2020, 1, 1), valid_to=today + dt.timedelta(days=300))
    run("enrol", "--agreement", str(agreement.pk))
    (row,) = json.loads(run("agreements", "list", "--json"))
    assert (row["days_left"], row["cover_days_left"]) == (None, 30)
    assert row["cover_ends"] == (today + dt.timedelta(days=30)).isoformat()
    text = run("agreements", "list")
    assert "semua peserta kehilangan perlindungan sesudah" in text and "(30 hari lagi)" in text


def test_enrol_twice_adds_once(agreement):
    first = json.loads(run("enrol", "--agreement", str(agreement.pk), "--json", "--user", "kupang.keuangan"))
    again = json.loads(run("enrol", "--agreement", str(agreement.pk), "--json"))
    assert (first["added"], again["added"], again["periods"]) == (2, 0, 2)
    assert Membership.objects.count() == 2


def test_enrol_needs_a_money_role_and_hides_other_tenants(agreement, kupang):
    with pytest.raises(CommandError, match="tidak berhak"):
        run("enrol", "--agreement", str(agreement.pk), "--user", "kupang.op")
    from payung.accounts.models import Role, User

    User.objects.create_user("ttu.keuangan", role=Role.FINANCE, region_id="5303")
    with pytest.raises(CommandError, match=f"PKS {agreement.pk} tidak ditemukan"):
        run("enrol", "--agreement", str(agreement.pk), "--user", "ttu.keuangan")
    assert not Membership.objects.exists()


def test_export_then_reply(agreement, kupang, tmp_path):
    run("enrol", "--agreement", str(agreement.pk))
    out = tmp_path / "kirim.xlsx"
    done = json.loads(
        run("registrations", "export", "--agreement", str(agreement.pk), "--out", str(out), "--json")
    )
    assert done["people"] == 2
    niks = [row[0] for row in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(niks) == sorted(p.nik for p in kupang.people)
    reply = tmp_path / "balasan.xlsx"
    book = Workbook()
    book.active.append(["NIK", "KPJ", "Keterangan"])
    book.active.append([kupang.people[0].nik, "23012345678", ""])
    book.active.append([kupang.people[1].nik, "123", ""])
    book.save(reply)
    text = run(
        "registrations", "reply", str(reply), "--batch", str(done["batch"]), "--user", "kupang.keuangan"
    )
    assert "Terdaftar: 1" in text and "baris 3: Nomor KPJ '123' harus 11 digit." in text
    with pytest.raises(CommandError, match="tidak ada yang perlu didaftarkan"):
        run("registrations", "export", "--agreement", str(agreement.pk), "--out", str(out))
