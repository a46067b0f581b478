"""Collective registration with BPJS: an XLSX of the people an agreement covers who need registering (not
sent yet, and without a KPJ: a person with one is a participant already), in a layout that is data
(layouts/*.toml, or a file dropped into <PAYUNG_VAR>/layouts/). BPJS's reply is read by coverage.replies
(``reply`` and ``Reply`` are named here too).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from payung.accounts import scope
from payung.audit.services import stored_user
from payung.coverage import queries
from payung.coverage.models import Agreement, Membership, RegistrationBatch, RegistrationEntry
from payung.coverage.replies import Reply, reply  # the reply lives in its own module
from payung.files import xlsx
from payung.registry.models import Engagement, Person, Unit
from payung.registry.services import ValidationFailed, record_export

__all__ = ["Reply", "reply", "create_batch", "pending", "batch_file", "batch_path", "layouts"]
SHIPPED = Path(__file__).resolve().parent / "layouts"
PERSON_FIELDS = ("nik", "kpj", "name", "birth_place", "birth_date", "sex", "address", "mother_maiden_name",
                 "phone")  # fmt: skip
FIELDS = (*PERSON_FIELDS, "unit", "position", "start", "basis")


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
    """People with memberships under the agreement who need registering: no KPJ yet (a person with one is
    a BPJS participant already, decision 0020: KPJ conflicts) and in none of its batches (a person BPJS
    rejected may be sent again)."""
    sent = RegistrationEntry.objects.filter(batch__agreement=agreement).exclude(
        state=RegistrationEntry.State.REJECTED
    )
    return (
        Person.objects.filter(
            pk__in=Membership.objects.filter(agreement=agreement).values("person_id"), kpj=""
        )
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
        agreement=agreement, layout=chosen.code, created_by=stored_user(user)
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
