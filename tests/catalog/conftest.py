import pytest

from tests.factories import make_domain, make_guideline, make_published_catalogue


@pytest.fixture
def domain(db):
    return make_domain()


@pytest.fixture
def guideline(domain):
    return make_guideline(domain)


@pytest.fixture
def published(guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    return make_published_catalogue(
        gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer
    )


@pytest.fixture
def published_other_domain(gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    other = make_domain(name="社会救助", slug="social-assistance", order=20)
    make_guideline(other)
    return make_published_catalogue(
        gongan, other, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer
    )
