"""The import service, the bulk writer and the `payung import roster` command, on a real database."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import openpyxl
import polars as pl
import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import IntegrityError
from django.utils import translation

from payung.audit.models import AuditEvent
from payung.regions.models import Region
from payung.registry import bulk, importer
from payung.registry.models import Engagement, ImportBatch, Person, Unit
from tests.registry.test_roster import GOOD, HEADER, NIK_F, NIK_M, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

BAD = ["5.37101E+15", "Yohanes Bria", "30/04/1985", "L", "abc", "Dinas Kesehatan"]
FIX = [NIK_M, "Yohanes Bria", "30/04/1985", "L", "2500000", "Dinas Kesehatan"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def kupang():
    return Region.objects.get(code="5371")


@pytest.fixture
def ttu():
    return Region.objects.get(code="5303")


@pytest.fixture
def operator(django_user_model, kupang):
    return django_user_model.objects.create_user("op", password="x" * 12, role="operator", region=kupang)


def run(path, region, **options):
    return importer.run(path, filename=path.name, region=region, **options)


def test_preview_writes_no_person_and_stores_issues(tmp_path, kupang, operator):
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], BAD])
    batch = importer.preview(path, filename="r.csv", region=kupang, user=operator)
    assert batch.state == ImportBatch.State.PREVIEW and Person.objects.count() == 0
    assert (batch.total_rows, batch.rejected, batch.uploaded_by) == (2, 1, operator)
    issue = batch.issues.get(code="scientific")
    assert (issue.line, issue.column, issue.severity) == (3, "NIK", "error")
    assert "notasi ilmiah" in issue.message
    assert batch.issues.filter(code="wage_invalid", column="Gaji").exists()
    assert len(batch.sha256) == 64 and batch.error_file.endswith("/upload-ditolak.xlsx")


def test_commit_after_preview_in_another_request(tmp_path, kupang, operator):
    path = write_csv(tmp_path / "r.csv", [HEADER, *GOOD])
    batch_id = importer.preview(path, filename="r.csv", region=kupang, user=operator).pk
    path.unlink()  # the browser's temporary upload is gone by the next request
    batch = importer.commit(ImportBatch.objects.get(pk=batch_id), user=operator)
    assert (batch.state, batch.imported, batch.rejected) == (ImportBatch.State.COMMITTED, 2, 0)
    maria = Person.objects.get(nik=NIK_F)
    assert (maria.name, maria.sex, maria.birth_date, maria.region_id) == (
        "Maria Goreti",
        "P",
        dt.date(1985, 4, 30),
        "5371",
    )
    assert maria.name_key == "maria goreti"
    engagement = maria.engagements.get()
    assert (engagement.monthly_wage, engagement.group, engagement.unit.name) == (
        2_500_000,
        "non_asn",
        "Dinas Kesehatan",
    )
    assert engagement.unit.kind == Unit.Kind.OPD and engagement.unit.code == "DINAS-KESEHATAN"
    event = AuditEvent.objects.get(action="import.commit")
    assert (event.actor, event.object_id, event.region_code) == (operator, str(batch.pk), "5371")
    assert event.before == {"people": 0, "engagements": 0} and event.after == {"people": 2, "engagements": 2}
    assert importer.summary(batch)["units_created"] == ["Dinas Kesehatan"]


def test_error_file_round_trip(tmp_path, kupang):
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], BAD]), kupang)
    assert (batch.imported, batch.rejected) == (1, 1)
    book = openpyxl.load_workbook(batch.error_file)
    sheet = book.active
    assert [c.value for c in sheet[1]] == [*HEADER, "Alasan penolakan"]
    assert [c.value for c in sheet[2]][:6] == BAD
    sheet["A2"], sheet["E2"] = FIX[0], FIX[4]
    book.save(tmp_path / "fixed.xlsx")
    again = run(tmp_path / "fixed.xlsx", kupang)
    assert (again.state, again.imported, again.rejected, again.error_file) == ("committed", 1, 0, "")
    assert Person.objects.filter(region=kupang).count() == 2


def test_stored_issues_are_capped_but_counted(tmp_path, kupang, monkeypatch):
    monkeypatch.setattr(importer, "MAX_STORED_ISSUES", 2)
    bad = [[f"53710170048500{i}", "", "30/04/1985", "P", "1", "X"] for i in range(3)]  # 15 digits, no name
    batch = importer.preview(write_csv(tmp_path / "r.csv", [HEADER, *bad]), filename="r.csv", region=kupang)
    assert batch.rejected == 3 and batch.issues.count() == 3
    assert "4 catatan lain" in batch.issues.get(code="truncated").message
    assert openpyxl.load_workbook(batch.error_file).active.max_row == 4  # every rejected row is in the file


def test_a_file_of_only_bad_rows_commits_nothing(tmp_path, kupang):
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, BAD]), kupang)
    assert (batch.state, batch.imported, batch.rejected) == ("committed", 0, 1)
    assert Person.objects.count() == 0


def test_same_file_twice_changes_nothing(tmp_path, kupang):
    path = write_csv(tmp_path / "r.csv", [HEADER, *GOOD])
    first = run(path, kupang)
    stamps = list(Person.objects.order_by("id").values_list("updated_at", flat=True))
    second = run(path, kupang)
    assert (second.state, second.imported, second.unchanged) == ("committed", 0, 2)
    assert f"#{first.pk}" in second.message
    assert list(Person.objects.order_by("id").values_list("updated_at", flat=True)) == stamps
    assert Engagement.objects.count() == 2


def test_same_rows_in_another_file_are_unchanged_and_a_change_is_an_update(tmp_path, kupang):
    run(write_csv(tmp_path / "a.csv", [HEADER, *GOOD]), kupang)
    stamp = Person.objects.get(nik=NIK_M).updated_at
    same = run(write_xlsx(tmp_path / "b.xlsx", [["Daftar"], HEADER, *GOOD]), kupang)
    assert (same.imported, same.unchanged) == (0, 2)
    raise_wage = [GOOD[0], [*GOOD[1][:4], "2750000", GOOD[1][5]]]
    changed = run(write_csv(tmp_path / "c.csv", [HEADER, *raise_wage]), kupang)
    result = importer.summary(changed)
    assert (result["imported"], result["updated"], result["unchanged"]) == (0, 1, 1)
    assert (changed.imported, changed.updated) == (1, 1)  # the batch keeps the counts itself
    assert Engagement.objects.get(person__nik=NIK_M).monthly_wage == 2_750_000
    assert Person.objects.get(nik=NIK_M).updated_at == stamp  # the person's own fields did not change


def test_blank_cells_never_erase(tmp_path, kupang):
    run(write_csv(tmp_path / "a.csv", [[*HEADER, "Alamat"], [*GOOD[0], "Jl. Timor Raya"]]), kupang)
    run(write_csv(tmp_path / "b.csv", [[*HEADER, "Alamat"], [*GOOD[0][:4], "", GOOD[0][5], ""]]), kupang)
    maria = Person.objects.get(nik=NIK_F)
    assert maria.address == "Jl. Timor Raya" and maria.engagements.get().monthly_wage == 2_500_000


def test_same_nik_in_another_unit_is_a_warning(tmp_path, kupang):
    run(write_csv(tmp_path / "a.csv", [HEADER, GOOD[0]]), kupang)
    moved = [*GOOD[0][:5], "Dinas Lingkungan Hidup dan Kebersihan"]
    batch = run(write_csv(tmp_path / "b.csv", [HEADER, moved]), kupang)
    warning = batch.issues.get()
    assert (warning.severity, warning.code, warning.line) == ("warning", "registered_other_unit", 2)
    assert "Dinas Kesehatan" in warning.message
    assert (batch.imported, batch.rejected, importer.summary(batch)["warnings"]) == (1, 0, 1)
    assert ImportBatch.objects.get(pk=batch.pk).warnings == 1
    assert Engagement.objects.filter(person__nik=NIK_F).count() == 2  # one person, two engagements


def test_a_roster_row_born_in_1921_with_its_code_imports_with_an_age_warning(tmp_path, kupang):
    row = ["5371010806210001", "Petrus Nahak", "08/06/1921", "L", "2500000", "Dinas Kesehatan"]
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, row]), kupang)
    assert (batch.imported, batch.rejected, batch.warnings) == (1, 0, 1)
    assert Person.objects.get(nik=row[0]).birth_date == dt.date(1921, 6, 8)
    warning = batch.issues.get()
    assert (warning.severity, warning.code, warning.line) == ("warning", "age_unusual", 2)


def test_same_nik_in_another_region_is_a_warning_that_does_not_say_where(tmp_path, kupang, ttu):
    run(write_csv(tmp_path / "a.csv", [HEADER, GOOD[0]]), ttu)
    batch = run(write_csv(tmp_path / "b.csv", [HEADER, GOOD[0]]), kupang)
    warning = batch.issues.get()
    assert (warning.severity, warning.code) == ("warning", "registered_other_region")
    assert "5303" not in warning.message and "Timor" not in warning.message
    assert Person.objects.filter(nik=NIK_F).count() == 2  # flagged, not merged across tenants


def test_kpjs_that_belong_to_other_people_are_warnings_in_the_preview(tmp_path, kupang, ttu):
    """Issue 13: a roster whose rows carried other people's KPJs previewed with "0 peringatan". Each KPJ
    contradiction is a warning now (the row is still imported): held by someone else here (NIK masked),
    or in another region (not named), on two NIKs of the file, or replacing the NIK's own KPJ."""
    header = [*HEADER, "No KPJ"]
    run(write_csv(tmp_path / "a.csv", [header, [*GOOD[0], "11111111111"]]), kupang)
    elsewhere = [
        "5303014107900003",
        "Agustina Seran",
        "01/07/1990",
        "P",
        "1000000",
        "Desa Bokon",
        "22222222222",
    ]
    run(write_csv(tmp_path / "t.csv", [header, elsewhere]), ttu)
    rows = [
        [*GOOD[1], "11111111111"],  # Maria's KPJ
        ["5371012505900004", "Petrus Nahak", "25/05/1990", "L", "2500000", "Dinas Kesehatan", "22222222222"],
        ["5371011206910005", "Yakobus Tefa", "12/06/1991", "L", "2500000", "Dinas Kesehatan", "33333333333"],
        ["5371011306920006", "Paulus Kase", "13/06/1992", "L", "2500000", "Dinas Kesehatan", "33333333333"],
        [*GOOD[0], "44444444444"],  # Maria again, with another KPJ
    ]
    batch = importer.preview(write_csv(tmp_path / "b.csv", [header, *rows]), filename="b.csv", region=kupang)
    found = {(i.line, i.code): i for i in batch.issues.all()}
    assert set(found) == {(2, "kpj_other_person"), (3, "kpj_other_region"), (4, "kpj_twice_in_file"),
                          (5, "kpj_twice_in_file"), (6, "kpj_replaced")}  # fmt: skip
    assert batch.warnings == 5 and all(
        i.severity == "warning" and i.column == "No KPJ" for i in found.values()
    )
    assert (
        "537101********01" in found[(2, "kpj_other_person")].message
        and NIK_F not in found[(2, "kpj_other_person")].message
    )
    assert "5303" not in found[(3, "kpj_other_region")].message
    assert "baris 5" in found[(4, "kpj_twice_in_file")].message
    assert "KPJ 11111111111" in found[(6, "kpj_replaced")].message
    assert "recorded for someone else" in found[(2, "kpj_other_person")].message_en


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "rusak"),
        ("empty.csv", b"", "kosong"),
        ("nonik.csv", b"Nama;Tgl Lahir\nMaria;30/04/1985\n", "Kolom NIK"),
        ("utf16.csv", "NIK;Nama;Tgl Lahir\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_file_problems_fail_the_batch_and_write_nothing(tmp_path, kupang, name, content, text):
    path = tmp_path / name
    path.write_bytes(content)
    batch = run(path, kupang)
    assert batch.state == ImportBatch.State.FAILED and text in batch.message
    assert Person.objects.count() == Unit.objects.filter(region=kupang).count() == batch.issues.count() == 0


def test_formula_file_fails_with_the_cell(tmp_path, kupang):
    path = write_xlsx(tmp_path / "f.xlsx", [HEADER, GOOD[0], [*GOOD[1][:4], "=1+1", GOOD[1][5]]])
    batch = run(path, kupang)
    assert batch.state == "failed" and "E3" in batch.message and Person.objects.count() == 0


def test_over_the_upload_limit(tmp_path, kupang, settings):
    settings.PAYUNG_MAX_UPLOAD_BYTES = 64
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]), kupang)
    assert batch.state == "failed" and "terlalu besar" in batch.message and Person.objects.count() == 0


