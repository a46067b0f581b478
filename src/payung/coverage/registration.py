"""Collective registration with BPJS: an XLSX of the people an agreement covers who were not sent yet, in a
layout that is data (layouts/*.toml, or a file dropped into <PAYUNG_VAR>/layouts/), and BPJS's reply.

The reply (XLSX, XLS or CSV) needs a NIK and a KPJ column, optionally a status and a note ("keterangan");
headers are matched as tolerantly as a roster's (registry.headers.normalise_header and its spellings).
Each good row sets its entry's state and, when registered, the person's KPJ; each bad row is reported with
its line (as Excel numbers it) and the reason, in Indonesian or English. A file that cannot be read at all
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.audit.services import record
from payung.coverage import queries
from payung.coverage.models import Agreement, Membership, RegistrationBatch, RegistrationEntry
from payung.files import xlsx
from payung.registry import headers, reading, workbooks
from payung.registry.models import Engagement, Person, Unit
from payung.registry.problems import FileProblem
from payung.registry.services import ValidationFailed, record_export

SHIPPED = Path(__file__).resolve().parent / "layouts"
PERSON_FIELDS = ("nik", "kpj", "name", "birth_place", "birth_date", "sex", "address", "mother_maiden_name",
                 "phone")  # fmt: skip
FIELDS = (*PERSON_FIELDS, "unit", "position", "start", "basis")
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


# ------------------------------------------------------------------------------------------------ layouts
@dataclass(frozen=True)
class Layout:
    code: str
    name: str
    sheet: str
    columns: tuple[tuple[str, str], ...]  # (header, field)
    date_format: str = "%d-%m-%Y"
    yes: str = "Y"
    no: str = "T"


def _layout_dirs() -> list[Path]:
    return [SHIPPED, Path(settings.VAR_DIR) / "layouts"]  # the later wins for the same name


def layouts() -> dict[str, Layout]:
    found: dict[str, Layout] = {}
    for folder in _layout_dirs():
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            found[path.stem] = _layout(path)
    return found


@cache
def _parsed(path: Path, mtime: float) -> Layout:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    columns = tuple((str(c["header"]), str(c["field"])) for c in data.get("column", []))
    for header, name in columns:
        if name not in FIELDS and not name.startswith("program."):
            raise ValueError(f"{path}: column {header!r} has unknown field {name!r}")
    if not columns:
        raise ValueError(f"{path}: a layout needs at least one [[column]]")
    return Layout(
        code=path.stem,
        name=str(data.get("name", path.stem)),
        sheet=str(data.get("sheet", "Peserta"))[:31],
        columns=columns,
        date_format=str(data.get("date_format", "%d-%m-%Y")),
        yes=str(data.get("yes", "Y")),
        no=str(data.get("no", "T")),
    )


def _layout(path: Path) -> Layout:
    return _parsed(path, path.stat().st_mtime)


def layout(code: str) -> Layout:
    found = layouts().get(code)
    if found is None:
        raise ValidationFailed({"layout": [_("Format %(code)s tidak dikenal.") % {"code": code}]})
    return found


# ------------------------------------------------------------------------------------------------ export
def pending(agreement: Agreement):
    """People with memberships under the agreement who are in none of its batches yet (a person BPJS
    rejected may be sent again)."""
    sent = RegistrationEntry.objects.filter(batch__agreement=agreement).exclude(
        state=RegistrationEntry.State.REJECTED
    )
    return (
        Person.objects.filter(pk__in=Membership.objects.filter(agreement=agreement).values("person_id"))
        .exclude(pk__in=sent.values("person_id"))
        .order_by("name", "id")
    )


def batch_path(batch: RegistrationBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / "registrations" / f"pendaftaran-{batch.pk}-{batch.layout}.xlsx"


@transaction.atomic
def create_batch(
    user, agreement: Agreement, *, layout_code: str = "sipp", channel: str = "web"
) -> RegistrationBatch:
    """A new batch of everyone pending, with its XLSX written; audited as an export."""
    chosen = layout(layout_code)
    people = list(pending(agreement).values_list("id", flat=True))
    if not people:
        raise ValidationFailed(
            {
                "agreement": [
                    _("Semua peserta PKS ini sudah pernah dikirim; tidak ada yang perlu didaftarkan.")
                ]
            }
        )
    batch = RegistrationBatch.objects.create(
        agreement=agreement, layout=chosen.code, created_by=user if getattr(user, "pk", None) else None
    )
    RegistrationEntry.objects.bulk_create(RegistrationEntry(batch=batch, person_id=pk) for pk in people)
    write(batch, batch_path(batch), chosen)
    record_export(user, "coverage.registrationbatch", agreement.region_id, len(people), channel=channel)
    return batch


def batch_file(user, batch_id: int, *, channel: str = "web") -> Path:
    """The XLSX of a batch the user may see (queries.registration_batches; else Http404), written if it is
    missing; each download is audited as an export: it carries full NIKs and mothers' maiden names."""
    batch = scope.get_or_404(queries.registration_batches(user), pk=batch_id)
    path = batch_path(batch)
    if not path.is_file():
        write(batch, path)
    region, count = batch.agreement.region_id, batch.entries.count()
    record_export(user, "coverage.registrationbatch", region, count, channel=channel)
    return path


