"""`payung reconcile ROSTER BPJS --out REPORT.xlsx --pairs PAIRS.csv [--json] [--programs jkk,jkm]
[--jkk-class N] [--category pu|bpu] [--period YYYY-MM] [--threshold P] [--lang id|en]`.

Compares two files alone: needs no database (for IT staff, and for checking a file before import).
Writes the report and the pairs only when everything succeeded (temporary files, then renamed).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung.contributions.calculator import JKK_CLASSES, PROGRAMS, QuoteError
from payung.reconcile import findings, linkage, lists, report
from payung.reconcile.errors import ReconcileProblem


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # two files in, two files out: no database, no URLs
    help = _("Cocokkan daftar (roster) dengan daftar peserta atau tagihan BPJS, tanpa basis data.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("roster", help=_("Berkas daftar (XLSX/CSV)."))
        parser.add_argument("bpjs", help=_("Daftar peserta atau tagihan BPJS (XLSX/CSV)."))
        parser.add_argument("--out", required=True, help=_("Laporan .xlsx yang ditulis."))
        parser.add_argument("--pairs", required=True, help=_("Pasangan baris .csv yang ditulis."))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("Cetak jumlah per temuan."))
        parser.add_argument("--programs", default="jkk,jkm", help=_("Program yang dibayar (mis. jkk,jkm)."))
        parser.add_argument("--jkk-class", type=int, default=1, dest="jkk_class")
        parser.add_argument("--category", choices=("pu", "bpu"), default="pu")
        parser.add_argument("--period", default="", help=_("Bulan tagihan, YYYY-MM (bawaan: bulan ini)."))
        parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD)
        parser.add_argument("--lang", choices=("id", "en"), default="id")

    def handle(self, *args, **o) -> None:
        lang = o["lang"]
        with translation.override(lang):
            try:
                self._run(o, lang)
            except ReconcileProblem as problem:
                raise CommandError(problem.text(lang)) from None

    def _run(self, o: dict, lang: str) -> None:
        options = _options(o)
        for target in (o["out"], o["pairs"]):
            if not Path(target).resolve().parent.is_dir():
                raise CommandError(_("Folder untuk %(path)s tidak ada.") % {"path": target})
        roster_list = lists.read(o["roster"], "roster")
        bpjs_list = lists.read(o["bpjs"], "bpjs")
        lists.refuse_no_common_identifier(roster_list, bpjs_list)
        linked = linkage.link(roster_list.frame, bpjs_list.frame, threshold=o["threshold"])
        found = findings.classify(roster_list, bpjs_list, linked, options)
        context = report.Context(roster_list.name, bpjs_list.name, options, o["threshold"], lang)
        with _replacing(Path(o["out"])) as out, _replacing(Path(o["pairs"])) as pairs:
            report.write_report(found, out, context)
            report.write_pairs(found, pairs)
        if o["as_json"]:
            rows = (roster_list.frame.height, bpjs_list.frame.height)
            self.stdout.write(report.summary_json(found, context, *rows))
            return
        for row in found.summary().iter_rows(named=True):
            label = findings.LABELS[row["finding"]][1 if lang == "en" else 0]
            self.stdout.write(f"{label:<48} {row['count']:>9,}   Rp {row['impact']:>15,}")
        self.stdout.write(_("Laporan: %(out)s; pasangan: %(pairs)s") % {"out": o["out"], "pairs": o["pairs"]})


def _options(o: dict) -> findings.Options:
    known = PROGRAMS[o["category"]]
    programs = [p.strip().upper() for p in o["programs"].split(",") if p.strip()]
    for program in programs or [""]:
        if program not in known:
            raise ReconcileProblem("programs", value=program, known=", ".join(known))
    if o["jkk_class"] not in JKK_CLASSES:
        raise CommandError(QuoteError("jkk_class").text(translation.get_language() or "id"))
    try:
        period = dt.datetime.strptime(o["period"], "%Y-%m").date() if o["period"] else dt.date.today()
    except ValueError:
        raise ReconcileProblem("period", value=o["period"]) from None
    ordered = tuple(p for p in known if p in programs)
    return findings.Options(ordered, o["jkk_class"], o["category"], period.replace(day=1))


class _replacing:
    """A temporary path beside ``target``, renamed onto it only when the block succeeds."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(
            prefix=".payung-", suffix=self.target.suffix, dir=self.target.resolve().parent
        )
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            umask = os.umask(0)  # mkstemp made it private; the outputs get the usual permissions
            os.umask(umask)
            os.chmod(self.temporary, 0o666 & ~umask)
            os.replace(self.temporary, self.target)
        else:
            self.temporary.unlink(missing_ok=True)
