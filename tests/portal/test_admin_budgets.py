"""The clerks' main lists run a fixed number of queries, however many rows they show."""

import pytest

from tests.factories import make_application, make_document, publish_document

LISTS = [
    "/admin/disclosure/document/",
    "/admin/requests_app/application/",
    "/admin/requests_app/application/?deadline=overdue",
    "/admin/catalog/catalogue/",
    "/admin/portal/organisation/",
]


def add_rows(organisation, clerk, reviewer, count):
    for n in range(count):
        publish_document(make_document(organisation, clerk, title=f"通知{n}"), clerk, reviewer)
        make_application(organisation, clerk, applicant_name=f"申请人{n}")


@pytest.mark.parametrize("url", LISTS)
def test_admin_list_queries_do_not_grow_with_rows(client, url, gongan, gongan_clerk, gongan_reviewer, django_assert_max_num_queries):
    add_rows(gongan, gongan_clerk, gongan_reviewer, 2)
    client.force_login(gongan_clerk)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows(gongan, gongan_clerk, gongan_reviewer, 15)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
