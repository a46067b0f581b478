"""Screenshots of every page at 1366x768 and 390x844, in Indonesian and English (test-artifacts/screens/).

Each page must load without a server error, fit the screen without cutting an amount in two (issue 13), and
show no untranslated leftovers in English. On a phone the menu shows every item, and the payment form opens
where its button is.
"""

from __future__ import annotations

import datetime as dt
import re

from payung.accounts.models import Role, User
from payung.contributions.models import Payment
from payung.reconcile import services as reconcile
from payung.registry import importer, services
from payung.registry.models import Person
from payung.registry.nik import compose
from payung.registry.services import EngagementData, PersonData
from tests.api.world import PASSWORD, build
from tests.browser.conftest import DESKTOP, PHONE, layout_faults, log_in, screenshot, switch_language
from tests.contributions import money

NAMES = [
    "Yohanes Bria",
    "Maria Goreti Seran",
    "Agustinus Nalle",
    "Fransiska Ndolu",
    "Petrus Manek",
    "Yuliana Taek",
    "Markus Lay",
    "Theresia Dethan",
    "Dominikus Tefa",
    "Veronika Bani",
    "Aloysius Kolo",
    "Kristina Fanggidae",
    "Stefanus Benu",
    "Elisabeth Nomleni",
    "Lukas Haning",
]
ROSTER = """NIK,Nama Lengkap,Tgl Lahir,Jenis Kelamin,Jabatan,Gaji
{good1},Imanuel Tlonaen,12/03/1988,L,Petugas kebersihan,2.250.000
{good2},Rambu Ana Amah,1990-07-21,P,Tenaga administrasi,2500000
5.37101E+15,Salah Format,01/01/1980,L,Sopir,2000000
53710112,Terlalu Pendek,01/01/1981,L,Sopir,2000000
{mismatch},Tanggal Berbeda,02/02/1982,P,Staf,2100000
"""


def populate(world, tmp_path) -> dict:
    """World of tests.api plus enough people, an import preview and a status change to fill the pages."""
    kupang = world.kupang
    for i, name in enumerate(NAMES):
        sex = "P" if i % 2 else "L"
        born = dt.date(1970 + i, 1 + i % 12, 3 + i)
        data = PersonData(
            nik=compose("537104", born, sex, 100 + i),
            name=name,
            sex=sex,
            birth_date=born,
            birth_place="Kupang",
            address=f"Jl. Timor Raya No. {i + 1}",
        )
        person = services.create_person(None, kupang.region, data)
        group = ["non_asn", "teacher", "non_asn", "rt_rw"][i % 4]
        services.add_engagement(
            None,
            person,
            EngagementData(
                unit_id=kupang.unit.pk,
                group=group,
                position="Petugas kebersihan",
                monthly_wage=2_250_000 + i * 50_000,
                start_date=dt.date(2024, 1, 1),
                end_date=dt.date(2025, 12, 31),
            ),
        )
    ended = Person.objects.get(name="Markus Lay")
    services.change_status(None, ended, "ended", dt.date(2025, 6, 30), reason="Kontrak tidak diperpanjang")
    roster = tmp_path / "daftar-dlhk-2025.csv"
    roster.write_text(
        ROSTER.format(
            good1=compose("537102", dt.date(1988, 3, 12), "L", 11),
            good2=compose("537102", dt.date(1990, 7, 21), "P", 12),
            mismatch=compose("537102", dt.date(1982, 2, 3), "P", 13),
        )
    )
    batches = {
        lang: importer.preview(
            roster, filename=roster.name, region=kupang.region, unit=kupang.unit, user=world.users["kupang"],
            lang=lang,
        )
        for lang in ("id", "en")
    }  # fmt: skip
    extra = {"batches": batches, "roster": roster, **money_pages(world)}
    return {**extra, **coverage_data(world, extra["finance"], tmp_path)}


