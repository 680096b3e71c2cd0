"""Backfills the citizenships at entry (§11.15) of existing entry records from the
participant's nationality: the best knowledge there is of the entry situation."""

from django.db import migrations

EU27 = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
}  # fmt: skip


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    EntryRecord = apps.get_model("esf", "EntryRecord")
    records = EntryRecord.objects.filter(citizenships="").select_related("participant")
    for record in records.iterator(chunk_size=2000):
        code = str(record.participant.nationality or "").strip().upper()
        if not code:
            continue
        EntryRecord.objects.filter(pk=record.pk).update(
            citizenships=code, third_country_national_at_entry=code not in EU27
        )


class Migration(migrations.Migration):
    dependencies = [("esf", "0008_reporting_fields")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
