"""`payung bills generate` and `payung bills export`: a month's bills, and a bill as XLSX or PDF.

    payung bills generate --region CODE --period YYYY-MM [--agreement ID] [--user NAME] [--json]
    payung bills export --bill ID --out FILE.xlsx|FILE.pdf [--user NAME]

``generate`` makes one bill per agreement (PKS) valid in that month (docs/decisions/0010) and needs a role
that manages money (admin, finance); a refusal (no agreement, already billed, no members, ...) exits with
code 1 and changes nothing. ``export`` writes the workbook (summary, per unit, per person) or the cover
letter, chosen by the file's extension; it is audited like every export of personal data. Both act as
``--user`` (payung.accounts.cli): a region, agreement or bill outside that user's scope is "not found".
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung import formats
from payung.accounts import cli, scope
from payung.contributions import billing, exports
from payung.contributions.models import Bill
from payung.coverage.models import Agreement


def bill_summary(bill: Bill) -> dict:
    return {
        "id": bill.pk,
        "region": bill.region_id,
        "agreement": {"id": bill.agreement_id, "number": bill.agreement.number},
        "period": bill.period.strftime("%Y-%m"),
        "due_date": bill.due_date.isoformat(),
        "mid_month_rule": bill.mid_month_rule,
        "people": bill.people,
        "lines": bill.line_count,
        "employer": bill.employer,
        "worker": bill.worker,
        "adjustments": bill.adjustments,
        "total": bill.total,
        "rules": len(bill.rules),
    }


class Command(BaseCommand):
    help = _("Buat tagihan iuran bulanan per PKS, atau unduh satu tagihan sebagai XLSX/PDF.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        make = actions.add_parser("generate", help=_("Buat tagihan satu bulan untuk satu kabupaten/kota."))
        make.add_argument("--region", required=True, help=_("Kode kabupaten/kota, mis. 5371."))
        make.add_argument("--period", required=True, help=_("Bulan tagihan, YYYY-MM."))
        make.add_argument("--agreement", type=int, help=_("Hanya PKS dengan ID ini."))
        make.add_argument("--json", action="store_true", dest="as_json")
        export = actions.add_parser(
            "export", help=_("Tulis tagihan ke berkas XLSX (rincian) atau PDF (surat).")
        )
        export.add_argument("--bill", type=int, required=True)
        export.add_argument("--out", required=True, help=_("Berkas keluaran: .xlsx atau .pdf"))
        for sub in (make, export):
            sub.add_argument("--lang", choices=["id", "en"], default="id")
            cli.add_user_argument(sub)

    def handle(self, *args, action: str, **options):
        with translation.override(options["lang"]):
            user = cli.acting_user(options)
            if action == "generate":
                self._generate(user, options)
            else:
                self._export(user, options)

    def _generate(self, user, options: dict) -> None:
        region = cli.tenant(user, options["region"])
        agreement = None
        if options["agreement"] is not None:
            agreements = cli.visible(user, Agreement.objects.filter(region=region))
            agreement = cli.get_visible(agreements, _("PKS"), options["agreement"])
        cli.require_treasurer(user)  # after the lookups: "not found" before "not allowed"
        try:
            period = billing.parse_period(options["period"])
            bills = billing.generate(user, region, period, agreement=agreement, channel="cli")
        except billing.BillingError as error:
            raise CommandError(error.text(options["lang"])) from None
        if options["as_json"]:
            self.stdout.write(json.dumps([bill_summary(b) for b in bills], ensure_ascii=False, indent=2))
            return
        for bill in bills:
            self.stdout.write(
                _(
                    "Tagihan #%(id)s PKS %(agreement)s %(period)s: %(people)s orang, %(lines)s baris, "
                    "jumlah %(total)s (koreksi %(adjustments)s), jatuh tempo %(due)s."
                )
                % {
                    "id": bill.pk,
                    "agreement": bill.agreement.number,
                    "period": formats.format_month(bill.period, options["lang"]),
                    "people": f"{bill.people:,}",
                    "lines": f"{bill.line_count:,}",
                    "total": exports.rupiah(bill.total),
                    "adjustments": exports.rupiah(bill.adjustments),
                    "due": formats.format_date(bill.due_date, options["lang"]),
                }
            )

    def _export(self, user, options: dict) -> None:
        bills = cli.visible(user, Bill.objects.select_related("agreement", "region"))
        bill = cli.get_visible(bills, _("Tagihan"), options["bill"])
        if user is not None and scope.restricted_unit_ids(user) is not None:
            raise cli.not_found(_("Tagihan"), options["bill"])  # a whole region's names: not for one unit
        out = Path(options["out"])
        suffix = out.suffix.lower()
        if suffix not in {".xlsx", ".pdf"}:
            raise CommandError(_("Berkas keluaran harus berakhiran .xlsx atau .pdf."))
        if not out.parent.is_dir():
            raise CommandError(_("Folder %(path)s tidak ada.") % {"path": out.parent})
        if suffix == ".xlsx":
            exports.bill_xlsx(bill, out)
            exports.audited(user, bill, "xlsx", channel="cli")
        else:
            exports.cover_letter_pdf(bill, out)
            exports.audited(user, bill, "pdf", channel="cli")
        self.stdout.write(_("Tagihan #%(id)s ditulis ke %(path)s.") % {"id": bill.pk, "path": out})
