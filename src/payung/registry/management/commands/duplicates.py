"""`payung duplicates find --region CODE [--threshold P] [--json]`, `payung duplicates list --region CODE`.

``find`` runs duplicate detection over one kab/kota and stores the probable pairs in the review queue;
``list`` prints the open pairs (NIKs masked). Both take ``--user`` (see payung.accounts.cli): a region
outside that user's scope is "not found", ``find`` needs a reviewing role, ``list`` shows only pairs whose
two people the user may see. Merging and dismissing need a reviewer's reason: web UI or API.
"""

from __future__ import annotations

import json
import time

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payung.accounts import cli, scope
from payung.regions.models import Region
from payung.registry import duplicates


def _side(person) -> dict:
    if person is None:
        return {"id": None, "nik": "", "name": ""}
    return {"id": person.pk, "nik": person.masked_nik, "name": person.name}


class Command(BaseCommand):
    help = _("Cari dan tampilkan kemungkinan data ganda (duplikat) di satu kabupaten/kota.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        find = actions.add_parser("find", help=_("Cari kemungkinan duplikat dan simpan ke antrean."))
        find.add_argument("--threshold", type=float, default=duplicates.DEFAULT_THRESHOLD)
        listing = actions.add_parser("list", help=_("Tampilkan pasangan yang menunggu keputusan."))
        for sub in (find, listing):
            sub.add_argument("--region", required=True)
            sub.add_argument("--json", action="store_true", dest="as_json")
            cli.add_user_argument(sub)

    def handle(self, *args, action: str, **options):
        user = cli.acting_user(options)
        region = cli.tenant(user, options["region"])
        if action == "find":
            cli.require_reviewer(user)  # after the lookup: "not found" before "not allowed"
            self._find(user, region, options)
        else:
            self._list(user, region, options["as_json"])

    def _find(self, user, region: Region, options: dict) -> None:
        threshold = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError(_("Ambang harus di antara 0 dan 1."))
        started = time.perf_counter()
        new = duplicates.find_candidates(region, user=user, threshold=threshold, channel="cli")
        seconds = round(time.perf_counter() - started, 2)
        total = duplicates.open_candidates(region).count()
        if options["as_json"]:
            result = {"region": region.code, "new": new, "open": total, "seconds": seconds}
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                _("%(region)s: %(new)s pasangan baru, %(open)s menunggu keputusan (%(s)s detik).")
                % {"region": region.name, "new": new, "open": total, "s": seconds}
            )

    def _list(self, user, region: Region, as_json: bool) -> None:
        candidates = duplicates.open_candidates(region)
        if user is not None:
            visible = scope.people(user).values("id")
            candidates = candidates.filter(left_id__in=visible, right_id__in=visible)
        rows = [
            {
                "id": c.pk,
                "score": round(c.score, 4),
                "left": _side(c.left),
                "right": _side(c.right),
                "evidence": [str(text) for text in duplicates.describe(c.evidence)],
            }
            for c in candidates
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("Tidak ada pasangan yang menunggu keputusan."))
        for row in rows:
            left, right = row["left"], row["right"]
            self.stdout.write(
                f"#{row['id']}  {row['score']:.2f}  {left['nik']} {left['name']}  <->  "
                f"{right['nik']} {right['name']}  ({'; '.join(row['evidence'])})"
            )
