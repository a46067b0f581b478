"""`payung agreements list [--region CODE] [--user NAME] [--json]`: the agreements (PKS) a user may see.

Each with its validity, groups, programs, member count and, within 90 days of its end, the days left.
"""

from __future__ import annotations

import json

from django.core.management import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.coverage import queries
from payung.coverage.models import Agreement


class Command(BaseCommand):
    help = _("Daftar perjanjian kerja sama (PKS) dengan BPJS.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=self.help)
        listing.add_argument("--region", default="", help=_("Kode kabupaten/kota, mis. 5371."))
        listing.add_argument("--json", action="store_true", dest="as_json")
        cli.add_user_argument(listing)

    def handle(self, *args, action: str, **options):
        user = cli.acting_user(options)
        agreements = cli.visible(user, Agreement.objects.all(), queries.agreements)
        if options["region"].strip():
            agreements = agreements.filter(region=cli.tenant(user, options["region"]))
        agreements = queries.with_people(user, agreements)
        today = timezone.localdate()
        left = dict((a.pk, days) for a, days in queries.expiring(agreements, today))
        rows = [
            {
                "id": a.pk,
                "region": a.region_id,
                "number": a.number,
                "valid_from": a.valid_from.isoformat(),
                "valid_to": a.valid_to.isoformat(),
                "category": a.category,
                "groups": a.groups,
                "programs": a.programs,
                "people": a.people,
                "days_left": left.get(a.pk),
            }
            for a in agreements.order_by("region_id", "-valid_from", "number")
        ]
        if options["as_json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("Belum ada PKS."))
        for row in rows:
            warning = (
                _(" · berakhir dalam %(days)s hari") % {"days": row["days_left"]}
                if row["days_left"] is not None
                else ""
            )
            self.stdout.write(
                f"#{row['id']} {row['region']} {row['number']} · {row['valid_from']} – {row['valid_to']} · "
                f"{', '.join(row['programs'])} · {row['people']} {_('orang')}{warning}"
            )
