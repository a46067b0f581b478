"""`payung budget plan`: the region's current registry priced for a year, as text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.contributions import world


def plan(*args) -> str:
    out = StringIO()
    call_command("budget", "plan", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kupang(db):
    pks = world.agreement(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2027, 12, 31))
    for wage in (2_000_000, 2_000_000, 3_000_000):
        world.member(pks, wage, dt.date(2024, 6, 1))
    return pks


def test_plan_json_prices_the_registry_for_a_year(kupang):
    found = json.loads(plan("--region", "5371", "--year", "2027", "--programs", "jkk,jkm", "--jkk-class", "1",
                            "--json"))  # fmt: skip
    month = 2 * 10_800 + 16_200  # 0.54 % of 2.0 M twice and of 3.0 M
    assert found["months"] == [month] * 12
    assert found["total"] == 12 * month
    assert found["programs"] == {"JKK": 12 * (2 * 4_800 + 7_200), "JKM": 12 * (2 * 6_000 + 9_000)}
    assert found["sources"] == {"apbd": 12 * month}
    assert found["units"] == {"Dinas Lingkungan Hidup dan Kebersihan": 12 * month}
    assert found["people"] == {"non_asn": 3}


def test_plan_text_and_the_shares(kupang):
    text = plan("--region", "5371", "--year", "2027", "--programs", "jkk,jkm,jht", "--jkk-class", "1",
                "--shares", "all")  # fmt: skip
    assert "Jumlah setahun" in text and "JHT" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--year", "2010", "--programs", "jkm"), "Belum ada aturan"),
        (("--year", "2027", "--programs", "jkm,jkx"), "tidak dikenal"),
        (("--year", "2027", "--programs", "jkm", "--group", "pilot"), "Kelompok pilot"),
        (("--year", "2027", "--programs", "jkk"), "kelompok risiko"),
    ],
)
def test_bad_input_is_one_clear_line(kupang, args, words):
    with pytest.raises(CommandError, match=words):
        plan("--region", "5371", *args)


def test_another_users_region_is_not_found(kupang, django_user_model):
    from payung.accounts.models import User

    User.objects.create_user("ttu.fin", password="x" * 12, region_id="5303", role="finance")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        plan("--region", "5371", "--year", "2027", "--programs", "jkm", "--user", "ttu.fin")
