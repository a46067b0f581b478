"""Issue 2's acceptance test: what a new Kota Kupang operator does on the first day, in Debian's Chromium.

Log in, import the example roster from docs/examples (with bad rows), read the errors, download the error
file, fix it and import it again, find a person by a misspelt name, and resolve a duplicate. Every step
leaves a screenshot in test-artifacts/screens/operator-*.png.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from payung.registry import nik, parsing
from payung.registry.models import DuplicateCandidate, ImportBatch, Person
from tests.browser.conftest import log_in, screenshot

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ROSTER = EXAMPLES / "roster-kota-kupang.xlsx"
TRUTH = json.loads((EXAMPLES / "roster-kota-kupang.truth.json").read_text())
HEADERS = TRUTH["headers"]


@pytest.fixture
def kupang(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo-data", region=["5371"], verbosity=0)
    call_command("demo-users", verbosity=0)


def fix_row(row: dict[str, object], reason: str) -> dict[str, object] | None:
    """What an operator does with each rejected row, knowing only the row and its reason (None: delete)."""
    header = HEADERS
    if "sudah ada di baris" in reason:
        return None  # the same person twice in the file: the first row was imported
    fixed = dict(row)
    if not fixed[header["name"]]:
        fixed[header["name"]] = "Yustina Bana"
    wage = str(fixed[header["monthly_wage"]] or "")
    if wage and not any(ch.isdigit() for ch in wage):
        fixed[header["monthly_wage"]] = "2000000"
    code = nik.clean(fixed[header["nik"]])
    born = parsing.parse_date(fixed[header["birth_date"]])
    sex = parsing.parse_sex(fixed[header["sex"]])
    info = nik.parse(code, sex=sex)
    if info.valid and born and info.birth_date != born:
        fixed[header["birth_date"]] = info.birth_date.strftime("%d/%m/%Y")  # day and month were swapped
    elif not info.valid:  # retyped from the KTP: the operator's copy has the right digits
        sequence = 1 if code.endswith("0000") else 77
        fixed[header["nik"]] = nik.compose(code[:6] if len(code) >= 6 else "537101", born, sex, sequence)
    return fixed


def fix_error_file(downloaded: Path, fixed_path: Path) -> int:
    book = openpyxl.load_workbook(downloaded)
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    columns, data = list(rows[0]), rows[1:]
    out = openpyxl.Workbook()
    target = out.active
    target.append(columns[:-1])  # the reason column goes; the importer would ignore it anyway
    kept = 0
    for values in data:
        record = dict(zip(columns, values, strict=True))
        fixed = fix_row(record, str(record[columns[-1]]))
        if fixed is not None:
            target.append([fixed[c] for c in columns[:-1]])
            kept += 1
    out.save(fixed_path)
    return kept


def upload(page, live_server, path: Path) -> int:
    page.goto(f"{live_server.url}/impor/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form[data-upload] button.primary")
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


@pytest.mark.django_db(transaction=True)
def test_a_new_operator_imports_fixes_finds_and_merges(kupang, live_server, page, tmp_path):
    people_before = Person.objects.filter(region_id="5371").count()

    log_in(page, live_server, "kupang.operator", "kupang-operator-demo")
    screenshot(page, "operator-1-home")

    batch_id = upload(page, live_server, ROSTER)
    screenshot(page, "operator-2-preview")
    bad_lines = sorted(f["line"] for f in TRUTH["faults"] if f["code"])
    assert len(bad_lines) == TRUTH["rejected"]
    table = page.locator("table").filter(has_text=str(bad_lines[0])).first.inner_text()
    for line in bad_lines:
        assert re.search(rf"\b{line}\b", table), f"line {line} is not listed among the errors"
    assert "0000" in table or "urut" in table  # the reasons are there, in Indonesian

    with page.expect_download() as download_info:
        page.click(f"a[href$='/impor/{batch_id}/berkas-galat/']")
    downloaded = tmp_path / "galat.xlsx"
    download_info.value.save_as(downloaded)

    page.click("form[action$='/simpan/'] button")
    page.wait_for_url(re.compile(rf"/impor/{batch_id}/$"))
    screenshot(page, "operator-3-committed")
    first = ImportBatch.objects.get(pk=batch_id)
    assert first.rejected == len(bad_lines)
    assert first.imported == TRUTH["data_rows"] - len(bad_lines)

    fixed = tmp_path / "diperbaiki.xlsx"
    resubmitted = fix_error_file(downloaded, fixed)
    assert resubmitted == len(bad_lines) - 1  # the row entered twice is deleted, not fixed
    second_id = upload(page, live_server, fixed)
    screenshot(page, "operator-4-fixed-preview")
    page.click("form[action$='/simpan/'] button")
    page.wait_for_url(re.compile(rf"/impor/{second_id}/$"))
    second = ImportBatch.objects.get(pk=second_id)
    assert (second.rejected, second.imported) == (0, resubmitted)
    assert Person.objects.filter(region_id="5371").count() == people_before + TRUTH["data_rows"] - 1

    page.goto(f"{live_server.url}/orang/")
    page.fill("input[name=q]", "Agustina Fernandes")  # registered as "Agustina Fernandez, S.Sos."
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Agustina"))
    screenshot(page, "operator-5-search")
    assert page.locator("table a", has_text="Agustina Fernandez").count() >= 1

    page.goto(f"{live_server.url}/duplikat/")
    # The search learns its model from the region's people: seconds on a quiet machine, more on a busy one.
    with page.expect_navigation(timeout=90_000):
        page.click("form[action$='/duplikat/cari/'] button", no_wait_after=True)
    screenshot(page, "operator-6-duplicates")
    row = page.locator("tr", has_text="Karman Zulkarnain").first
    row.locator("a", has_text=re.compile("Bandingkan|Compare")).click()
    screenshot(page, "operator-7-compare")
    candidate_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.check("input[name=keep][value=left]")
    reason = "Orang yang sama: NIK salah ketik satu digit."
    page.fill("form[action$='/gabung/'] textarea[name=reason]", reason)
    page.click("form[action$='/gabung/'] button")
    page.wait_for_load_state()
    screenshot(page, "operator-8-merged")
    candidate = DuplicateCandidate.objects.get(pk=candidate_id)
    assert candidate.state == DuplicateCandidate.State.MERGED
    assert candidate.reason.startswith("Orang yang sama")
