from django.db import migrations, models

ESTIMATE = (
    "Default 120, an estimate: the English rate, standing in until a published figure for this "
    "language is found."
)


class Migration(migrations.Migration):
    """A speaking rate for each of the six languages; the one rate there was is English's."""

    dependencies = [
        ('debates', '0002_letter_sender_and_symbol'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='debate', name='debate_words_per_minute_positive'),
        migrations.RenameField(model_name='debate', old_name='words_per_minute', new_name='rate_en'),
        migrations.AlterField(
            model_name='debate',
            name='rate_en',
            field=models.PositiveSmallIntegerField(default=120, help_text='Default 120: Li (2010) gives 100 to 120 words a minute as optimal for English speeches.', verbose_name='English: words a minute'),
        ),
        migrations.AddField(
            model_name='debate',
            name='rate_ar',
            field=models.PositiveSmallIntegerField(default=120, help_text=ESTIMATE, verbose_name='Arabic: words a minute'),
        ),
        migrations.AddField(
            model_name='debate',
            name='rate_zh_hans',
            field=models.PositiveSmallIntegerField(default=160, help_text='Default 160: Li (2010) gives 150 to 180 syllables a minute as the optimal speed for Chinese speeches, and a character is one syllable.', verbose_name='Chinese: characters a minute'),
        ),
        migrations.AddField(
            model_name='debate',
            name='rate_fr',
            field=models.PositiveSmallIntegerField(default=120, help_text=ESTIMATE, verbose_name='French: words a minute'),
        ),
        migrations.AddField(
            model_name='debate',
            name='rate_ru',
            field=models.PositiveSmallIntegerField(default=120, help_text=ESTIMATE, verbose_name='Russian: words a minute'),
        ),
        migrations.AddField(
            model_name='debate',
            name='rate_es',
            field=models.PositiveSmallIntegerField(default=120, help_text=ESTIMATE, verbose_name='Spanish: words a minute'),
        ),
        migrations.AddConstraint(
            model_name='debate',
            constraint=models.CheckConstraint(condition=models.Q(('rate_ar__gt', 0), ('rate_en__gt', 0), ('rate_es__gt', 0), ('rate_fr__gt', 0), ('rate_ru__gt', 0), ('rate_zh_hans__gt', 0)), name='debate_rates_positive'),
        ),
    ]
