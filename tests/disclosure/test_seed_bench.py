"""seed_bench makes what bench/run measures: 60+ organisations, catalogue items, twenty years of
documents of which about a tenth is not public, unique index numbers, and a change feed that
names exactly what is public."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from catalog.models import Catalogue, CatalogueItem
from disclosure.models import Attachment, Document, IndexCounter
from disclosure.permissions import public_documents
from portal.models import Organisation, PublicChange, validate_credit_code
from tests.conftest import FAST_HASHING
from tests.factories import make_document, publish_document


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seeding for this module (ten seconds on PostgreSQL), in a transaction rolled back at its end."""
    # conftest's fast hasher is function-scoped, so not yet in force here.
    seed_settings = override_settings(**FAST_HASHING, MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), seed_settings, transaction.atomic():
        out = io.StringIO()
        call_command("seed_bench", documents=300, items=400, batch=120, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    # Each test in its own savepoint inside the module's transaction: what one changes the next does not see.
    return seeded_once


def test_seed_bench_spreads_documents_over_sixty_organisations_and_twenty_years(seeded):
    bodies = Organisation.objects.filter(is_disclosure_body=True).exclude(credit_code="")
    assert bodies.count() >= 60
    for code in bodies.values_list("credit_code", flat=True):
        validate_credit_code(code)
    assert Document.objects.count() == 300
    assert Document.objects.values("organisation").distinct().count() >= 30
    years = {d.year for d in Document.objects.exclude(publish_date=None).values_list("publish_date", flat=True)}
    assert max(years) - min(years) >= 15
    assert Document.objects.exclude(document_number="").exists()
    assert Document.objects.filter(formed_on=None).count() == 0


def test_seed_bench_fills_published_catalogues_with_items(seeded):
    items = CatalogueItem.objects.filter(catalogue__state=Catalogue.State.PUBLISHED, catalogue__is_guideline=False)
    assert items.count() >= 400
    assert Catalogue.objects.filter(state=Catalogue.State.PUBLISHED, is_guideline=False).values("organisation").distinct().count() >= 10
    assert Document.objects.exclude(catalogue_item=None).exists()
    # The MPTT columns written by hand agree with the tree: each 二级事项 sits inside its 一级事项.
    child = items.filter(parent__isnull=False).select_related("parent").first()
    assert child.parent.lft < child.lft < child.rght < child.parent.rght
    assert child.tree_id == child.parent.tree_id
    assert list(child.parent.get_children()) == list(items.filter(parent=child.parent).order_by("lft"))


def test_about_a_tenth_is_not_public_and_each_has_its_ground(seeded):
    published = Document.objects.filter(status=Document.Status.PUBLISHED)
    non_public = published.exclude(attribute=Document.Attribute.PROACTIVE)
    assert 0.04 <= non_public.count() / published.count() <= 0.17
    assert not non_public.filter(ground="").exists()
    assert not non_public.filter(ground_reason="").exists()
    assert Document.objects.filter(status=Document.Status.WITHDRAWN).exists()
    assert Document.objects.filter(status__in=Document.UNPUBLISHED).exists()
    # Nothing of it reaches the one public filter.
    shown = public_documents()
    assert shown.count() == published.filter(attribute=Document.Attribute.PROACTIVE).count()
    assert not shown.exclude(attribute=Document.Attribute.PROACTIVE).exists()
    assert not shown.exclude(status=Document.Status.PUBLISHED).exists()


def test_index_numbers_are_unique_and_the_counters_stay_ahead(seeded, gongan, gongan_clerk, gongan_reviewer):
    numbers = list(Document.objects.exclude(index_number=None).values_list("organisation_id", "index_number"))
    assert len({n for _, n in numbers}) == len(numbers)
    assert not Document.objects.filter(status__in=Document.UNPUBLISHED).exclude(index_number=None).exists()
    counters = {(c.organisation_id, c.year): c.last_serial for c in IndexCounter.objects.all()}
    for organisation_id, number in numbers:
        year, serial = number.split("/")[1].split("-")
        assert int(serial) <= counters[(organisation_id, int(year))]
    # The workflow hands out the next number without colliding with a seeded one.
    document = publish_document(make_document(gongan, gongan_clerk), gongan_clerk, gongan_reviewer)
    assert Document.objects.filter(index_number=document.index_number).count() == 1


def test_change_feed_names_only_what_was_public(seeded):
    entries = PublicChange.objects.filter(kind=PublicChange.Kind.DOCUMENT)
    published = set(entries.filter(action=PublicChange.Action.PUBLISHED).values_list("object_id", flat=True))
    withdrawn = set(entries.filter(action=PublicChange.Action.WITHDRAWN).values_list("object_id", flat=True))
    was_public = set(
        Document.objects.filter(attribute=Document.Attribute.PROACTIVE, status__in=["published", "withdrawn"])
        .values_list("pk", flat=True)
    )
    assert published == was_public
    assert withdrawn == set(
        Document.objects.filter(attribute=Document.Attribute.PROACTIVE, status="withdrawn").values_list("pk", flat=True)
    )
    assert set(public_documents().values_list("pk", flat=True)) == published - withdrawn
    catalogues = PublicChange.objects.filter(kind=PublicChange.Kind.CATALOGUE, action=PublicChange.Action.PUBLISHED)
    assert catalogues.count() == Catalogue.objects.filter(state="published", is_guideline=False).count()
    # A mirror reads the feed in number order; the times agree with it.
    times = list(PublicChange.objects.order_by("pk").values_list("at", flat=True))
    assert times == sorted(times)


def test_seeded_documents_show_on_the_public_pages(seeded, client):
    document = public_documents().exclude(attachments=None).first() or public_documents().first()
    response = client.get("/xxgk/documents/")
    assert response.status_code == 200
    response = client.get(f"/xxgk/documents/{document.pk}/")
    assert response.status_code == 200
    assert document.title in response.content.decode()
    attachment = Attachment.objects.first()
    assert attachment.file.storage.exists(attachment.file.name)
    assert attachment.size == attachment.file.size
    hidden = Document.objects.exclude(attribute=Document.Attribute.PROACTIVE).filter(status="published").first()
    assert client.get(f"/xxgk/documents/{hidden.pk}/").status_code == 404


def test_the_seeded_public_documents_and_only_they_are_in_the_search_index(seeded, client):
    from disclosure.permissions import public_documents
    from portal.models import SearchEntry

    indexed = set(SearchEntry.objects.filter(kind="document").values_list("object_id", flat=True))

    assert indexed == set(public_documents().values_list("pk", flat=True))
    page = client.get("/search/?q=通知").content.decode()
    assert "找到 <strong>" in page and "没有找到" not in page  # 通知 is in every seeded body
