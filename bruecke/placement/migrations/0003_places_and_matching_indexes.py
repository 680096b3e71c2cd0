"""The towns of Mecklenburg-Vorpommern with coordinates (bruecke/placement/data/places_mv.csv),
and indexes on the match profiles' occupation codes (docs/decisions/0038)."""

from django.db import migrations, models


def load_places(apps, schema_editor):  # type: ignore[no-untyped-def]
    from bruecke.placement import places

    Place = apps.get_model("placement", "Place")
    places.load(places.parse(places.DATA_FILE.read_text(encoding="utf-8")), Place)


def remove_places(apps, schema_editor):  # type: ignore[no-untyped-def]
    from bruecke.placement import places

    Place = apps.get_model("placement", "Place")
    for row in places.parse(places.DATA_FILE.read_text(encoding="utf-8")):
        Place.objects.filter(name=row.name, postcode=row.postcode).delete()


class Migration(migrations.Migration):
    dependencies = [("placement", "0002_employers")]

    operations = [
        migrations.RunPython(load_places, remove_places),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["experience_1"], name="matchprofile_experience_1"),
        ),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["experience_2"], name="matchprofile_experience_2"),
        ),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["experience_3"], name="matchprofile_experience_3"),
        ),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["wish_1"], name="matchprofile_wish_1"),
        ),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["wish_2"], name="matchprofile_wish_2"),
        ),
        migrations.AddIndex(
            model_name="matchprofile",
            index=models.Index(fields=["wish_3"], name="matchprofile_wish_3"),
        ),
    ]
