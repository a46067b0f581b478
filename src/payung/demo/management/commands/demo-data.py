"""`payung demo-data [--scale N] [--seed S] [--region CODE ...]`: load the deterministic demo registry."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payung.demo import load, people


def _label(key: str) -> str:
    """The bulk writer's count names as an operator reads them; unknown ones stay as they are."""
    labels = {
        "units_added": _("unit baru"),
        "people_created": _("orang baru"),
        "people_updated": _("orang diperbarui"),
        "imported": _("penugasan baru"),
        "updated": _("penugasan diperbarui"),
        "unchanged": _("tidak berubah"),
    }
    return labels.get(key, key)


class Command(BaseCommand):
    help = _(
        "Memuat data demo: non-ASN dan guru komite Kota Kupang (5371), pekerja rentan, perangkat desa dan "
        "RT/RW Kab. TTU (5303). Menjalankan ulang tidak menggandakan data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help=_("Pengali jumlah orang (mis. 0.01 atau 48).")
        )
        parser.add_argument(
            "--seed", type=int, default=people.DEFAULT_SEED, help=_("Benih acak (hasil sama).")
        )
        parser.add_argument(
            "--region",
            nargs="+",
            default=list(people.PROFILES),
            choices=people.PROFILES,
            metavar="KODE",
            help=_("Kode kab/kota: 5371 dan/atau 5303."),
        )

    def handle(self, *args, scale: float, seed: int, region: list[str], **options) -> None:
        if scale < 0:
            raise CommandError(_("--scale tidak boleh negatif."))
        for code in region:
            started = time.perf_counter()
            demo = load.generate(code, scale=scale, seed=seed)
            generated = time.perf_counter() - started
            counts = load.load(demo)
            summary = ", ".join(f"{_label(key)} {value:,}" for key, value in counts.items() if value)
            self.stdout.write(
                _(
                    "%(region)s: %(people)s orang dibuat dalam %(gen).1f dtk, ditulis dalam %(write).1f dtk "
                    "(%(summary)s)."
                )
                % {
                    "region": code,
                    "people": f"{demo.people.height:,}",
                    "gen": generated,
                    "write": time.perf_counter() - started - generated,
                    "summary": summary,
                }
            )
