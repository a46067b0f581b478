"""`payung contributions quote`: one person's monthly contributions, per program, with the rules used.

    payung contributions quote --category pu --wage 2500000 --programs jkk,jkm --jkk-class 1
                               [--on YYYY-MM-DD] [--region CODE] [--json] [--lang id|en]
    payung contributions quote --category bpu --income 1000000 --programs jkk,jkm

Integer rupiah; rounding per docs/decisions/0009. Exit code 1 (and a message) on bad input.
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.contributions.calculator import CATEGORIES, QuoteError, quote
from payung.files.letters import count
from payung.rules.queries import book


class Command(BaseCommand):
    requires_system_checks = []  # a quote reads the rule tables only: keep the cold start short
    help = _("Hitung iuran bulanan satu orang per program, dengan versi aturan yang dipakai.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        q = actions.add_parser("quote", help=self.help)
        q.add_argument("--category", choices=CATEGORIES, required=True)
        cli.add_amount_arguments(q)
        q.add_argument("--programs", required=True, help="jkk,jkm,jht,jp,jkp,jkn")
        q.add_argument("--jkk-class", dest="jkk_class", type=int, default=None)
        q.add_argument("--on", type=cli.iso_date, default=None)
        q.add_argument(
            "--region", default="", help=_("Kode wilayah, untuk aturan setempat (mis. batas bawah upah).")
        )
        q.add_argument("--json", action="store_true", dest="as_json")
        q.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, action: str, **options):
        lang = options["lang"]
        with translation.override(lang):
            try:
                result = quote(
                    book(),
                    category=options["category"],
                    amount=options["wage"] if options["wage"] is not None else options["income"],
                    programs=options["programs"].split(","),
                    on=options["on"] or timezone.localdate(),
                    jkk_class=options["jkk_class"],
                    region=options["region"],
                )
            except QuoteError as refused:
                raise CommandError(refused.text(lang)) from None
            if options["as_json"]:
                self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(_report(result)))


def _report(result) -> list[str]:
    rows = [f"{'':6}{_('Pemberi kerja'):>16}{_('Pekerja'):>14}{_('Jumlah'):>14}"]
    for line in [*result.lines, result]:
        label = getattr(line, "program", _("Total"))
        rows.append(f"{label:<6}{count(line.employer):>16}{count(line.worker):>14}{count(line.total):>14}")
    used = {v.id or v.key: v for line in result.lines for v in line.versions}.values()
    rows += ["", _("Aturan yang dipakai:")]
    rows += [
        f"  {v.key} = {format(v.value.normalize(), 'f')} ({_('sejak')} {v.effective_from}; {v.source})"
        for v in used
    ]
    return rows
