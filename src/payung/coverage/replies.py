"""BPJS's reply to a collective registration (coverage.registration makes the file).

The reply (XLSX, XLS or CSV) needs a NIK and a KPJ column, optionally a status and a note ("keterangan");
headers are matched as tolerantly as a roster's (registry.headers.normalise_header and its spellings).
Each good row sets its entry's state and, when registered, the person's KPJ; each bad row is reported with
its line (as Excel numbers it) and the reason, in Indonesian or English. A file that cannot be read at all
changes nothing.

A reply never overwrites a KPJ the registry already holds (decision 0020, KPJ conflicts): when BPJS answers
another number for a person who has one, the entry becomes a review item (state ``conflict``, BPJS's
number kept on the entry) and the person keeps theirs until someone decides (coverage.kpj_review).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from payung.audit.services import record
from payung.coverage.models import RegistrationBatch, RegistrationEntry
from payung.registry import headers, reading, workbooks
from payung.registry.models import Person
from payung.registry.problems import FileProblem
from payung.registry.services import ValidationFailed

STATUS_WORDS = {
    RegistrationEntry.State.REGISTERED: ("terdaftar", "berhasil", "sukses", "ok", "diterima", "aktif",
                                         "registered", "success"),
    RegistrationEntry.State.REJECTED: ("ditolak", "gagal", "tolak", "tidak", "rejected", "failed", "error"),
}  # fmt: skip
REPLY_ALIASES = {
    "nik": headers.ALIASES["nik"],
    "kpj": (*headers.ALIASES["kpj"], "Nomor Peserta", "No Peserta", "Nomor Kartu", "No Kartu"),
    "status": ("Status", "Status Pendaftaran", "Hasil", "Hasil Pendaftaran", "Keputusan"),
    "note": ("Keterangan", "Ket", "Ket.", "Catatan", "Alasan", "Alasan Penolakan", "Pesan"),
}
MAX_HEADER_ROWS = headers.MAX_TITLE_ROWS


# ------------------------------------------------------------------------------------------------ reply
MESSAGES = {
    "no_columns": ("Kolom NIK dan KPJ tidak ditemukan. Judul yang dikenali: NIK: %(nik)s; KPJ: %(kpj)s.",
                   "No NIK and KPJ columns found. Recognised headers: NIK: %(nik)s; KPJ: %(kpj)s."),
    "no_rows": ("Berkas balasan tidak berisi baris data.", "The reply file has no data rows."),
    "nik": ("NIK '%(value)s' harus 16 digit.", "NIK '%(value)s' must be 16 digits."),
    "not_in_batch": ("NIK %(value)s tidak ada di pendaftaran #%(batch)s.",
                     "NIK %(value)s is not in registration #%(batch)s."),
    "repeated": ("NIK ini sudah ada di baris %(value)s berkas ini.",
                 "This NIK already appears on line %(value)s of this file."),
    "status": ("Status '%(value)s' tidak dikenal (mis. Terdaftar atau Ditolak).",
               "Status '%(value)s' is not recognised (e.g. Terdaftar or Ditolak)."),
    "kpj": ("Nomor KPJ '%(value)s' harus 11 digit.", "KPJ number '%(value)s' must be 11 digits."),
    "kpj_taken": ("Nomor KPJ %(value)s sudah dipakai oleh orang lain di wilayah ini.",
                  "KPJ number %(value)s already belongs to someone else in this region."),
}  # fmt: skip


def message(code: str, lang: str = "id", **params: object) -> str:
    indonesian, english = MESSAGES[code]
    return (english if lang.startswith("en") else indonesian) % params


@dataclass
class Reply:
    registered: int = 0
    rejected: int = 0
    conflicts: int = 0  # BPJS answered another KPJ than the registry's: left for review
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def as_dict(self) -> dict:
        return {
            "registered": self.registered,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "problems": [{"line": line, "reason": reason} for line, reason in self.problems],
        }


def _cell(value: object) -> str:
    """A cell as text; a number typed into a NIK or KPJ cell keeps all its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _read_cells(path: Path, filename: str) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as text; FileProblem when unreadable."""
    reading.refuse_too_large(path.stat().st_size, settings.PAYUNG_MAX_UPLOAD_BYTES)
    data = path.read_bytes()
    if not data:
        raise FileProblem("empty_file")
    if data.startswith((workbooks.ZIP, workbooks.OLE)):
        rows, _merged = workbooks.first_sheet(path)
        return [[_cell(c) for c in row] for row in rows]
    if Path(filename or path.name).suffix.lower() in {".xlsx", ".xls", ".xlsm"}:
        raise FileProblem("corrupt")
    return reading.text_rows(data, lambda cell: headers.normalise_header(cell) in _BY_HEADER)


_BY_HEADER = {headers.normalise_header(a): column for column, names in REPLY_ALIASES.items() for a in names}


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:MAX_HEADER_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = _BY_HEADER.get(headers.normalise_header(cell))
            if name:
                columns.setdefault(name, position)
        if "nik" in columns and "kpj" in columns:
            return index, columns
    return -1, {}


def _state_of(text: str) -> str | None:
    word = headers.normalise_header(text)
    for state, words in STATUS_WORDS.items():
        if word in words or any(word.startswith(w) for w in words):
            return state
    return None


@transaction.atomic
def reply(
    user, batch: RegistrationBatch, path: Path, *, filename: str = "", lang: str = "id", channel: str = "web"
) -> Reply:
    """Apply BPJS's reply to ``batch``; see the module docstring. Raises ValidationFailed({"file": ...})
    when the file as a whole cannot be used."""
    try:
        cells = _read_cells(Path(path), filename)
    except FileProblem as problem:
        raise ValidationFailed({"file": [problem.text(lang)]}) from None
    index, columns = _header(cells)
    if index < 0:
        known = {k: ", ".join(REPLY_ALIASES[k][:5]) for k in ("nik", "kpj")}
        raise ValidationFailed({"file": [message("no_columns", lang, **known)]})
    body = [(index + 2 + i, row) for i, row in enumerate(cells[index + 1 :]) if any(c for c in row)]
    if not body:
        raise ValidationFailed({"file": [message("no_rows", lang)]})
    entries = {e.person.nik: e for e in batch.entries.select_related("person")}
    region = batch.agreement.region_id
    taken = dict(
        Person.objects.filter(region_id=region).exclude(kpj="").values_list("kpj", "id")
    )  # KPJ -> person
    result, seen = Reply(), {}

    def cell(row: list[str], name: str) -> str:
        position = columns.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    changed_entries, changed_people = [], []
    for line, row in body:
        nik, kpj, status, note = (cell(row, n) for n in ("nik", "kpj", "status", "note"))
        nik, kpj = (
            nik.replace(" ", "").replace("'", ""),
            kpj.replace(" ", "").replace("'", "").replace(".", ""),
        )
        state = _state_of(status) if status else (RegistrationEntry.State.REGISTERED if kpj else None)
        registered, problem = state == RegistrationEntry.State.REGISTERED, None
        if not (nik.isdigit() and len(nik) == 16):
            problem = message("nik", lang, value=nik)
        elif nik in seen:
            problem = message("repeated", lang, value=seen[nik])
        elif nik not in entries:
            problem = message("not_in_batch", lang, value=nik, batch=batch.pk)
        elif state is None and status:
            problem = message("status", lang, value=status)
        elif state is None or registered and not (kpj.isdigit() and len(kpj) == 11):
            problem = message("kpj", lang, value=kpj)
        elif registered and taken.get(kpj, entries[nik].person_id) != entries[nik].person_id:
            problem = message("kpj_taken", lang, value=kpj)
        seen.setdefault(nik, line)
        if problem:
            result.problems.append((line, problem))
            continue
        entry = entries[nik]
        entry.state, entry.note = state, note[:2000]
        entry.kpj = kpj if state == RegistrationEntry.State.REGISTERED else ""
        changed_entries.append(entry)
        if entry.kpj and entry.person.kpj and entry.person.kpj != kpj:
            entry.state = RegistrationEntry.State.CONFLICT  # never overwritten: someone decides
            result.conflicts += 1
        elif entry.kpj:
            result.registered += 1
            taken[kpj] = entry.person_id
            if entry.person.kpj != kpj:
                entry.person.kpj = kpj
                changed_people.append(entry.person)
        else:
            result.rejected += 1
    RegistrationEntry.objects.bulk_update(changed_entries, ["state", "kpj", "note"], batch_size=2000)
    now = timezone.now()
    for person in changed_people:
        person.updated_at = now
    Person.objects.bulk_update(changed_people, ["kpj", "updated_at"], batch_size=2000)
    # A new version: a person form opened before this reply must not save the old KPJ back over it.
    Person.objects.filter(pk__in=[p.pk for p in changed_people]).update(version=F("version") + 1)
    batch.replied_at, batch.reply_filename = now, (filename or Path(path).name)[:255]
    batch.save(update_fields=["replied_at", "reply_filename"])
    record(
        user,
        "registration.reply",
        batch,
        region_code=region,
        after={**result.as_dict(), "problems": len(result.problems), "kpj_set": len(changed_people)},
        channel=channel,
    )
    return result
