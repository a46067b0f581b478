from django.db import migrations

from payung.rules import loader


def forwards(apps, schema_editor):
    names = ("Scheme", "Program", "Parameter", "RuleVersion")
    loader.load({name: apps.get_model("rules", name) for name in names})


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial"), ("regions", "0002_load_regions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
