"""Budget scenarios (what a year would cost, part by part) and adopted budget lines (versioned)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.coverage.models import FundingSource


class Shares(models.TextChoices):
    EMPLOYER = "employer", _("Pemda membayar bagian pemberi kerja; bagian pekerja dipotong dari upah")
    ALL = "all", _("Pemda membayar semuanya, juga bagian pekerja")


class Scenario(models.Model):
    """A priced plan for one region and fiscal year; its people and programs are its parts."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    jkk_class = models.PositiveSmallIntegerField(null=True, blank=True)
    shares = models.CharField(max_length=10, choices=Shares.choices, default=Shares.EMPLOYER)
    wage_percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    wage_from = models.PositiveSmallIntegerField(default=1)  # month of the year
    umk = models.BigIntegerField(null=True, blank=True)  # a new minimum wage (integer rupiah)
    umk_from = models.PositiveSmallIntegerField(default=1)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name


class ScenarioPart(models.Model):
    """People priced alike: a registry group (optionally one unit or one village), and/or a planned head
    count."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="parts")
    label = models.CharField(max_length=120)
    group = models.CharField(max_length=10, blank=True)  # registry.Group; blank: planned people only
    unit = models.ForeignKey(
        "registry.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # One desa (or kecamatan): only the group's people whose unit lies there, as the per-village breakdown
    # places them, so a village part's cost is the village's row of the whole region's scenario.
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A saved filter's criteria (unit, group, status) copied when the part was made: changing or deleting
    # the filter later never changes the scenario.
    criteria = models.JSONField(default=dict, blank=True)
    category = models.CharField(max_length=3, default="pu")  # pu | bpu
    programs = models.JSONField(default=list)
    funding_source = models.CharField(
        max_length=10, choices=FundingSource.choices, default=FundingSource.APBD
    )
    planned_people = models.PositiveIntegerField(default=0)  # not yet registered (e.g. 26 schools' teachers)
    planned_wage = models.BigIntegerField(null=True, blank=True)
    growth = models.JSONField(default=list)  # [{"month": 7, "people": 120}, ...]
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class BudgetLine(models.Model):
    """An adopted allocation (APBD account). Never edited: an amendment (APBD-P) is a new version of the
    same ``series``; the latest version is in force."""

    class Stage(models.TextChoices):
        ADOPTED = "murni", _("APBD murni")
        AMENDED = "perubahan", _("APBD perubahan (APBD-P)")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=32)  # the versions of one line share it
    version = models.PositiveSmallIntegerField(default=1)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.ADOPTED)
    account_code = models.CharField(max_length=60)  # kode rekening, e.g. 5.1.02.02.02.0007
    account_name = models.CharField(max_length=200)
    funding_source = models.CharField(
        max_length=10, choices=FundingSource.choices, default=FundingSource.APBD
    )
    amount = models.BigIntegerField()  # integer rupiah
    adopted_on = models.DateField()
    scenario = models.ForeignKey(Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreements = models.ManyToManyField("coverage.Agreement", blank=True, related_name="+")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "account_code", "series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="one_budget_line_version"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.account_code} {self.account_name} ({self.year})"


class ScenarioRow(models.Model):
    """A part's people as counted from the registry when the scenario was made (by unit and wage): a stored
    scenario keeps its figures when the registry changes, and its variants price the same people."""

    part = models.ForeignKey(ScenarioPart, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey("registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    unit_name = models.CharField(max_length=200, blank=True)
    village = models.CharField(max_length=120, blank=True)
    basis = models.BigIntegerField(null=True)  # monthly wage or declared income; None: none registered
    people = models.PositiveIntegerField()
