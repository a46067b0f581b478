"""`payung demo-claims [--region CODE ...]`: demo deaths and work accidents with heirs and claims."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from payung.demo import claims


class Command(BaseCommand):
    help = _(
        "Memuat kematian dan kecelakaan kerja demo dengan ahli waris dan klaimnya (jalankan sesudah "
        "demo-coverage). Wilayah yang sudah punya klaim tidak diubah."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--region",
            nargs="+",
            default=["5371", "5303"],
            choices=["5371", "5303"],
            metavar="KODE",
            help=_("Kode kab/kota: 5371 dan/atau 5303."),
        )

    def handle(self, *args, region: list[str], **options) -> None:
        for code, count in claims.load(timezone.localdate(), region).items():
            self.stdout.write(_("%(region)s: %(n)s klaim demo baru.") % {"region": code, "n": count})