@pytest.mark.parametrize("uploader", ["id", "en"])
def test_messages_are_kept_in_both_languages_and_shown_in_the_readers(tmp_path, kupang, uploader):
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], BAD]), kupang, lang=uploader)
    issue = batch.issues.get(code="scientific")
    assert "notasi ilmiah" in issue.text("id") and "scientific notation" in issue.text("en")
    assert batch.text("id").startswith("Baru: 1") and batch.text("en").startswith("New: 1")
    with translation.override("en"):
        assert "scientific notation" in issue.text() and importer.summary(batch)["message"].startswith("New")
    with translation.override("id"):
        assert "notasi ilmiah" in issue.text() and importer.summary(batch)["message"].startswith("Baru")


def test_the_error_file_keeps_the_uploaders_language(tmp_path, kupang):
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], BAD]), kupang, lang="en")
    reasons = [row[-1] for row in openpyxl.load_workbook(batch.error_file).active.iter_rows(values_only=True)]
    assert "scientific notation" in reasons[1] and "notasi ilmiah" not in reasons[1]


def test_a_failed_batch_is_explained_in_both_languages(tmp_path, kupang, settings):
    settings.PAYUNG_MAX_UPLOAD_BYTES = 64
    batch = run(write_csv(tmp_path / "r.csv", [HEADER, *GOOD]), kupang, lang="en")
    assert "terlalu besar" in batch.text("id") and "too large" in batch.text("en")


