import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                ("code", models.CharField(max_length=10, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=120)),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Provinsi"), (2, "Kabupaten/Kota"), (3, "Kecamatan"), (4, "Desa/Kelurahan")]
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="regions.region",
                    ),
                ),
            ],
            options={"ordering": ["code"], "verbose_name": "wilayah", "verbose_name_plural": "wilayah"},
        ),
    ]
