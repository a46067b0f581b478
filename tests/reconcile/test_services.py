"""The database-backed reconciliation on Kota Kupang's demo registry: upload, run, review, re-run, exports.

The BPJS list is made from the registry itself with injected differences (reconcile.synthetic.from_registry),
so the truth is known: people left out are the unregistered, generated people are the ghosts.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import openpyxl
import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from payung import formats
from payung.accounts.models import Role, User
from payung.audit.models import AuditEvent
from payung.coverage.models import Agreement
from payung.reconcile import exports, findings, services, synthetic
from payung.reconcile.errors import ReconcileProblem
from payung.reconcile.models import BpjsSnapshot, Finding, Reconciliation
from payung.regions.models import Region
from payung.registry import services as registry_services
from payung.registry.models import Engagement, Person

PERIOD = dt.date(2026, 1, 1)


@pytest.fixture
def kupang(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5371"], verbosity=0)
    region = Region.objects.get(code="5371")
    Agreement.objects.create(
        region=region, number="PKS/UJI", pemda_party="Pemkot", bpjs_branch="Kupang",
        signed_on=dt.date(2024, 4, 2), valid_from=dt.date(2024, 4, 10), valid_to=dt.date(2027, 4, 9),
        category="pu", groups=["non_asn"], programs=["JKK", "JKM"], jkk_class=1,
    )  # fmt: skip
    user = User.objects.create_user("verif", role=Role.VERIFIER, region=region)
    return region, user


def staff(region) -> pl.DataFrame:
    rows = Engagement.objects.filter(person__region=region, group="non_asn").values_list(
        "person_id", "person__nik", "person__kpj", "person__name", "person__birth_date", "person__sex",
        "monthly_wage",
    ).order_by("person_id", "id")  # fmt: skip
    columns = ["person", "nik", "kpj", "name", "birth_date", "sex", "monthly_wage"]
    frame = pl.DataFrame(list(rows), schema=columns, orient="row")
    return frame.unique("person", keep="first", maintain_order=True)  # the BPJS faults are drawn by position


def bpjs_file(region, path, *, ghosts=20, seed=1):
    bpjs = synthetic.from_registry(staff(region), seed=seed, ghosts=ghosts)
    synthetic.write_bpjs(bpjs, path, PERIOD)
    return bpjs


def test_upload_run_review_rerun_and_exports(kupang, tmp_path):
    region, user = kupang
    bpjs = bpjs_file(region, tmp_path / "bpjs.xlsx")
    # Someone BPJS lists once, under the registry's own NIK: found by NIK once their contract has ended.
    registry = staff(region).select("person", pl.col("nik").alias("registry_nik"))
    listed_once = bpjs.filter(pl.col("person") > 0, pl.col("person").is_unique()).join(registry, on="person")
    dead = Person.objects.get(pk=listed_once.filter(pl.col("nik") == pl.col("registry_nik"))["person"][0])
    registry_services.change_status(user, dead, "deceased", dt.date(2025, 10, 3), reason="Meninggal")
    snapshot = services.upload(user, region, tmp_path / "bpjs.xlsx", filename="bpjs.xlsx", period=PERIOD)
    assert snapshot.kind == "bill" and snapshot.row_count == bpjs.height
    run = services.run(user, snapshot)
    totals = run.totals
    listed = set(bpjs["person"].to_list())
    on_roster = run.roster_rows
    assert totals["bpjs_only"]["count"] >= 18  # the 20 ghosts, give or take one the model pairs
    dead_rows = list(
        Finding.objects.filter(reconciliation=run, person=dead).values(
            "kind", "stage", "score", "differences", "bpjs_line", "roster_line"
        )
    )
    assert totals["billed_after_end"]["count"] == 1, dead_rows
    after_end = Finding.objects.get(reconciliation=run, kind="billed_after_end")
    assert after_end.person == dead and after_end.impact == after_end.billed > 0
    unregistered = on_roster - len([p for p in listed if p > 0 and p != dead.pk])
    assert abs(totals["roster_only"]["count"] - unregistered) <= 3
    assert totals["differences"]["count"] > 0
    assert sum(t["count"] for t in totals.values()) == Finding.objects.filter(reconciliation=run).count()

    ghost = Finding.objects.filter(reconciliation=run, kind="bpjs_only").first()
    with pytest.raises(registry_services.ValidationFailed):
        services.act(user, ghost, "register", reason="x")
    with pytest.raises(registry_services.ValidationFailed):
        services.act(user, ghost, "deactivate", reason=" ")
    services.act(user, ghost, "deactivate", reason="Tidak dikenal di registri")
    new = Finding.objects.filter(reconciliation=run, kind="roster_only").first()
    services.act(user, new, "register", reason="Belum terdaftar")
    pair = Finding.objects.filter(reconciliation=run, kind="differences").first()
    services.decide(user, pair, True, reason="Orang yang sama")
    monitor = User.objects.create_user("prov", role=Role.PROVINCE, region_id="53")
    with pytest.raises(PermissionDenied):
        services.act(monitor, new, "register", reason="x")

    # Fix the registry: register the unregistered person's KPJ-less twin? No: correct a name instead.
    fixed = Finding.objects.filter(reconciliation=run, kind="differences", differences="name").first()
    if fixed is not None:
        person = fixed.person
        person.name = fixed.evidence["bpjs"]["name"]
        person.save()
    again = services.run(user, snapshot)
    assert again.previous == run
    kept = Finding.objects.get(reconciliation=again, key=ghost.key)
    assert (kept.state, kept.action) == ("resolved", "deactivate")
    change = services.changes(again)
    assert {c["kind"] for c in change.counts} == set(services.KINDS)
    if fixed is not None:
        assert fixed.key in {f.key for f in change.closed}

    corrections = exports.bpjs_xlsx(again, tmp_path / "koreksi.xlsx")
    book = openpyxl.load_workbook(tmp_path / "koreksi.xlsx", read_only=True)
    sheets = {s.title: [r for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    assert corrections == sum(len(rows) - 1 for rows in sheets.values())
    assert any(ghost.evidence["bpjs"]["kpj"] in row for rows in sheets.values() for row in rows)

    exports.summary_xlsx(again, tmp_path / "ringkasan.xlsx")
    summary = openpyxl.load_workbook(tmp_path / "ringkasan.xlsx", read_only=True)
    head = list(summary.worksheets[0].iter_rows(values_only=True))
    body = [r for r in head if r and r[0] in {services.LABELS[k][0] for k in services.KINDS}]
    total = next(r for r in head if r and r[0] == "Jumlah")
    parts = {label: 4 + i for i, (label, _en) in enumerate(findings.IMPACT_PARTS.values())}
    assert [sum(r[i] for r in body) for i in (1, *parts.values())] == [total[i] for i in (1, *parts.values())]
    names = list(summary.worksheets[1].iter_rows(values_only=True))[1:]
    for label, column in parts.items():  # each named part adds up by name; no part is added to another
        assert sum(r[7] for r in names if r[8] == label) == total[column]
    assert AuditEvent.objects.filter(action="reconcile.review").count() == 3


def test_refusals_store_nothing(kupang, tmp_path):
    region, user = kupang
    empty = tmp_path / "kosong.csv"
    empty.write_text("")
    with pytest.raises(ReconcileProblem):
        services.upload(user, region, empty, filename="kosong.csv", period=PERIOD)
    repeated = tmp_path / "ganda.csv"
    repeated.write_text("NO KPJ,NAMA PESERTA,NIK\n123,A,5371010101900001\n123,B,5371010101900002\n")
    with pytest.raises(ReconcileProblem) as problem:
        services.upload(user, region, repeated, filename="ganda.csv", period=PERIOD)
    assert problem.value.code == "duplicate_kpj"
    other = tmp_path / "lain.xlsx"
    ttu = synthetic.generate(30, seed=3, region="5303").bpjs
    synthetic.write_bpjs(ttu, other, PERIOD)
    with pytest.raises(ReconcileProblem) as problem:
        services.upload(user, region, other, filename="lain.xlsx", period=PERIOD)
    assert problem.value.code == "other_region" and "Timor Tengah Utara" in problem.value.text()
    assert not BpjsSnapshot.objects.exists()
    assert not list((tmp_path / "files").rglob("*.parquet")) if (tmp_path / "files").exists() else True


def test_command_against_the_stored_registry(kupang, tmp_path):
    region, user = kupang
    bpjs_file(region, tmp_path / "bpjs.csv", ghosts=5)
    out = StringIO()
    args = ("reconcile", "--region", "5371", str(tmp_path / "bpjs.csv"), "--period", "2026-01", "--json")
    call_command(*args, "--user", "verif", stdout=out)
    printed = json.loads(out.getvalue())
    run = Reconciliation.objects.get(pk=printed["reconciliation"])
    assert printed["totals"] == run.totals and printed["period"] == "2026-01"
    assert sum(t["count"] for t in run.totals.values()) == run.findings.count()
    assert AuditEvent.objects.filter(action="reconcile.run", channel="cli", actor=user).exists()
    User.objects.create_user("lihat", role=Role.VIEWER, region=region)
    with pytest.raises(CommandError, match="tidak berhak"):
        call_command(*args, "--user", "lihat", stdout=StringIO())
    with pytest.raises(CommandError, match="5303 tidak ditemukan"):
        call_command(*args[:2], "5303", *args[3:], "--user", "verif", stdout=StringIO())
    assert Reconciliation.objects.count() == 1


def test_a_rejected_pair_is_not_proposed_again(kupang, tmp_path):
    region, user = kupang
    bpjs_file(region, tmp_path / "bpjs.xlsx", ghosts=0)
    snapshot = services.upload(user, region, tmp_path / "bpjs.xlsx", filename="bpjs.xlsx", period=PERIOD)
    first = services.run(user, snapshot)
    pair = Finding.objects.filter(reconciliation=first, kind="differences").exclude(person=None).first()
    services.decide(user, pair, False, reason="NIK sama, orangnya lain")
    person, bpjs_kpj = pair.person_id, pair.evidence["bpjs"]["kpj"]

    for run in (services.run(user, snapshot), services.run(user, snapshot)):  # and the run after that
        found = Finding.objects.filter(reconciliation=run)
        assert not found.filter(kind__in=services.PAIRED, person_id=person).exists()
        assert found.filter(kind="roster_only", person_id=person).exists()
        ghost = found.get(bpjs_line=pair.bpjs_line)
        assert ghost.kind == "bpjs_only" and ghost.evidence["bpjs"]["kpj"] == bpjs_kpj
        assert run.totals["roster_only"]["count"] == first.totals["roster_only"]["count"] + 1
        assert run.totals["differences"]["count"] == first.totals["differences"]["count"] - 1


def test_the_money_at_stake_is_named_in_parts_never_one_sum(kupang, tmp_path, client):
    """Issue 13, point 8: the one 'Dampak' figure added money paid too much to the cost of covering the
    unregistered. Each part is now its own named sum, on the page and in the summary."""
    region, user = kupang
    bpjs_file(region, tmp_path / "bpjs.xlsx")
    snapshot = services.upload(user, region, tmp_path / "bpjs.xlsx", filename="bpjs.xlsx", period=PERIOD)
    run = services.run(user, snapshot)
    found = list(Finding.objects.filter(reconciliation=run).values_list("kind", "impact"))
    parts = services.impact_parts(run)["total"]
    assert parts["cover_cost"] == sum(i for k, i in found if k == "roster_only") > 0
    assert parts["overpaid"] == sum(i for k, i in found if k != "roster_only" and i > 0) > 0
    assert parts["underbilled"] == -sum(i for k, i in found if k != "roster_only" and i < 0) > 0
    client.force_login(user)
    page = client.get(reverse("reconciliation", args=[run.pk])).content.decode()
    for (label, _english), amount in zip(findings.IMPACT_PARTS.values(), parts.values(), strict=True):
        assert label in page and formats.format_rupiah(amount) in page
    assert "Dampak" not in page
    one_sum = sum(i for _, i in found)
    assert formats.format_rupiah(one_sum) not in page
