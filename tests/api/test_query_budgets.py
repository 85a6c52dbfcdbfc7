"""Each list request runs at most three queries, however much data there is (measured with a small and a
larger data set); so does each detail request."""

import pytest

from tests.factories import make_domain, make_guideline, make_organisation, make_published_catalogue, make_staff

from .conftest import add_public_documents, make_gazette_issue

LISTS = [
    "/api/v1/organisations/", "/api/v1/domains/", "/api/v1/catalogues/", "/api/v1/catalogue-items/",
    "/api/v1/catalogue-items/?tree=1", "/api/v1/catalogue-items/?tree=1&method=proactive&channel=website",
    "/api/v1/documents/", "/api/v1/documents/?organisation={org}", "/api/v1/documents/?is_normative=true&q=通知",
    "/api/v1/documents/?format=csv", "/api/v1/documents/?format=xlsx", "/api/v1/gazette-issues/",
    "/api/v1/changes/", "/api/v1/changes/?since=1&page_size=100", "/api/v1/changes/?format=csv",
]
DETAILS = [
    "/api/v1/organisations/{org}/", "/api/v1/domains/household-registration/", "/api/v1/catalogues/{catalogue}/",
    "/api/v1/catalogue-items/{item}/", "/api/v1/documents/{document}/", "/api/v1/gazette-issues/{issue}/",
]


def grow(size, *, county, gongan, gongan_clerk, gongan_reviewer, county_reviewer, catalogue):
    """`size` more of everything: organisations, domains with catalogues, documents, gazette issues."""
    documents = add_public_documents(gongan, gongan_clerk, gongan_reviewer, 3 * size)
    for n in range(size):
        organisation = make_organisation(f"青禾县第{n}局", parent=county)
        make_staff(f"clerk{n}", organisation, "clerk")
        domain = make_domain(name=f"领域{n}", slug=f"domain-{n}", order=100 + n)
        make_guideline(domain)
        make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
        make_gazette_issue(documents[n:n + 3], number=n + 1)
    return {
        "org": gongan.pk, "catalogue": catalogue.pk, "item": catalogue.items.first().pk,
        "document": documents[0].pk, "issue": make_gazette_issue(documents[:2], number=99).pk,
    }


@pytest.mark.parametrize("size", [1, 6])
def test_list_and_detail_queries_do_not_grow_with_data(
    client, size, county, gongan, gongan_clerk, gongan_reviewer, county_reviewer, catalogue, django_assert_max_num_queries
):
    ids = grow(size, county=county, gongan=gongan, gongan_clerk=gongan_clerk, gongan_reviewer=gongan_reviewer,
               county_reviewer=county_reviewer, catalogue=catalogue)
    for url in [*LISTS, *DETAILS]:
        address = url.format(**ids)
        with django_assert_max_num_queries(3, info=address):
            response = client.get(address)
        assert response.status_code == 200, address
        if "format=" not in address and "results" in response.json():
            assert response.json()["results"], address
