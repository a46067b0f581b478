"""Claims: a death or a work accident of a registered person, the claim to BPJS it opens, the heirs, the
documents in hand, and the children's scholarships per school year. Tables only; every write is in
claims.services, every read that is more than a get in claims.queries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    DEATH = "death", _("Meninggal dunia")
    ACCIDENT = "accident", _("Kecelakaan kerja")


class Event(models.Model):
    """What happened to the person: a death (from work or not) or a work accident."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="claim_events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    work_related = models.BooleanField(default=False)  # a death from a work accident or occupational disease
    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)  # the 2 x 24 hour report clock starts here
    place = models.CharField(max_length=200, blank=True)
    cause = models.TextField(blank=True)
    reporter = models.CharField(max_length=200, blank=True)  # who told the Pemda, and how they are related
    doctor_statement_on = models.DateField(null=True, blank=True)  # starts the stage II report clock
    # The registry's record of the death: one status change, the same one the status form writes.
    status_change = models.ForeignKey(
        "registry.StatusChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(kind="death"), name="one_death_per_person")
        ]


class ClaimState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    COMPLETE = "complete", _("Berkas lengkap")
    SUBMITTED = "submitted", _("Diajukan ke BPJS")
    PAID = "paid", _("Dibayar")
    REFUSED = "refused", _("Ditolak")


class Claim(models.Model):
    """The claim one event opens with BPJS: JKM for a death not from work, JKK otherwise."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="claim")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="claims")
    program = models.CharField(max_length=3)  # JKM | JKK
    state = models.CharField(max_length=10, choices=ClaimState.choices, default=ClaimState.DRAFT)
    category = models.CharField(max_length=3, default="pu")  # pu | bpu, as the membership was
    basis = models.BigIntegerField(null=True, blank=True)  # the wage or income last reported (rupiah)
    member_since = models.DateField()  # BPJS membership start (the KPJ card), for the scholarship's minimum
    children = models.PositiveSmallIntegerField(default=0)  # children reported, before heirs are recorded
    # A work accident's outcome and costs (JKK): what the quote prices.
    disability = models.CharField(max_length=7, blank=True)  # "" | partial | total
    disability_percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    function_percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    stmb_months = models.PositiveSmallIntegerField(default=0)
    transport = models.CharField(max_length=4, blank=True)  # "" | land | sea | air
    transport_cost = models.BigIntegerField(default=0)
    home_care_cost = models.BigIntegerField(default=0)
    # The quote as last computed (claims.benefits) and the eligibility as last checked (claims.eligibility).
    quote = models.JSONField(default=dict)
    computed_total = models.BigIntegerField(default=0)
    eligibility = models.JSONField(default=dict)
    verdict = models.CharField(max_length=14, blank=True)  # protected | at_risk | not_protected
    checked_at = models.DateTimeField(null=True, blank=True)
    # BPJS's side.
    submitted_on = models.DateField(null=True, blank=True)
    bpjs_reference = models.CharField(max_length=100, blank=True)
    decided_on = models.DateField(null=True, blank=True)  # paid or refused
    paid_amount = models.BigIntegerField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic lock: +1 on every write (audit.locking).
    version = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "state"], name="claim_region_state")]

    @property
    def difference(self) -> int | None:
        """What BPJS paid minus what Payung computed; None until paid."""
        return None if self.paid_amount is None else self.paid_amount - self.computed_total


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    GRANDPARENT = "grandparent", _("Kakek/nenek")
    GRANDCHILD = "grandchild", _("Cucu")
    SIBLING = "sibling", _("Saudara kandung")
    PARENT_IN_LAW = "parent_in_law", _("Mertua")
    DESIGNATED = "designated", _("Pihak yang ditunjuk dalam wasiat")


class Heir(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="heirs")
    relation = models.CharField(max_length=14, choices=Relation.choices)
    nik = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    sex = models.CharField(max_length=1)
    birth_date = models.DateField()
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the same NIK in the region's registry
    married = models.BooleanField(default=False)
    working = models.BooleanField(default=False)
    phone = models.CharField(max_length=20, blank=True)
    bank_account = models.CharField(max_length=60, blank=True)  # bank and account number, as written
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "nik"], name="one_heir_per_nik")]


class Document(models.Model):
    """A document of the checklist (claims.documents) in hand: its absence is what 'missing' means."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=24)
    received_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)  # e.g. the certificate's number

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "code"], name="one_document_per_code")]


class Scholarship(models.Model):
    """One child's scholarship for one school year (the year it starts: 2025 for 2025/2026)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        PAID = "paid", _("Dibayar")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="scholarships")
    heir = models.ForeignKey(Heir, on_delete=models.CASCADE, related_name="scholarships")
    school_year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=8)  # claims.benefits.LEVELS
    amount = models.BigIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PLANNED)
    paid_on = models.DateField(null=True, blank=True)
    paid_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["heir_id", "school_year"]
        constraints = [
            models.UniqueConstraint(fields=["heir", "school_year"], name="one_scholarship_per_year")
        ]