def test_default_unit_and_group(tmp_path, kupang):
    school = Unit.objects.create(region=kupang, code="SDI-1", name="SDI Oesapa", kind=Unit.Kind.SCHOOL)
    rows = [HEADER[:4], GOOD[0][:4]]
    batch = run(write_csv(tmp_path / "r.csv", rows), kupang, unit=school, group="teacher")
    engagement = Engagement.objects.get()
    assert (batch.imported, engagement.unit, engagement.group) == (1, school, "teacher")


def test_upsert_roster_directly(kupang):
    frame = pl.DataFrame(
        {
            "nik": [NIK_F, NIK_M],
            "name": ["Maria", "Yohanes"],
            "sex": ["P", "L"],
            "birth_date": [dt.date(1985, 4, 30)] * 2,
            "unit_code": [None, "5371011001"],
            "unit_name": ["Puskesmas Alak", None],
            "group": [None, "rentan"],
        }  # fmt: skip
    )
    counts = bulk.upsert_roster(frame, region_code="5371", default_group="non_asn")
    assert counts["imported"] == 2 and counts["units_created"] == 2 and counts["people_created"] == 2
    village = Unit.objects.get(code="5371011001")
    assert village.kind == Unit.Kind.VILLAGE and village.village_id == "5371011001"
    assert Unit.objects.get(name="Puskesmas Alak").code == "PUSKESMAS-ALAK"
    again = bulk.upsert_roster(frame, region_code="5371", default_group="non_asn")
    assert (again["imported"], again["updated"], again["unchanged"], again["units_created"]) == (0, 0, 2, 0)


