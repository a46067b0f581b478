"""`payung token create|list|revoke`: bearer tokens for the REST API, printed once and never stored."""

from __future__ import annotations

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payung.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = _("Kelola token API (Authorization: Bearer).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("Buat token; ditampilkan sekali saja."))
        create.add_argument("--user", required=True)
        create.add_argument("--label", required=True)
        listing = actions.add_parser("list", help=_("Daftar token (tanpa nilainya)."))
        listing.add_argument("--user", default="")
        revoke = actions.add_parser("revoke", help=_("Cabut token berdasarkan nomor atau nilainya."))
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", type=int)
        which.add_argument("--token")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(options)

    def _create(self, options) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("Pengguna %(username)s tidak ditemukan atau tidak aktif.") % {"username": options["user"]}
            )
        token, secret = ApiToken.issue(user, options["label"].strip())
        self.stderr.write(
            _("Token %(id)s untuk %(username)s. Simpan sekarang: tidak akan ditampilkan lagi.")
            % {"id": token.pk, "username": user.username}
        )
        self.stdout.write(secret)

    def _list(self, options) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "id")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        for t in tokens:
            used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "-"
            self.stdout.write(f"{t.pk}\t{t.user.username}\t{t.label}\t{t.created_at:%Y-%m-%d}\t{used}")

    def _revoke(self, options) -> None:
        tokens = ApiToken.objects.all()
        tokens = (
            tokens.filter(pk=options["id"])
            if options["id"]
            else tokens.filter(digest=ApiToken.hash(options["token"].strip()))
        )
        deleted, _rows = tokens.delete()
        if not deleted:
            raise CommandError(_("Token tidak ditemukan."))
        self.stdout.write(_("Token dicabut."))
