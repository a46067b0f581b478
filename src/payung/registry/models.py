"""The people registry: persons, units, engagements, status history, imports and duplicate reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from payung.registry.nik import mask


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Unit(models.Model):
    """Where people work or live: an OPD, a school, a desa, an informal sector group."""

    class Kind(models.TextChoices):
        OPD = "opd", _("Perangkat daerah (OPD)")
        SCHOOL = "school", _("Sekolah")
        VILLAGE = "village", _("Desa/Kelurahan")
        SECTOR = "sector", _("Sektor informal")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="units")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unit_code_per_region")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A named person of one tenant (kab/kota). The same NIK in two tenants is flagged, not merged."""

    # No index of its own: the unique (region, nik) constraint leads with region_id and serves its lookups.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="people", db_index=False
    )
    nik = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    name_key = models.CharField(max_length=150)  # normalised for search (registry.names); indexed below
    # Phonetic keys of the first and last word of name_key (registry.names.sound): people search looks
    # misspelt names up through these indexes instead of scanning every name.
    sound_first = models.CharField(max_length=40, blank=True, default="")
    sound_last = models.CharField(max_length=40, blank=True, default="")
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_place = models.CharField(max_length=80, blank=True)
    birth_date = models.DateField()
    address = models.CharField(max_length=250, blank=True)
    # Nothing looks people up by desa; an index would only slow every bulk import down.
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    phone = models.CharField(max_length=20, blank=True)
    mother_maiden_name = models.CharField(max_length=150, blank=True)
    kpj = models.CharField(max_length=11, blank=True)
    status = models.CharField(max_length=10, default="active")  # derived from the latest StatusChange
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock: +1 on every write (audit.locking). db_default: bulk SQL inserts get 0 too.
    version = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "nik"], name="person_nik_per_region")]
        indexes = [
            models.Index(fields=["nik"]),
            # One index for search's name prefix: on PostgreSQL pattern ops serve LIKE 'x%' (and =), on
            # SQLite opclasses are ignored and the plain index serves the range search uses there.
            models.Index(
                fields=["name_key"], name="person_name_key_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["sound_first", "sound_last"], name="person_sound_first_last"),
            models.Index(fields=["sound_last"], name="person_sound_last"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_nik(self) -> str:
        return mask(self.nik)


class Group(models.TextChoices):
    NON_ASN = "non_asn", _("Non-ASN / PTT")
    RENTAN = "rentan", _("Pekerja rentan")
    VILLAGE_OFFICIAL = "perangkat", _("Perangkat desa")
    RT_RW = "rt_rw", _("Ketua RT/RW")
    TEACHER = "teacher", _("Guru kontrak/komite")


class Status(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    ENDED = "ended", _("Berhenti")
    DECEASED = "deceased", _("Meninggal")


class Engagement(models.Model):
    """What places a person in a covered group: a contract with a unit, or membership of a desa's list."""

    # No index of its own: the unique (person, unit, group) constraint leads with person_id.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="engagements", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="engagements")
    group = models.CharField(max_length=10, choices=Group.choices)
    position = models.CharField(max_length=120, blank=True)
    decree_number = models.CharField(max_length=80, blank=True)
    decree_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    monthly_wage = models.BigIntegerField(null=True, blank=True)  # integer rupiah
    occupation = models.CharField(max_length=80, blank=True)
    poverty_status = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "group"], name="one_engagement_per_unit_group"),
            models.CheckConstraint(condition=models.Q(monthly_wage__gte=0), name="wage_not_negative"),
        ]


class WageChange(models.Model):
    """A new monthly wage from ``effective_date`` on; coverage splits its periods here (integer rupiah)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="wage_changes")
    effective_date = models.DateField()
    monthly_wage = models.BigIntegerField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "effective_date"], name="one_wage_change_per_day")
        ]


class StatusChange(models.Model):
    """Status history with effective dates; Person.status and Engagement.status follow the latest one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    engagement = models.ForeignKey(Engagement, null=True, blank=True, on_delete=models.CASCADE)
    status = models.CharField(max_length=10, choices=Status.choices)
    effective_date = models.DateField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]


class ImportBatch(models.Model):
    """One roster file an operator brought in: who, when, which file (by hash) and what came of it."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Pratinjau")
        COMMITTED = "committed", _("Tersimpan")
        FAILED = "failed", _("Gagal")
        EXPIRED = "expired", _("Kedaluwarsa")  # a preview nobody committed in time (importer.expire)

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    group = models.CharField(max_length=10, default="non_asn")  # for rows that name no group
    total_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)  # rows written: new engagements plus updated ones
    updated = models.PositiveIntegerField(default=0)  # of which rows that changed an existing record
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    error_file = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)  # Indonesian
    message_en = models.TextField(blank=True)  # the same in English: a batch is read in either language

    class Meta:
        ordering = ["-created_at"]

    def text(self, lang: str | None = None) -> str:
        """The summary message in ``lang`` (default: the active language)."""
        return _in_language(self.message, self.message_en, lang)


class ImportIssue(models.Model):
    """A rejected row (error) or a flagged one (warning, e.g. a NIK already registered elsewhere)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=60, blank=True)
    severity = models.CharField(max_length=7, default="error")  # error | warning
    code = models.CharField(max_length=40)
    message = models.TextField()  # Indonesian
    message_en = models.TextField(blank=True)  # the same in English: a batch is read in either language

    class Meta:
        ordering = ["line", "id"]

    def text(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (default: the active language)."""
        return _in_language(self.message, self.message_en, lang)


def _in_language(indonesian: str, english: str, lang: str | None) -> str:
    """English when asked for and stored, else ``message`` (before 0004 it was the uploader's language)."""
    lang = lang or get_language() or "id"
    return english if lang.startswith("en") and english else indonesian


class DuplicateCandidate(models.Model):
    """Two records that may be one person, found by exact NIK or by probabilistic linkage."""

    class State(models.TextChoices):
        OPEN = "open", _("Menunggu")
        MERGED = "merged", _("Digabung")
        DISMISSED = "dismissed", _("Bukan duplikat")

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT)
    # SET_NULL: after a merge deletes one record, the decision (state, reason, who) stays on the queue.
    left = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    right = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField()  # match probability 0..1 from the linkage model; 1.0 for the same NIK
    evidence = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    resolved_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="one_candidate_per_pair")]


class SavedFilter(models.Model):
    """A named filter of the people list (its unit, group, status), shared in the region: chosen again from
    the list, and a budget scenario can be made of its people (the scenario copies the criteria)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    criteria = models.JSONField(default=dict)  # {"unit": 12, "group": "rentan", "status": "active"}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