@pytest.mark.parametrize("row_triggers", [True, False], ids=["set-based-checks", "row-checks"])
def test_both_ways_of_checking_references_write_the_same(kupang, monkeypatch, row_triggers):
    """PostgreSQL roles that may not switch per-row foreign-key checks off get the database's own."""
    if row_triggers:
        monkeypatch.setattr(bulk, "may_skip_row_triggers", lambda cursor: False)
    frame = pl.DataFrame({"nik": [NIK_F, NIK_M], "name": ["Maria", "Yohanes"], "sex": ["P", "L"],
                          "birth_date": [dt.date(1985, 4, 30)] * 2, "village_code": ["5371011001", None],
                          "unit_name": ["Puskesmas Alak"] * 2})  # fmt: skip
    bulk.upsert_roster(frame, region_code="5371", default_group="non_asn")
    more = frame.with_columns(pl.lit("Dinas Sosial").alias("unit_name"))
    counts = bulk.upsert_roster(more, region_code="5371", default_group="non_asn")
    assert (counts["imported"], counts["people_created"]) == (2, 0)
    rows = Engagement.objects.values_list("person__nik", "person__village_id", "unit__name")
    expected = [(nik, village, unit) for nik, village in [(NIK_F, "5371011001"), (NIK_M, None)]
                for unit in ("Dinas Sosial", "Puskesmas Alak")]  # fmt: skip
    assert sorted(rows, key=str) == sorted(expected, key=str)


