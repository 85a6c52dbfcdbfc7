"""条例第三十三条 through the back office: the clerk proposes, the head decides; a decision without a
proposal, or after the due date, is refused with the reason and nothing changes."""

import datetime

import time_machine

from requests_app import workflow


TZ = datetime.timezone(datetime.timedelta(hours=8))


def step_url(application, step):
    return f"/admin/requests_app/application/{application.pk}/step/{step}/"


def unchanged(application):
    application.refresh_from_db()
    return (application.extension_days, application.extension_proposed_days, application.due_date,
            list(application.events.values_list("pk", flat=True)), list(application.letters.values_list("pk", flat=True)))


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_agreeing_without_a_proposal_is_400_with_the_reason_and_nothing_changes(client, application, gongan_reviewer):
    before = unchanged(application)
    client.force_login(gongan_reviewer)

    response = client.post(step_url(application, "extend"), {"on": "2026-10-12", "note": "同意"})

    assert response.status_code == 400
    assert "没有待决定的延期申请：须先由经办人提出" in response.content.decode()
    assert unchanged(application) == before


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_the_clerk_proposes_the_head_sees_it_on_the_to_do_home_and_agrees(client, application, gongan_clerk, gongan_reviewer):
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "propose_extension"), {"days": "21", "note": "需调取档案"})
    assert response.status_code == 400 and "延长的期限最长不得超过20个工作日" in response.content.decode()
    assert "需调取档案" in response.content.decode()  # what was typed is kept
    assert client.post(step_url(application, "propose_extension"), {"days": "10", "note": "需调取档案"}).status_code == 302

    client.force_login(gongan_reviewer)
    home = client.get("/admin/").content.decode()
    assert "待决定的延期申请" in home and application.tracking_number in home
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "需调取档案" in page and step_url(application, "extend") in page
    assert client.post(step_url(application, "extend"), {"on": "2026-10-12", "note": ""}).status_code == 302
    application.refresh_from_db()
    assert application.extension_days == 10 and application.due_date == datetime.date(2026, 11, 13)
    letter = application.letters.get(kind="extension")
    assert letter.number in client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()


def test_agreeing_after_the_due_date_is_refused_and_the_proposal_stays(client, application, gongan_clerk, gongan_reviewer):
    with time_machine.travel(datetime.datetime(2026, 10, 29, 10, 0, tzinfo=TZ)):
        workflow.propose_extension(application, by=gongan_clerk, days=10, note="需协调")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)):
        before = unchanged(application)
        client.force_login(gongan_reviewer)
        response = client.post(step_url(application, "extend"), {"on": "2026-11-02", "note": ""})
        assert response.status_code == 400
        assert "答复期限已于2026年10月30日届满，不能再延长" in response.content.decode()
        assert unchanged(application) == before
