"""The shipped rules file again (additions only, rules.loader): a database made before the budget gets the
versions added with it (BPU JKN class III)."""

from django.db import migrations

from payung.rules import loader


def forwards(apps, schema_editor):
    names = ("Scheme", "Program", "Parameter", "RuleVersion")
    loader.load({name: apps.get_model("rules", name) for name in names})


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