@pytest.mark.django_db(transaction=True)  # SQLite checks deferred foreign keys at the real commit
def test_a_reference_to_a_missing_desa_writes_nothing(kupang):
    frame = pl.DataFrame({"nik": [NIK_F], "name": ["Maria"], "sex": ["P"],
                          "birth_date": [dt.date(1985, 4, 30)], "village_code": ["5371999999"]})  # fmt: skip
    with pytest.raises(IntegrityError):
        bulk.upsert_roster(frame, region_code="5371", default_group="non_asn", unit_code="X")
    assert not Person.objects.exists() and not Engagement.objects.exists()


def test_derived_unit_codes_fit_the_column():
    long = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana"
    assert bulk.derived_code("Dinas Kesehatan") == "DINAS-KESEHATAN"
    assert len(bulk.derived_code(long)) <= 40 and bulk.derived_code(long) != bulk.derived_code(long + " II")


# ------------------------------------------------------------------------------------------------- CLI
def test_cli_json(tmp_path, kupang):
    out = StringIO()
    path = write_csv(tmp_path / "r.csv", [HEADER, GOOD[0], BAD])
    call_command("import", "roster", str(path), "--region", "5371", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert {k: result[k] for k in ("imported", "rejected", "unchanged", "warnings")} == {
        "imported": 1, "rejected": 1, "unchanged": 0, "warnings": 0,
    }  # fmt: skip
    assert result["error_file"].endswith(".xlsx") and result["batch"] == ImportBatch.objects.get().pk


def test_cli_dry_run_writes_nothing(tmp_path, kupang):
    out = StringIO()
    call_command("import", "roster", str(write_csv(tmp_path / "r.csv", [HEADER, *GOOD])), "--region", "5371",
                 "--dry-run", "--json", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["state"] == "preview" and Person.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the command closes its connections when it ends
def test_cli_failure_is_a_message_on_stderr_and_exit_code_1(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"garbage")
    command = load_command_class("payung.registry", "import")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["payung", "import", "--skip-checks", "roster", str(path), "--region", "5371"])
    err = capsys.readouterr().err
    assert exited.value.code == 1 and "rusak" in err and "Traceback" not in err
    assert ImportBatch.objects.get().state == "failed" and Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--region", "9999"], "Wilayah 9999 tidak ditemukan"),
        (["--region", "5371", "--unit", "NOPE"], "Unit NOPE tidak ditemukan"),
    ],
)
def test_cli_unknown_region_or_unit(tmp_path, kupang, args, text):
    with pytest.raises(CommandError, match=text):
        call_command("import", "roster", str(write_csv(tmp_path / "r.csv", [HEADER, *GOOD])), *args)


def test_a_previewed_batch_keeps_its_group_for_the_commit(tmp_path, kupang):
    batch = importer.preview(write_csv(tmp_path / "r.csv", [HEADER, GOOD[0]]), filename="r.csv",
                             region=kupang, group="teacher")  # fmt: skip
    assert ImportBatch.objects.get(pk=batch.pk).group == "teacher"
    importer.commit(ImportBatch.objects.get(pk=batch.pk))
    assert Engagement.objects.get(person__nik=NIK_F).group == "teacher"
