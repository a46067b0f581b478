"""`payung nik check NIK [--json] [--birth-date YYYY-MM-DD] [--sex L|P] [--lang id|en]`.

Prints whether the NIK is valid, the reasons when it is not, warnings (an unusual age), the region names,
birth date and sex it encodes.
Exit code 0 when valid, 1 when invalid (so scripts can test it).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung import formats
from payung.registry import nik as nik_rules


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("Tanggal lahir harus ditulis sebagai YYYY-MM-DD, bukan %(text)s.") % {"text": text}
        ) from None


class Command(BaseCommand):
    requires_system_checks = []  # pure check: no database, no URLs
    help = _("Periksa NIK: sah atau tidak, alasannya, wilayah, tanggal lahir dan jenis kelamin.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help=self.help)
        check.add_argument("nik")
        check.add_argument("--json", action="store_true", dest="as_json")
        check.add_argument("--birth-date", dest="birth_date", default="")
        check.add_argument("--sex", choices=[nik_rules.MALE, nik_rules.FEMALE])
        check.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, action: str, **options):
        lang = options["lang"]
        birth_date = _date(options["birth_date"]) if options["birth_date"] else None
        info = nik_rules.parse(options["nik"], birth_date=birth_date, sex=options["sex"])
        with translation.override(lang):
            if options["as_json"]:
                self.stdout.write(json.dumps(info.as_dict(lang), ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(_report(info, lang)))
        if not info.valid:
            sys.exit(1)


def _report(info: nik_rules.NikInfo, lang: str) -> list[str]:
    lines = [f"NIK {info.nik}: " + (_("SAH") if info.valid else _("TIDAK SAH"))]
    lines += [f"  - {reason.text(lang)}" for reason in info.reasons]
    lines += [f"  ! {_('Peringatan')}: {warning.text(lang)}" for warning in info.warnings]
    sexes = {nik_rules.MALE: _("laki-laki"), nik_rules.FEMALE: _("perempuan")}
    fields = [
        (_("Provinsi"), info.province),
        (_("Kabupaten/kota"), info.regency),
        (_("Kecamatan"), info.district),
        (_("Tanggal lahir"), formats.format_date(info.birth_date, lang) or None),
        (_("Jenis kelamin"), sexes.get(info.sex or "")),
    ]
    return lines + [f"{label}: {value}" for label, value in fields if value]
