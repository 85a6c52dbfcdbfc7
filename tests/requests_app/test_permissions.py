"""Every role × every state of an application: the steps each may take now (available_steps), which the
application page shows as its only buttons."""

import datetime

import pytest
import time_machine

from portal.models import Organisation, Staff
from requests_app import permissions, workflow
from requests_app.models import ReplyType
from tests.factories import make_application, make_organisation, make_staff

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
ROLES = ["citizen", "gongan_clerk", "gongan_reviewer", "jiaoyu_clerk", "county_reviewer"]

# state of an application to 县公安局 (reply drafted by gongan_clerk) -> role -> steps it may take now
EXPECTED = {
    "received": {"gongan_clerk": ["register", "withdraw"]},
    "registered": {
        "gongan_clerk": [
            "request_supplement", "consult_third_party", "consult_agency", "draft_reply", "notify_fee",
            "propose_extension", "request_reasons", "withdraw",
        ],
    },
    # 逾期不补正 is offered only after the 补正期限 (2026-10-27 here) has passed.
    "supplement_requested": {"gongan_clerk": ["record_supplement", "withdraw"]},
    "third_party": {"gongan_clerk": ["record_third_party_answer", "propose_extension", "withdraw"]},
    # 逾期未缴费 is offered only after the payment period (2026-11-06 here) has passed; no extension while paused.
    "fee_notified": {"gongan_clerk": ["record_payment", "withdraw"]},
    # 县公安局 has its own reviewer, so the county office does not approve its replies.
    "reply_drafted": {"gongan_clerk": ["replace_letter", "withdraw"], "gongan_reviewer": ["approve_reply", "return_reply"]},
    "reply_approved": {"gongan_clerk": ["send_reply", "withdraw"]},
    "replied": {"gongan_clerk": ["archive"]},
    "archived": {},
    "withdrawn": {},
}


def application_in(state, gongan, clerk, reviewer):
    """An application to 县公安局 received on Monday 2026-09-28, taken to `state` by 2026-10-12."""
    application = make_application(gongan, None if state == "received" else clerk, channel="online")
    if state == "supplement_requested":
        workflow.request_supplement(application, by=clerk, note="请写明年份", on=D(2026, 9, 30))
    elif state == "third_party":
        workflow.consult_third_party(application, by=clerk, sent_on=D(2026, 10, 9), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")
    elif state == "fee_notified":
        workflow.notify_fee(application, by=clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    elif state in ("reply_drafted", "reply_approved", "replied", "archived"):
        workflow.draft_reply(application, by=clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
        if state != "reply_drafted":
            workflow.approve_reply(application, by=reviewer)
        if state in ("replied", "archived"):
            workflow.send_reply(application, by=clerk, sent_on=D(2026, 10, 12))
        if state == "archived":
            workflow.archive(application, by=clerk)
    elif state == "withdrawn":
        workflow.withdraw(application, by=clerk, note="申请人书面撤回")
    application.refresh_from_db()
    assert application.state == state
    return application


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
@pytest.mark.parametrize("state", list(EXPECTED))
def test_steps_by_role_and_state_on_2026_10_12(request, state, gongan, gongan_clerk, gongan_reviewer):
    application = application_in(state, gongan, gongan_clerk, gongan_reviewer)
    for role in ROLES:
        user = request.getfixturevalue(role)
        assert permissions.available_steps(user, application) == EXPECTED[state].get(role, []), (state, role)


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_one_extension_and_one_supplement_notice_then_the_buttons_go(application, gongan_clerk, gongan_reviewer):
    workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 9, 30))
    workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 9))
    workflow.propose_extension(application, by=gongan_clerk, days=10, note="需协调")
    application.refresh_from_db()
    assert "propose_extension" not in permissions.available_steps(gongan_clerk, application)
    assert permissions.available_steps(gongan_reviewer, application) == ["extend", "refuse_extension"]
    workflow.extend(application, by=gongan_reviewer)
    application.refresh_from_db()
    assert permissions.available_steps(gongan_clerk, application) == [
        "consult_third_party", "consult_agency", "draft_reply", "notify_fee", "request_reasons", "withdraw",
    ]
    assert permissions.available_steps(gongan_reviewer, application) == []


def a_docx():
    import io

    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@pytest.fixture
def township(county):
    return make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")


@pytest.fixture
def township_clerk(township):
    """Like the demo's lhz_clerk: the township's only staff member, clerk and reviewer."""
    return make_staff("township_clerk", township, Staff.Role.CLERK, Staff.Role.REVIEWER)


def test_nobody_approves_their_own_reply_the_county_office_approves_for_a_one_person_township(
    township, township_clerk, county_reviewer, gongan_reviewer, jiaoyu_clerk
):
    application = make_application(township, township_clerk)
    workflow.draft_reply(application, by=township_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    application.refresh_from_db()
    assert permissions.available_steps(township_clerk, application) == ["replace_letter", "withdraw"]
    assert permissions.available_steps(county_reviewer, application) == ["approve_reply", "return_reply"]
    for outsider in (gongan_reviewer, jiaoyu_clerk):
        assert permissions.available_steps(outsider, application) == []


def test_a_second_reviewer_of_the_township_approves_instead_of_the_county_office(
    township, township_clerk, county_reviewer
):
    colleague = make_staff("township_reviewer", township, Staff.Role.REVIEWER)
    application = make_application(township, township_clerk)
    workflow.draft_reply(application, by=township_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    application.refresh_from_db()
    assert permissions.available_steps(colleague, application) == ["approve_reply", "return_reply"]
    assert permissions.available_steps(county_reviewer, application) == []
    assert permissions.available_steps(township_clerk, application) == ["replace_letter", "withdraw"]


def test_who_replaced_the_letter_wrote_the_reply_too(gongan, gongan_clerk, gongan_reviewer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    both = make_staff("gongan_both", gongan, Staff.Role.CLERK, Staff.Role.REVIEWER)
    application = make_application(gongan, gongan_clerk)
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    assert permissions.can_approve(both, application)
    workflow.replace_letter(application, by=both, letter=SimpleUploadedFile("告知书.docx", a_docx()))
    assert permissions.reply_authors(application) == {gongan_clerk.pk, both.pk}
    assert not permissions.can_approve(both, application) and permissions.can_approve(gongan_reviewer, application)


def test_every_step_has_a_rule_and_every_rule_a_step_in_the_admin():
    from requests_app.admin import STEPS

    assert list(STEPS) == list(permissions.STEP_RULES)
