"""Malformed and odd rosters (tests/files/rosters.py) through the two doors operators use, the `payung
import roster` command and the web upload: a clear Indonesian message, no traceback, no partial write,
hostile text escaped in pages and written back as text, never as a live formula (issue 9, point 6)."""

from __future__ import annotations

import io
import json
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from payung.regions.models import Region
from payung.registry.models import ImportBatch, Person, Unit
from payung.registry.problems import MESSAGES
from tests.files import rosters

REFUSED = [name for name, case in rosters.CASES.items() if case.refused]
IMPORTED = [name for name, case in rosters.CASES.items() if not case.refused]


@pytest.fixture
def kupang(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    region = Region.objects.get(code="5371")
    Unit.objects.create(region=region, code="DLHK", name="Dinas Lingkungan Hidup dan Kebersihan", kind="opd")
    return region


@pytest.fixture
def operator(client, django_user_model, kupang):
    user = django_user_model.objects.create_user("op", password="x" * 12, role="operator", region=kupang)
    client.force_login(user)
    return client


def opening(code: str) -> str:
    """The fixed start of the Indonesian message for ``code`` (before its first parameter)."""
    return MESSAGES[code][0].split("{")[0]


def cli(tmp_path, name: str) -> tuple[dict, str | None]:
    path = tmp_path / name
    path.write_bytes(rosters.CASES[name].build())
    out = StringIO()
    try:
        call_command(
            "import", "roster", str(path), "--region", "5371", "--unit", "DLHK", "--json", stdout=out
        )
        failure = None
    except CommandError as error:
        failure = str(error)
    return json.loads(out.getvalue()), failure


def web_upload(client, kupang, name: str):
    upload = SimpleUploadedFile(name, rosters.CASES[name].build(), content_type="application/octet-stream")
    unit = Unit.objects.get(region=kupang, code="DLHK")
    return client.post(
        reverse("import_upload"), {"file": upload, "unit": unit.pk, "group": "non_asn"}, follow=True
    )


@pytest.mark.parametrize("name", REFUSED)
def test_cli_refuses_a_wrong_file_in_one_message_and_writes_nothing(tmp_path, kupang, name):
    report, failure = cli(tmp_path, name)
    code = rosters.CASES[name].refused
    assert report["state"] == "failed" and report["message"].startswith(opening(code)), report
    assert failure and "Traceback" not in failure
    assert Person.objects.count() == 0


@pytest.mark.parametrize("name", REFUSED)
def test_web_refuses_a_wrong_file_in_one_message_and_writes_nothing(operator, kupang, name):
    response = web_upload(operator, kupang, name)
    page = response.content.decode()
    code = rosters.CASES[name].refused
    if code == "empty_file":  # the upload form itself refuses it, before any reading (400, its field marked)
        assert response.status_code == 400 and "Berkas yang dikirimkan kosong." in page
    else:
        assert response.status_code == 200 and opening(code).strip().replace("'", "&#x27;") in page
    assert "Traceback" not in page
    assert Person.objects.count() == 0
    assert ImportBatch.objects.filter(state=ImportBatch.State.COMMITTED).count() == 0


@pytest.mark.parametrize("name", IMPORTED)
def test_cli_imports_the_good_rows_and_lists_the_bad_ones(tmp_path, kupang, name):
    case = rosters.CASES[name]
    report, failure = cli(tmp_path, name)
    assert failure is None and report["state"] == "committed", report
    assert (report["imported"], report["rejected"]) == (case.imported, len(case.rejected)), report
    assert Person.objects.count() == case.imported
    batch = ImportBatch.objects.get(pk=report["batch"])
    issues = {i.line: i.text() for i in batch.issues.filter(severity="error")}
    for line, reason in case.rejected.items():
        assert reason in issues.get(line, ""), (line, issues)


@pytest.mark.parametrize("name", IMPORTED)
def test_web_preview_escapes_what_it_shows_and_the_error_file_holds_no_formula(operator, kupang, name):
    case = rosters.CASES[name]
    response = web_upload(operator, kupang, name)
    page = response.content.decode()
    assert response.status_code == 200 and "Traceback" not in page
    assert "<script>alert" not in page  # a name with HTML is shown as text
    for line, reason in case.rejected.items():
        assert f'class="n">{line}<' in page and reason in page, (line, reason)
    batch = ImportBatch.objects.latest("created_at")
    operator.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTED and Person.objects.count() == case.imported
    if case.rejected:
        errors = operator.get(reverse("import_errors", args=[batch.pk]))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(errors.streaming_content if errors.streaming else
                                                           [errors.content])))  # fmt: skip
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
        assert cells and not [c.coordinate for c in cells if c.data_type == "f"]  # no live formula
        if name == "nama-hyperlink.csv":
            assert rosters.HYPERLINK in [c.value for c in cells]  # kept, as the text it was
    if name == "nama-html.csv":
        person = Person.objects.get(name=rosters.HTML)
        detail = operator.get(reverse("person", args=[person.pk])).content.decode()
        assert "<script>alert" not in detail and "&lt;script&gt;" in detail
