"""Roster import as a service: ``preview`` reads and checks a file, ``commit`` writes its valid rows.

A batch keeps its upload under MEDIA_ROOT/imports/<batch id>/ so that the preview and the commit can be
two requests. Preview writes nothing to the registry: it stores the batch, its issues (errors reject a
row, warnings only flag it) and an XLSX of the rejected rows. Commit writes every valid row in one
transaction through registry.bulk, or nothing at all. File-level problems fail the batch with a message.

A preview nobody commits (the operator walked away, the process was killed between preview and commit)
expires after PREVIEW_LIFETIME: ``expire`` runs before each upload, each commit and each listing (and as
``payung import expire``); it deletes the batch's issues and files and keeps the batch, marked expired.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from payung import uploads
from payung.accounts import scope
from payung.audit.services import record
from payung.regions.models import Region
from payung.registry import bulk, flags, problems, reading, roster, signals
from payung.registry.models import Engagement, ImportBatch, ImportIssue, Person, Unit

log = logging.getLogger(__name__)

MAX_STORED_ISSUES = 10_000  # issues kept as rows per batch; the error file always has every rejected row
META = "batch.json"  # what the ImportBatch model has no field for: language, upload name, units created
LANGUAGES = ("id", "en")  # every message is stored in both: a batch is read later in either language
PREVIEW_LIFETIME = dt.timedelta(hours=24)  # a working day to look at a preview and commit it


def preview(
    path: str | Path,
    *,
    filename: str,
    region: Region,
    unit: Unit | None = None,
    group: str = "non_asn",
    user=None,
    lang: str = "id",
) -> ImportBatch:
    """Read and check ``path``; store the batch, its issues and its error file. Writes no person."""
    expire()
    return _preview(Path(path), filename, region, unit, group, user, lang)[0]


def commit(batch: ImportBatch, *, user=None, channel: str = "web") -> ImportBatch:
    """Write the valid rows of a previewed batch (re-read from its stored upload) in one transaction."""
    expire()
    batch.refresh_from_db()
    if batch.state != ImportBatch.State.PREVIEW:
        return batch
    meta = _meta(batch)
    upload = _folder(batch) / meta["upload"]
    if not upload.is_file():
        return _fail(batch, _both(partial(problems.message, "upload_missing")), user, channel)
    try:
        checked = _check(batch, upload, meta["lang"])
    except problems.FileProblem as problem:
        return _fail(batch, _both(problem.text), user, channel)
    if outside := _outside_units(batch, checked, user):
        return _fail(batch, outside, user, channel)
    return _commit(batch, checked, user, channel)


def run(
    path: str | Path,
    *,
    filename: str,
    region: Region,
    unit: Unit | None = None,
    group: str = "non_asn",
    user=None,
    lang: str = "id",
    channel: str = "cli",
    dry_run: bool = False,
) -> ImportBatch:
    """Preview then commit in one go (CLI, API); the file is read once. ``dry_run`` stops after preview."""
    expire()
    batch, checked = _preview(Path(path), filename, region, unit, group, user, lang)
    if checked is None or dry_run:
        return batch
    return _commit(batch, checked, user, channel)


def summary(batch: ImportBatch) -> dict[str, object]:
    """What the CLI and the API report about a batch."""
    return {
        "batch": batch.pk,
        "state": batch.state,
        "file": batch.filename,
        "sha256": batch.sha256,
        "total": batch.total_rows,
        "imported": batch.imported - batch.updated,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "warnings": batch.warnings,
        "units_created": _meta(batch).get("units_created", []),
        "error_file": batch.error_file or None,
        "message": batch.text(),  # in the active language
    }


# ------------------------------------------------------------------------------------------- preview
def _preview(
    path: Path, filename: str, region: Region, unit: Unit | None, group: str, user, lang: str
) -> tuple[ImportBatch, roster.Checked | None]:
    batch = ImportBatch.objects.create(
        region=region, unit=unit, uploaded_by=user, filename=filename, sha256=_sha256(path), group=group
    )
    folder = _folder(batch)
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"lang": lang, "upload": uploads.stored_name(filename)}  # never the user's name on disk
    _save_meta(batch, meta)
    try:
        reading.refuse_too_large(path.stat().st_size, settings.PAYUNG_MAX_UPLOAD_BYTES)  # before copying it
        shutil.copyfile(path, folder / meta["upload"])
        checked = _check(batch, folder / meta["upload"], lang)
        if outside := _outside_units(batch, checked, user):
            return _fail(batch, outside, user, "web", audit=False), None
        with transaction.atomic():
            _record_findings(batch, checked, folder / meta["upload"])
    except problems.FileProblem as problem:
        return _fail(batch, _both(problem.text), user, "web", audit=False), None
    except Exception:  # a bug must not reach the operator as a traceback; nothing was written
        log.exception("import batch %s: preview failed", batch.pk)
        return _fail(batch, _both(partial(problems.message, "system_error")), user, "web", audit=False), None
    return batch, checked


OUTSIDE_UNITS = (
    "Baris %(lines)s memakai unit di luar unit Anda atau tidak menyebut unit; tidak ada yang diimpor. "
    "Anda hanya dapat mengimpor ke unit: %(units)s.",
    "Lines %(lines)s use a unit outside your units or name none; nothing was imported. "
    "You may import into these units only: %(units)s.",
)


def _outside_units(batch: ImportBatch, checked: roster.Checked, user) -> tuple[str, str] | None:
    """An operator limited to some units imports into those only (decision 0004): a row of another unit, of
    a unit the file would create or of none would write (or change) a person they may not see."""
    allowed = scope.restricted_unit_ids(user)
    if allowed is None or checked.rows.is_empty():
        return None
    rows = bulk.UnitIndex.load(batch.region_id).with_ids(
        checked.rows.select(roster.LINE, "unit_code", "unit_name")
    )
    named = pl.col("unit_code").is_not_null() | pl.col("unit_name").is_not_null()
    unit = pl.when(named).then(pl.col("unit_id")).otherwise(pl.lit(batch.unit_id, pl.Int64))
    lines = rows.filter(unit.is_null() | ~unit.is_in(allowed)).get_column(roster.LINE).sort().to_list()
    if not lines:
        return None
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    units = ", ".join(Unit.objects.filter(pk__in=allowed).order_by("name").values_list("name", flat=True))
    indonesian, english = (text % {"lines": shown, "units": units} for text in OUTSIDE_UNITS)
    return indonesian, english


def _record_findings(batch: ImportBatch, checked: roster.Checked, upload: Path) -> None:
    """Issues, counts and the error file (in the uploader's language) of a preview."""
    registered = flags.registry_warnings(checked, batch.region, LANGUAGES)
    _store_issues(batch, checked.issues, registered)
    flagged = checked.issues.filter(pl.col("severity") == "warning").height + registered.height
    batch.total_rows, batch.rejected, batch.warnings = checked.total, checked.rejected, flagged
    if batch.rejected:
        error_file = upload.with_name(f"{upload.stem}-ditolak.xlsx")
        roster.write_error_file(checked, error_file)
        batch.error_file = str(error_file)
    earlier = _already_committed(batch)
    if earlier:
        batch.message, batch.message_en = _both(partial(_already_message, earlier))
    batch.save()


def _check(batch: ImportBatch, path: Path, lang: str) -> roster.Checked:
    sheet = reading.read(path, filename=batch.filename, max_bytes=settings.PAYUNG_MAX_UPLOAD_BYTES)
    region = batch.region_id
    villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=region)
    return roster.validate(
        sheet,
        default_group=batch.group,
        default_unit=batch.unit.code if batch.unit_id else None,
        unit_codes=set(Unit.objects.filter(region_id=region).values_list("code", flat=True)),
        village_codes=set(villages.values_list("code", flat=True)),
        lang=lang,
    )


