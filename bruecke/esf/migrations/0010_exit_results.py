"""Computes the stored results of existing exit records (decision 0049) with the same pure
functions the exit services use (bruecke.esf.results has no model imports)."""

from django.db import migrations

from bruecke.esf import results


def compute(apps, schema_editor):  # type: ignore[no-untyped-def]
    ExitRecord = apps.get_model("esf", "ExitRecord")
    ExitSituation = apps.get_model("esf", "ExitSituation")
    FollowUp = apps.get_model("esf", "FollowUp")
    for record in ExitRecord.objects.select_related("participant").iterator(chunk_size=500):
        situations = [
            results.Situation(date=s.date, kind=s.kind, order=s.pk)
            for s in ExitSituation.objects.filter(exit_record_id=record.pk)
        ]
        answers = [
            results.FollowUpAnswer(
                answered_on=f.answered_on, employed=f.employed, improved=bool(f.improvements), order=f.pk
            )
            for f in FollowUp.objects.filter(exit_record_id=record.pk)
        ]
        immediate = results.immediate_results(
            entry_date=record.participant.entry_date,
            exit_date=record.exit_date,
            situations=situations,
            qualification_on=record.qualification_on if record.qualification_gained else None,
        )
        deciding = results.deciding_follow_up(record.exit_date, answers)
        answered = deciding is not None and deciding.employed != results.NO_RESPONSE
        labour_market = immediate.codes & {results.EECR01, results.EECR04}
        ExitRecord.objects.filter(pk=record.pk).update(
            result_labour_market=next(iter(labour_market), ""),
            result_education=results.EECR02 in immediate.codes,
            result_qualification=results.EECR03 in immediate.codes,
            result_same_day_conflict=immediate.same_day_conflict,
            follow_up_result=deciding.employed if answered else "",
            follow_up_improved=bool(
                answered and deciding.employed == results.ANSWER_YES and deciding.improved
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("esf", "0009_citizenships_at_entry")]

    operations = [migrations.RunPython(compute, migrations.RunPython.noop)]
