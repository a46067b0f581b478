"""Monthly bills (immutable snapshots, one per agreement and month), their lines, and payments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Immutable(models.Model):
    """Rows written once: a bill is a snapshot; a later change becomes an adjustment on a later bill."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.label} rows are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.label} rows are immutable")


class Bill(Immutable):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey("coverage.Agreement", on_delete=models.PROTECT, related_name="bills")
    period = models.DateField()  # the first day of the month billed
    due_date = models.DateField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)
    mid_month_rule = models.CharField(max_length=10)  # as the agreement said when generated
    rules = models.JSONField(default=list)  # every rule version used (id, key, date, value, source)
    people = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    employer = models.BigIntegerField(default=0)  # integer rupiah; adjustments included
    worker = models.BigIntegerField(default=0)
    adjustments = models.BigIntegerField(default=0)  # of which lines correcting earlier months
    total = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-period", "agreement_id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "period"], name="one_bill_per_month")]


class LineKind(models.TextChoices):
    REGULAR = "regular", _("Bulan berjalan")
    ADJUSTMENT = "adjustment", _("Koreksi bulan lalu")


class BillLine(Immutable):
    """One person x program x month on a bill, with the name and NIK as billed."""

    # Neither bill nor unit has an index of its own: the (bill, unit) index serves every look-up by bill or
    # by unit within a bill; a unit is deleted only once nothing protects it (engagements, memberships),
    # so the scan that its SET NULL makes is rare; and a million-line bill pays for each index it writes.
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines", db_index=False)
    person = models.ForeignKey(
        "registry.Person", null=True, on_delete=models.SET_NULL, related_name="bill_lines"
    )
    nik = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    unit = models.ForeignKey(
        "registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    unit_name = models.CharField(max_length=200)
    program = models.CharField(max_length=20)
    period = models.DateField()  # the month paid for: the bill's, or an earlier one for an adjustment
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.REGULAR)
    basis = models.BigIntegerField()
    employer = models.BigIntegerField()  # negative on an adjustment that gives money back
    worker = models.BigIntegerField()
    total = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["bill", "unit"], name="bill_line_unit"),
            # An earlier month's adjustments, found without reading the later bills' regular lines (only
            # adjustment lines are indexed, so a month's own lines pay nothing for it).
            models.Index(fields=["period"], condition=Q(kind="adjustment"), name="bill_line_adjusted_month"),
        ]


class Payment(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.BigIntegerField()  # integer rupiah, > 0 and never more than what is still due
    reference = models.CharField(max_length=100)  # SP2D / transfer reference
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
