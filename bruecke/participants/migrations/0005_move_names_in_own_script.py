"""Existing names in another script move to the own-script fields (decision 0026).

Until now a name was stored in one field as typed, in any script. A name with letters
outside the Latin script moves to `*_own_script`; its Latin field gets the suggested
spelling, marked as unconfirmed so the participant page asks a person to check it.
All name keys are rebuilt, since Arabic-script names now meet their Latin spellings.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from bruecke.participants import names


def forwards(apps: Any, schema_editor: Any) -> None:
    participant_model = apps.get_model("participants", "Participant")
    name_key_model = apps.get_model("participants", "NameKey")
    for person in participant_model.objects.iterator(chunk_size=500):
        moved = False
        for latin_field, own_field in (
            ("given_names", "given_names_own_script"),
            ("family_name", "family_name_own_script"),
        ):
            value = getattr(person, latin_field)
            if value and not names.is_latin(value):
                setattr(person, own_field, value)
                setattr(person, latin_field, names.suggest_latin(value)[:150])
                moved = True
        if moved:
            person.latin_spelling_confirmed = False
            person.latin_name = names.to_latin(f"{person.given_names} {person.family_name}".strip())[:400]
            person.save(
                update_fields=[
                    "given_names",
                    "family_name",
                    "given_names_own_script",
                    "family_name_own_script",
                    "latin_spelling_confirmed",
                    "latin_name",
                ]
            )
        spellings = [
            person.given_names,
            person.family_name,
            person.given_names_own_script,
            person.family_name_own_script,
            *person.name_variants.values_list("name", flat=True),
        ]
        keys = set().union(*(names.name_keys(s) for s in spellings if s))
        name_key_model.objects.filter(participant=person).delete()
        name_key_model.objects.bulk_create(
            name_key_model(participant=person, key=k[:64]) for k in sorted(keys)
        )


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_names_in_own_script")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
