"""`payung demo-province`: the other kabupaten of NTT, regulations, priority groups, 12 months of coverage
summaries, a district reporting by file and a past coordination meeting (after demo-coverage)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.demo import province


class Command(BaseCommand):
    help = _(
        "Memuat data demo seluruh kab/kota NTT untuk rekap provinsi (jalankan sesudah demo-claims). "
        "Menjalankan ulang hanya menambah yang belum ada."
    )

    def handle(self, *args, **options) -> None:
        done = province.load_province(timezone.localdate())
        self.stdout.write(
            _("NTT: %(people)s orang baru, %(agreements)s PKS baru, %(summaries)s ringkasan dihitung.")
            % {k: f"{v:,}" for k, v in done.items()}
        )
