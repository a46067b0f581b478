import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from payung.audit.models import AuditEvent
from payung.registry.models import ImportBatch, Person, Unit
from payung.registry.nik import compose


def roster() -> SimpleUploadedFile:
    good = compose("537102", dt.date(1988, 3, 12), "L", 11)
    text = (
        "NIK,Nama Lengkap,Tgl Lahir,Jenis Kelamin,Jabatan,Gaji\n"
        f"{good},Imanuel Tlonaen,12/03/1988,L,Petugas kebersihan,2250000\n"
        "53710112,Terlalu Pendek,01/01/1981,L,Sopir,2000000\n"
    )
    return SimpleUploadedFile("daftar-dlhk.csv", text.encode(), content_type="text/csv")


def upload(client, world, **headers):
    data = {"file": roster(), "unit": world.kupang.unit.pk, "group": "non_asn"}
    return client.post(reverse("import_upload"), data, headers=headers)


def test_upload_page_has_a_progress_bar(client, login, world):
    login("kupang")
    page = client.get(reverse("import_upload")).content.decode()
    assert "<progress" in page and "upload.js" in page


def test_preview_lists_bad_rows_then_commit_saves_the_valid_ones(client, login, world):
    login("kupang")
    response = upload(client, world)
    batch = ImportBatch.objects.latest("created_at")
    assert response.status_code == 302 and response.url == reverse("import", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Simpan 1 baris yang valid" in page
    line = page.split('data-label="Baris" class="n">')[1].split("<")[0]
    assert line == "3" and "16 digit" in page
    assert not Person.objects.filter(name="Imanuel Tlonaen").exists()
    client.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTED
    assert Person.objects.filter(name="Imanuel Tlonaen", region=world.kupang.region).exists()


def test_an_indonesian_upload_reads_in_english(client, login, world, settings):
    login("kupang")
    page = client.get(upload(client, world).url)
    assert "NIK harus 16 digit, bukan 8." in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(page.wsgi_request.path).content.decode()
    assert "NIK must have 16 digits, not 8." in page and "NIK harus" not in page


def test_upload_by_script_answers_json(client, login, world):
    login("kupang")
    response = upload(client, world, X_Requested_With="XMLHttpRequest")
    assert response.json()["redirect"].startswith("/impor/")
    response = client.post(
        reverse("import_upload"), {"group": "non_asn"}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_error_file_download_is_an_audited_export(client, login, world):
    login("kupang")
    batch = world.kupang.batch
    response = client.get(reverse("import_errors", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="export", region_code="5371").exists()


def test_history_names_files_without_their_hash_and_hides_other_regions(client, login, world):
    """An operator knows a file by its name and time; the SHA-256 is for IT (API, audit), not the page."""
    login("kupang")
    batch = world.kupang.batch
    for page in (
        client.get(reverse(name, args=args)).content.decode()
        for name, args in (("import_history", []), ("import", [batch.pk]), ("home", []))
    ):
        assert batch.filename in page
        assert batch.sha256[:12] not in page and "hash" not in page.lower()
    assert world.ttu.batch.filename not in client.get(reverse("import_history")).content.decode()


def test_other_regions_batch_is_404_everywhere(client, login, world):
    login("kupang")
    pk = world.ttu.batch.pk
    for name in ("import", "import_errors"):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("import_commit", args=[pk])).status_code == 404


def test_viewer_cannot_upload(client, login, world):
    login("kupang_viewer")
    assert client.get(reverse("import_upload")).status_code == 404
    assert f'href="{reverse("import_upload")}"' not in client.get(reverse("import_history")).content.decode()


def test_an_operator_limited_to_one_unit_does_not_see_another_units_import(client, login, world):
    other = Unit.objects.create(region=world.kupang.region, code="DINKES", name="Dinkes", kind="opd")
    world.users["kupang"].units.add(other)  # limited to Dinkes; the world's import is of the first unit
    login("kupang")
    assert client.get(reverse("import", args=[world.kupang.batch.pk])).status_code == 404
    assert world.kupang.batch.filename not in client.get(reverse("import_history")).content.decode()
