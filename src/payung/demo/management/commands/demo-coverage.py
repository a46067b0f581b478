"""`payung demo-coverage [--region CODE ...]`: demo agreements, enrolment, bills and payments."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.demo import budget, coverage


class Command(BaseCommand):
    help = _(
        "Memuat PKS, kepesertaan, tagihan dan pembayaran demo (jalankan sesudah demo-data). "
        "Menjalankan ulang hanya menambah yang belum ada."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--region",
            nargs="+",
            default=list(coverage.AGREEMENTS),
            choices=list(coverage.AGREEMENTS),
            metavar="KODE",
            help=_("Kode kab/kota: 5371 dan/atau 5303."),
        )

    def handle(self, *args, region: list[str], **options) -> None:
        for code, counts in coverage.load(timezone.localdate(), region).items():
            self.stdout.write(
                _("%(region)s: %(people)s peserta, %(bills)s tagihan baru, %(payments)s pembayaran baru.")
                % {"region": code, **{k: f"{v:,}" for k, v in counts.items()}}
            )
        for code, counts in budget.load(timezone.localdate(), region).items():
            self.stdout.write(
                _("%(region)s: %(scenarios)s skenario anggaran baru, %(lines)s pagu baru.")
                % {"region": code, **counts}
            )
