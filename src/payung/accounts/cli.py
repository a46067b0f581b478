"""Acting as a user from the command line, with the same scope as the web UI and the API.

``--user USERNAME`` (or the environment variable PAYUNG_USER) makes a command act as that user: it sees only
that user's regions and units, may write only with an editing role, and is recorded as the actor in the audit
trail. An object outside the user's scope is answered exactly like a missing one ("not found"), so the CLI
cannot be used to probe another tenant. With neither given, the command acts for the server's administrator,
unscoped: whoever runs ``payung`` on the server can already open the database itself (``payung dbshell``).

A command that takes an object or a region does::

    user = cli.acting_user(options)
    region = cli.tenant(user, options["region"])            # CommandError "not found" when out of scope
    unit = cli.unit(user, region, options["unit"]) if options["unit"] else None
    cli.require_editor(user)                                 # only after the lookups: 404 before 403
    batch = cli.get_visible(cli.visible(user, ImportBatch.objects.all(), scope.imports),
                            _("impor"), pk)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from django.core.management import CommandError
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from payung import formats
from payung.accounts import scope
from payung.accounts.models import User
from payung.regions.models import Region
from payung.registry.models import Unit
from payung.registry.services import ValidationFailed

ENV_USER = "PAYUNG_USER"


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        default="",
        help=_("Bertindak sebagai pengguna ini (bawaan: variabel lingkungan PAYUNG_USER)."),
    )


def acting_user(options: dict) -> User | None:
    """The user named by --user or PAYUNG_USER; None when neither is given (server administrator)."""
    username = (options.get("user") or os.environ.get(ENV_USER, "")).strip()
    if not username:
        return None
    user = User.objects.select_related("region").filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("Pengguna %(username)s tidak ditemukan atau tidak aktif.") % {"username": username}
        )
    return user


def iso_date(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, or a plain message (never a traceback)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("Tanggal harus ditulis sebagai YYYY-MM-DD, bukan %(text)s.") % {"text": text}
        ) from None


def day(value: object) -> str:
    """A date in a command's text output, in the one date style (payung.formats); JSON output stays ISO."""
    return formats.format_date(value, get_language())


def rupiah(text: str) -> int:
    """An argparse type: whole rupiah as people write them (2.500.000, 2_500_000, 2500000)."""
    cleaned = text.replace(".", "").replace("_", "").strip()
    if not cleaned.lstrip("-").isdigit():
        raise CommandError(_("Jumlah harus bilangan bulat rupiah, bukan %(text)s.") % {"text": text})
    return int(cleaned)


def add_amount_arguments(parser) -> None:
    """``--wage N`` (a wage earner's monthly wage) or ``--income N`` (a non-wage earner's declared income),
    exactly one, in whole rupiah: what the contribution and benefit quotes start from."""
    amount = parser.add_mutually_exclusive_group(required=True)
    amount.add_argument("--wage", type=rupiah, help=_("Upah sebulan (PU), rupiah."))
    amount.add_argument("--income", type=rupiah, help=_("Penghasilan sebulan yang dilaporkan (BPU), rupiah."))


def not_found(what: str, key: object) -> CommandError:
    """The one answer for a missing object and for one outside the user's scope."""
    return CommandError(_("%(what)s %(key)s tidak ditemukan.") % {"what": what, "key": key})


def failed(error: ValidationFailed) -> CommandError:
    """A service's refusal (its messages, field by field) as the command's one error."""
    return CommandError(" ".join(str(m) for messages in error.errors.values() for m in messages))


def visible(user: User | None, queryset: QuerySet, scoper: Callable = scope.scoped) -> QuerySet:
    """``queryset`` cut to what ``user`` may see with ``scoper`` (scope.people, scope.units, ...)."""
    return queryset if user is None else scoper(user, queryset)


def get_visible(queryset: QuerySet, what: str, key: object, **lookup):
    obj = queryset.filter(**(lookup or {"pk": key})).first()
    if obj is None:
        raise not_found(what, key)
    return obj


def tenant(user: User | None, code: str) -> Region:
    """A kab/kota (tenant) the user may see."""
    code = str(code).strip().replace(".", "")
    regions = visible(user, Region.objects.filter(level=Region.Level.REGENCY), _scope_regions)
    return get_visible(regions, _("Wilayah"), code, code=code)


def _scope_regions(user: User, queryset: QuerySet) -> QuerySet:
    return scope.scoped(user, queryset, field="code")


def unit(user: User | None, region: Region, code: str) -> Unit:
    units = visible(user, Unit.objects.filter(region=region), scope.units)
    return get_visible(units, _("Unit"), code, code=str(code).strip())


def require_editor(user: User | None) -> None:
    if user is not None and not user.can_edit:
        raise CommandError(_("Peran pengguna %(username)s tidak berhak mengubah data.") % {"username": user})


def require_treasurer(user: User | None) -> None:
    if user is not None and not user.can_manage_money:
        raise CommandError(
            _("Peran pengguna %(username)s tidak berhak mengelola PKS, tagihan dan pembayaran.")
            % {"username": user}
        )


def require_reviewer(user: User | None) -> None:
    if user is not None and not user.can_review:
        raise CommandError(
            _("Peran pengguna %(username)s tidak berhak meninjau duplikat.") % {"username": user}
        )
