"""The review of a document as its people make it, in a real browser: the reviewer reads a submitted
document and its attachment, returns it with a comment; the clerk sees the comment, fixes and
resubmits; the reviewer publishes. Nobody here is a superuser.

Set E2E_SCREENSHOTS to a folder to keep screenshots of the pages at 1280 and 360 px."""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from disclosure.models import Attachment, Document
from disclosure.workflow import submit
from tests.e2e.conftest import login
from tests.factories import make_document, make_topic, pdf_bytes

SHOTS = os.environ.get("E2E_SCREENSHOTS")


def shoot(page, name):
    """A full-page screenshot at the page's width, and the same page at 360 px."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def step_form(page, button):
    return page.locator("form", has=page.get_by_role("button", name=button, exact=True))


@pytest.fixture
def submitted(settings, tmp_path, gongan, gongan_clerk):
    settings.MEDIA_ROOT = tmp_path
    make_topic()
    document = make_document(
        gongan, gongan_clerk, title="关于调整户籍业务窗口周六办公时间的通知",
        body="<h2>一、调整内容</h2><p>自2026年12月起，周六上午办理户籍业务。</p>",
    )
    Attachment.objects.create(
        document=document, file=ContentFile(pdf_bytes(), name="table.pdf"), original_name="户籍窗口办公时间表.pdf",
        kind="pdf", size=1,
    )
    return submit(document, by=gongan_clerk, note="请审核")


def test_reviewer_returns_the_clerk_fixes_and_the_reviewer_publishes(browser, live_server, submitted,
                                                                       gongan_reviewer, gongan_clerk):
    def person(username):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        login(page, username)
        return page

    # The reviewer finds it on the to-do home and opens it: the body as the public will read it.
    reviewer = person("gongan_reviewer")
    reviewer.get_by_role("link", name="关于调整户籍业务窗口周六办公时间的通知").first.click()
    reviewer.wait_for_url(f"**/admin/disclosure/document/{submitted.pk}/change/")
    reading = reviewer.locator("article.document-reading")
    assert reading.locator("h2").inner_text() == "一、调整内容"
    assert "&lt;h2&gt;" not in reading.inner_html()
    assert "请审核" in reviewer.content()  # the clerk's note, in the trail

    # ... and its attachment, in the browser.
    view = reviewer.get_by_role("link", name="在线查看")
    response = reviewer.request.get(view.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.body().startswith(b"%PDF")
    shoot(reviewer, "review-submitted")

    form = step_form(reviewer, "退回修改")
    form.locator("textarea").fill("请在正文中写明周六的具体办理时间。")
    form.get_by_role("button", name="退回修改").click()
    reviewer.wait_for_load_state()
    assert "已退回修改" in reviewer.content()
    assert Document.objects.get(pk=submitted.pk).status == Document.Status.RETURNED

    # The clerk sees it waiting, with the comment on top, fixes the text and resubmits.
    clerk = person("gongan_clerk")
    clerk.get_by_role("link", name="关于调整户籍业务窗口周六办公时间的通知").first.click()
    note = clerk.locator(".returned-note")
    assert "请在正文中写明周六的具体办理时间。" in note.inner_text()
    shoot(clerk, "clerk-returned")
    clerk.fill("#id_title", "关于调整户籍业务窗口周六办公时间（9:00—12:00）的通知")
    clerk.click("input[name=_continue]")
    clerk.wait_for_url(f"**/admin/disclosure/document/{submitted.pk}/change/")
    step_form(clerk, "提交审核").get_by_role("button", name="提交审核").click()
    clerk.wait_for_load_state()
    assert Document.objects.get(pk=submitted.pk).status == Document.Status.SUBMITTED
    assert clerk.locator(".returned-note").count() == 0

    # The reviewer publishes; the public can read it.
    reviewer.goto(f"/admin/disclosure/document/{submitted.pk}/change/")
    assert reviewer.locator(".returned-note").count() == 0
    step_form(reviewer, "审核通过并发布").get_by_role("button", name="审核通过并发布").click()
    reviewer.wait_for_load_state()
    document = Document.objects.get(pk=submitted.pk)
    assert document.status == Document.Status.PUBLISHED and document.index_number
    public = reviewer.request.get(f"/xxgk/documents/{document.pk}/")
    assert public.status == 200 and "9:00—12:00" in public.text()
    actors = list(document.events.values_list("action", "actor__username"))
    assert actors[-4:] == [("submit", "gongan_clerk"), ("return", "gongan_reviewer"), ("submit", "gongan_clerk"),
                           ("publish", "gongan_reviewer")]
