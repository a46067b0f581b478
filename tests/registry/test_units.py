"""`payung units add` and `payung units list`: a unit's kind follows from its group, refusals are one clear
Indonesian message, and every addition is on the audit trail."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.registry.models import Unit

pytestmark = pytest.mark.django_db

DESA = "5371011001"  # Kel. Namosain, Kota Kupang


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_user("kupang.op", role=Role.OPERATOR, region_id="5371")


def run(*args: str) -> str:
    out = StringIO()
    call_command("units", *args, "--user", "kupang.op", stdout=out)
    return out.getvalue()


def add(code: str, name: str, *more: str) -> dict:
    return json.loads(run("add", "--region", "5371", "--code", code, "--name", name, "--json", *more))


@pytest.mark.parametrize(
    ("code", "group", "kind", "village"),
    [
        ("DLHK", "non_asn", "opd", None),
        ("SD-OESAPA", "teacher", "school", None),
        (DESA, "rentan", "village", DESA),
        ("KELOMPOK-NELAYAN", "rentan", "opd", None),  # a village group without a desa code: as an import does
    ],
)
def test_the_group_sets_the_kind_as_an_import_would(operator, code, group, kind, village):
    added = add(code, "Unit  Contoh", "--group", group)
    assert (added["code"], added["name"], added["kind"], added["village"]) == (
        code,
        "Unit Contoh",
        kind,
        village,
    )
    event = AuditEvent.objects.get(action="unit.create")
    assert (event.actor, event.channel, event.object_id) == (operator, "cli", str(added["id"]))


def test_list_shows_the_units_in_text_and_json(operator):
    assert run("list").strip() == "Belum ada unit."
    add("DLHK", "Dinas Lingkungan Hidup")
    add("SD-OESAPA", "SD Inpres Oesapa", "--group", "teacher")
    assert run("list", "--region", "5371").splitlines() == [
        "5371 DLHK · Dinas Lingkungan Hidup · Perangkat daerah (OPD)",
        "5371 SD-OESAPA · SD Inpres Oesapa · Sekolah",
    ]
    assert [u["code"] for u in json.loads(run("list", "--json"))] == ["DLHK", "SD-OESAPA"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--region", "5399", "--code", "X", "--name", "X"), "Wilayah 5399 tidak ditemukan."),
        (
            ("--region", "5371", "--code", "DLHK", "--name", "Lain"),
            "Unit berkode DLHK sudah ada di wilayah ini.",
        ),
        (
            ("--region", "5371", "--code", "X", "--name", "X", "--group", "guru"),
            "Kelompok guru tidak dikenal",
        ),
        (("--region", "5371", "--code", "5371019999", "--name", "X", "--group", "rt_rw"), "Desa/kelurahan"),
        (("--region", "5371", "--code", " ", "--name", "X"), "Kode unit wajib diisi."),
        (("--region", "5371", "--code", "X", "--name", " "), "Nama unit wajib diisi."),
        (("--region", "5371", "--code", "X" * 41, "--name", "X"), "paling panjang 40 karakter"),
    ],
)
def test_refusals_are_one_message_and_write_nothing(operator, args, message):
    add("DLHK", "Dinas Lingkungan Hidup")
    with pytest.raises(CommandError, match=message):
        run("add", *args)
    assert list(Unit.objects.values_list("code", flat=True)) == ["DLHK"]
    assert AuditEvent.objects.filter(action="unit.create").count() == 1
