from django.db import migrations

# PostgreSQL only (portal.search.candidates): documents newest first, so a common word's candidates
# are read from the top of this index and never from its whole GIN match set; and the other kinds'
# words on their own, a few thousand rows whatever the number of documents. Both are plain indexes
# over existing columns: no rebuild of the search index is needed.
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS search_entry_document_date ON portal_searchentry (date DESC NULLS LAST, id DESC)"
    " WHERE kind = 'document'",
    "CREATE INDEX IF NOT EXISTS search_entry_other_vector ON portal_searchentry USING gin (vector)"
    " WHERE kind <> 'document'",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_document_date")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_other_vector")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0007_search_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
