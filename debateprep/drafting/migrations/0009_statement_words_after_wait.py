from django.db import migrations

from debateprep.lib.postgresql import OnPostgreSQL

# A save in one statement sees the answers as they were when it began. VOLATILE: each call
# reads them afresh, with the saves committed while it waited for the statement's row.
FUNCTION = """
CREATE FUNCTION drafting_other_words(statement bigint, answer bigint) RETURNS bigint
VOLATILE LANGUAGE sql AS $$
    SELECT COALESCE(SUM(words), 0) FROM drafting_answer
    WHERE statement_id = statement AND id <> answer
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("drafting", "0008_search")]

    operations = [
        OnPostgreSQL(
            migrations.RunSQL(FUNCTION, "DROP FUNCTION drafting_other_words(bigint, bigint);")
        ),
    ]
