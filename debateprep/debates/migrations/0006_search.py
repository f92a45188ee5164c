import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from debateprep.lib.postgresql import OnPostgreSQL


class Migration(migrations.Migration):

    dependencies = [
        ('debates', '0005_interface_in_six_languages'),
        ('delegations', '0007_interface_in_six_languages'),
    ]

    operations = [
        OnPostgreSQL(migrations.AddIndex(
            model_name='debate',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('title', 'presidency', 'symbol', 'letter_heading', config='english'), name='debate_search'),
        )),
        OnPostgreSQL(migrations.AddIndex(
            model_name='debate',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('letter_text', config='english'), name='debate_letter_search'),
        )),
        OnPostgreSQL(migrations.AddIndex(
            model_name='question',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.search.SearchVector('label', 'text', config='english'), name='question_search'),
        )),
    ]
