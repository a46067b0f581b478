"""Collective registration: export in the SIPP-like layout, BPJS's reply back, every bad row explained."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from payung.audit.models import AuditEvent
from payung.coverage import enrolment, registration
from payung.coverage.models import RegistrationEntry
from payung.registry.services import ValidationFailed

D = dt.date


@pytest.fixture
def enrolled(kupang):
    kupang.hire("Yohanes Bria", kupang.dlhk, start=D(2015, 3, 1), wage=2_000_000)
    kupang.hire("Maria Taolin", kupang.dinkes, start=D(2022, 7, 15), wage=2_750_000)
    kupang.hire("Agus Seran", kupang.dlhk, start=D(2025, 1, 1))  # after the agreement: not covered
    agreement = kupang.agreement()
    enrolment.sync(agreement)
    return agreement


def _sheet(path):
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_export_lists_the_covered_people_once_in_the_sipp_layout(kupang, enrolled):
    batch = registration.create_batch(kupang.finance, enrolled, channel="cli")
    header, rows = _sheet(registration.batch_path(batch))
    assert header == ("NIK", "KPJ", "NAMA", "TEMPAT LAHIR", "TANGGAL LAHIR", "JENIS KELAMIN", "ALAMAT",
                      "NAMA IBU KANDUNG", "TGL MULAI", "UPAH", "JKK", "JKM", "JHT", "JP")  # fmt: skip
    assert [r["NAMA"] for r in rows] == ["Maria Taolin", "Yohanes Bria"]
    maria = rows[0]
    person = kupang.people[1]
    assert maria["NIK"] == person.nik and maria["TANGGAL LAHIR"] == person.birth_date.strftime("%d-%m-%Y")
    assert (maria["TGL MULAI"], maria["UPAH"]) == ("15-07-2022", 2_750_000)
    assert (maria["JKK"], maria["JKM"], maria["JHT"], maria["JP"]) == ("Y", "Y", "T", "T")
    assert rows[1]["TGL MULAI"] == "10-04-2021"  # clipped to the agreement
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.after, event.region_code) == (kupang.finance, {"rows": 2}, "5371")
    with pytest.raises(ValidationFailed) as nothing:
        registration.create_batch(kupang.finance, enrolled)
    assert "agreement" in nothing.value.errors  # everybody was sent


def _reply_file(
    tmp_path, rows, header=("No", "NIK", "Nomor KPJ", "Status", "Keterangan"), name="balasan.xlsx"
):
    path = tmp_path / name
    if name.endswith(".csv"):
        lines = [";".join(header)] + [";".join(str(c) for c in r) for r in rows]
        path.write_text("\n".join(lines), encoding="utf-8")
        return path
    book = Workbook()
    book.active.append(["BALASAN PENDAFTARAN KOLEKTIF"])
    book.active.append([])
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def test_reply_registers_rejects_and_reports_every_bad_row(kupang, enrolled, tmp_path):
    batch = registration.create_batch(kupang.finance, enrolled)
    yohanes, maria = kupang.people[0], kupang.people[1]
    stranger = kupang.people[2]
    path = _reply_file(
        tmp_path,
        [
            (1, yohanes.nik, "23012345678", "Terdaftar", ""),
            (2, maria.nik, "", "DITOLAK", "NIK tidak sesuai Dukcapil"),
            (3, "12345", "23012345679", "Terdaftar", ""),
            (4, stranger.nik, "23012345670", "Terdaftar", ""),
            (5, yohanes.nik, "23012345678", "Terdaftar", ""),
            (6, maria.nik, "2301234", "Terdaftar", ""),
        ],
    )
    result = registration.reply(kupang.finance, batch, path, filename="balasan.xlsx")
    assert (result.registered, result.rejected) == (1, 1)
    assert [line for line, _ in result.problems] == [6, 7, 8, 9]  # Excel's line numbers: header on 3
    reasons = dict(result.problems)
    assert "16 digit" in reasons[6] and "tidak ada di pendaftaran" in reasons[7]
    assert "baris 4" in reasons[8] and "baris 5" in reasons[9]  # a NIK twice: the first line counts
    yohanes.refresh_from_db()
    assert yohanes.kpj == "23012345678"
    states = dict(batch.entries.values_list("person_id", "state"))
    assert states == {yohanes.pk: "registered", maria.pk: "rejected"}
    assert batch.entries.get(person=maria).note == "NIK tidak sesuai Dukcapil"
    assert list(registration.pending(enrolled)) == [maria]  # rejected: may be sent again


def test_reply_as_csv_without_status_and_english_reasons(kupang, enrolled, tmp_path):
    batch = registration.create_batch(kupang.finance, enrolled)
    yohanes, maria = kupang.people[0], kupang.people[1]
    path = _reply_file(
        tmp_path, [(yohanes.nik, "23012345678"), (maria.nik, "x")], header=("NIK", "KPJ"), name="b.csv"
    )
    result = registration.reply(None, batch, path, lang="en")
    assert result.registered == 1 and result.problems == [(3, "KPJ number 'x' must be 11 digits.")]


def test_a_kpj_of_someone_else_is_refused(kupang, enrolled, tmp_path):
    batch = registration.create_batch(kupang.finance, enrolled)
    yohanes, maria = kupang.people[0], kupang.people[1]
    path = _reply_file(tmp_path, [(1, yohanes.nik, "23012345678"), (2, maria.nik, "23012345678")])
    result = registration.reply(None, batch, path, filename="b.xlsx")
    assert result.registered == 1 and "sudah dipakai" in result.problems[0][1]


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "kosong"), (b"PK\x03\x04rusak", "rusak"), (b"Nama;Alamat\nA;B\n", "Kolom NIK dan KPJ"),
     (b"NIK;KPJ\n", "tidak berisi baris")],
)  # fmt: skip
def test_an_unusable_reply_changes_nothing(kupang, enrolled, tmp_path, content, needle):
    batch = registration.create_batch(kupang.finance, enrolled)
    path = tmp_path / "balasan.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationFailed) as failed:
        registration.reply(None, batch, path)
    assert needle in failed.value.errors["file"][0]
    assert set(batch.entries.values_list("state", flat=True)) == {"sent"}
    batch.refresh_from_db()
    assert batch.replied_at is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kpj=st.text(alphabet="0123456789 .'x", max_size=14), status=st.sampled_from(["", "OK", "Gagal", "??"]))
def test_reply_cells_either_apply_or_are_reported(kupang, enrolled, tmp_path, kpj, status):
    """Whatever a KPJ cell holds, the row is applied with an 11-digit KPJ or reported; never both."""
    RegistrationEntry.objects.all().delete()
    type(kupang.people[0]).objects.update(kpj="")  # an earlier example's KPJ: registered, not sent again
    batch = registration.create_batch(None, enrolled)
    path = _reply_file(tmp_path, [(1, kupang.people[0].nik, kpj, status, "")])
    result = registration.reply(None, batch, path, filename="b.xlsx")
    entry = batch.entries.get(person=kupang.people[0])
    assert (result.registered + result.rejected + len(result.problems)) == 1
    if result.registered:
        assert len(entry.kpj) == 11 and entry.kpj.isdigit() and entry.state == "registered"
    elif result.rejected:
        assert entry.state == "rejected" and entry.kpj == ""
    else:
        assert entry.state == "sent"


def test_a_layout_dropped_into_var_is_offered_and_used(kupang, enrolled, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "cabang.toml").write_text(
        'name = "Cabang Kupang"\nsheet = "Data"\ndate_format = "%Y/%m/%d"\nyes = "YA"\nno = "TIDAK"\n'
        '[[column]]\nheader = "Nama TK"\nfield = "name"\n[[column]]\nheader = "Mulai"\nfield = "start"\n'
        '[[column]]\nheader = "JHT?"\nfield = "program.JHT"\n'
    )
    assert set(registration.layouts()) >= {"sipp", "cabang"}
    batch = registration.create_batch(None, enrolled, layout_code="cabang")
    header, rows = _sheet(registration.batch_path(batch))
    assert header == ("Nama TK", "Mulai", "JHT?")
    assert rows[1] == {"Nama TK": "Yohanes Bria", "Mulai": "2021/04/10", "JHT?": "TIDAK"}


def test_the_file_holds_only_people_who_need_registering(kupang, enrolled):
    """Issue 13: the first file held the 2,300 people who already had a KPJ, who then stayed "menunggu"."""
    yohanes, maria = kupang.people[0], kupang.people[1]
    type(yohanes).objects.filter(pk=yohanes.pk).update(kpj="23012345678")
    assert list(registration.pending(enrolled)) == [maria]
    batch = registration.create_batch(kupang.finance, enrolled)
    _header, rows = _sheet(registration.batch_path(batch))
    assert [r["NAMA"] for r in rows] == ["Maria Taolin"]


def test_a_reply_contradicting_a_kpj_is_a_review_item_never_an_overwrite(kupang, enrolled, tmp_path):
    from payung.coverage import kpj_review

    batch = registration.create_batch(kupang.finance, enrolled)
    yohanes, maria = kupang.people[0], kupang.people[1]
    # Recorded meanwhile (a roster, a person form), then BPJS answers other numbers.
    type(yohanes).objects.filter(pk__in=[yohanes.pk, maria.pk]).update(kpj="")
    type(yohanes).objects.filter(pk=yohanes.pk).update(kpj="11111111111")
    type(maria).objects.filter(pk=maria.pk).update(kpj="22222222222")
    path = _reply_file(tmp_path, [(1, yohanes.nik, "23012345678"), (2, maria.nik, "23012345679")])
    result = registration.reply(kupang.finance, batch, path, filename="b.xlsx")
    assert (result.registered, result.conflicts, result.problems) == (0, 2, [])
    yohanes.refresh_from_db()
    assert yohanes.kpj == "11111111111"  # not overwritten
    found = list(kpj_review.conflicts(kupang.finance, enrolled))
    assert [(e.person.name, e.kpj) for e in found] == [("Maria Taolin", "23012345679"),
                                                       ("Yohanes Bria", "23012345678")]  # fmt: skip
    kpj_review.resolve(kupang.finance, found[1], "bpjs")
    kpj_review.resolve(kupang.finance, found[0], "registry")
    yohanes.refresh_from_db()
    maria.refresh_from_db()
    assert (yohanes.kpj, maria.kpj) == ("23012345678", "22222222222")
    states = dict(batch.entries.values_list("person_id", "state"))
    assert states == {yohanes.pk: "registered", maria.pk: "registered"}
    assert "23012345679" in batch.entries.get(person=maria).note
    assert AuditEvent.objects.filter(action="registration.kpj_resolve").count() == 2
    assert not kpj_review.conflicts(kupang.finance, enrolled).exists()
    with pytest.raises(ValidationFailed):
        kpj_review.resolve(kupang.finance, found[0], "bpjs")  # decided already


def test_taking_bpjs_kpj_is_refused_while_someone_else_holds_it(kupang, enrolled, tmp_path):
    from payung.coverage import kpj_review

    batch = registration.create_batch(kupang.finance, enrolled)
    yohanes, maria = kupang.people[0], kupang.people[1]
    type(yohanes).objects.filter(pk=yohanes.pk).update(kpj="11111111111")
    registration.reply(None, batch, _reply_file(tmp_path, [(1, yohanes.nik, "23012345678")]))
    type(maria).objects.filter(pk=maria.pk).update(kpj="23012345678")
    (entry,) = kpj_review.conflicts(kupang.finance, enrolled)
    with pytest.raises(ValidationFailed) as refused:
        kpj_review.resolve(kupang.finance, entry, "bpjs")
    assert "masih tercatat" in refused.value.errors["choice"][0]
    yohanes.refresh_from_db()
    assert yohanes.kpj == "11111111111"
