import threading

import pytest
from django.db import connection

from portal.models import Organisation, Staff
from requests_app import workflow
from requests_app.models import Application, ApplicationEvent
from tests.factories import make_application, make_organisation, make_staff


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_one_wins_the_other_is_told():
    county = make_organisation("青禾县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT)
    gongan = make_organisation("青禾县公安局", parent=county)
    clerk = make_staff("clerk", gongan, Staff.Role.CLERK)
    reviewers = [make_staff(f"reviewer{n}", gongan, Staff.Role.REVIEWER) for n in range(2)]
    application = make_application(gongan, clerk)
    workflow.draft_reply(application, by=clerk, reply_type="disclosed", reply_text="提供统计表")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(reviewer):
        try:
            barrier.wait()
            workflow.approve_reply(application, by=reviewer)
            outcomes.append("ok")
        except workflow.WorkflowError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "该申请当前状态为“答复已审批，待送达”，没有待审批的答复"]
    assert ApplicationEvent.objects.filter(application=application, action="reply_approved").count() == 1
    assert Application.objects.get(pk=application.pk).state == "reply_approved"
