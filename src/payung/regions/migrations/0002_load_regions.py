from django.db import migrations

from payung.regions.loader import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
