"""`payung agreements list [--region CODE] [--user NAME] [--json]`: the agreements (PKS) a user may see.

Each with its validity, groups, programs, member count and, within 90 days of its end, the days left; and
within 90 days of the day its last covered person loses cover (or since nobody is), that day and the days
left (decision 0020: contracts may all end before the agreement does).
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
        visible = cli.visible(user, Agreement.objects.all(), queries.agreements)
        covers = queries.cover_ends(user, visible, today)
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
                "cover_ends": covers[a.pk].last_day.isoformat() if a.pk in covers else None,
                "cover_days_left": covers[a.pk].days_left if a.pk in covers else None,
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
            warning += _cover_warning(row)
            self.stdout.write(
                f"#{row['id']} {row['region']} {row['number']} · {cli.day(row['valid_from'])} – "
                f"{cli.day(row['valid_to'])} · "
                f"{', '.join(row['programs'])} · {row['people']} {_('orang')}{warning}"
            )


def _cover_warning(row: dict) -> str:
    """When every covered person loses cover before the agreement ends (or nobody is covered any more)."""
    days = row["cover_days_left"]
    if days is None or row["cover_ends"] == row["valid_to"]:
        return ""
    if days < 0:
        text = _(" · tidak ada lagi peserta terlindungi (yang terakhir berakhir %(day)s)")
        return text % {"day": cli.day(row["cover_ends"])}
    return _(" · semua peserta kehilangan perlindungan sesudah %(day)s (%(days)s hari lagi)") % {
        "day": cli.day(row["cover_ends"]),
        "days": days,
    }
