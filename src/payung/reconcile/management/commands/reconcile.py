"""`payung reconcile ROSTER BPJS --out REPORT.xlsx --pairs PAIRS.csv [--json] [--programs jkk,jkm]
[--jkk-class N] [--category pu|bpu] [--period YYYY-MM] [--threshold P] [--lang id|en]`.

Compares two files alone: needs no database (for IT staff, and for checking a file before import).
Writes the report and the pairs only when everything succeeded (temporary files, then renamed).

`payung reconcile --region CODE BPJS [--period YYYY-MM] [--user NAME] [--json]` stores the BPJS file as a
snapshot of the region and reconciles the stored registry against it (reconcile.services), acting as the
user (accounts.cli): another tenant's region is "not found", a role without review or money rights refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from payung import uploads
from payung.accounts import cli
from payung.contributions.calculator import JKK_CLASSES, PROGRAMS, QuoteError
from payung.reconcile import findings, linkage, lists, report, services
from payung.reconcile.errors import ReconcileProblem


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # two files in, two files out: no database, no URLs
    help = _("Cocokkan daftar (roster) dengan daftar peserta atau tagihan BPJS, tanpa basis data.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            help=_("ROSTER BPJS, atau dengan --region hanya BPJS (XLSX/CSV)."),
        )
        parser.add_argument(
            "--region", default="", help=_("Kode kab/kota: cocokkan dengan registri tersimpan.")
        )
        cli.add_user_argument(parser)
        parser.add_argument("--out", default="", help=_("Laporan .xlsx yang ditulis."))
        parser.add_argument("--pairs", default="", help=_("Pasangan baris .csv yang ditulis."))
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
                if o["region"]:
                    self._stored(o)
                else:
                    self._run(o, lang)
            except ReconcileProblem as problem:
                raise CommandError(problem.text(lang)) from None

    def _stored(self, o: dict) -> None:
        if len(o["files"]) != 1:
            raise CommandError(_("Dengan --region, berikan satu berkas BPJS saja."))
        user = cli.acting_user(o)
        region = cli.tenant(user, o["region"])
        if user is not None and not services.can_reconcile(user):
            raise CommandError(
                _("Peran pengguna %(username)s tidak berhak melakukan rekonsiliasi.") % {"username": user}
            )
        period = _options(o).period
        path = Path(o["files"][0])
        if not path.is_file():
            raise CommandError(_("Berkas %(path)s tidak ada.") % {"path": path})
        try:
            name = uploads.display_name(path.name, fallback=uploads.BPJS_FILE)
            run = services.upload_and_run(user, region, path, filename=name, period=period, channel="cli")
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        if o["as_json"]:
            body = {"reconciliation": run.pk, "snapshot": run.snapshot_id, "region": region.code,
                    "period": f"{period:%Y-%m}", "roster_rows": run.roster_rows,
                    "bpjs_rows": run.snapshot.row_count, "totals": run.totals}  # fmt: skip
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        for kind, t in run.totals.items():
            label = services.LABELS[kind][1 if o["lang"] == "en" else 0]
            self.stdout.write(f"{label:<48} {t['count']:>9,}   Rp {t['impact']:>15,}")
        self._parts(services.impact_parts(run)["total"], o["lang"])

    def _parts(self, parts: dict[str, int], lang: str) -> None:
        """The impacts by their kind, never added together (findings.IMPACT_PARTS)."""
        for part, amount in parts.items():
            label = findings.IMPACT_PARTS[part][1 if lang.startswith("en") else 0]
            self.stdout.write(f"{label:<60}   Rp {amount:>15,}")

    def _run(self, o: dict, lang: str) -> None:
        if len(o["files"]) != 2 or not o["out"] or not o["pairs"]:
            raise CommandError(
                _("Berikan ROSTER dan BPJS dengan --out dan --pairs, atau --region KODE BPJS.")
            )
        o = o | {"roster": o["files"][0], "bpjs": o["files"][1]}
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
        self._parts(found.impact_parts(), lang)
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
