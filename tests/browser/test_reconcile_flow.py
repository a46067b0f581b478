"""Issue 4's acceptance test: Kota Kupang's verifier reconciles the registry with a BPJS list, in Chromium.

The BPJS list is made from the demo registry with injected differences (reconcile.synthetic.from_registry):
some staff left out (unregistered), generated people added (ghosts: billed, on no roster), typos, old
wages, other programs; two staff members are recorded as dead or gone before the month but still billed.
The verifier (demo user kupang.verifikator) uploads it, sees each finding with its rupiah, resolves some,
fixes a name in the registry, re-runs and sees what changed, downloads the corrections file for BPJS and
the named summary, whose totals add up. Screens: test-artifacts/screens/reconcile-*.png (desktop, phone).
"""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command

from payung.accounts.models import User
from payung.coverage import services as coverage_services
from payung.demo.coverage import AGREEMENTS
from payung.demo.users import DEMO_USERS
from payung.reconcile import services, synthetic
from payung.reconcile.findings import IMPACT_PARTS
from payung.reconcile.models import Finding, Reconciliation
from payung.registry import services as registry_services
from payung.registry.models import Engagement, Person
from payung.web.templatetags.payung import money
from tests.browser.conftest import PHONE, log_in, screenshot

VERIFIER = next(u for u in DEMO_USERS if u.username == "kupang.verifikator")
PERIOD = dt.date(2026, 1, 1)
GHOSTS = 15


@pytest.fixture
def kupang(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    call_command("demo-data", region=["5371"], verbosity=0)
    call_command("demo-users", verbosity=0)
    from payung.regions.models import Region

    region = Region.objects.get(code="5371")
    coverage_services.create_agreement(None, region, AGREEMENTS["5371"], channel="cli")
    return region


def bpjs_list(region, path) -> tuple[pl.DataFrame, list[Person]]:
    """The BPJS list of the demo's non-ASN with faults, and the two people it bills after they left."""
    rows = Engagement.objects.filter(person__region=region, group="non_asn").values_list(
        "person_id", "person__nik", "person__kpj", "person__name", "person__birth_date", "person__sex",
        "monthly_wage",
    )  # fmt: skip
    columns = ["person", "nik", "kpj", "name", "birth_date", "sex", "monthly_wage"]
    staff = (
        pl.DataFrame(list(rows), schema=columns, orient="row").unique("person", keep="first").sort("person")
    )
    bpjs = synthetic.from_registry(staff, seed=4, ghosts=GHOSTS)
    synthetic.write_bpjs(bpjs, path, PERIOD)
    listed = bpjs.filter(pl.col("person") > 0)["person"].unique().sort()
    gone = [Person.objects.get(pk=pk) for pk in listed[:2]]
    verifier = User.objects.get(username=VERIFIER.username)
    registry_services.change_status(
        verifier, gone[0], "deceased", dt.date(2025, 11, 2), reason="Meninggal dunia"
    )
    registry_services.change_status(
        verifier, gone[1], "ended", dt.date(2025, 9, 30), reason="Kontrak berakhir"
    )
    return bpjs, gone


def cell(page, kind: str, column: int) -> str:
    return page.locator(f"tr.finding-{kind} td").nth(column).inner_text().strip()


def decide(page, base: str, run: Reconciliation, kind: str, decision: str, reason: str) -> Finding:
    """Open the finding's list (undecided ones), the first person on it, and decide with a reason."""
    page.goto(f"{base}/rekonsiliasi/{run.pk}/temuan/?jenis={kind}&status=open")
    page.locator("table.list tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/rekonsiliasi/temuan/\d+/$"))
    pk = int(re.search(r"/temuan/(\d+)/", page.url)[1])
    page.check(f"input[name=decision][value={decision}]")
    page.fill("[name=reason]", reason)
    page.locator("form.form button.primary").click()
    page.wait_for_url(re.compile(r".*/temuan/\?jenis="))
    assert page.locator(".msg-success").count() == 1
    return Finding.objects.get(pk=pk)


