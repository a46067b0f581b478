"""Rules as versioned data: the shipped file, adding versions, and every way in (CLI, web, API)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.registry.services import ValidationFailed
from payung.rules import loader, models, services
from payung.rules.models import RuleVersion
from payung.rules.queries import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return User.objects.create_superuser("root", password="x" * 12)


@pytest.fixture
def kupang_admin():
    return User.objects.create_user("adm", password="x" * 12, role=Role.ADMIN, region_id="5371")


def cap(on: str, region: str = "") -> Decimal:
    return book().at("pu.jp.wage_cap", dt.date.fromisoformat(on), region).value


def test_migrate_loads_the_shipped_rules_and_a_second_load_adds_nothing():
    assert cap("2023-05-01") == 9_559_600 and cap("2023-02-28") == 9_077_600
    report = loader.load(vars(models))
    assert (report.added, report.conflicts) == (0, [])
    assert report.kept == RuleVersion.objects.count()


def test_loading_never_changes_a_stored_version_and_reports_the_difference(tmp_path):
    changed = loader.RULES_FILE.read_text().replace('value = "0.30"', 'value = "0.31"')
    path = tmp_path / "rules.toml"
    path.write_text(changed)
    report = loader.load(vars(models), path)
    assert report.conflicts == ["pu.jkm.employer 2015-07-01: 0.3000 (file: 0.31)"]
    assert book().at("pu.jkm.employer", dt.date(2023, 1, 1)).value == Decimal("0.30")


def test_a_new_version_applies_from_its_date_only(root):
    services.add_version(
        root, services.VersionData("pu.jp.wage_cap", dt.date(2027, 3, 1), "11600000", "Surat BPJS")
    )
    assert cap("2027-02-28") == 11_086_300 and cap("2027-03-01") == 11_600_000
    event = AuditEvent.objects.get(action="rule.add")
    assert event.actor == root and Decimal(event.after["value"]) == 11_600_000


def test_a_region_version_wins_over_the_national_one_in_that_region_only(kupang_admin):
    data = services.VersionData(
        "pu.jkn.wage_floor",
        dt.date(2024, 1, 1),
        "2500000",
        "UMK Kota Kupang 2024",
        confidence="U",
        region_code="5371",
    )
    services.add_version(kupang_admin, data)
    floor = "pu.jkn.wage_floor"
    assert book().at(floor, dt.date(2024, 6, 1), "5371").value == 2_500_000
    assert book().at(floor, dt.date(2024, 6, 1), "5303").value == 2_186_826  # NTT's UMP


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "101"}, "value"),
        ({"key": "pu.jp.wage_cap", "value": "10.5"}, "value"),
        ({"source": " "}, "source"),
        ({"effective_from": dt.date(2015, 7, 1)}, "effective_from"),
        ({"effective_from": dt.date(2010, 1, 1)}, "effective_from"),
        ({"key": "pu.nope"}, "key"),
        ({"region_code": "9999"}, "region_code"),
    ],
)
def test_bad_versions_are_refused_and_nothing_is_written(root, changes, field):
    before = RuleVersion.objects.count()
    data = {
        "key": "pu.jkm.employer",
        "effective_from": dt.date(2027, 1, 1),
        "value": "0.3",
        "source": "PP",
    } | changes
    with pytest.raises(ValidationFailed) as refused:
        services.add_version(root, services.VersionData(**data))
    assert field in refused.value.errors and RuleVersion.objects.count() == before


def test_who_may_add_which_versions(kupang_admin):
    national = services.VersionData("pu.jkm.employer", dt.date(2027, 1, 1), "0.3", "PP")
    with pytest.raises(ValidationFailed, match="region_code"):
        services.add_version(kupang_admin, national)
    other = services.VersionData("pu.jkn.wage_floor", dt.date(2027, 1, 1), "1", "UMK", region_code="5303")
    with pytest.raises(ValidationFailed):
        services.add_version(kupang_admin, other)
    operator = User.objects.create_user("op", password="x" * 12, role=Role.OPERATOR, region_id="5371")
    own = services.VersionData("pu.jkn.wage_floor", dt.date(2027, 1, 1), "1", "UMK", region_code="5371")
    with pytest.raises(ValidationFailed):
        services.add_version(operator, own)


# ------------------------------------------------------------------ CLI
def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_cli_add_show_and_list():
    run(
        "rules",
        "add",
        "pu.jp.wage_cap",
        "--from",
        "2027-03-01",
        "--value",
        "11600000",
        "--source",
        "Surat BPJS",
        "--confidence",
        "U",
    )
    shown = json.loads(run("rules", "show", "pu.jp.wage_cap", "--json"))
    assert shown[0] == {**shown[0], "effective_from": "2027-03-01", "value": "11600000", "confidence": "U"}
    listed = json.loads(run("rules", "list", "--on", "2027-03-01", "--json"))
    assert {r["key"]: r["value"] for r in listed["rules"]}["pu.jp.wage_cap"] == "11600000"
    with pytest.raises(CommandError, match="Sudah ada versi"):
        run("rules", "add", "pu.jp.wage_cap", "--from", "2027-03-01", "--value", "1", "--source", "x")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("rules", "show", "pu.nope")


def test_cli_quote_json_gives_integer_rupiah_per_program_and_the_rules_used():
    data = json.loads(
        run(
            "contributions",
            "quote",
            "--category",
            "pu",
            "--wage",
            "2.500.000",
            "--programs",
            "jkk,jkm",
            "--jkk-class",
            "1",
            "--on",
            "2023-05-01",
            "--json",
        )
    )
    assert [(p["program"], p["employer"], p["worker"], p["total"]) for p in data["programs"]] == [
        ("JKK", 6000, 0, 6000),
        ("JKM", 7500, 0, 7500),
    ]
    assert data["total"] == 13_500 and data["programs"][0]["rules"][0]["source"].startswith("PP 44/2015")
    text = run("contributions", "quote", "--category", "bpu", "--income", "1000000", "--programs", "jkk,jkm")
    assert "16.800" in text


def test_cli_quote_refuses_bad_input_in_the_chosen_language():
    with pytest.raises(CommandError, match="kelompok risiko"):
        run("contributions", "quote", "--category", "pu", "--wage", "1000000", "--programs", "jkk")
    with pytest.raises(CommandError, match="No rule pu.jp.employer on 1 Jan 2014"):
        run(
            "contributions",
            "quote",
            "--category",
            "pu",
            "--wage",
            "1000000",
            "--programs",
            "jp",
            "--on",
            "2014-01-01",
            "--lang",
            "en",
        )
