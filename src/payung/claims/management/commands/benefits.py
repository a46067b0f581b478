"""`payung benefits quote`: what a death or a work accident is worth, part by part, with the rules used.

    payung benefits quote --program jkm|jkk --event death|disability|accident --on DATE
                          --member-since DATE (--wage N | --income N) [--category pu|bpu]
                          [--work-related] [--children N] [--json] [--lang id|en]
      JKK only: [--disability total | --disability-percent P | --disability-items CODE,...]
                [--function-loss P] [--stmb-months N] [--transport land|sea|air --transport-cost N]
                [--home-care-cost N]

Integer rupiah. ``total`` is the cash to the heirs or the worker; scholarships are counted apart
(``scholarship_children``). Exit code 1 (and one line) on bad input.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.claims import benefits
from payung.files.letters import rupiah
from payung.rules.queries import book


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        raise CommandError(_("Persen harus angka, bukan %(text)s.") % {"text": text}) from None
    return value


class Command(BaseCommand):
    requires_system_checks = []  # a quote reads the rule tables only: keep the cold start short
    help = _("Hitung manfaat kematian atau kecelakaan kerja per bagian, dengan versi aturan yang dipakai.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        q = actions.add_parser("quote", help=self.help)
        q.add_argument("--program", choices=["jkm", "jkk"], required=True)
        q.add_argument("--event", choices=["death", "disability", "accident"], required=True)
        q.add_argument("--on", type=cli.iso_date, required=True, help=_("Tanggal peristiwa (YYYY-MM-DD)."))
        q.add_argument(
            "--member-since",
            dest="member_since",
            type=cli.iso_date,
            required=True,
            help=_("Mulai menjadi peserta BPJS (YYYY-MM-DD)."),
        )
        cli.add_amount_arguments(q)
        q.add_argument("--category", choices=benefits.CATEGORIES, default=None)
        q.add_argument("--work-related", dest="work_related", action="store_true")
        q.add_argument("--children", type=int, default=0, help=_("Jumlah anak yang dapat menerima beasiswa."))
        disability = q.add_mutually_exclusive_group()
        disability.add_argument("--disability", choices=["total"], default=None)
        disability.add_argument(
            "--disability-percent", dest="disability_percent", type=_percent, default=None
        )
        disability.add_argument(
            "--disability-items",
            dest="disability_items",
            default="",
            help=_("Bagian tubuh dari tabel cacat, mis. thumb_right,index_right."),
        )
        q.add_argument("--function-loss", dest="function_loss", type=_percent, default=None)
        q.add_argument("--stmb-months", dest="stmb_months", type=int, default=0)
        q.add_argument("--transport", choices=benefits.TRANSPORT, default="")
        q.add_argument("--transport-cost", dest="transport_cost", type=cli.rupiah, default=0)
        q.add_argument("--home-care-cost", dest="home_care_cost", type=cli.rupiah, default=0)
        q.add_argument("--json", action="store_true", dest="as_json")
        q.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, action: str, **options):
        lang = options["lang"]
        with translation.override(lang):
            rules = book()
            try:
                result = benefits.quote(rules, _case(rules, options))
            except benefits.BenefitError as refused:
                raise CommandError(refused.text(lang)) from None
            if options["as_json"]:
                self.stdout.write(json.dumps(result.as_dict(lang), ensure_ascii=False, indent=2))
            else:
                self.stdout.write("\n".join(_report(result, lang)))


def _case(rules, options) -> benefits.Case:
    basis = options["wage"] if options["wage"] is not None else options["income"]
    category = options["category"] or ("bpu" if options["income"] is not None else "pu")
    return benefits.Case(
        program=options["program"].upper(),
        event=options["event"],
        on=options["on"],
        member_since=options["member_since"],
        basis=basis,
        category=category,
        work_related=options["work_related"],
        children=options["children"],
        disability=_disability(rules, options),
        stmb_months=options["stmb_months"],
        transport=options["transport"],
        transport_cost=options["transport_cost"],
        home_care_cost=options["home_care_cost"],
    )


def _disability(rules, options) -> benefits.Disability | None:
    if options["disability"] == "total":
        return benefits.Disability(total=True)
    percent = options["disability_percent"]
    items = [i.strip() for i in options["disability_items"].split(",") if i.strip()]
    if items:
        percent = Decimal(0)
        for item in items:
            version = rules.optional(f"benefit.jkk.disability.{item}", options["on"])
            if version is None:
                raise CommandError(_("Bagian %(item)s tidak ada di tabel cacat.") % {"item": item})
            percent += version.value
    if percent is None:
        return None
    return benefits.Disability(percent=percent, function=options["function_loss"])


def _report(result: benefits.Quote, lang: str) -> list[str]:
    rows = [f"{part.as_dict(lang)['label']:<62}{_amount(part):>18}" for part in result.parts]
    rows += [f"{_('Jumlah (uang tunai)'):<62}{rupiah(result.total):>18}", ""]
    scholarship = result.scholarship
    if scholarship.children:
        rows.append(
            _("Beasiswa: %(n)s anak, paling banyak %(most)s seluruhnya (dibayar per tahun ajaran).")
            % {"n": scholarship.children, "most": rupiah(scholarship.most)}
        )
    else:
        rows.append(_("Beasiswa: tidak ada anak yang memenuhi syarat."))
    rows += ["", _("Aturan yang dipakai:")]
    rows += [
        f"  {v.key} = {format(v.value.normalize(), 'f')} ({_('sejak')} {v.effective_from}; {v.source}) "
        f"[{v.confidence}]"
        for v in result.versions
    ]
    return rows


def _amount(part: benefits.Part) -> str:
    return _("sesuai kebutuhan") if part.amount is None else rupiah(part.amount)
