"""The default catalogues of counselling topics and barriers; networks adapt them in the admin."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from bruecke.cases.topics import ensure_default_barriers, ensure_default_topics


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ensure_default_topics(apps.get_model("cases", "ContactTopic"))
    ensure_default_barriers(apps.get_model("cases", "BarrierType"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
