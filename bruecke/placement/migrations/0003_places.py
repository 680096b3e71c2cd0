"""The towns of Mecklenburg-Vorpommern with coordinates (bruecke/placement/data/places_mv.csv)."""

from django.db import migrations


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
    dependencies = [("placement", "0001_initial")]

    operations = [migrations.RunPython(load_places, remove_places)]
