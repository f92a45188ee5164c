import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations

from debateprep.lib.postgresql import OnPostgreSQL

# Chinese is written without spaces between words, and PostgreSQL has no Chinese dictionary:
# each Han character is made a word of its own (a zero-width space after it), and a run of them
# in a query a phrase, so that a search finds exactly that run of characters.
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"

FUNCTIONS = rf"""
CREATE FUNCTION drafting_search_config(language varchar) RETURNS regconfig
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT (CASE language
        WHEN 'ar' THEN 'arabic' WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish'
        WHEN 'fr' THEN 'french' WHEN 'ru' THEN 'russian' ELSE 'simple'
    END)::regconfig
$$;

CREATE FUNCTION drafting_search_text(document text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT regexp_replace(document, '({HAN})', E'\\1\u200b', 'g')
$$;

CREATE FUNCTION drafting_search_query(query text) RETURNS text
IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT drafting_search_text(regexp_replace(query, '({HAN}+)', ' "\1" ', 'g'))
$$;

CREATE FUNCTION drafting_answer_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := to_tsvector(
        drafting_search_config(
            (SELECT language FROM drafting_statement WHERE id = NEW.statement_id)
        ),
        drafting_search_text(NEW.text)
    );
    RETURN NEW;
END
$$;

CREATE TRIGGER drafting_answer_search BEFORE INSERT OR UPDATE OF text ON drafting_answer
FOR EACH ROW EXECUTE FUNCTION drafting_answer_search();

CREATE FUNCTION drafting_statement_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE drafting_answer
    SET search = to_tsvector(drafting_search_config(NEW.language), drafting_search_text(text))
    WHERE statement_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER drafting_statement_search AFTER UPDATE OF language ON drafting_statement
FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
EXECUTE FUNCTION drafting_statement_search();

UPDATE drafting_answer SET text = text;
"""

DROP_FUNCTIONS = """
DROP TRIGGER drafting_statement_search ON drafting_statement;
DROP FUNCTION drafting_statement_search();
DROP TRIGGER drafting_answer_search ON drafting_answer;
DROP FUNCTION drafting_answer_search();
DROP FUNCTION drafting_search_query(text);
DROP FUNCTION drafting_search_text(text);
DROP FUNCTION drafting_search_config(varchar);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('debates', '0006_search'),
        ('drafting', '0007_revision_copied_from_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='answer',
            name='search',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='search vector'),
        ),
        OnPostgreSQL(migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS)),
        OnPostgreSQL(migrations.AddIndex(
            model_name='answer',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search'], name='answer_search'),
        )),
    ]