def rows(batch: RegistrationBatch) -> pl.DataFrame:
    """One row per entry: the person's fields, their unit and position, first covered day and basis."""
    person, membership = Person._meta.db_table, Membership._meta.db_table
    entry = RegistrationEntry._meta.db_table
    chosen = ", ".join(f"CAST(p.{f} AS TEXT)" if f == "birth_date" else f"p.{f}" for f in PERSON_FIELDS)
    sql = (
        f"SELECT {chosen}, u.name, e.position, "
        f"CAST(m.start AS TEXT), m.basis FROM {entry} r JOIN {person} p ON p.id = r.person_id "
        f"JOIN {membership} m ON m.person_id = p.id AND m.agreement_id = %s "
        f"JOIN {Unit._meta.db_table} u ON u.id = m.unit_id "
        f"JOIN {Engagement._meta.db_table} e ON e.id = m.engagement_id "
        "WHERE r.batch_id = %s ORDER BY p.name, p.id, m.start"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.agreement_id, batch.pk])
        found = cursor.fetchall()
    schema = {f: pl.Utf8 for f in (*PERSON_FIELDS, "unit", "position", "start")} | {"basis": pl.Int64}
    frame = pl.DataFrame(found, schema=schema, orient="row").with_columns(
        pl.col("birth_date").str.to_date("%Y-%m-%d"),
        pl.col("start").str.to_date("%Y-%m-%d"),
    )
    # A person's first period gives the start; the latest gives the wage (and unit) they are sent with.
    return frame.group_by("nik", maintain_order=True).agg(
        pl.all().exclude("start", "basis", "unit", "position").first(),
        pl.col("start").min(),
        pl.col("basis", "unit", "position").last(),
    )


def write(batch: RegistrationBatch, path: Path, chosen: Layout | None = None) -> int:
    """The batch's XLSX in its layout: text cells (a NIK keeps its 16 digits), dates in the layout's
    format, wages as whole numbers. Returns the row count."""
    chosen = chosen or layout(batch.layout)
    frame = rows(batch)
    programs = set(batch.agreement.programs)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsx.workbook(path, constant_memory=True)
    sheet = book.add_worksheet(chosen.sheet)
    text, bold = book.add_format({"num_format": "@"}), book.add_format({"bold": True})
    number = book.add_format({"num_format": "0"})
    for col, (header, name) in enumerate(chosen.columns):
        sheet.set_column(col, col, 12 if name.startswith("program.") else 20)
        sheet.write_string(0, col, header, bold)
    for r, values in enumerate(frame.iter_rows(named=True), start=1):
        for col, (_header, name) in enumerate(chosen.columns):
            if name.startswith("program."):
                sheet.write_string(r, col, chosen.yes if name[8:].upper() in programs else chosen.no, text)
                continue
            value = values.get(name)
            if value is None or value == "":
                continue
            if name == "basis":
                sheet.write_number(r, col, value, number)
            elif isinstance(value, dt.date):
                sheet.write_string(r, col, value.strftime(chosen.date_format), text)
            else:
                sheet.write_string(r, col, str(value), text)
    book.close()
    return frame.height


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
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def as_dict(self) -> dict:
        return {
            "registered": self.registered,
            "rejected": self.rejected,
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
        if entry.kpj:
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