def test_verifier_reconciles_with_bpjs(kupang, live_server, page, open_context, tmp_path):
    base = live_server.url
    bpjs, gone = bpjs_list(kupang, tmp_path / "peserta-bpjs-januari-2026.xlsx")
    log_in(page, live_server, VERIFIER.username, VERIFIER.password)
    page.click("nav.main-nav a[href='/rekonsiliasi/']")
    screenshot(page, "reconcile-1-upload")
    page.set_input_files("[name=file]", str(tmp_path / "peserta-bpjs-januari-2026.xlsx"))
    page.fill("[name=period]", "2026-01")
    page.locator("form.form button.primary").click()
    page.wait_for_url(re.compile(r".*/rekonsiliasi/\d+/$"))
    screenshot(page, "reconcile-2-run")

    run = Reconciliation.objects.get()
    totals = run.totals
    assert run.options["agreement"] == AGREEMENTS["5371"].number and run.snapshot.row_count == bpjs.height
    assert GHOSTS - 2 <= totals["bpjs_only"]["count"] <= GHOSTS + 2  # ghosts, give or take a lookalike
    assert totals["billed_after_end"]["count"] == 2
    assert {f.person for f in run.findings.filter(kind="billed_after_end")} == set(gone)
    assert totals["roster_only"]["count"] > 0 and totals["differences"]["count"] > 0
    parts = services.impact_parts(run)  # named parts, one column each, never one sum (decision 0018)
    for kind in ("bpjs_only", "roster_only", "differences", "billed_after_end"):
        assert cell(page, kind, 1) == f"{totals[kind]['count']:,}".replace(",", ".")
        for column, amount in enumerate(parts[kind].values(), start=4):
            assert cell(page, kind, column) == (money(amount) if amount else "—")
    assert parts["roster_only"]["cover_cost"] == totals["roster_only"]["impact"]
    assert totals["bpjs_only"]["impact"] > 0 and totals["roster_only"]["impact"] > 0

    page.click("tr.finding-bpjs_only a")
    shown = [text for text in page.locator("td.mono").all_inner_texts() if text != "—"]
    assert shown and all(re.fullmatch(r"\d{6}\*{8}\d{2}", text) for text in shown)  # NIKs masked
    screenshot(page, "reconcile-3-ghosts")
    ghost = decide(page, base, run, "bpjs_only", "deactivate", "Tidak dikenal di registri Pemkot")
    dead = decide(page, base, run, "billed_after_end", "deactivate", "Meninggal 2 November 2025")
    new = decide(page, base, run, "roster_only", "register", "Tenaga non-ASN aktif, belum terdaftar")
    page.goto(f"{base}/rekonsiliasi/temuan/{run.findings.filter(kind='differences').first().pk}/")
    screenshot(page, "reconcile-4-review")
    pair = decide(page, base, run, "differences", "accept", "Orang yang sama, data BPJS perlu dikoreksi")
    assert (ghost.state, ghost.action, dead.action, new.action) == (
        "resolved",
        "deactivate",
        "deactivate",
        "register",
    )
    assert pair.state == "accepted"

    # The registry's mistake: a name that BPJS spells right. Fixed, then the run is repeated.
    wrong = run.findings.filter(kind="differences", differences="name").exclude(pk=pair.pk).first()
    person = wrong.person
    person.name = wrong.evidence["bpjs"]["name"].title()
    person.save()
    page.goto(f"{base}/rekonsiliasi/{run.pk}/")
    page.locator("form[action$='/ulang/'] button").click()
    page.wait_for_url(re.compile(r".*/rekonsiliasi/\d+/$"))
    again = Reconciliation.objects.exclude(pk=run.pk).get()
    assert again.previous == run and page.url.endswith(f"/rekonsiliasi/{again.pk}/")
    changes = page.locator("section.changes").inner_text()
    assert "temuan selesai" in changes
    assert again.findings.get(key=ghost.key).action == "deactivate"  # decisions stay with their facts
    assert not again.findings.filter(key=wrong.key).exists()
    screenshot(page, "reconcile-5-rerun")

    with page.expect_download() as download:
        page.locator("a[href$='/koreksi-bpjs.xlsx']").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheets = {s.title: list(s.iter_rows(values_only=True)) for s in openpyxl.load_workbook(saved).worksheets}
    assert set(sheets) == {"Koreksi data", "Nonaktifkan", "Pendaftaran baru", "Sanggahan tagihan"}
    deactivated = {row[0] for row in sheets["Nonaktifkan"][1:]}
    assert deactivated == {ghost.evidence["bpjs"]["kpj"], dead.evidence["bpjs"]["kpj"]}
    assert [row[0] for row in sheets["Pendaftaran baru"][1:]] == [new.evidence["roster"]["nik"]]
    assert len(sheets["Koreksi data"]) - 1 == again.findings.filter(kind="differences").count()

    with page.expect_download() as download:
        page.locator("a[href$='/ringkasan.xlsx']").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    summary = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and isinstance(r[1], int)]
    *rows, total = summary
    assert total[0] == "Jumlah"
    for column in range(1, 7):
        assert sum(r[column] for r in rows) == total[column]  # the totals add up ...
    names = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    assert len(names) == total[1]
    parts = services.impact_parts(again)["total"]
    for column, (part, (label, _english)) in enumerate(IMPACT_PARTS.items(), start=4):
        assert total[column] == parts[part]  # ... each named part on its own, never one sum ...
        assert sum(r[7] for r in names if r[8] == label) == total[column]  # ... and so do the names

    phone = open_context(PHONE).new_page()
    log_in(phone, live_server, VERIFIER.username, VERIFIER.password)
    for name, url in (
        ("reconcile-phone-1-upload", "/rekonsiliasi/"),
        ("reconcile-phone-2-run", f"/rekonsiliasi/{again.pk}/"),
        ("reconcile-phone-3-list", f"/rekonsiliasi/{again.pk}/temuan/?jenis=roster_only"),
        ("reconcile-phone-4-review", f"/rekonsiliasi/temuan/{again.findings.get(key=pair.key).pk}/"),
    ):
        phone.goto(base + url)
        screenshot(phone, name)
