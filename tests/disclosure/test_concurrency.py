import threading

import pytest
from django.db import connection

from disclosure import workflow
from disclosure.models import Document
from portal.models import Organisation, Staff
from tests.factories import make_document, make_organisation, make_staff


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_index_numbers_stay_unique_when_reviewers_publish_at_once():
    county = make_organisation("青禾县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT)
    gongan = make_organisation("青禾县公安局", parent=county)
    clerk = make_staff("clerk", gongan, Staff.Role.CLERK)
    reviewers = [make_staff(f"reviewer{n}", gongan, Staff.Role.REVIEWER) for n in range(4)]
    documents = []
    for n in range(8):
        document = make_document(gongan, clerk, title=f"通知{n}")
        workflow.submit(document, by=clerk)
        documents.append(document)
    barrier = threading.Barrier(4)
    errors = []

    def publish_share(reviewer, share):
        try:
            barrier.wait()
            for document in share:
                workflow.publish(document, by=reviewer)
        except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish_share, args=(r, documents[n::4])) for n, r in enumerate(reviewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = sorted(Document.objects.values_list("index_number", flat=True))
    year = Document.objects.first().publish_date.year
    assert numbers == [f"{gongan.credit_code}/{year}-{n:05d}" for n in range(1, 9)]