def coverage_data(world, finance, tmp_path) -> dict:
    """A PKS ending in 45 days (a warning on the list), enrolled, with one registration batch answered."""
    from payung.coverage import enrolment, registration
    from payung.coverage.services import AgreementData, create_agreement

    today = dt.date.today()
    terms = AgreementData(
        number="560/PKS/017/IV/2024", title="Jaminan sosial tenaga non-ASN",
        pemda_party="Pemerintah Kota Kupang", bpjs_branch="BPJS Ketenagakerjaan Cabang Kupang",
        signed_on=dt.date(2024, 3, 20), valid_from=dt.date(2024, 4, 10),
        valid_to=today + dt.timedelta(days=45), groups=["non_asn", "teacher"],
        programs=["JKK", "JKM"], jkk_class=1, budget_account="5.1.02.01.01.0003",
    )  # fmt: skip
    agreement = create_agreement(finance, world.kupang.region, terms)
    enrolment.sync(agreement, user=finance)
    batch = registration.create_batch(finance, agreement)
    first = batch.entries.select_related("person").first().person
    reply = tmp_path / "balasan-bpjs.csv"
    reply.write_text(f"NIK;KPJ;Status;Keterangan\n{first.nik};23012345678;Terdaftar;\n")
    registration.reply(finance, batch, reply)
    return {"agreement": agreement, "covered": first}


def visit_coverage(page, live_server, extra, size: str, lang: str) -> None:
    """The treasurer's PKS pages: list with its expiry warning, detail, forms (one with inline errors) and the
    person page's coverage periods."""
    log_in(page, live_server, "kupang.keuangan", PASSWORD)
    if lang == "en":
        switch_language(page, "en")
    agreement = extra["agreement"]
    for name, path in (
        ("agreements", "/pks/"),
        ("agreement", f"/pks/{agreement.pk}/"),
        ("agreement-create", "/pks/baru/"),
        ("agreement-edit", f"/pks/{agreement.pk}/ubah/"),
        ("person-coverage", f"/orang/{extra['covered'].pk}/#kepesertaan"),
    ):
        assert page.goto(live_server.url + path).status == 200, name
        screenshot(page, f"{name}-{size}-{lang}")
    if size == "desktop":
        page.goto(f"{live_server.url}/pks/baru/")
        page.fill("#id_number", "PKS/UJI")
        page.fill("#id_valid_from", "10/04/2024")
        page.fill("#id_valid_to", "01/01/2024")
        page.click("form.form button.primary")
        assert page.locator(".field.invalid").count() >= 2
        screenshot(page, f"agreement-create-errors-{size}-{lang}")


def money_pages(world) -> dict:
    """A May 2023 bill of the Kupang people (with a correction line and a partial payment) and four unpaid
    months of a BPU agreement, so the bill, arrears and ledger pages show every part."""
    kupang = world.kupang
    people = list(Person.objects.filter(region=kupang.region).order_by("pk"))
    agreement = money.agreement(kupang.region, "PKS/BPJS-KPG/2021", late_fine=True)
    lines = [
        money.Line(p, kupang.unit, prog, amt)
        for p in people
        for prog, amt in (("JKK", 5_400), ("JKM", 6_750))
    ]
    lines.append(money.Line(people[1], kupang.unit, "JKK", 600, period=dt.date(2023, 4, 1)))
    bill = money.bill(agreement, dt.date(2023, 5, 1), lines)
    Payment.objects.create(
        bill=bill, paid_on=dt.date(2023, 6, 12), amount=150_000, reference="SP2D-0456/LS/2023"
    )
    bpu = money.agreement(kupang.region, "PKS/BPU-KPG/2023", category="bpu", valid_to=dt.date(2025, 12, 31))
    rentan = people[-3:]
    for month in money.months(dt.date(2023, 1, 1), 4):
        money.bill(
            bpu,
            month,
            [money.Line(p, kupang.unit, "JKM", 6_800) for p in rentan],
            due_date=month.replace(day=15),
        )
    finance = User.objects.create_user(
        "kupang.keuangan", password=PASSWORD, role=Role.FINANCE, region=kupang.region
    )
    return {"bill": bill, "finance": finance}


