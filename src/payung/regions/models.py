from django.db import models
from django.utils.translation import gettext_lazy as _

from payung.regions import catalog


class Region(models.Model):
    """A Kemendagri area. A kab/kota is a tenant; a province sees the tenants below it."""

    class Level(models.IntegerChoices):
        PROVINCE = catalog.PROVINCE, _("Provinsi")
        REGENCY = catalog.REGENCY, _("Kabupaten/Kota")
        DISTRICT = catalog.DISTRICT, _("Kecamatan")
        VILLAGE = catalog.VILLAGE, _("Desa/Kelurahan")

    code = models.CharField(primary_key=True, max_length=10)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def is_tenant(self) -> bool:
        return self.level == self.Level.REGENCY

    @property
    def dotted_code(self) -> str:
        c = self.code
        return ".".join(p for p in (c[:2], c[2:4], c[4:6], c[6:]) if p)