def _store_issues(batch: ImportBatch, checks: pl.DataFrame, registered: pl.DataFrame) -> None:
    """The roster's errors and warnings, and the warnings of NIKs registered elsewhere."""
    columns = [roster.LINE, "column", "severity", "code", "message_id", "message_en"]
    issues = pl.concat([checks.select(columns), registered]).sort(roster.LINE, maintain_order=True)
    kept = issues.head(MAX_STORED_ISSUES)
    rows = [
        ImportIssue(batch=batch, line=line, column=column[:60], severity=severity, code=code, message=message,
                    message_en=message_en)
        for line, column, severity, code, message, message_en in kept.iter_rows()
    ]  # fmt: skip
    if issues.height > kept.height:
        more = _both(partial(problems.message, "issues_truncated", value=issues.height - kept.height))
        rows.append(ImportIssue(batch=batch, line=0, severity="warning", code="truncated", message=more[0],
                                message_en=more[1]))  # fmt: skip
    ImportIssue.objects.bulk_create(rows, batch_size=2_000)


# -------------------------------------------------------------------------------------------- commit
def _commit(batch: ImportBatch, checked: roster.Checked, user, channel: str) -> ImportBatch:
    meta = _meta(batch)
    region = batch.region_id
    earlier = _already_committed(batch)
    try:
        with transaction.atomic():
            if not _claim(batch):
                batch.refresh_from_db()
                return batch
            before = _registry_counts(region)
            if earlier:
                counts = {"imported": 0, "updated": 0, "unchanged": checked.rows.height, "units": []}
            else:
                counts = _write(batch, checked)
            batch.state = ImportBatch.State.COMMITTED
            batch.imported, batch.updated = counts["imported"] + counts["updated"], counts["updated"]
            batch.unchanged = counts["unchanged"]
            texts = partial(_already_message, earlier) if earlier else partial(_outcome, batch, counts)
            batch.message, batch.message_en = _both(texts)
            batch.save()
            # What the write added, without counting a million rows again.
            after = {
                "people": before["people"] + counts.get("people_created", 0),
                "engagements": before["engagements"] + counts["imported"],
            }
            record(
                user,
                "import.commit",
                batch,
                before=before,
                after=after,
                reason=batch.filename,
                channel=channel,
            )
    except Exception:  # a database failure must not reach the operator as a traceback; nothing was written
        log.exception("import batch %s failed", batch.pk)
        batch.refresh_from_db()
        return _fail(batch, _both(partial(problems.message, "system_error")), user, channel)
    _save_meta(batch, {**meta, "units_created": counts["units"], "notes": _followed_up(batch, user, channel)})
    return batch


