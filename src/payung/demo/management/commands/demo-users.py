"""`payung demo-users`: create (or reset) one demo user per role and print their demo-only passwords."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from payung.demo.users import ensure_demo_users


class Command(BaseCommand):
    help = _("Membuat pengguna demo (satu per peran) dan mencetak kata sandinya. Hanya untuk demo.")

    def handle(self, *args, **options) -> None:
        done = ensure_demo_users()
        header = (_("Nama pengguna"), _("Kata sandi"), _("Peran"), _("Wilayah"))
        rows = [(u.username, u.password, str(u.role.label), u.region_code or _("semua")) for u, _c in done]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def line(cells) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write(line(header))
        self.stdout.write(line("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        created = sum(1 for _u, c in done if c)
        self.stdout.write(
            _(
                "%(created)d dibuat, %(kept)d sudah ada. Kata sandi ini hanya untuk demo; jangan dipakai di "
                "server yang berisi data orang sungguhan."
            )
            % {"created": created, "kept": len(done) - created}
        )
