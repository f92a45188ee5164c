from django.db import migrations, models

from debateprep.lib.languages import guess_from_script
from debateprep.lib.speech import count_in, count_words

BATCH = 500


def _recount(model, rows, count_of) -> None:
    """Count each row's text again, a batch at a time; only the counts are written."""
    batch = []
    for row in rows.only("pk", "text", "words").iterator(chunk_size=BATCH):
        words = count_of(row)
        if words != row.words:
            row.words = words
            batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_update(batch, ["words"])
            batch = []
    model.objects.bulk_update(batch, ["words"])


def give_statements_their_language(apps, schema_editor):
    """Each statement is in its delegation's language (English for all, as delegations have just
    been given theirs), unless its text is plainly in Arabic, Chinese or Russian script: a
    statement drafted in Chinese before now is taken as Chinese, and counted in characters.
    Then every answer and revision is counted again in its statement's language."""
    Statement = apps.get_model("drafting", "Statement")
    Answer = apps.get_model("drafting", "Answer")
    Revision = apps.get_model("drafting", "Revision")
    languages = {}
    for statement in Statement.objects.select_related("delegation").iterator(chunk_size=BATCH):
        text = "\n".join(Answer.objects.filter(statement=statement).values_list("text", flat=True))
        language = guess_from_script(text) or statement.delegation.language
        if language != statement.language:
            Statement.objects.filter(pk=statement.pk).update(language=language)
        languages[statement.pk] = language
    answers = Answer.objects.all()
    statement_of = dict(answers.values_list("pk", "statement_id"))
    _recount(Answer, answers, lambda row: count_in(row.text, languages[statement_of[row.pk]]))
    revisions = Revision.objects.all()
    answer_of = dict(revisions.values_list("pk", "answer_id"))
    _recount(
        Revision,
        revisions,
        lambda row: count_in(row.text, languages[statement_of[answer_of[row.pk]]]),
    )


def count_in_words(apps, schema_editor):
    """Back to every text counted in words."""
    for name in ("Answer", "Revision"):
        model = apps.get_model("drafting", name)
        _recount(model, model.objects.all(), lambda row: count_words(row.text))


class Migration(migrations.Migration):

    dependencies = [
        ('delegations', '0004_languages'),
        ('drafting', '0003_answer_words'),
    ]

    operations = [
        migrations.AddField(
            model_name='statement',
            name='language',
            field=models.CharField(choices=[('ar', 'Arabic'), ('zh-hans', 'Chinese'), ('en', 'English'), ('fr', 'French'), ('ru', 'Russian'), ('es', 'Spanish')], default='en', max_length=7),
        ),
        migrations.RunPython(give_statements_their_language, count_in_words, elidable=True),
    ]