def _followed_up(batch: ImportBatch, user, channel: str) -> list[list[str]]:
    """What later layers did after the commit (registry.signals.roster_committed), as notes in both
    languages; a receiver that fails is logged and noted, the import stays committed."""
    notes: list[list[str]] = []
    for receiver, response in signals.roster_committed.send_robust(
        sender=ImportBatch, batch=batch, user=user, channel=channel
    ):
        if isinstance(response, Exception):
            log.error("import batch %s: %s failed", batch.pk, receiver, exc_info=response)
            notes.append(list(_both(partial(problems.message, "followup_failed"))))
        else:
            notes += [list(note) for note in response or []]
    return notes


def notes(batch: ImportBatch, lang: str = "id") -> list[str]:
    """The notes of a committed import (``_followed_up``) in ``lang``."""
    english = lang.startswith("en")
    return [note[english] for note in _meta(batch).get("notes", [])]


def _claim(batch: ImportBatch) -> bool:
    """Take the batch out of preview inside the commit's transaction: False when an expiry or a second
    commit of the same preview got there first (the row lock makes them wait for each other)."""
    previews = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PREVIEW)
    return bool(previews.update(state=ImportBatch.State.COMMITTED))


def _write(batch: ImportBatch, checked: roster.Checked) -> dict:
    existing = set(Unit.objects.filter(region_id=batch.region_id).values_list("code", flat=True))
    unit_code = batch.unit.code if batch.unit_id else None
    result = bulk.upsert_roster(
        checked.rows, region_code=batch.region_id, default_group=batch.group, unit_code=unit_code
    )
    units = Unit.objects.filter(region_id=batch.region_id).exclude(code__in=existing)
    return {**result, "units": sorted(units.values_list("name", flat=True))}


