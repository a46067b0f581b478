"""`payung coverage report|export|import|refresh|key`: coverage computed from the registry, by command.

    payung coverage report --region CODE [--period YYYY-MM] [--json] [--user NAME]
    payung coverage list --region CODE [--period YYYY-MM] [--status S] [--reason R] [--unit CODE]
                         [--group G] [--page N] [--page-size N] [--json] [--user NAME]
    payung coverage export --region CODE --period YYYY-MM --out FILE [--user NAME]
    payung coverage import FILE [--user NAME]
    payung coverage refresh [--region CODE ...] [--period YYYY-MM] [--months N]
    payung coverage key --region CODE

``report`` for a kab/kota: one row per unit and per group; for a province (2 digits): one row per kab/kota,
those without data marked. ``list``: the named list behind a number (``--status uncovered``: who is not
protected, and why), NIKs masked, a page at a time like the API's list (its JSON: ``count`` of the whole
list, ``page``, ``page_size``, ``results``), each page read audited. ``export`` writes the signed summary
a district sends its province (counts and money only); ``import`` refuses a tampered or duplicate file.
``key`` prints a district's signing key (the province hands it over once; decision 0022).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import cli, scope
from payung.audit.services import record
from payung.monitoring import compute, queries, report, services, signing, transfer
from payung.monitoring.models import Reason
from payung.regions.models import Region
from payung.registry.models import Group

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200  # as the API's lists (api.pagination)


def page_size(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE_SIZE:
        raise CommandError(
            _("Ukuran halaman harus 1 sampai %(max)s, bukan %(text)s.") % {"max": MAX_PAGE_SIZE, "text": text}
        )
    return int(text)


def page_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise CommandError(_("Nomor halaman harus 1 atau lebih, bukan %(text)s.") % {"text": text})
    return int(text)


def month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(
            _("Bulan harus ditulis sebagai YYYY-MM, bukan %(text)s.") % {"text": text}
        ) from None


class Command(BaseCommand):
    help = _("Cakupan per wilayah dan bulan: laporan, ringkasan bertanda tangan untuk provinsi, impornya.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        report = actions.add_parser("report", help=_("Cakupan per unit dan kelompok, atau per kab/kota."))
        report.add_argument("--region", required=True, help=_("Kode kab/kota (5371) atau provinsi (53)."))
        report.add_argument(
            "--period", type=month, default=None, help=_("Bulan YYYY-MM (bawaan: bulan ini).")
        )
        report.add_argument("--json", action="store_true", dest="as_json")
        listed = actions.add_parser("list", help=_("Daftar nama di balik satu angka, per halaman."))
        listed.add_argument("--region", required=True, help=_("Kode kab/kota (5371)."))
        listed.add_argument(
            "--period", type=month, default=None, help=_("Bulan YYYY-MM (bawaan: bulan ini).")
        )
        listed.add_argument("--status", choices=queries.STATUSES, default="people")
        listed.add_argument("--reason", choices=Reason.values, default="")
        listed.add_argument("--unit", default="", help=_("Kode unit kerja."))
        listed.add_argument("--group", choices=Group.values, default="")
        listed.add_argument("--page", type=page_number, default=1)
        listed.add_argument("--page-size", type=page_size, default=PAGE_SIZE)
        listed.add_argument("--json", action="store_true", dest="as_json")
        export = actions.add_parser(
            "export", help=_("Ringkasan bulanan bertanda tangan (tanpa data pribadi).")
        )
        export.add_argument("--region", required=True)
        export.add_argument("--period", type=month, required=True)
        export.add_argument("--out", required=True)
        imported = actions.add_parser("import", help=_("Impor ringkasan bertanda tangan dari kab/kota."))
        imported.add_argument("file")
        refresh = actions.add_parser("refresh", help=_("Hitung ulang ringkasan bulanan dari registri."))
        refresh.add_argument("--region", nargs="*", default=None)
        refresh.add_argument("--period", type=month, default=None)
        refresh.add_argument("--months", type=int, default=1)
        key = actions.add_parser("key", help=_("Kunci tanda tangan suatu kab/kota (diserahkan sekali)."))
        key.add_argument("--region", required=True)
        for sub in (report, listed, export, imported, refresh, key):
            cli.add_user_argument(sub)

    def handle(self, *args, action: str, **options):
        user = cli.acting_user(options)
        try:
            getattr(self, f"_{action}")(user, options)
        except signing.Refused as refused:
            raise CommandError(str(refused)) from None

    # -------------------------------------------------------------------------------------- report
    def _report(self, user, options) -> None:
        code = str(options["region"]).strip().replace(".", "")
        period = compute.first_of(options["period"] or timezone.localdate())
        if len(code) == 2:
            province = Region.objects.filter(code=code, level=Region.Level.PROVINCE).first()
            prefix = scope.region_prefix(user) if user is not None else ""
            if province is None or not report.may_see_province(prefix, code):
                raise cli.not_found(_("Wilayah"), code)
            rows = report.province_rows(province, period, prefix or "")
        else:
            rows = report.district_rows(cli.tenant(user, code), period)
        if options["as_json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            what = row.get("unit") or row.get("group") or row.get("name", "")
            if row.get("no_data"):
                self.stdout.write(f"{row['region']} {what}: {_('belum ada data')}")
                continue
            self.stdout.write(
                f"{row['region']} {what}: {row['people']} {_('orang')}, {row['covered']} {_('terlindungi')}, "
                f"{row['uncovered']} {_('belum')}"
            )

    def _list(self, user, options) -> None:
        region = cli.tenant(user, options["region"])
        if user is not None and scope.restricted_unit_ids(user) is not None:
            raise cli.not_found(_("Wilayah"), region.code)  # region-wide, as the web page and the API
        unit = cli.unit(user, region, options["unit"]) if options["unit"] else None
        period = compute.first_of(options["period"] or timezone.localdate())
        summary = report.list_summary(region, period)
        if summary is None:
            raise CommandError(
                _("Daftar nama %(region)s %(period)s tidak ada di server ini.")
                % {"region": region.name, "period": f"{period:%Y-%m}"}
            )
        filters = {k: options[k] for k in ("status", "reason", "group") if options[k]}
        filters |= {"unit": unit.pk} if unit else {}
        page = report.named_page(user, summary, filters, page=options["page"], page_size=options["page_size"])
        record(
            user,
            "view",
            object_type="monitoring.list",
            object_id=region.code,
            region_code=region.code,
            after={"period": period.isoformat(), "page": page["page"], **filters},
            channel="cli",
        )
        if options["as_json"]:
            self.stdout.write(json.dumps(page, ensure_ascii=False, indent=2))
        else:
            self._list_text(page)

    def _list_text(self, page: dict) -> None:
        reasons = dict(Reason.choices)
        for row in page["results"]:
            why = reasons.get(row["reason"], _("terlindungi, dibayar"))
            self.stdout.write(f"{row['nik']}  {row['name']}  {row['unit'] or '—'}  {why}")
        pages = max(-(-page["count"] // page["page_size"]), 1)
        self.stdout.write(
            _("Halaman %(page)s dari %(pages)s; %(count)s baris.")
            % {"page": page["page"], "pages": pages, "count": page["count"]}
        )

    # -------------------------------------------------------------------------------------- files
    def _export(self, user, options) -> None:
        region = cli.tenant(user, options["region"])
        if user is not None and scope.restricted_unit_ids(user) is not None:
            raise cli.not_found(_("Wilayah"), region.code)
        raw = transfer.export(user, region.code, options["period"], channel="cli")
        Path(options["out"]).write_bytes(raw)
        self.stdout.write(
            _("Ringkasan %(region)s %(period)s ditandatangani dan ditulis ke %(out)s.")
            % {"region": region.name, "period": f"{options['period']:%Y-%m}", "out": options["out"]}
        )

    def _import(self, user, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": path})
        prefix = "" if user is None else scope.region_prefix(user)
        if prefix is None or (user is not None and len(prefix) == 4):
            raise CommandError(_("Hanya pemantau provinsi atau admin yang mengimpor ringkasan kab/kota."))
        summary = transfer.import_file(user, path.read_bytes(), filename=path.name, allowed_prefix=prefix)
        self.stdout.write(
            _("Ringkasan %(region)s %(period)s diimpor (ditandatangani %(signed)s).")
            % {
                "region": summary.region.name,
                "period": f"{summary.period:%Y-%m}",
                "signed": cli.day(summary.signed_at.date()),
            }
        )

    def _refresh(self, user, options) -> None:
        if user is not None and not user.is_superuser:
            raise CommandError(_("Hanya administrator server yang menghitung ulang semua ringkasan."))
        period = compute.first_of(options["period"] or timezone.localdate())
        codes = options["region"] or sorted(
            {
                c
                for c in Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True)
                if queries.has_local_data(c)
            }
        )
        for code in codes:
            for back in range(max(options["months"], 1)):
                services.refresh(code, compute.add_months(period, -back), force=True)
            self.stdout.write(
                _("%(region)s: %(n)s bulan dihitung.") % {"region": code, "n": options["months"]}
            )

    def _key(self, user, options) -> None:
        if user is not None and not user.is_superuser and (user.region_id or "").__len__() != 2:
            raise CommandError(_("Hanya pemantau provinsi atau admin yang menerbitkan kunci kab/kota."))
        region = cli.tenant(user, options["region"])
        self.stdout.write(signing.district_key(region.code).hex())
