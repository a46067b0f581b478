"""`payung claims list|export`: the claims a user may see, and every claim of a period as XLSX.

    payung claims list --region CODE [--state STATE] [--from DATE] [--to DATE] [--json] [--user NAME]
    payung claims export --region CODE --out FILE.xlsx [--from DATE] [--to DATE] [--user NAME]

NIKs are masked in the list; the workbook carries them in full and its export is audited.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.claims import exports, queries
from payung.claims.models import Claim, ClaimState
from payung.files.letters import rupiah


class Command(BaseCommand):
    help = _("Klaim manfaat (JKM, JKK) yang boleh dilihat, dan ekspornya ke XLSX.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=_("Daftar klaim suatu wilayah."))
        export = actions.add_parser("export", help=_("Semua klaim suatu periode sebagai XLSX."))
        for sub in (listing, export):
            sub.add_argument("--region", required=True, help=_("Kode kabupaten/kota, mis. 5371."))
            sub.add_argument("--from", dest="since", type=cli.iso_date, default=None)
            sub.add_argument("--to", dest="until", type=cli.iso_date, default=None)
            cli.add_user_argument(sub)
        listing.add_argument("--state", choices=ClaimState.values, default="")
        listing.add_argument("--json", action="store_true", dest="as_json")
        export.add_argument("--out", required=True, help=_("Berkas XLSX yang ditulis."))

    def handle(self, *args, action: str, **options):
        user = cli.acting_user(options)
        region = cli.tenant(user, options["region"])
        visible = cli.visible(user, Claim.objects.filter(region=region), queries.visible)
        claims = queries.narrowed(
            visible, state=options.get("state", ""), since=options["since"], until=options["until"]
        )
        if action == "export":
            self._export(user, region, claims, Path(options["out"]))
            return
        rows = [queries.row(c) for c in claims]
        if options["as_json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
            return
        if not rows:
            self.stdout.write(_("Belum ada klaim."))
        for row in rows:
            paid = f" · {_('dibayar')} {rupiah(row['paid_amount'])}" if row["paid_amount"] is not None else ""
            self.stdout.write(
                f"#{row['id']} {row['occurred_on']} {row['name']} ({row['nik']}) · {row['program']} · "
                f"{row['state']} · {row['verdict']} · {rupiah(row['computed_total'])}{paid}"
            )

    def _export(self, user, region, claims, out: Path) -> None:
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("Berkas keluaran harus .xlsx."))
        found = list(claims.prefetch_related("heirs"))
        title = _("Klaim %(region)s") % {"region": region.name}
        exports.claims_xlsx(found, out, title=title)
        exports.audited(user, "claims.xlsx", region.code, len(found), channel="cli")
        self.stdout.write(_("%(n)s klaim ditulis ke %(out)s.") % {"n": len(found), "out": out})
