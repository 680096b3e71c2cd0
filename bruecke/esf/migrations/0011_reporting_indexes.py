"""Indexes of the indicator report (decision 0049): each participant's final exit, and the
participations of a project by entry date. The latter lives on the participants table but
belongs to reporting, so it is created here in SQL (same syntax on SQLite and PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_offers_event_kinds"),
        ("esf", "0010_exit_results"),
        ("network", "0003_record_version"),
        ("participants", "0007_audit_labels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="exitrecord",
            index=models.Index(fields=["participant", "exit_date"], name="esf_exit_participant_date"),
        ),
        migrations.RunSQL(
            "CREATE INDEX participant_project_entry ON participants_participant (project_id, entry_date)",
            "DROP INDEX participant_project_entry",
        ),
    ]