def reconcile_pages(world, tmp_path) -> dict:
    """A BPJS list of the Kupang people with one left out, one ghost, a misspelt name and an old wage,
    reconciled twice (the second run shows what changed), with one finding decided."""
    people = list(Person.objects.filter(region=world.kupang.region).order_by("pk"))
    lines = ["NO KPJ,NIK,NAMA PESERTA,TGL LAHIR,UPAH DILAPORKAN,IURAN,PROGRAM"]
    for i, p in enumerate(people[1:]):
        name = p.name.upper().replace("A", "E", 1) if i == 2 else p.name.upper()
        wage = 1_800_000 if i == 3 else 2_000_000
        lines.append(
            f"2301{i:07d},{p.nik},{name},{p.birth_date:%d/%m/%Y},{wage},{wage * 54 // 10_000},JKK JKM"
        )
    lines.append(
        f"23019999999,{compose('537101', dt.date(1979, 5, 5), 'L', 901)},PAULUS LEKI,05/05/1979,"
        "2000000,10800,JKK JKM"
    )
    bpjs = tmp_path / "peserta-bpjs.csv"
    bpjs.write_text("\n".join(lines) + "\n")
    kupang = world.users["kupang"]
    snapshot = reconcile.upload(
        kupang, world.kupang.region, bpjs, filename=bpjs.name, period=dt.date(2025, 6, 1)
    )
    first = reconcile.run(kupang, snapshot)
    ghost = first.findings.filter(kind="bpjs_only").first()
    reconcile.act(kupang, ghost, "deactivate", reason="Tidak dikenal di registri")
    run = reconcile.run(kupang, snapshot)
    pair = run.findings.filter(kind="differences").first()
    return {"run": run, "pair": pair}


def pages(world, extra, lang: str) -> list[tuple[str, str]]:
    person = world.kupang.person
    return [
        ("home", "/"),
        ("people", "/orang/"),
        ("people-search", "/orang/?q=Mari+Bere"),
        ("person", f"/orang/{person.pk}/"),
        ("person-create", "/orang/baru/"),
        ("person-edit", f"/orang/{person.pk}/ubah/"),
        ("engagement-add", f"/orang/{person.pk}/penugasan/"),
        ("status-change", f"/orang/{person.pk}/status/"),
        ("import-upload", "/impor/"),
        ("import-preview", f"/impor/{extra['batches'][lang].pk}/"),
        ("import-history", "/impor/riwayat/"),
        ("duplicates", "/duplikat/"),
        ("duplicate-compare", f"/duplikat/{world.kupang.candidate.pk}/"),
        ("password-change", "/kata-sandi/"),
        ("rules", "/aturan/?on=01/05/2023"),
        (
            "calculator",
            "/kalkulator/?category=pu&amount=2500000&programs=JKK&programs=JKM&programs=JHT"
            "&programs=JP&jkk_class=1&on=01/05/2023",
        ),
        ("bill", f"/tagihan/{extra['bill'].pk}/"),
        ("bills", "/tagihan/"),
        ("arrears", "/tunggakan/"),
        ("ledger", f"/orang/{world.kupang.twin.pk}/buku-besar/"),
        ("reconcile", "/rekonsiliasi/"),
        ("reconciliation", f"/rekonsiliasi/{extra['run'].pk}/"),
        ("reconcile-findings", f"/rekonsiliasi/{extra['run'].pk}/temuan/?jenis=differences"),
        ("reconcile-finding", f"/rekonsiliasi/temuan/{extra['pair'].pk}/"),
        ("not-found", "/orang/999999/"),
    ]


