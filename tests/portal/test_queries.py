"""portal.queries.CompiledValues: a values() queryset compiled once per connection and run with new
arguments gives what the queryset gives, and never what another argument would."""

import datetime

import pytest
from django.db import connection, connections
from django.db.models import Value
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from disclosure.models import Document
from disclosure.permissions import public_documents
from portal.queries import CompiledValues
from tests.factories import make_document, publish_document

pytestmark = pytest.mark.django_db

FIELDS = ("id", "title", "written_date", "publish_date", "organisation__name", "catalogue_item__name")


@pytest.fixture
def documents(gongan, gongan_clerk, gongan_reviewer):
    made = [
        make_document(gongan, gongan_clerk, title=f"通知{n}", written_date=datetime.date(2025, 3, n + 1)) for n in range(3)
    ]
    for document in made[:2]:
        publish_document(document, gongan_clerk, gongan_reviewer)
    return made  # the third is a draft


@pytest.fixture
def compile_count(monkeypatch):
    """How often Django compiled SQL (a spy on its compiler, which still does the work)."""
    calls = []
    compile_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def test_rows_are_what_values_gives_with_dates_converted_on_every_database(documents):
    rows = CompiledValues(lambda pk: public_documents().filter(pk=pk).values(*FIELDS))
    for document in documents:
        expected = list(public_documents().filter(pk=document.pk).values(*FIELDS))
        assert rows(document.pk) == expected
    assert rows(documents[0].pk)[0]["written_date"] == datetime.date(2025, 3, 1)
    assert list(rows(documents[0].pk)[0]) == list(FIELDS)
    assert rows(documents[2].pk) == []  # the draft: the public filter is in the compiled SQL


def test_date_arguments_and_a_shape_compiled_apart(documents):
    """A date argument is a parameter like an id; a keyword (here a LIMIT) is compiled on its own."""

    def build(day, pk, limit):
        return public_documents().filter(written_date__lte=day, pk__gte=pk).order_by("-written_date").values("id", "written_date")[:limit]

    rows = CompiledValues(build)
    first, second = documents[0], documents[1]  # written 1 and 2 March, both public
    assert [row["id"] for row in rows(datetime.date(2025, 3, 2), first.pk, limit=5)] == [second.pk, first.pk]
    assert [row["id"] for row in rows(datetime.date(2025, 3, 1), first.pk, limit=5)] == [first.pk]
    assert [row["id"] for row in rows(datetime.date(2025, 3, 2), first.pk, limit=1)] == [second.pk]
    assert rows(datetime.date(2025, 2, 28), first.pk, limit=5) == []
    for day in (datetime.date(2025, 3, 2), datetime.date(2024, 1, 1)):
        assert rows(day, first.pk, limit=5) == list(build(day, first.pk, 5))


def test_a_connection_keeps_a_bounded_number_of_shapes(documents, compile_count, monkeypatch):
    import portal.queries

    monkeypatch.setattr(portal.queries, "MAX_COMPILED", 2)
    kept = connections["default"].__dict__
    kept.pop("compiled_values", None)
    rows = CompiledValues(lambda pk, limit: public_documents().filter(pk__gte=pk).values("id")[:limit])
    for limit in (1, 2, 3, 3):
        assert len(rows(documents[0].pk, limit=limit)) == min(limit, 2)
    # The third shape is compiled each time, never kept.
    assert len(compile_count) == 4 and len(kept["compiled_values"]) == 2


def test_an_argument_used_several_times_and_constants_beside_it(documents):
    def build(first, second):
        public = public_documents().order_by().values("id", "title")
        return public.filter(pk=first).annotate(which=Value("first")).union(
            public.filter(pk=second).annotate(which=Value("second")),
            public.filter(pk=first).annotate(which=Value("first again")), all=True,
        )

    rows = CompiledValues(build)
    one, two = documents[0], documents[1]
    got = sorted((row["id"], row["which"]) for row in rows(one.pk, two.pk))
    assert got == sorted([(one.pk, "first"), (two.pk, "second"), (one.pk, "first again")])
    got = sorted((row["id"], row["which"]) for row in rows(two.pk, one.pk))
    assert got == sorted([(two.pk, "first"), (one.pk, "second"), (two.pk, "first again")])


def test_compiled_once_per_connection_and_then_only_executed(documents, compile_count):
    rows = CompiledValues(lambda pk: public_documents().filter(pk=pk).values("id", "title"))
    rows(documents[0].pk)
    assert compile_count == [Document]
    with CaptureQueriesContext(connection) as queries:
        assert [row["title"] for row in rows(documents[1].pk)] == ["通知1"]
    assert compile_count == [Document] and len(queries) == 1


def test_an_id_beyond_every_integer_column_finds_nothing_without_asking_the_database(documents):
    rows = CompiledValues(lambda pk: public_documents().filter(pk=pk).values("id"))
    for huge in (2**63, 10**20, -(2**63) - 1):
        with CaptureQueriesContext(connection) as queries:
            assert rows(huge) == []
        assert len(queries) == 0
    assert rows(2**63 - 1) == []  # the largest id a row could have is asked, and is not there


def test_a_queryset_that_does_not_use_its_argument_is_refused(documents):
    rows = CompiledValues(lambda pk: Document.objects.filter(pk=1).values("id"))
    with pytest.raises(ValueError, match="not in the compiled query"):
        rows(documents[0].pk)


@pytest.mark.skipif("connection.vendor != 'postgresql'")  # SQLite's backend passes dates as text
def test_a_date_among_the_constants_is_refused_as_it_would_never_change(documents):
    rows = CompiledValues(lambda pk: Document.objects.filter(pk=pk, publish_date__lte=datetime.date.today()).values("id"))
    with pytest.raises(ValueError, match="would never change"):
        rows(documents[0].pk)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_prepares_a_query_run_five_times_on_a_connection(documents):
    rows = CompiledValues(lambda pk: public_documents().filter(pk=pk).values("id", "title"))
    for _ in range(6):
        rows(documents[0].pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())
    runs = [count for statement, count in prepared.items() if '"disclosure_document"."title"' in statement and "$1" in statement]
    assert runs and runs[0] >= 1


def test_constants_with_quotes_and_percent_signs_give_what_values_gives(documents):
    odd = "通知0'; 100%"
    Document.objects.filter(pk=documents[0].pk).update(title=odd)

    def build(pk):
        return public_documents().filter(pk__gte=pk, title__in=[odd, "50%的'通知'"]).annotate(
            note=Value("占比%s'")).values("id", "title", "note")

    rows = CompiledValues(build)
    assert rows(documents[0].pk) == list(build(documents[0].pk)) == [{"id": documents[0].pk, "title": odd, "note": "占比%s'"}]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_prepares_a_listing_with_the_public_filter_written_in(documents):
    """The public filter's constants are in the prepared statement's SQL, its arguments its only
    parameters: the statement a plan made once can serve on the public documents' partial indexes
    (that PostgreSQL then keeps that plan was measured at 10^6 documents, bench/RESULTS.md)."""
    rows = CompiledValues(lambda pk, limit: public_documents().filter(pk__gte=pk).order_by("-publish_date", "-id").values("id")[:limit])
    for _ in range(6):
        assert [row["id"] for row in rows(documents[0].pk, limit=5)] == [documents[1].pk, documents[0].pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall() if "LIMIT 5" in statement]
    assert len(prepared) == 1
    assert "\"attribute\" = 'proactive'" in prepared[0] and "\"status\" = 'published'" in prepared[0]
    assert "$1" in prepared[0] and "$2" not in prepared[0]
