"""Coverage: cooperation agreements (PKS) with BPJS, the membership periods derived from the registry,
and the collective registrations sent to BPJS with their replies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    DANA_DESA = "dana_desa", _("Dana Desa")
    ADD = "add", _("Alokasi Dana Desa (ADD)")
    APBDES = "apbdes", _("APBDes")
    OTHER = "other", _("Lainnya")


class MidMonthRule(models.TextChoices):
    """Who is billed for a month in which they join or leave (decision 0010)."""

    ANY_DAY = "any_day", _("Sebulan penuh bila terlindungi walau satu hari di bulan itu")
    FIRST_DAY = "first_day", _("Sebulan penuh bila terlindungi pada tanggal 1; bulan masuk tidak ditagih")


class Agreement(models.Model):
    """A PKS between a Pemda and BPJS: who is covered, for which programs, paid from which budget."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    pemda_party = models.CharField(max_length=200)  # e.g. "Pemerintah Kota Kupang"
    bpjs_branch = models.CharField(max_length=200)  # e.g. "BPJS Ketenagakerjaan Cabang Kupang"
    signed_on = models.DateField()
    valid_from = models.DateField()
    valid_to = models.DateField()
    category = models.CharField(max_length=3, choices=[("pu", "PU"), ("bpu", "BPU")], default="pu")
    groups = models.JSONField(default=list)  # registry.Group values covered
    programs = models.JSONField(default=list)  # rules.Program codes, e.g. ["JKK", "JKM"]
    jkk_class = models.PositiveSmallIntegerField(null=True, blank=True)  # set by BPJS per agreement
    # BPU: the monthly income contributions are computed on when the roster gives none (integer rupiah).
    declared_income = models.BigIntegerField(null=True, blank=True)
    funding_source = models.CharField(
        max_length=10, choices=FundingSource.choices, default=FundingSource.APBD
    )
    budget_account = models.CharField(max_length=60, blank=True)  # kode rekening belanja
    late_fine = models.BooleanField(default=False)  # whether the late-payment fine binds this Pemda
    mid_month_rule = models.CharField(
        max_length=10, choices=MidMonthRule.choices, default=MidMonthRule.ANY_DAY
    )
    units = models.ManyToManyField("registry.Unit", blank=True, related_name="agreements")  # none = all
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic lock: +1 on every write (audit.locking). db_default: bulk SQL inserts get 0 too.
    version = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["-valid_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="agreement_number_per_region")
        ]

    def __str__(self) -> str:
        return self.number


class Membership(models.Model):
    """A person covered under an agreement from ``start`` to ``end`` (inclusive) at one basis and unit.

    Derived from engagements, wage changes and status changes (coverage.enrolment); never typed by hand,
    and re-derived whenever those change. A wage change or a transfer closes one period and opens the next.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="memberships")
    engagement = models.ForeignKey("registry.Engagement", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("registry.Unit", on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    basis = models.BigIntegerField()  # monthly wage (PU) or declared income (BPU), integer rupiah
    end_reason = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["agreement", "start"], name="membership_agreement_start")]


class RegistrationBatch(models.Model):
    """A collective registration sent to BPJS (an XLSX in a layout), and what BPJS replied."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="registrations")
    layout = models.CharField(max_length=40, default="sipp")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_filename = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]


class RegistrationEntry(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Dikirim")
        REGISTERED = "registered", _("Terdaftar")
        REJECTED = "rejected", _("Ditolak BPJS")
        # BPJS answered a KPJ other than the one the registry holds: a review item (coverage.kpj_review).
        CONFLICT = "conflict", _("KPJ berbeda, perlu diperiksa")

    batch = models.ForeignKey(RegistrationBatch, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENT)
    kpj = models.CharField(max_length=11, blank=True)  # as BPJS answered it
    note = models.TextField(blank=True)  # BPJS's reason when rejected

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="one_entry_per_batch_person")]
