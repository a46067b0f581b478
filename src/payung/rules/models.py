"""Rules as versioned data: schemes, programs, parameters and their dated versions with sources.

A parameter (e.g. the JP wage cap) has versions, each in force from its date until the next one; the
version in force on a date is the one answer to "what was the rule then" (unique per parameter, region and
date). Versions are only ever added: a bill keeps the ids of the versions it used.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    """Who runs the protection: BPJS Ketenagakerjaan, BPJS Kesehatan, or a Pemda's own program."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=120)
    # A Pemda's own scheme (e.g. free treatment by e-KTP) belongs to its region; BPJS schemes to none.
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    code = models.CharField(max_length=20, primary_key=True)  # JKK, JKM, JHT, JP, JKP, JKN, ...
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class Category(models.TextChoices):
    PU = "pu", _("Penerima upah (PU)")
    BPU = "bpu", _("Bukan penerima upah (BPU)")


class Measure(models.TextChoices):
    PERCENT = "percent", _("persen")
    RUPIAH = "rupiah", _("rupiah")
    COUNT = "count", _("bilangan")


class Parameter(models.Model):
    """One number the rules need, named by a dotted key: 'pu.jp.wage_cap', 'pu.jkk.employer.class1'."""

    key = models.CharField(max_length=60, primary_key=True)
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT)
    category = models.CharField(max_length=3, choices=Category.choices, blank=True)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    description = models.CharField(max_length=200)
    description_en = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Confidence(models.TextChoices):
    REGULATION = "R", _("Teks peraturan")
    NEWS = "N", _("Pernyataan pejabat di media")
    SECONDARY = "C", _("Sumber sekunder")
    UNCONFIRMED = "U", _("Belum dikonfirmasi")


class RuleVersion(models.Model):
    """A parameter's value from ``effective_from`` on (nationally, or for one region when region_code)."""

    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="versions")
    region_code = models.CharField(max_length=13, blank=True, default="")  # '' = everywhere
    effective_from = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)
    source = models.CharField(max_length=300)  # the regulation, article, or where the figure was found
    confidence = models.CharField(max_length=1, choices=Confidence.choices, default=Confidence.REGULATION)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parameter_id", "region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["parameter", "region_code", "effective_from"], name="one_version_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter_id} {self.effective_from}: {self.value}"
