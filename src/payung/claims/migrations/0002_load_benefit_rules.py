from django.db import migrations

from payung.rules import loader


def forwards(apps, schema_editor):
    """The benefit rules claims price with (rules/data/rules.toml): a database migrated before they were
    shipped gets them here, as `payung rules load` would; nothing stored is ever changed."""
    names = ("Scheme", "Program", "Parameter", "RuleVersion")
    loader.load({name: apps.get_model("rules", name) for name in names})


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("rules", "0002_load_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
