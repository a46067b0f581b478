"""`payung rules list|show|add|load`: the rules in force on a date, a rule's history, a new version.

payung rules list [--on YYYY-MM-DD] [--region CODE] [--json]
payung rules show KEY [--json]
payung rules add KEY --from YYYY-MM-DD --value V --source TEXT [--confidence R|N|C|U] [--note T]
                     [--region CODE] [--user NAME]
payung rules load            (the shipped rules file: adds missing versions, changes none)
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.contributions import billing
from payung.registry.services import ValidationFailed
from payung.rules import loader, models, services
from payung.rules.queries import book, parameters


class Command(BaseCommand):
    help = _("Aturan iuran dan manfaat sebagai data berversi: lihat, tambah versi, muat berkas bawaan.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=_("Nilai setiap aturan yang berlaku pada suatu tanggal."))
        listing.add_argument("--on", type=cli.iso_date, default=None)
        listing.add_argument("--region", default="")
        listing.add_argument("--json", action="store_true", dest="as_json")
        show = actions.add_parser("show", help=_("Semua versi satu aturan, dengan sumbernya."))
        show.add_argument("key")
        show.add_argument("--json", action="store_true", dest="as_json")
        add = actions.add_parser("add", help=_("Tambah versi baru suatu aturan."))
        add.add_argument("key")
        add.add_argument("--from", dest="effective_from", type=cli.iso_date, required=True)
        add.add_argument("--value", required=True)
        add.add_argument("--source", required=True)
        add.add_argument("--confidence", default="R", choices=list(models.Confidence.values))
        add.add_argument("--note", default="")
        add.add_argument("--region", default="")
        cli.add_user_argument(add)
        actions.add_parser("load", help=_("Muat berkas aturan bawaan (hanya menambah versi yang belum ada)."))

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(options)

    def _list(self, options):
        on, region = options["on"] or timezone.localdate(), options["region"]
        rules, rows = book(), []
        for parameter in parameters():
            version = rules.optional(parameter.key, on, region)
            rows.append({"key": parameter.key, "description": parameter.description,
                         **(version.as_dict() if version else {"value": None})})  # fmt: skip
        if options["as_json"]:
            self.stdout.write(json.dumps({"on": on.isoformat(), "region": region, "rules": rows}, indent=2))
            return
        self.stdout.write(_("Aturan yang berlaku pada %(on)s") % {"on": cli.day(on)})
        for row in rows:
            found = row["value"] is not None
            value = row["value"] if found else "-"
            since = f"  ({cli.day(row['effective_from'])}, {row['source']})" if found else ""
            self.stdout.write(f"  {row['key']:<28} {value:>12}{since}")

    def _show(self, options):
        versions = [v.as_dict() for v in book().history(options["key"])]
        if not versions:
            raise cli.not_found(_("Aturan"), options["key"])
        if options["as_json"]:
            self.stdout.write(json.dumps(versions, ensure_ascii=False, indent=2))
            return
        for v in versions:
            region = f" [{v['region']}]" if v["region"] else ""
            self.stdout.write(
                f"{cli.day(v['effective_from'])}{region}  {v['value']:>12}  {v['confidence']}  {v['source']}"
            )

    def _add(self, options):
        user = cli.acting_user(options)
        fields = ("key", "effective_from", "value", "source", "confidence", "note", "region")
        data = services.VersionData(*(options[name] for name in fields))
        try:
            version = services.add_version(user, data, channel="cli")
        except ValidationFailed as failed:
            raise CommandError(
                "\n".join(m for messages in failed.errors.values() for m in messages)
            ) from None
        text = _("Versi baru %(key)s berlaku mulai %(date)s: %(value)s")
        self.stdout.write(
            text
            % {
                "key": data.key,
                "date": version.effective_from,
                "value": format(version.value.normalize(), "f"),
            }
        )
        if note := billing.reached_note(version):
            self.stdout.write(note)

    def _load(self, options):
        report = loader.load(vars(models))
        text = _("Versi ditambahkan: %(added)d, sudah ada: %(kept)d")
        self.stdout.write(text % {"added": report.added, "kept": report.kept})
        for conflict in report.conflicts:
            self.stderr.write(_("Berbeda dengan berkas (tidak diubah): %(c)s") % {"c": conflict})
