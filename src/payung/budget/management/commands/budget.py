"""`payung budget plan|realisation`: what a year of protection costs, and how much of the budget is used.

    payung budget plan --region CODE --year YYYY --programs jkk,jkm[,jht,jp,jkn] [--jkk-class N]
                       [--group G[,G]] [--shares employer|all] [--json] [--user NAME] [--lang id|en]
    payung budget realisation --region CODE --year YYYY [--json] [--user NAME]

``plan`` prices the region's current registry for the year (nothing is stored), month by month with the
rules in force each month, through the calculator the bills use: ``total`` (integer rupiah for the year),
``months`` (12 figures) and the totals per program, funding source, unit and village.
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.budget import pricing, queries
from payung.files.letters import count


class Command(BaseCommand):
    help = _("Anggaran iuran: harga setahun dari daftar sekarang, dan realisasi pagu anggaran.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        plan = actions.add_parser("plan", help=_("Harga setahun dari daftar sekarang (tidak disimpan)."))
        real = actions.add_parser("realisation", help=_("Realisasi pagu anggaran suatu tahun."))
        for sub in (plan, real):
            sub.add_argument("--region", required=True, help=_("Kode kabupaten/kota, mis. 5371."))
            sub.add_argument("--year", type=int, required=True)
            sub.add_argument("--json", action="store_true", dest="as_json")
            sub.add_argument("--lang", choices=["id", "en"], default="id")
            cli.add_user_argument(sub)
        plan.add_argument("--programs", required=True, help="jkk,jkm,jht,jp,jkn")
        plan.add_argument("--jkk-class", dest="jkk_class", type=int, default=None)
        plan.add_argument("--group", default="", help=_("Kelompok, mis. rentan atau perangkat,rt_rw."))
        plan.add_argument("--shares", choices=pricing.SHARES, default="employer")

    def handle(self, *args, action: str, **options):
        lang = options["lang"]
        with translation.override(lang):
            user = cli.acting_user(options)
            region = cli.tenant(user, options["region"])
            try:
                if action == "plan":
                    self._plan(region, options)
                else:
                    self._realisation(user, region, options)
            except pricing.PricingError as refused:
                raise CommandError(refused.text(lang)) from None

    def _plan(self, region, options) -> None:
        groups = [g.strip() for g in options["group"].split(",") if g.strip()]
        priced = queries.plan(
            region.code,
            options["year"],
            options["programs"],
            jkk_class=options["jkk_class"],
            groups=groups or None,
            shares=options["shares"],
        )
        if options["as_json"]:
            self.stdout.write(json.dumps(priced.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n".join(report(region, priced)))

    def _realisation(self, user, region, options) -> None:
        from payung.budget import realisation

        found = realisation.of_region(user, region, options["year"])
        if options["as_json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write("\n".join(realisation.report(found)))


def report(region, priced: pricing.Priced) -> list[str]:
    data = priced.as_dict()
    rows = [
        _("Anggaran %(region)s tahun %(year)s") % {"region": region.name, "year": priced.year},
        f"{_('Jumlah setahun'):<28}{count(data['total']):>20}",
        "",
        _("Per bulan:"),
    ]
    rows += [f"  {month:>2}{count(amount):>46}" for month, amount in enumerate(data["months"], start=1)]
    titles = {"programs": _("Per program:"), "sources": _("Per sumber dana:"), "parts": _("Per kelompok:"),
              "units": _("Per unit:"), "villages": _("Per desa:")}  # fmt: skip
    for key, title in titles.items():
        if data[key]:
            rows += ["", title] + [f"  {str(k)[:38]:<38}{count(v):>10}" for k, v in data[key].items()]
    for part, programs in data["skipped"].items():
        rows += ["", _("%(part)s: %(programs)s tidak ada untuk kategorinya, tidak dihitung.")
                 % {"part": part, "programs": ", ".join(programs)}]  # fmt: skip
    return rows
