"""`payung units add --region CODE --code CODE --name NAME [--group GROUP]` and `payung units list`.

Work units (OPD, schools, desa) of a kab/kota. An import creates the units its roster names; adding one by
hand first lets an import point at it with `--unit CODE`. Both act as `--user NAME` (decision 0007).
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand
from django.utils.translation import gettext as _

from payung.accounts import cli, scope
from payung.registry import services
from payung.registry.models import Group, Unit


class Command(BaseCommand):
    help = _("Unit kerja (OPD, sekolah, desa) per kabupaten/kota: tambah, daftar.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help=_("Tambah unit kerja."))
        add.add_argument("--region", required=True, help=_("Kode kabupaten/kota, mis. 5371."))
        add.add_argument("--code", required=True, help=_("Kode unit, unik di kabupaten/kota, mis. DLHK."))
        add.add_argument("--name", required=True, help=_("Nama unit."))
        add.add_argument(
            "--group",
            default=Group.NON_ASN.value,
            help=_(
                "Kelompok pekerja di unit ini (%(groups)s): teacher menjadi sekolah, kelompok desa "
                "dengan kode desa menjadi desa."
            )
            % {"groups": ", ".join(Group.values)},
        )
        listing = actions.add_parser("list", help=_("Daftar unit kerja yang boleh dilihat."))
        listing.add_argument("--region", default="", help=_("Kode kabupaten/kota, mis. 5371."))
        for action in (add, listing):
            action.add_argument("--json", action="store_true", dest="as_json")
            cli.add_user_argument(action)

    def handle(self, *args, action: str, **options):
        user = cli.acting_user(options)
        if action == "add":
            unit = _row(self._add(user, options))
            self._write(unit, options, _("Unit ditambahkan: %(unit)s") % {"unit": _line(unit)})
            return
        units = [_row(unit) for unit in _visible(user, options["region"])]
        self._write(units, options, "\n".join(map(_line, units)) or _("Belum ada unit."))

    def _write(self, data: dict | list, options: dict, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) if options["as_json"] else text)

    def _add(self, user, options) -> Unit:
        region = cli.tenant(user, options["region"])
        cli.require_editor(user)  # after the lookup: "not found" before "not allowed"
        try:
            return services.create_unit(
                user, region, options["code"], options["name"], options["group"].strip(), channel="cli"
            )
        except services.ValidationFailed as error:
            raise cli.failed(error) from None


def _visible(user, region_code: str) -> list[Unit]:
    units = cli.visible(user, Unit.objects.all(), scope.units)
    if region_code.strip():
        units = units.filter(region=cli.tenant(user, region_code))
    return list(units.order_by("region_id", "code"))


def _line(row: dict) -> str:
    return f"{row['region']} {row['code']} · {row['name']} · {row['kind_label']}"


def _row(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "region": unit.region_id,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "village": unit.village_id,
    }
