"""Demo users: one per role for Kota Kupang, an operator for Kab. TTU, a province monitor and a superuser.

The passwords are fixed and published in the README: they are for the demo only and must never exist on a
server that holds real people. Running this again resets them to the documented values; it never duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from payung.accounts.models import Role, User
from payung.regions.models import Region


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    region_code: str | None  # None: every region (the superuser)
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "payung-admin-demo", Role.ADMIN, None, superuser=True),
    DemoUser("kupang.admin", "kupang-admin-demo", Role.ADMIN, "5371"),
    DemoUser("kupang.operator", "kupang-operator-demo", Role.OPERATOR, "5371"),
    DemoUser("kupang.verifikator", "kupang-verifikator-demo", Role.VERIFIER, "5371"),
    DemoUser("kupang.keuangan", "kupang-keuangan-demo", Role.FINANCE, "5371"),
    DemoUser("kupang.pemantau", "kupang-pemantau-demo", Role.VIEWER, "5371"),
    DemoUser("ttu.operator", "ttu-operator-demo", Role.OPERATOR, "5303"),
    DemoUser("ttu.keuangan", "ttu-keuangan-demo", Role.FINANCE, "5303"),
    DemoUser("ntt.provinsi", "ntt-provinsi-demo", Role.PROVINCE, "53"),
)


@transaction.atomic
def ensure_demo_users(users: tuple[DemoUser, ...] = DEMO_USERS) -> list[tuple[DemoUser, bool]]:
    """Create or reset each demo user; returns (user, created) pairs. Needs the regions loaded."""
    regions = Region.objects.in_bulk({u.region_code for u in users if u.region_code})
    done = []
    for spec in users:
        user, created = User.objects.get_or_create(username=spec.username)
        user.role = spec.role
        user.region = regions[spec.region_code] if spec.region_code else None
        user.is_superuser = user.is_staff = spec.superuser
        user.is_active = True
        if created or not user.check_password(spec.password):
            user.set_password(spec.password)
        user.save()
        done.append((spec, created))
    return done
