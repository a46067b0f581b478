"""Odd upload names and malformed multipart bodies over the API: a clear 400 or a cleaned name, never a 500.

The names and bodies are the outside probe's (issue 14): ``%%``, 300 bytes, ``.``, path parts, NUL and
newlines, a right-to-left override; a body without a boundary, with an empty boundary, with a broken part.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client

from payung.registry.models import ImportBatch
from payung.registry.nik import compose

GOOD = compose("537104", dt.date(1988, 7, 9), "L", 41)
ROSTER = f"NIK,Nama,Jenis Kelamin,Tanggal Lahir\n{GOOD},Agustinus Lake,L,09/07/1988\n".encode()

UNREADABLE = (
    "Isi permintaan tidak dapat dibaca: rusak, tidak lengkap atau terlalu banyak bagian. "
    "Kirim berkas sebagai multipart/form-data yang utuh."
)
# (name sent, display name stored)
NAMES = [
    ("%%", "%%"),
    ("a" * 300 + ".csv", "a" * 251 + ".csv"),
    ("é" * 200 + ".csv", "é" * 125 + ".csv"),  # 2 bytes a letter: 255 bytes, not 255 letters
    ("e\u0301tat.csv", "état.csv"),  # decomposed accent: NFC
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\ani\\daftar.csv", "daftar.csv"),
    ("daf\x00tar.csv", "daftar.csv"),
    ("daf\ntar\r.csv", "daftar.csv"),
    ("daftar   dlhk\t.csv", "daftar dlhk.csv"),
    ("\u202evsc.exe", "vsc.exe"),  # the override would show it as "exe.csv"
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def raw(world):
    """A client that answers like the server (no exception re-raised), with the Kupang operator's token."""
    client = Client(raise_request_exception=False)

    def post(path: str, body: bytes, content_type: str):
        headers = world.auth("kupang")
        return client.generic("POST", f"/api/v1{path}", body, content_type=content_type, headers=headers)

    return post


@pytest.mark.parametrize(("sent", "stored"), NAMES)
def test_an_odd_file_name_is_cleaned_once_and_never_names_a_file_on_disk(api, world, settings, sent, stored):
    roster = BytesIO(ROSTER)
    roster.name = sent
    response = api("kupang", "post", "/imports", {"region": "5371", "unit": "U5371"}, files={"file": roster})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["filename"] == stored and data["imported"] == 1
    assert len(stored.encode()) <= 255 and unicodedata.is_normalized("NFC", stored)
    on_disk = {p.name for p in (Path(settings.MEDIA_ROOT) / "imports" / str(data["id"])).iterdir()}
    assert len(on_disk) == 2 and "batch.json" in on_disk
    assert (on_disk - {"batch.json"}).pop() in {"upload", "upload.csv", "upload.exe"}


@pytest.mark.parametrize("name", [".", "..", "\x00\x01", "\u200b\u2066"])
def test_a_name_of_only_dots_or_control_characters_is_no_file(api, world, name):
    roster = BytesIO(ROSTER)
    roster.name = name  # Django's parser drops a part whose file name is empty, "." or ".."
    response = api("kupang", "post", "/imports", {"region": "5371"}, files={"file": roster})
    assert response.status_code == 422 and response.json()["errors"]["file"] == ["Wajib diisi."]


BODIES = {
    "no boundary": (b'--x\r\nContent-Disposition: form-data; name="region"\r\n\r\n5371\r\n--x--\r\n', ""),
    "empty boundary": (b"--x\r\n", '; boundary=""'),
    "boundary not ascii": (b"--x\r\n", "; boundary=\u00e9"),
}


@pytest.mark.parametrize("path", ["/imports", "/reconciliations", "/registrations/1/reply"])
@pytest.mark.parametrize("kind", BODIES)
def test_a_multipart_body_that_cannot_be_parsed_is_a_400(raw, path, kind):
    body, parameters = BODIES[kind]
    response = raw(path, body, f"multipart/form-data{parameters}")
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": UNREADABLE}


def test_too_many_fields_or_files_is_a_400(raw):
    fields = "&".join(f"f{n}=1" for n in range(1_001)).encode()  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert raw("/imports", fields, "application/x-www-form-urlencoded").json() == {"detail": UNREADABLE}
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nNIK\r\n'
    files = part * 101 + b"--x--\r\n"  # over DATA_UPLOAD_MAX_NUMBER_FILES
    response = raw("/imports", files, "multipart/form-data; boundary=x")
    assert (response.status_code, response.json()) == (400, {"detail": UNREADABLE})


def test_parts_without_a_usable_name_are_missing_fields(raw):
    body = (
        b'--x\r\nContent-Disposition: form-data; name="."; filename="."\r\n\r\nabc\r\n'
        b"--x\r\nContent-Disposition: bogus\r\n\r\nabc\r\n--x--\r\n"
    )
    response = raw("/imports", body, "multipart/form-data; boundary=x")
    assert response.status_code == 422 and set(response.json()["errors"]) == {"file", "region"}
    assert not ImportBatch.objects.filter(filename=".").exists()
