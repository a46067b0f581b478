"""`payung enrol --agreement ID [--user NAME] [--json]`: derive the agreement's membership periods again.

Set-based and idempotent (coverage.enrolment.sync): a second run changes nothing. Needs a role that manages
money (admin, finance); an agreement outside the user's scope is "not found".
"""

from __future__ import annotations

import json
import time

from django.core.management import BaseCommand
from django.utils.translation import gettext as _

from payung.accounts import cli
from payung.coverage import enrolment
from payung.coverage.models import Agreement


class Command(BaseCommand):
    help = _("Daftarkan peserta PKS: susun ulang masa kepesertaan dari data registri.")

    def add_arguments(self, parser):
        parser.add_argument("--agreement", required=True, type=int, help=_("Nomor urut (id) PKS."))
        parser.add_argument("--json", action="store_true", dest="as_json")
        cli.add_user_argument(parser)

    def handle(self, *args, **options):
        user = cli.acting_user(options)
        agreement = cli.get_visible(
            cli.visible(user, Agreement.objects.all()), _("PKS"), options["agreement"]
        )
        cli.require_treasurer(user)  # after the lookup: "not found" before "not allowed"
        started = time.perf_counter()
        counts = enrolment.sync(agreement, user=user, channel="cli")
        seconds = round(time.perf_counter() - started, 2)
        if options["as_json"]:
            self.stdout.write(json.dumps({"agreement": agreement.pk, **counts, "seconds": seconds}))
            return
        self.stdout.write(
            _(
                "PKS %(number)s: %(people)s orang, %(periods)s masa kepesertaan (%(added)s baru, %(removed)s "
                "dihapus), %(without_wage)s tanpa upah; %(s)s detik."
            )
            % {"number": agreement.number, **counts, "s": seconds}
        )
