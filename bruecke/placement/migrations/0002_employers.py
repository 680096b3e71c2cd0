"""Employers get a folded name for the search (lower case, no diacritics); opportunities
the reason of their last status change."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def fill_search_name(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from bruecke.placement.models.employers import fold_name

    Employer = apps.get_model("placement", "Employer")
    for employer in Employer.objects.only("pk", "name"):
        Employer.objects.filter(pk=employer.pk).update(search_name=fold_name(employer.name))


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="employer",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddIndex(
            model_name="employer",
            index=models.Index(fields=["search_name"], name="placement_employer_search"),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="status_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason"),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
    ]
