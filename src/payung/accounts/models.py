import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    OPERATOR = "operator", _("Operator")
    VERIFIER = "verifier", _("Verifikator")
    FINANCE = "finance", _("Keuangan")
    VIEWER = "viewer", _("Pemantau")
    PROVINCE = "province", _("Pemantau provinsi")


# Roles that may change the registry; the rest only read.
EDITORS = {Role.ADMIN, Role.OPERATOR}
REVIEWERS = {Role.ADMIN, Role.OPERATOR, Role.VERIFIER}
# Roles that manage money: agreements (PKS), enrolment, bills and payments.
TREASURERS = {Role.ADMIN, Role.FINANCE}


class User(AbstractUser):
    """A Pemda user. ``region`` is a kab/kota (tenant) or, for a province monitor, a province."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT)
    units = models.ManyToManyField(
        "registry.Unit", blank=True, help_text=_("Kosong: semua unit di wilayahnya.")
    )

    @property
    def can_edit(self) -> bool:
        return self.role in EDITORS

    @property
    def can_review(self) -> bool:
        return self.role in REVIEWERS

    @property
    def can_manage_money(self) -> bool:
        return self.role in TREASURERS

    def can_set_rules(self, region_code: str = "") -> bool:
        """National rule versions: a superuser; a region's own (e.g. its minimum wage): its admin."""
        if self.is_superuser:
            return True
        return bool(region_code) and self.role == Role.ADMIN and region_code.startswith(self.region_id or "-")


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, label: str) -> tuple["ApiToken", str]:
        token = "pyg_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, label=label, digest=cls.hash(token)), token
