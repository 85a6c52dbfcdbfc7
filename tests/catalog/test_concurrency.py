import threading

import pytest
from django.db import connection

from catalog import workflow
from catalog.models import Catalogue
from portal.models import Organisation, Staff
from tests.factories import make_domain, make_guideline, make_organisation, make_published_catalogue, make_staff


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_clerks_opening_a_revision_at_once_get_one_draft():
    county = make_organisation("青禾县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT)
    gongan = make_organisation("青禾县公安局", parent=county)
    office = make_organisation("青禾县人民政府办公室", parent=county)
    domain = make_domain()
    make_guideline(domain)
    clerks = [make_staff(f"clerk{n}", gongan, Staff.Role.CLERK) for n in range(2)]
    published = make_published_catalogue(
        gongan, domain, clerk=clerks[0], reviewer=make_staff("reviewer", gongan, Staff.Role.REVIEWER),
        county_reviewer=make_staff("office", office, Staff.Role.COUNTY_OFFICE),
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def open_revision(clerk):
        try:
            barrier.wait()
            workflow.start_revision(published, by=clerk)
            outcomes.append("ok")
        except workflow.WorkflowError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=open_revision, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ok", "该目录已有正在编辑或审核中的新版本"]
    assert Catalogue.objects.filter(organisation=gongan, state=Catalogue.State.DRAFT).count() == 1
