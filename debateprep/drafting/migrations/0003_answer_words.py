from django.db import migrations, models

from debateprep.lib.speech import count_words


def count_saved_words(apps, schema_editor):
    """The word count of every answer saved so far, a batch at a time."""
    Answer = apps.get_model("drafting", "Answer")
    batch = []
    for answer in Answer.objects.exclude(text="").only("text").iterator(chunk_size=500):
        answer.words = count_words(answer.text)
        batch.append(answer)
        if len(batch) == 500:
            Answer.objects.bulk_update(batch, ["words"])
            batch = []
    Answer.objects.bulk_update(batch, ["words"])


class Migration(migrations.Migration):

    dependencies = [
        ('drafting', '0002_team_review'),
    ]

    operations = [
        migrations.AddField(
            model_name='answer',
            name='words',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_saved_words, migrations.RunPython.noop, elidable=True),
    ]