def _outcome(batch: ImportBatch, counts: dict, lang: str) -> str:
    text = problems.message(
        "committed", lang, imported=counts["imported"], updated=counts["updated"],
        unchanged=counts["unchanged"], rejected=batch.rejected,
    )  # fmt: skip
    if counts["units"]:
        text += " " + problems.message("units_created", lang, value=", ".join(counts["units"]))
    return text


def _registry_counts(region_code: str) -> dict[str, int]:
    return {
        "people": Person.objects.filter(region_id=region_code).count(),
        "engagements": Engagement.objects.filter(person__region_id=region_code).count(),
    }


def _already_committed(batch: ImportBatch) -> ImportBatch | None:
    same = ImportBatch.objects.filter(
        region_id=batch.region_id, sha256=batch.sha256, state=ImportBatch.State.COMMITTED
    )
    return same.exclude(pk=batch.pk).order_by("created_at").first()


def _already_message(earlier: ImportBatch, lang: str) -> str:
    day = timezone.localdate(earlier.created_at)
    return problems.message("already_imported", lang, batch=earlier.pk, date=day)


def _both(text: Callable[[str], str]) -> tuple[str, str]:
    """``text`` in Indonesian and in English, for ``message`` and ``message_en``."""
    indonesian, english = (text(lang) for lang in LANGUAGES)
    return indonesian, english


def _fail(batch: ImportBatch, texts: tuple[str, str], user, channel: str, audit: bool = True) -> ImportBatch:
    batch.state, (batch.message, batch.message_en) = ImportBatch.State.FAILED, texts
    batch.imported = batch.updated = batch.unchanged = 0
    batch.save()
    if audit:
        record(user, "import.failed", batch, reason=texts[0], channel=channel)
    return batch


# -------------------------------------------------------------------------------------------- expiry
def expire(lifetime: dt.timedelta = PREVIEW_LIFETIME) -> int:
    """Expire every preview older than ``lifetime``: its issues, stored upload and error file are deleted.
    Returns how many batches expired."""
    cutoff = timezone.now() - lifetime
    stale = ImportBatch.objects.filter(state=ImportBatch.State.PREVIEW, created_at__lt=cutoff)
    texts = _both(partial(_expired_text, int(lifetime.total_seconds()) // 3600))
    expired = 0
    for batch in stale.only("pk", "region_id"):
        expired += _expire(batch, texts)
    return expired


def _expire(batch: ImportBatch, texts: tuple[str, str]) -> int:
    with transaction.atomic():
        still = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PREVIEW)
        changed = still.update(
            state=ImportBatch.State.EXPIRED, message=texts[0], message_en=texts[1], error_file=""
        )
        if changed:
            ImportIssue.objects.filter(batch_id=batch.pk).delete()
            record(None, "import.expired", batch, reason=texts[0], channel="system")
    if changed:  # files last: a commit that claimed the batch first keeps them
        shutil.rmtree(_folder(batch), ignore_errors=True)
    return changed


def _expired_text(hours: int, lang: str) -> str:
    with translation.override(lang):
        return _(
            "Pratinjau ini tidak disimpan dalam %(hours)s jam sehingga kedaluwarsa; berkas dan daftar baris "
            "bermasalahnya sudah dihapus. Unggah berkasnya lagi untuk mengimpor."
        ) % {"hours": hours}


def error_download_name(batch: ImportBatch) -> str:
    """What the rejected rows' file is called when handed out: after the upload, in the reader's language."""
    return uploads.shorten(Path(batch.filename).stem, f"-{_('baris-bermasalah')}.xlsx")


# --------------------------------------------------------------------------------------------- files
def _folder(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(batch.pk)


def _meta(batch: ImportBatch) -> dict:
    path = _folder(batch) / META
    return json.loads(path.read_text()) if path.is_file() else {"lang": "id", "upload": ""}


def _save_meta(batch: ImportBatch, meta: dict) -> None:
    (_folder(batch) / META).write_text(json.dumps(meta, ensure_ascii=False))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