def visit_all(page, live_server, world, extra, size: str, lang: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    screenshot(page, f"login-{size}-id")
    log_in(page, live_server, "kupang", PASSWORD)
    if lang == "en":
        switch_language(page, "en")
        assert page.locator("html").get_attribute("lang") == "en"
    for name, path in pages(world, extra, lang):
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not-found" else 200), name
        # Nothing may widen the page past a phone's screen (wide tables scroll inside their cards or become
        # cards), and no amount is broken across lines.
        assert layout_faults(page) == [], name
        screenshot(page, f"{name}-{size}-{lang}")
    if size == "phone":
        open_the_phone_menu(page, live_server, lang)


def open_the_phone_menu(page, live_server, lang: str) -> None:
    """The phone menu: one button; opened, every item of the desktop menu is on screen, none cut off."""
    page.goto(f"{live_server.url}/tagihan/")
    assert not page.locator(".main-nav").is_visible()
    page.click(".phone-nav summary")
    items = page.locator(".phone-menu a")
    assert items.count() == page.locator(".main-nav a").count() >= 9
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.locator(".phone-menu a[aria-current]").inner_text() in ("Tagihan", "Bills")
    screenshot(page, f"menu-phone-{lang}")


def upload_through_the_wizard(page, live_server, roster, lang: str) -> None:
    """The upload form's script sends the file with a progress bar and lands on the preview."""
    page.goto(f"{live_server.url}/impor/")
    page.set_input_files("#id_file", str(roster))
    page.select_option("#id_unit", label="Dinas Kota Kupang")
    page.click("form[data-upload] button.primary")
    page.wait_for_url(re.compile(r".*/impor/\d+/$"))
    assert page.locator("table.issues tbody tr").count() == 3
    screenshot(page, f"import-uploaded-desktop-{lang}")


def show_errors_and_log_out(page, live_server, lang: str) -> None:
    """The create form with its inline errors, the account menu, and the login page after logging out."""
    page.goto(f"{live_server.url}/orang/baru/")
    page.fill("#id_nik", "5371")
    page.click("form.form button.primary")
    assert page.locator(".field.invalid").count() >= 2
    screenshot(page, f"person-create-errors-desktop-{lang}")
    page.click(".account summary")
    screenshot(page, f"account-menu-desktop-{lang}")
    page.click(".account .link")
    page.wait_for_url(f"{live_server.url}/masuk/")
    screenshot(page, f"logged-out-desktop-{lang}")


def pay_too_much(page, live_server, bill, lang: str) -> None:
    """The treasurer's view of the bill: the payment form refusing more than what is still due."""
    log_in(page, live_server, "kupang.keuangan", PASSWORD)
    if lang == "en":
        switch_language(page, "en")
    page.goto(f"{live_server.url}/tagihan/{bill.pk}/")
    # The form opens under its button, near the top of the page, not after hundreds of bill lines.
    page.click("#bayar summary")
    button, form = (page.locator(f"#bayar {part}").bounding_box() for part in ("summary", "form"))
    assert 0 < form["y"] - button["y"] < 80 and form["y"] < 600
    page.fill("#id_paid_on", "20-06-2023")
    page.fill("#id_amount", "999.999.999")
    page.fill("#id_reference", "SP2D-0789/LS/2023")
    with page.expect_navigation():
        page.click("#bayar button.primary")
    assert page.locator("#bayar .field.invalid").count() == 1  # shown again, open, with its error
    screenshot(page, f"bill-overpaid-desktop-{lang}")


def test_every_page(transactional_db, live_server, open_context, tmp_path, settings):
    """One test for all four runs: a transactional test empties the region table when it ends."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build(tmp_path)
    extra = populate(world, tmp_path)
    extra |= reconcile_pages(world, tmp_path)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for lang in ("id", "en"):
            page = open_context(viewport, "id").new_page()
            visit_all(page, live_server, world, extra, size, lang)
            if size == "desktop":
                upload_through_the_wizard(page, live_server, extra["roster"], lang)
                show_errors_and_log_out(page, live_server, lang)
                pay_too_much(open_context(viewport, "id").new_page(), live_server, extra["bill"], lang)
            visit_coverage(open_context(viewport, "id").new_page(), live_server, extra, size, lang)
