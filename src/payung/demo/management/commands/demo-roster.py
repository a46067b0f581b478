"""`payung demo-roster --out FILE [--rows N] [--seed S] [--region CODE] [--unit CODE] [--faults]`.

Writes a roster file (XLSX or CSV) of new demo people; with --faults it carries bad rows and duplicates
(some of people already in the demo registry) and --truth FILE saves what is wrong where, as JSON.
Needs no database: the registry's people are regenerated from their seed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payung.demo import people
from payung.demo.roster import RosterRequest, build_roster


class Command(BaseCommand):
    help = _("Menulis berkas daftar (roster) demo, dengan kesalahan yang realistis bila diminta --faults.")
    requires_system_checks: list[str] = []  # touches no database and no URL: runs on a bare checkout

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help=_("Berkas keluaran .xlsx atau .csv."))
        parser.add_argument("--rows", type=int, default=50, help=_("Jumlah orang baru di berkas."))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--region", default=people.KUPANG, choices=people.PROFILES, metavar="KODE")
        parser.add_argument("--unit", help=_("Hanya orang dari unit ini (kode unit, mis. DLHK)."))
        parser.add_argument("--faults", action="store_true", help=_("Sisipkan baris salah dan duplikat."))
        parser.add_argument("--bad", type=int, help=_("Jumlah baris salah (bawaan: 5%% dari --rows)."))
        parser.add_argument("--duplicates", type=int, help=_("Duplikat dalam berkas (nama/NIK beda tulis)."))
        parser.add_argument("--registry-duplicates", type=int, help=_("Duplikat orang di registri demo."))
        parser.add_argument("--registry-seed", type=int, default=people.DEFAULT_SEED)
        parser.add_argument("--title", help=_("Judul di atas baris judul kolom (hanya XLSX)."))
        parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "cp1252"))
        parser.add_argument("--delimiter", default=",", choices=(",", ";"))
        parser.add_argument(
            "--truth", help=_("Simpan kebenaran (baris salah, duplikat) sebagai JSON di sini.")
        )

    def handle(self, *args, **o) -> None:
        out = Path(o["out"])
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(_("--out harus berakhiran .xlsx atau .csv."))
        request = RosterRequest(
            rows=o["rows"],
            seed=o["seed"],
            region=o["region"],
            unit=o["unit"],
            faults=o["faults"],
            bad=o["bad"],
            duplicates=o["duplicates"],
            registry_duplicates=o["registry_duplicates"],
            registry_seed=o["registry_seed"],
            title=o["title"],
            encoding=o["encoding"],
            delimiter=o["delimiter"],
        )
        try:
            truth = build_roster(out, request)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if o["truth"]:
            truth.write_json(o["truth"])
        self.stdout.write(
            _("%(path)s: %(rows)d baris data, %(bad)d salah, %(dups)d kemungkinan duplikat.")
            % {
                "path": out,
                "rows": truth.rows.height,
                "bad": len(truth.rejected),
                "dups": len(truth.duplicates),
            }
        )
        for fault in truth.faults:
            other = fault.of_line or fault.of_nik or ""
            self.stdout.write(
                f"  {fault.line:>6}  {fault.kind:<22} {fault.code or '-':<20} {other} {fault.detail}"
            )
