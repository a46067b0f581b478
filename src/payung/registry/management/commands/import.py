"""`payung import roster FILE --region CODE [--unit CODE] [--group G] [--json] [--dry-run] [--lang id|en]`
and `payung import expire [--hours N]`.

Reads an XLSX or CSV roster, rejects bad rows into an error file and writes the valid rows in one
transaction. ``--dry-run`` checks only (the batch stays a preview). Exit code 1 when the file as a whole
cannot be imported, with the reason on stderr; rejected rows alone are not a failure. ``expire`` ends the
previews nobody committed (importer.expire, which each upload runs too): for a nightly cron job.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung import uploads
from payung.accounts import cli
from payung.registry import importer, parsing
from payung.registry.models import ImportBatch


class Command(BaseCommand):
    help = _("Impor daftar peserta (XLSX/CSV) ke satu kabupaten/kota.")

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        rosters = kinds.add_parser("roster", help=self.help)
        rosters.add_argument("file")
        rosters.add_argument("--region", required=True, help=_("Kode kabupaten/kota, mis. 5371."))
        rosters.add_argument("--unit", default="", help=_("Kode unit untuk baris tanpa unit kerja."))
        rosters.add_argument("--group", choices=parsing.GROUPS, default="non_asn")
        cli.add_user_argument(rosters)
        rosters.add_argument("--json", action="store_true", dest="as_json")
        rosters.add_argument("--dry-run", action="store_true", dest="dry_run")
        rosters.add_argument("--lang", choices=["id", "en"], default="id")
        expiring = kinds.add_parser("expire", help=_("Akhiri pratinjau impor yang tidak pernah disimpan."))
        hours = int(importer.PREVIEW_LIFETIME.total_seconds()) // 3600
        expiring.add_argument("--hours", type=int, default=hours, help=_("Umur pratinjau, dalam jam."))
        expiring.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, kind: str, **options):
        with translation.override(options["lang"]):
            if kind == "expire":
                self._expire(options["hours"])
            else:
                self._roster(options)

    def _roster(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": path})
        user = cli.acting_user(options)
        region = cli.tenant(user, options["region"])
        unit = cli.unit(user, region, options["unit"]) if options["unit"].strip() else None
        cli.require_editor(user)  # only after the lookups: "not found" before "not allowed"
        batch = importer.run(
            path,
            filename=uploads.display_name(path.name, fallback=uploads.ROSTER),
            region=region,
            unit=unit,
            group=options["group"],
            user=user,
            lang=options["lang"],
            channel="cli",
            dry_run=options["dry_run"],
        )
        result = importer.summary(batch)
        if options["as_json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_report(result))
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(batch.text())

    def _expire(self, hours: int) -> None:
        if hours < 1:
            raise CommandError(_("--hours harus bilangan bulat 1 atau lebih."))
        count = importer.expire(dt.timedelta(hours=hours))
        self.stdout.write(_("%(n)s pratinjau impor kedaluwarsa; berkas dan barisnya dihapus.") % {"n": count})


def _report(result: dict) -> str:
    lines = [
        _("Impor #%(batch)s: %(state)s") % {"batch": result["batch"], "state": result["state"]},
        result["message"] or "",
        _("Baris: %(total)s, baru: %(imported)s, diperbarui: %(updated)s, tidak berubah: %(unchanged)s, "
          "ditolak: %(rejected)s, peringatan: %(warnings)s") % result,
    ]  # fmt: skip
    if result["error_file"]:
        lines.append(_("Baris yang ditolak: %(path)s") % {"path": result["error_file"]})
    return "\n".join(line for line in lines if line)
