"""Staff appear by real name and organisation (张伟（县公安局）), not by username: in the admin
header, in every timeline's 操作人 column and in the user list."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import workflow as catalog_workflow
from disclosure import workflow as disclosure_workflow
from portal.admin import staff_display
from portal.demo import load_demo
from tests.factories import make_application, make_document, make_domain, make_guideline


@pytest.fixture
def named(gongan_clerk, gongan_reviewer, county_reviewer):
    """The cast with real names: 姓 in last_name, 名 in first_name."""
    for user, last, first in ((gongan_clerk, "张", "伟"), (gongan_reviewer, "李", "静"), (county_reviewer, "王", "晓燕")):
        user.last_name, user.first_name = last, first
        user.save()


def test_staff_are_shown_by_family_then_given_name_and_organisation(gongan_clerk):
    gongan_clerk.last_name, gongan_clerk.first_name = "张", "明"
    assert staff_display(gongan_clerk) == "张明（县公安局）"


def test_without_a_real_name_the_username_stands_in(gongan_clerk, citizen):
    assert staff_display(gongan_clerk) == "gongan_clerk（县公安局）"
    citizen.last_name = "陈静"
    assert staff_display(citizen) == "陈静"  # no organisation to name
    assert staff_display(None) == "—"


def test_admin_header_greets_staff_by_real_name_on_every_page(client, named, gongan_clerk):
    client.force_login(gongan_clerk)
    for url in ("/admin/", "/admin/disclosure/document/", "/admin/requests_app/application/"):
        content = client.get(url).content.decode()
        assert "欢迎，<strong>张伟（县公安局）</strong>" in content, url
        assert "gongan_clerk" not in content, url


def timeline_of_document(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk)
    disclosure_workflow.submit(document, by=gongan_clerk)
    disclosure_workflow.return_to_draft(document, by=gongan_reviewer, note="请补充附件")
    return f"/admin/disclosure/document/{document.pk}/change/"


def timeline_of_catalogue(gongan, gongan_clerk, gongan_reviewer):
    domain = make_domain()
    guideline = make_guideline(domain)
    catalogue = catalog_workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    catalog_workflow.submit(catalogue, by=gongan_clerk)
    catalog_workflow.first_review(catalogue, by=gongan_reviewer)
    return f"/admin/catalog/catalogue/{catalogue.pk}/change/"


def timeline_of_application(gongan, gongan_clerk, gongan_reviewer):
    from requests_app import workflow as requests_workflow

    application = make_application(gongan, gongan_clerk, arrived_on=timezone.localdate())
    requests_workflow.propose_extension(application, by=gongan_clerk, days=10, note="需要调取档案")
    requests_workflow.extend(application, by=gongan_reviewer)
    return f"/admin/requests_app/application/{application.pk}/change/"


def timeline_rows(content):
    """The rows of the page's read-only timeline inline (the last tabular inline on the page)."""
    table = content.rsplit('<fieldset class="module', 1)[1].split("</fieldset>", 1)[0]
    return [row for row in table.split("<tr")[1:] if "field-actor_name" in row]


@pytest.mark.parametrize("timeline", [timeline_of_document, timeline_of_catalogue, timeline_of_application])
def test_timelines_name_the_actor_by_real_name_and_organisation(client, named, timeline, gongan, gongan_clerk, gongan_reviewer):
    url = timeline(gongan, gongan_clerk, gongan_reviewer)
    client.force_login(gongan_reviewer)
    content = client.get(url).content.decode()

    rows = timeline_rows(content)
    assert rows and all('<td class="field-actor_name">' in row for row in rows)
    assert any("张伟（县公安局）" in row for row in rows)
    assert any("李静（县公安局）" in row for row in rows)
    assert "gongan_clerk" not in content and "gongan_reviewer" not in content


def test_online_application_received_without_an_actor_shows_a_dash(client, named, gongan, gongan_reviewer):
    application = make_application(gongan)  # online: nobody on staff received it
    client.force_login(gongan_reviewer)
    rows = timeline_rows(client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode())
    assert len(rows) == 1 and '<td class="field-actor_name">—</td>' in rows[0].replace("\n", "").replace("  ", "")


def test_timeline_queries_do_not_grow_with_its_rows(client, gongan, gongan_clerk, gongan_reviewer, django_assert_max_num_queries):
    document = make_document(gongan, gongan_clerk)
    url = f"/admin/disclosure/document/{document.pk}/change/"
    client.force_login(gongan_clerk)
    disclosure_workflow.submit(document, by=gongan_clerk)
    disclosure_workflow.return_to_draft(document, by=gongan_reviewer, note="请修改")
    with CaptureQueriesContext(connection) as few:  # a returned document's page, with three rows
        assert client.get(url).status_code == 200
    for _ in range(4):
        disclosure_workflow.submit(document, by=gongan_clerk)
        disclosure_workflow.return_to_draft(document, by=gongan_reviewer, note="请修改")
    with django_assert_max_num_queries(len(few)):
        content = client.get(url).content.decode()
    assert len(timeline_rows(content)) == 11


def test_user_list_shows_real_name_and_organisation(client, named, county_reviewer, gongan_clerk, jiaoyu_clerk):
    # The user list is for whoever holds Django's permission to view users; here the county office.
    county_reviewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(county_reviewer)
    content = client.get("/admin/auth/user/").content.decode()
    assert '<td class="field-real_name">张伟（县公安局）</td>' in content
    assert '<td class="field-real_name">jiaoyu_clerk（县教育局）</td>' in content


def test_every_demo_staff_member_has_a_real_name(db):
    load_demo()  # the demo county's organisations and people (the command adds the rest)
    staff = User.objects.filter(staff__isnull=False)
    assert staff.exists()
    assert not staff.filter(last_name="", first_name="").exists()
    assert staff_display(User.objects.get(username="gaj_clerk")) == "张伟（县公安局）"
    assert staff_display(User.objects.get(username="xfb_fuhe")) == "王晓燕（县政府办公室）"
