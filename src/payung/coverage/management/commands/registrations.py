"""`payung registrations export --agreement ID --out FILE [--layout NAME]` and
`payung registrations reply --batch ID FILE [--json] [--lang id|en]`.

``export`` puts everyone the agreement covers who was not sent yet into a new batch and writes its XLSX
(audited as an export); ``reply`` reads BPJS's answer and sets each entry's state and the people's KPJ,
printing every bad row with its line and reason. Both need a role that manages money and take ``--user``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung import uploads
from payung.accounts import cli
from payung.coverage import queries, registration
from payung.coverage.models import Agreement, RegistrationBatch
from payung.registry.services import ValidationFailed


class Command(BaseCommand):
    help = _("Pendaftaran kolektif ke BPJS: buat berkas pendaftaran, baca balasan BPJS.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help=_("Buat berkas pendaftaran peserta yang belum dikirim."))
        export.add_argument("--agreement", required=True, type=int)
        export.add_argument("--out", required=True)
        export.add_argument("--layout", default="sipp")
        reply = actions.add_parser("reply", help=_("Baca balasan BPJS (NIK, KPJ, status, keterangan)."))
        reply.add_argument("file")
        reply.add_argument("--batch", required=True, type=int)
        reply.add_argument("--lang", choices=["id", "en"], default="id")
        for sub in (export, reply):
            sub.add_argument("--json", action="store_true", dest="as_json")
            cli.add_user_argument(sub)

    def handle(self, *args, action: str, **options):
        with translation.override(options.get("lang", "id")):
            user = cli.acting_user(options)
            if action == "export":
                self._export(user, options)
            else:
                self._reply(user, options)

    def _export(self, user, options: dict) -> None:
        agreements = cli.visible(user, Agreement.objects.all(), queries.agreements)
        agreement = cli.get_visible(agreements, _("PKS"), options["agreement"])
        cli.require_treasurer(user)
        try:
            batch = registration.create_batch(user, agreement, layout_code=options["layout"], channel="cli")
        except ValidationFailed as error:
            raise cli.failed(error) from None
        out = Path(options["out"])
        shutil.copyfile(registration.batch_path(batch), out)
        count = batch.entries.count()
        if options["as_json"]:
            self.stdout.write(json.dumps({"batch": batch.pk, "people": count, "file": str(out)}))
        else:
            self.stdout.write(
                _("Pendaftaran #%(batch)s: %(n)s orang, ditulis ke %(out)s.")
                % {"batch": batch.pk, "n": count, "out": out}
            )

    def _reply(self, user, options: dict) -> None:
        path = Path(options["file"])
        batches = cli.visible(user, RegistrationBatch.objects.all(), queries.registration_batches)
        batch = cli.get_visible(batches, _("Pendaftaran"), options["batch"])
        cli.require_treasurer(user)
        if not path.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": path})
        try:
            result = registration.reply(
                user,
                batch,
                path,
                filename=uploads.display_name(path.name, fallback=uploads.REPLY_FILE),
                lang=options["lang"],
                channel="cli",
            )
        except ValidationFailed as error:
            raise cli.failed(error) from None
        if options["as_json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Terdaftar: %(registered)s, ditolak BPJS: %(rejected)s, baris bermasalah: %(bad)s.")
            % {"registered": result.registered, "rejected": result.rejected, "bad": len(result.problems)}
        )
        if result.conflicts:
            self.stdout.write(
                _("KPJ berbeda dari registri (tidak ditimpa, putuskan di halaman PKS): %(n)s.")
                % {"n": result.conflicts}
            )
        for line, reason in result.problems:
            self.stdout.write(_("baris %(line)s: %(reason)s") % {"line": line, "reason": reason})
