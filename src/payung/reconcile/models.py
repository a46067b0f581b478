"""Stored BPJS lists and bills, reconciliation runs and their review queue (decision 0011, database half).

A snapshot's rows are kept as the file's typed frame in Parquet under MEDIA_ROOT (PAYUNG_VAR/files/
reconcile/<region>/<sha256>-<random>.parquet, one file per snapshot), not as a table: a bill of 100,000
lines is read back in one call by the same polars code the file-only command uses, and rows are never
queried one by one. Findings copy what they show of both sides (``evidence``), so the review queue and the
exports need neither file nor registry join.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BpjsSnapshot(models.Model):
    """One participant list or bill as BPJS sent it, for a region and a month."""

    class Kind(models.TextChoices):
        LIST = "list", _("Daftar peserta")
        BILL = "bill", _("Tagihan")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()  # first day of the month
    kind = models.CharField(max_length=4, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_file = models.CharField(max_length=255)  # the typed rows (Parquet), relative to MEDIA_ROOT
    headers = models.JSONField(default=dict)  # canonical column -> the file's own header
    row_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "-created_at"]
        indexes = [models.Index(fields=["region", "period"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.period:%Y-%m})"


class Reconciliation(models.Model):
    """One run of the registry against a snapshot; ``totals``: finding -> count, billed, computed, impact."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    snapshot = models.ForeignKey(BpjsSnapshot, on_delete=models.CASCADE, related_name="runs")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    options = models.JSONField(default=dict)  # programs, jkk_class, category, agreement
    totals = models.JSONField(default=dict)
    roster_rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Finding(models.Model):
    """One row of either side under one finding, with its rupiah per month and the reviewer's decision."""

    class State(models.TextChoices):
        OPEN = "open", _("Terbuka")
        ACCEPTED = "accepted", _("Pasangan diterima")
        REJECTED = "rejected", _("Pasangan ditolak")
        RESOLVED = "resolved", _("Ditindaklanjuti")

    class Action(models.TextChoices):
        REGISTER = "register", _("Daftarkan ke BPJS")
        DEACTIVATE = "deactivate", _("Nonaktifkan di BPJS")
        CORRECT = "correct", _("Perbaiki data registri")
        DISPUTE = "dispute", _("Sanggah baris tagihan")

    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="findings")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)  # reconcile.findings.FINDINGS or "billed_after_end"
    key = models.CharField(max_length=80)  # the same fact in another run of the snapshot has the same key
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL)
    engagement = models.ForeignKey("registry.Engagement", null=True, blank=True, on_delete=models.SET_NULL)
    roster_line = models.PositiveIntegerField(null=True, blank=True)
    bpjs_line = models.PositiveIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    stage = models.CharField(max_length=10, blank=True)
    differences = models.CharField(max_length=120, blank=True)
    evidence = models.JSONField(default=dict)  # per field evidence, both sides' values, end of cover
    billed = models.BigIntegerField(null=True, blank=True)  # integer rupiah per month
    computed = models.BigIntegerField(null=True, blank=True)
    impact = models.BigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    action = models.CharField(max_length=12, choices=Action.choices, blank=True)
    reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock: +1 on every decision (audit.locking). db_default: bulk SQL inserts get 0 too.
    version = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["reconciliation", "kind"])]
