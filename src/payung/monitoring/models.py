"""Monitoring: what a region has decided (its regulation, its priority groups), the monthly coverage summary
computed from the registry (or imported from a district's signed file), the named list behind each number,
and the province's coordination meetings with the ranking they saw."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Regulation(models.Model):
    """A head-of-region regulation on social security for its workers (Perbup / Perwali / Pergub)."""

    class Kind(models.TextChoices):
        PERBUP = "perbup", _("Peraturan Bupati")
        PERWALI = "perwali", _("Peraturan Wali Kota")
        PERGUB = "pergub", _("Peraturan Gubernur")
        PERDA = "perda", _("Peraturan Daerah")
        OTHER = "other", _("Lainnya (SE/Keputusan)")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(max_length=80)
    issued_on = models.DateField()
    title = models.CharField(max_length=250)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "number"], name="one_regulation_number")
        ]


class Priority(models.Model):
    """A group the head of region wants protected first: a unit (DLHK), a group (pekerja rentan) or both,
    with the reason it was given (e.g. the street sweepers work on the road every day)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "registry.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField(max_length=10, blank=True)  # a registry.Group value, or '' for every group
    position = models.CharField(max_length=120, blank=True)  # e.g. "Penyapu Jalan"; '' for every position
    label = models.CharField(max_length=120)
    reason = models.TextField()
    since = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["region_id", "label", "id"]


class Source(models.TextChoices):
    LOCAL = "local", _("Data Payung di server ini")
    FILE = "file", _("Berkas ringkasan bertanda tangan")


class Summary(models.Model):
    """One region's coverage in one month: counts and money, never personal data (so it can travel as a
    district's signed file). ``figures`` holds the totals, ``rows`` the breakdowns (monitoring.compute)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.DateField()  # the first day of the month
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.LOCAL)
    computed_at = models.DateTimeField()
    as_of = models.DateField()  # money and lapses are counted as of this day
    fingerprint = models.CharField(max_length=64, blank=True)  # local: the data it was computed from
    figures = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    # An imported file: who sent it, when it was signed, its SHA-256 (a second copy is refused).
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["region_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["region", "period", "source"], name="one_summary_per_month"),
        ]


class Reason(models.TextChoices):
    """Why a person of the registry is not protected in a month, in the order the list shows them."""

    NO_AGREEMENT = "no_agreement", _("Tidak ada PKS yang berlaku untuk kelompok/unitnya")
    NEVER_ENROLLED = "never", _("Belum pernah didaftarkan")
    ENDED = "ended", _("Kepesertaan sudah berakhir")
    LAPSED = "lapsed", _("Kepesertaan BPU nonaktif karena iuran menunggak")
    UNPAID = "unpaid", _("Terdaftar, iuran bulan ini belum dibayar")


class Entry(models.Model):
    """One person x (unit, group) of the registry in a local summary's month: the named list behind every
    number. Written with the summary, replaced with it; never exported off the server."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="entries", db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("registry.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    group = models.CharField(max_length=10)
    position = models.CharField(max_length=120, blank=True)
    village = models.CharField(max_length=13, blank=True)  # desa code; its first 6 digits: the kecamatan
    covered = models.BooleanField()
    paid = models.BooleanField()
    reason = models.CharField(max_length=12, blank=True)  # a Reason value; '' when covered and paid
    programs = models.CharField(max_length=40, blank=True)  # e.g. "JKK,JKM"
    name = models.CharField(max_length=150)  # for ordering the list without a join

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The list pages: everyone, or the protected / the unprotected, in name order.
            models.Index(fields=["summary", "name", "id"], name="entry_name"),
            models.Index(fields=["summary", "covered", "name", "id"], name="entry_covered_name"),
            models.Index(fields=["summary", "unit"], name="entry_unit"),
        ]


class Meeting(models.Model):
    """A province's coordination meeting: the rollup and ranking as they stood, kept for the next one."""

    province = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    period = models.DateField()  # the month whose coverage was discussed
    title = models.CharField(max_length=200)
    results = models.JSONField(default=list)  # one dict per kab/kota: figures, indicator values, score, rank
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
