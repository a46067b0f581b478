"""A district's signed monthly summary: exported without personal data, imported once at the province,
refused when changed after signing; the rollup reads it like local data, marked with its source."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payung.monitoring import rollup, signing, transfer
from payung.monitoring.models import Source, Summary
from payung.regions.models import Region
from tests.monitoring.test_compute import MONTH, kupang  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _exported(tmp_path, kupang) -> tuple[bytes, object]:  # noqa: F811
    out = tmp_path / "ringkasan-5371.json"
    call_command(
        "coverage", "export", "--region", "5371", "--period", "2024-03", "--out", str(out), stdout=StringIO()
    )
    return out.read_bytes(), out


def test_the_file_carries_counts_and_money_but_no_names(tmp_path, kupang):  # noqa: F811
    raw, _ = _exported(tmp_path, kupang)
    text = raw.decode()
    for name in ("Ana Paid", "Dinas Lingkungan", "SD Negeri"):
        assert name not in text
    assert all(p.nik not in text for p in kupang[1].values())
    document = json.loads(text)
    assert document["figures"]["people"] == 5 and document["signature"]["alg"] == "HMAC-SHA256"


def test_import_once_refuse_the_duplicate_and_the_tampered(tmp_path, kupang):  # noqa: F811
    raw, path = _exported(tmp_path, kupang)
    Summary.objects.all().delete()  # the province's server: it holds no Kupang summary of its own
    summary = transfer.import_file(None, raw, filename=path.name, allowed_prefix="53")
    assert summary.source == Source.FILE and summary.figures["covered"] == 2 and summary.signed_at
    with pytest.raises(signing.Refused, match="sudah pernah"):
        transfer.import_file(None, raw, filename=path.name, allowed_prefix="53")
    document = json.loads(raw)
    document["figures"]["covered"] = 5
    with pytest.raises(signing.Refused, match="Tanda tangan tidak cocok"):
        transfer.import_file(None, json.dumps(document).encode(), filename="x.json", allowed_prefix="53")
    with pytest.raises(signing.Refused, match="tidak termasuk"):
        transfer.import_file(None, raw.replace(b"\n", b"\n "), filename="y.json", allowed_prefix="51")


def test_the_command_refuses_a_tampered_file_without_a_traceback(tmp_path, kupang):  # noqa: F811
    raw, path = _exported(tmp_path, kupang)
    path.write_bytes(raw.replace(b'"covered": 2', b'"covered": 4', 1))
    with pytest.raises(CommandError, match="Tanda tangan tidak cocok"):
        call_command("coverage", "import", str(path), stdout=StringIO())


def test_the_rollup_reads_an_imported_district_like_local_data(tmp_path, kupang, monkeypatch):  # noqa: F811
    raw, path = _exported(tmp_path, kupang)
    transfer.import_file(None, raw, filename=path.name, allowed_prefix="53")
    monkeypatch.setattr("payung.monitoring.queries.has_local_data", lambda code: False)
    found = {d.region.code: d for d in rollup.districts(Region.objects.get(code="53"), MONTH)}
    assert len(found) == 22
    assert found["5371"].is_file and found["5371"].figures["covered"] == 2 and found["5371"].rank == 1
    assert found["5303"].summary is None and found["5303"].rank is None


def test_report_for_the_province_has_every_kabupaten_and_kota(kupang):  # noqa: F811
    out = StringIO()
    call_command("coverage", "report", "--region", "53", "--period", "2024-03", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 22 and sum(1 for r in rows if r.get("no_data")) == 21
    (kota,) = [r for r in rows if r["region"] == "5371"]
    assert (kota["people"], kota["covered"], kota["uncovered"]) == (5, 2, 3)
