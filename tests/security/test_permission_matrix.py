"""The permission matrix (issue 19): every admin and API action × every role × own and other
organisation, as one table. Each row names the action, how to perform it and who may; the test
performs it for every role through the real URL and checks the status, and for writes that the
object changed when allowed and did not when refused. A model registered in the admin or an API
endpoint without a row fails the test: the table is the whole surface."""

import dataclasses
import datetime
from typing import Callable

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import FileField
from django.urls import get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog import workflow as catalog_workflow
from catalog.models import Catalogue, CatalogueItem
from disclosure import reports
from disclosure import workflow as document_workflow
from disclosure.models import AnnualReport, Attachment, Document, GazetteIssue, Guide, Topic
from portal import security_log
from portal.models import ApiToken, CalendarDay, LoginAttempt, Organisation, SecurityEvent, Staff
from requests_app import workflow as application_workflow
from requests_app.models import Application, FeeSchedule, LetterTemplate, PersonalDataAccess, ReplySettings, ReplyType
from tests.factories import (
    make_application, make_document, make_domain, make_guideline, make_published_catalogue, make_staff, make_topic,
    make_totp_device, pdf_bytes, publish_document,
)

from .conftest import ROLE_USERS, ROLES, Cast, client_for, once_per_module

# One more person: 县公安局's chief, clerk and reviewer at once, who submits the things below that
# wait for review; the rows on them prove that nobody approves their own submission.
ROLES = (*ROLES, "own_submitter")
ROLE_USERS = {**ROLE_USERS, "own_submitter": "gongan_chief"}
# And two sessions signed in by the password alone, without the second factor their users must have:
# 县公安局's reviewer (who has an authenticator, but this session never gave its code) and a county-office
# clerk who never bound one. The admin refuses both everything; the public API is theirs as anyone's.
UNVERIFIED = {"unverified_reviewer", "unverified_county"}
ROLES = (*ROLES, *sorted(UNVERIFIED))
ROLE_USERS = {**ROLE_USERS, "unverified_reviewer": "gongan_reviewer", "unverified_county": "county_unenrolled"}

STAFF = {"own_clerk", "other_clerk", "own_reviewer", "other_reviewer", "county_clerk", "county_reviewer", "own_submitter"}
COUNTY = {"county_clerk", "county_reviewer"}
OWN_VIEWERS = {"own_clerk", "own_reviewer", "own_submitter", *COUNTY}
OWN_CLERKS = {"own_clerk", "own_submitter"}
CLERKS = {"own_clerk", "other_clerk", "county_clerk", "own_submitter"}
EVERYONE = set(ROLES)
TOKENS = {"own_token", "other_token"}
NOBODY = set()


class World(Cast):
    """县公安局's objects in every state a step applies to, each waiting for the step the rows take."""

    def __init__(self):
        super().__init__()
        self.gongan_chief = make_staff("gongan_chief", self.gongan, Staff.Role.CLERK, Staff.Role.REVIEWER)
        self.county_unenrolled = make_staff(
            "county_unenrolled", self.county_office, Staff.Role.COUNTY_OFFICE, Staff.Role.CLERK
        )
        make_totp_device(self.gongan_reviewer)  # bound; "unverified_reviewer" signs in without it
        clerk, reviewer, chief = self.gongan_clerk, self.gongan_reviewer, self.gongan_chief
        topic = make_topic()
        self.topic = topic
        # Catalogues: three domains, one open version each (one open review per organisation and domain).
        domains = [make_domain(f"领域{n}", f"domain-{n}", 30 + n) for n in range(4)]
        for domain in domains:
            make_guideline(domain)
        self.domain = domains[0]
        self.catalogue_draft = catalog_workflow.start_catalogue(
            self.gongan, domains[0], by=clerk, guideline_items=domains[0].catalogues.get().items.filter(parent__isnull=False)
        )
        self.catalogue_item = self.catalogue_draft.items.filter(parent__isnull=False).first()
        self.catalogue_submitted = self._catalogue(domains[1], by=chief)
        self.catalogue_first_reviewed = self._catalogue(domains[2], by=clerk)
        catalog_workflow.first_review(self.catalogue_first_reviewed, by=reviewer)
        self.catalogue_published = make_published_catalogue(
            self.gongan, domains[3], clerk=clerk, reviewer=reviewer, county_reviewer=self.county_reviewer
        )
        # Documents.
        self.document_draft = make_document(self.gongan, clerk, title="草稿：关于户籍窗口调整的通知", body="<p>草稿</p>")
        self.attachment = Attachment.objects.create(
            document=self.document_draft, file=ContentFile(pdf_bytes(), name="a.pdf"), original_name="附件.pdf",
            kind="pdf", size=100, position=0,
        )
        self.document_deletable = Document.objects.create(
            title="未提交的草稿", organisation=self.gongan, topic=topic, written_date=datetime.date(2026, 11, 2),
            created_by=clerk,
        )
        self.document_submitted = document_workflow.submit(
            make_document(self.gongan, chief, title="待审核：关于户籍业务的通知"), by=chief
        )
        self.document_published = publish_document(make_document(self.gongan, clerk, title="已发布：户籍办理须知"), clerk, reviewer)
        self.document_withheld = publish_document(
            make_document(self.gongan, clerk, title="不予公开：内部研究稿", attribute="withheld"), clerk, reviewer
        )
        self.document_pushed = document_workflow.create(
            Document(title="推送的草稿", organisation=self.gongan, topic=topic, attribute="proactive", written_date=datetime.date(2026, 11, 20)),
            by=ApiToken.objects.get(organisation=self.gongan).user,
        )
        self.guide = Guide.objects.create(organisation=self.gongan, body="<p>指南</p>")
        self.gazette = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=False)
        self.gazette.pdf.save("g.pdf", ContentFile(pdf_bytes()), save=False)
        self.gazette.save()
        self.calendar_day = CalendarDay.objects.create(date=datetime.date(2027, 5, 6), is_working_day=False, note="调休")
        # Applications: one from the online form waiting to be registered, one whose reply the chief drafted.
        self.application_received = make_application(self.gongan, None, arrived_on=datetime.date(2026, 11, 30))
        self.application_drafted = make_application(self.gongan, clerk, arrived_on=datetime.date(2026, 11, 2))
        application_workflow.draft_reply(
            self.application_drafted, by=chief, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表"
        )
        self.letter = self.application_drafted.letters.first()
        self.reply_settings = ReplySettings.objects.get_or_create(organisation=self.gongan)[0]
        self.fee_schedule = FeeSchedule.objects.first() or FeeSchedule.objects.create(name="标准", is_active=True)
        # Annual reports for 2025: a draft, one the chief submitted, one published.
        self.report_draft = reports.update(reports.start(self.gongan, 2025, by=clerk), by=clerk, overview="总体情况")
        self.report_submitted = reports.submit(
            reports.update(reports.start(self.jiaoyu, 2025, by=self.jiaoyu_clerk), by=self.jiaoyu_clerk, overview="总体情况"),
            by=self.jiaoyu_clerk,
        )
        self.group = Group.objects.create(name="编辑组")
        self.token = ApiToken.objects.get(organisation=self.gongan)
        # The logs: a lock-out of 县公安局's clerk, a security event, a look at an applicant's data.
        self.lockout = LoginAttempt.objects.create(
            username="gongan_clerk", ip_address="203.0.113.9", failures_since_start=settings.AXES_FAILURE_LIMIT,
            user_agent="test", http_accept="*/*", path_info="/admin/login/", get_data="", post_data="",
        )
        self.security_event = security_log.record("login_failed", username="gongan_clerk")
        self.personal_data_access = PersonalDataAccess.objects.create(
            user=self.gongan_clerk, application=self.application_drafted, what=PersonalDataAccess.What.VIEWED,
        )
        self.clients = {role: client_for(self, role, ROLE_USERS, second_factor=role not in UNVERIFIED) for role in ROLES}
        self.root = client_for(self, "root", {"root": "superuser"})
        self.clients["superuser"] = self.root
        self.form_data = {}  # url -> what its admin form sends back unchanged, read once

    def _catalogue(self, domain, *, by):
        guideline = domain.catalogues.get(is_guideline=True)
        catalogue = catalog_workflow.start_catalogue(
            self.gongan, domain, by=by, guideline_items=guideline.items.filter(parent__isnull=False)
        )
        return catalog_workflow.submit(catalogue, by=by)


world = once_per_module(World)


# ---------------------------------------------------------------- performing a row


def admin_form_data(w, url):
    """What the admin's add or change form at `url` would send back unchanged (read once, as the
    superuser): every field's current value and every inline's management form."""
    if url not in w.form_data:
        w.form_data[url] = _read_form(w.root, url)
    return dict(w.form_data[url])


def _read_form(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False or isinstance(field, FileField):
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    return data


@dataclasses.dataclass
class Row:
    name: str
    method: str
    url: Callable
    allowed: set
    data: Callable | None = None  # (world) -> POST/PATCH body
    state: Callable | None = None  # (world) -> what a write changes, read from the database
    json: bool = False
    models: tuple = ()  # the admin models (or API URL names) this row covers
    superuser: bool | None = None  # whether the superuser may too (None: not a case of this row)


def get(name, url, allowed, covers=(), superuser=None):
    return Row(name, "get", url, allowed, models=covers, superuser=superuser)


def post(name, url, allowed, state, data=lambda w: {}, covers=(), json=False, superuser=None):
    return Row(name, "post", url, allowed, data, state, json=json, models=covers, superuser=superuser)


def action(name, url, allowed, state, action_name, selected, superuser=None):
    """A changelist action on the objects `selected(w)` (a list of primary keys)."""
    return post(name, url, allowed, state, superuser=superuser, data=lambda w: {
        "action": action_name, "_selected_action": [str(pk) for pk in selected(w)], "index": "0",
    })


def changed_form(url, **changes):
    """The admin form at url(w) as it is, with `changes` made (each a value or a function of w)."""
    def data(w):
        values = admin_form_data(w, url(w))
        values.update({key: value(w) if callable(value) else value for key, value in changes.items()})
        return values
    return data


def field(model, pk, *names):
    return lambda w: tuple(model.objects.filter(pk=pk(w)).values_list(*names).first() or ())


A = "/admin"
doc_step = lambda attr, step: lambda w: f"{A}/disclosure/document/{getattr(w, attr).pk}/step/{step}/"  # noqa: E731
cat_step = lambda attr, step: lambda w: f"{A}/catalog/catalogue/{getattr(w, attr).pk}/step/{step}/"  # noqa: E731
app_step = lambda attr, step: lambda w: f"{A}/requests_app/application/{getattr(w, attr).pk}/step/{step}/"  # noqa: E731
report_step = lambda attr, step: lambda w: f"{A}/disclosure/annualreport/{getattr(w, attr).pk}/step/{step}/"  # noqa: E731
status_of = lambda model, attr: field(model, lambda w: getattr(w, attr).pk, "status")  # noqa: E731
state_of = lambda model, attr: field(model, lambda w: getattr(w, attr).pk, "state")  # noqa: E731
PUSH = "/api/v1/push/documents/"

ROWS = [
    # --- the admin home and the county office's dashboard
    get("admin home", lambda w: f"{A}/", STAFF | {"orgless_staff"}),
    get("oversight dashboard", lambda w: f"{A}/oversight/", COUNTY),
    # --- auth: Django's own model permissions, which no back-office role holds
    get("group list", lambda w: f"{A}/auth/group/", NOBODY, covers=(Group,)),
    post("group change", lambda w: f"{A}/auth/group/{w.group.pk}/change/", NOBODY,
         field(Group, lambda w: w.group.pk, "name"), lambda w: {"name": "改名"}),
    # --- accounts: the county office reads them and resets a lost authenticator; changing one stays
    # with Django's own permissions (the superuser)
    get("user list", lambda w: f"{A}/auth/user/", COUNTY, covers=(User,), superuser=True),
    get("user view", lambda w: f"{A}/auth/user/{w.gongan_reviewer.pk}/change/", COUNTY, superuser=True),
    post("user change (make oneself superuser)", lambda w: f"{A}/auth/user/{w.gongan_clerk.pk}/change/", NOBODY,
         field(User, lambda w: w.gongan_clerk.pk, "is_superuser"),
         lambda w: {"username": "gongan_clerk", "is_superuser": "on", "is_staff": "on", "is_active": "on"}),
    action("user reset second factor", lambda w: f"{A}/auth/user/", COUNTY,
           lambda w: TOTPDevice.objects.filter(user=w.gongan_reviewer).count(), "reset_second_factor",
           lambda w: [w.gongan_reviewer.pk], superuser=True),
    # --- organisations: a clerk keeps their own's contact data; the county office all
    get("organisation list", lambda w: f"{A}/portal/organisation/", STAFF, covers=(Organisation,)),
    get("organisation add", lambda w: f"{A}/portal/organisation/add/", COUNTY),
    get("organisation view", lambda w: f"{A}/portal/organisation/{w.gongan.pk}/change/", OWN_VIEWERS),
    post("organisation change phone", lambda w: f"{A}/portal/organisation/{w.gongan.pk}/change/", OWN_CLERKS | COUNTY,
         field(Organisation, lambda w: w.gongan.pk, "phone"),
         changed_form(lambda w: f"{A}/portal/organisation/{w.gongan.pk}/change/", phone="0539-7900999")),
    post("organisation delete", lambda w: f"{A}/portal/organisation/{w.jiaoyu.pk}/delete/", NOBODY,
         field(Organisation, lambda w: w.jiaoyu.pk, "pk"), lambda w: {"post": "yes"}),
    # --- the working-day calendar: the county office's
    get("calendar list", lambda w: f"{A}/portal/calendarday/", STAFF, covers=(CalendarDay,)),
    get("calendar import notice", lambda w: f"{A}/portal/calendarday/import-notice/", COUNTY),
    post("calendar add", lambda w: f"{A}/portal/calendarday/add/", COUNTY,
         lambda w: CalendarDay.objects.filter(date=datetime.date(2027, 5, 7)).exists(),
         lambda w: {"date": "2027-05-07", "note": "调休"}),
    post("calendar change", lambda w: f"{A}/portal/calendarday/{w.calendar_day.pk}/change/", COUNTY,
         field(CalendarDay, lambda w: w.calendar_day.pk, "note"),
         lambda w: {"date": "2027-05-06", "note": "劳动节调休"}),
    post("calendar delete", lambda w: f"{A}/portal/calendarday/{w.calendar_day.pk}/delete/", COUNTY,
         field(CalendarDay, lambda w: w.calendar_day.pk, "pk"), lambda w: {"post": "yes"}),
    # --- push API tokens: the county office creates and revokes; nobody edits or deletes
    get("token list", lambda w: f"{A}/portal/apitoken/", COUNTY, covers=(ApiToken,)),
    post("token create", lambda w: f"{A}/portal/apitoken/add/", COUNTY, lambda w: ApiToken.objects.count(),
         lambda w: {"name": "新系统", "organisation": str(w.gongan.pk)}),
    post("token revoke", lambda w: f"{A}/portal/apitoken/", COUNTY,
         field(ApiToken, lambda w: w.token.pk, "revoked_at"),
         lambda w: {"action": "revoke", "_selected_action": [str(w.token.pk)], "index": "0"}),
    post("token delete", lambda w: f"{A}/portal/apitoken/{w.token.pk}/delete/", NOBODY,
         field(ApiToken, lambda w: w.token.pk, "pk"), lambda w: {"post": "yes"}),
    # --- the logs: the county office reads them (and unlocks, and exports the security log); nobody
    # adds, changes or deletes a row, the superuser included
    get("lock-out list", lambda w: f"{A}/portal/loginattempt/", COUNTY, covers=(LoginAttempt,), superuser=True),
    get("lock-out view", lambda w: f"{A}/portal/loginattempt/{w.lockout.pk}/change/", COUNTY, superuser=True),
    get("lock-out add", lambda w: f"{A}/portal/loginattempt/add/", NOBODY, superuser=False),
    post("lock-out change", lambda w: f"{A}/portal/loginattempt/{w.lockout.pk}/change/", NOBODY,
         field(LoginAttempt, lambda w: w.lockout.pk, "username", "failures_since_start"),
         lambda w: {"username": "someone_else", "failures_since_start": "0"}, superuser=False),
    post("lock-out delete", lambda w: f"{A}/portal/loginattempt/{w.lockout.pk}/delete/", NOBODY,
         field(LoginAttempt, lambda w: w.lockout.pk, "pk"), lambda w: {"post": "yes"}, superuser=False),
    action("lock-out unlock username", lambda w: f"{A}/portal/loginattempt/", COUNTY,
           lambda w: LoginAttempt.objects.filter(username="gongan_clerk").exists(), "unlock_usernames",
           lambda w: [w.lockout.pk], superuser=True),
    action("lock-out unlock address", lambda w: f"{A}/portal/loginattempt/", COUNTY,
           lambda w: LoginAttempt.objects.filter(ip_address="203.0.113.9").exists(), "unlock_addresses",
           lambda w: [w.lockout.pk], superuser=True),
    get("security log list", lambda w: f"{A}/portal/securityevent/", COUNTY, covers=(SecurityEvent,), superuser=True),
    get("security log view", lambda w: f"{A}/portal/securityevent/{w.security_event.pk}/change/", COUNTY,
        superuser=True),
    get("security log add", lambda w: f"{A}/portal/securityevent/add/", NOBODY, superuser=False),
    post("security log change", lambda w: f"{A}/portal/securityevent/{w.security_event.pk}/change/", NOBODY,
         field(SecurityEvent, lambda w: w.security_event.pk, "kind", "username"),
         lambda w: {"kind": "login", "username": "someone_else", "detail": "{}"}, superuser=False),
    post("security log delete", lambda w: f"{A}/portal/securityevent/{w.security_event.pk}/delete/", NOBODY,
         field(SecurityEvent, lambda w: w.security_event.pk, "pk"), lambda w: {"post": "yes"}, superuser=False),
    action("security log export csv", lambda w: f"{A}/portal/securityevent/", COUNTY,
           lambda w: SecurityEvent.objects.filter(kind="export", detail__format="csv").count(), "export_csv",
           lambda w: [w.security_event.pk], superuser=True),
    action("security log export xlsx", lambda w: f"{A}/portal/securityevent/", COUNTY,
           lambda w: SecurityEvent.objects.filter(kind="export", detail__format="xlsx").count(), "export_xlsx",
           lambda w: [w.security_event.pk], superuser=True),
    # --- domains and topics: fixed lists
    get("domain list", lambda w: f"{A}/catalog/domain/", STAFF, covers=(Catalogue.domain.field.related_model,)),
    post("domain change", lambda w: f"{A}/catalog/domain/{w.domain.pk}/change/", COUNTY,
         field(Catalogue.domain.field.related_model, lambda w: w.domain.pk, "name"),
         changed_form(lambda w: f"{A}/catalog/domain/{w.domain.pk}/change/", name="改名的领域")),
    get("domain add", lambda w: f"{A}/catalog/domain/add/", NOBODY),
    get("topic list", lambda w: f"{A}/disclosure/topic/", STAFF, covers=(Topic,)),
    post("topic change", lambda w: f"{A}/disclosure/topic/{w.topic.pk}/change/", NOBODY,
         field(Topic, lambda w: w.topic.pk, "name"), lambda w: {"code": "0103", "name": "改名"}),
    # --- catalogues: own organisation's clerks compile, its reviewer 初审, the county office 复核
    get("catalogue list", lambda w: f"{A}/catalog/catalogue/", STAFF, covers=(Catalogue,)),
    get("catalogue view", lambda w: f"{A}/catalog/catalogue/{w.catalogue_draft.pk}/change/", OWN_VIEWERS),
    get("catalogue export", lambda w: f"{A}/catalog/catalogue/{w.catalogue_draft.pk}/export.xlsx", OWN_VIEWERS),
    get("catalogue start", lambda w: f"{A}/catalog/catalogue/start/", CLERKS),
    get("catalogue import", lambda w: f"{A}/catalog/catalogue/import/", CLERKS),
    get("catalogue add", lambda w: f"{A}/catalog/catalogue/add/", NOBODY),
    post("catalogue submit", cat_step("catalogue_draft", "submit"), OWN_CLERKS, state_of(Catalogue, "catalogue_draft")),
    post("catalogue first review of the chief's submission", cat_step("catalogue_submitted", "first-review"),
         {"own_reviewer"}, state_of(Catalogue, "catalogue_submitted")),
    post("catalogue reject", cat_step("catalogue_submitted", "reject"), {"own_reviewer"},
         state_of(Catalogue, "catalogue_submitted"), lambda w: {"comment": "请补充"}),
    post("catalogue approve", cat_step("catalogue_first_reviewed", "approve"), COUNTY,
         state_of(Catalogue, "catalogue_first_reviewed")),
    post("catalogue revise", cat_step("catalogue_published", "revise"), OWN_CLERKS,
         lambda w: Catalogue.objects.filter(organisation=w.gongan, domain=w.catalogue_published.domain).count()),
    # --- catalogue items: only in an editable version, by its organisation's clerks
    get("catalogue item list", lambda w: f"{A}/catalog/catalogueitem/", STAFF, covers=(CatalogueItem,)),
    get("catalogue item add", lambda w: f"{A}/catalog/catalogueitem/add/", CLERKS),
    post("catalogue item change", lambda w: f"{A}/catalog/catalogueitem/{w.catalogue_item.pk}/change/", OWN_CLERKS,
         field(CatalogueItem, lambda w: w.catalogue_item.pk, "owner"),
         changed_form(lambda w: f"{A}/catalog/catalogueitem/{w.catalogue_item.pk}/change/", owner="县公安局户政科")),
    post("catalogue item delete", lambda w: f"{A}/catalog/catalogueitem/{w.catalogue_item.pk}/delete/", OWN_CLERKS,
         field(CatalogueItem, lambda w: w.catalogue_item.pk, "pk"), lambda w: {"post": "yes"}),
    # --- documents: own clerks write and submit, a reviewer other than the submitter publishes
    get("document list", lambda w: f"{A}/disclosure/document/", STAFF, covers=(Document,)),
    get("document add", lambda w: f"{A}/disclosure/document/add/", CLERKS),
    get("document timeliness", lambda w: f"{A}/disclosure/document/timeliness/", STAFF),
    get("document view", lambda w: f"{A}/disclosure/document/{w.document_draft.pk}/change/", OWN_VIEWERS),
    get("document history", lambda w: f"{A}/disclosure/document/{w.document_draft.pk}/history/", OWN_VIEWERS),
    get("document attachment", lambda w: f"{A}/disclosure/document/{w.document_draft.pk}/attachment/{w.attachment.pk}/",
        OWN_VIEWERS),
    post("document change title", lambda w: f"{A}/disclosure/document/{w.document_draft.pk}/change/", OWN_CLERKS,
         field(Document, lambda w: w.document_draft.pk, "title"),
         changed_form(lambda w: f"{A}/disclosure/document/{w.document_draft.pk}/change/", title="改过的标题")),
    post("document delete draft", lambda w: f"{A}/disclosure/document/{w.document_deletable.pk}/delete/",
         OWN_CLERKS, field(Document, lambda w: w.document_deletable.pk, "pk"), lambda w: {"post": "yes"}),
    post("document delete a published one", lambda w: f"{A}/disclosure/document/{w.document_published.pk}/delete/",
         NOBODY, field(Document, lambda w: w.document_published.pk, "pk"), lambda w: {"post": "yes"}),
    post("document submit", doc_step("document_draft", "submit"), OWN_CLERKS, status_of(Document, "document_draft")),
    post("document publish the chief's submission", doc_step("document_submitted", "publish"), {"own_reviewer"},
         status_of(Document, "document_submitted")),
    post("document return", doc_step("document_submitted", "return"), {"own_reviewer"},
         status_of(Document, "document_submitted"), lambda w: {"note": "请补充"}),
    post("document withdraw", doc_step("document_published", "withdraw"), {"own_clerk", "own_reviewer", "own_submitter"},
         status_of(Document, "document_published"), lambda w: {"note": "发布有误"}),
    post("document validity", doc_step("document_published", "validity"), {"own_clerk", "own_reviewer", "own_submitter"},
         field(Document, lambda w: w.document_published.pk, "validity"), lambda w: {"validity": "repealed"}),
    post("document assess withheld", doc_step("document_withheld", "assess"), {"own_reviewer", "own_submitter"},
         field(Document, lambda w: w.document_withheld.pk, "attribute"),
         lambda w: {"outcome": "disclose", "note": "已不再属于过程性信息"}),
    # --- guides: each organisation's own; the county office all
    get("guide list", lambda w: f"{A}/disclosure/guide/", STAFF, covers=(Guide,)),
    post("guide change", lambda w: f"{A}/disclosure/guide/{w.guide.pk}/change/", OWN_CLERKS | COUNTY,
         field(Guide, lambda w: w.guide.pk, "body"),
         changed_form(lambda w: f"{A}/disclosure/guide/{w.guide.pk}/change/", body="<p>新指南</p>")),
    post("guide delete", lambda w: f"{A}/disclosure/guide/{w.guide.pk}/delete/", NOBODY,
         field(Guide, lambda w: w.guide.pk, "pk"), lambda w: {"post": "yes"}),
    # --- the gazette: the county office's
    get("gazette list", lambda w: f"{A}/disclosure/gazetteissue/", COUNTY, covers=(GazetteIssue,)),
    get("gazette pdf", lambda w: f"{A}/disclosure/gazetteissue/{w.gazette.pk}/pdf/", COUNTY),
    post("gazette publish", lambda w: f"{A}/disclosure/gazetteissue/{w.gazette.pk}/change/", COUNTY,
         field(GazetteIssue, lambda w: w.gazette.pk, "is_published"),
         changed_form(lambda w: f"{A}/disclosure/gazetteissue/{w.gazette.pk}/change/", is_published="on")),
    post("gazette delete", lambda w: f"{A}/disclosure/gazetteissue/{w.gazette.pk}/delete/", NOBODY,
         field(GazetteIssue, lambda w: w.gazette.pk, "pk"), lambda w: {"post": "yes"}),
    # --- annual reports: own clerks write, a reviewer other than the submitter publishes
    get("report list", lambda w: f"{A}/disclosure/annualreport/", STAFF, covers=(AnnualReport,)),
    get("report view", lambda w: f"{A}/disclosure/annualreport/{w.report_draft.pk}/change/", OWN_VIEWERS),
    post("report submit", report_step("report_draft", "submit"), OWN_CLERKS, status_of(AnnualReport, "report_draft")),
    post("report publish (县教育局's)", report_step("report_submitted", "publish"), {"other_reviewer"},
         status_of(AnnualReport, "report_submitted")),
    post("report return (县教育局's)", report_step("report_submitted", "return"), {"other_reviewer"},
         status_of(AnnualReport, "report_submitted"), lambda w: {"note": "请补充"}),
    # --- applications: the applicant's personal data only to the receiving organisation and the county office
    get("application list", lambda w: f"{A}/requests_app/application/", STAFF, covers=(Application,)),
    get("application add", lambda w: f"{A}/requests_app/application/add/", CLERKS),
    get("application view", lambda w: f"{A}/requests_app/application/{w.application_drafted.pk}/change/", OWN_VIEWERS),
    get("application letter", lambda w: f"{A}/requests_app/application/{w.application_drafted.pk}/letter/{w.letter.pk}/",
        OWN_VIEWERS),
    post("application register", app_step("application_received", "register"), OWN_CLERKS,
         state_of(Application, "application_received")),
    post("application approve the chief's reply", app_step("application_drafted", "approve_reply"), {"own_reviewer"},
         state_of(Application, "application_drafted")),
    post("application return the chief's reply", app_step("application_drafted", "return_reply"), {"own_reviewer"},
         state_of(Application, "application_drafted"), lambda w: {"note": "请修改"}),
    post("application delete", lambda w: f"{A}/requests_app/application/{w.application_received.pk}/delete/", NOBODY,
         field(Application, lambda w: w.application_received.pk, "pk"), lambda w: {"post": "yes"}),
    get("application reset query code page", lambda w: f"{A}/requests_app/application/{w.application_drafted.pk}/reset-query-code/",
        COUNTY, superuser=True),
    post("application reset query code", lambda w: f"{A}/requests_app/application/{w.application_drafted.pk}/reset-query-code/",
         COUNTY, field(Application, lambda w: w.application_drafted.pk, "query_code_hash"), superuser=True),
    # --- who looked at an applicant's personal data: the county office reads it; nobody writes it
    get("personal data access list", lambda w: f"{A}/requests_app/personaldataaccess/", COUNTY,
        covers=(PersonalDataAccess,), superuser=True),
    get("personal data access of one application",
        lambda w: f"{A}/requests_app/personaldataaccess/?application__id__exact={w.application_drafted.pk}", COUNTY,
        superuser=True),
    get("personal data access view", lambda w: f"{A}/requests_app/personaldataaccess/{w.personal_data_access.pk}/change/",
        COUNTY, superuser=True),
    get("personal data access add", lambda w: f"{A}/requests_app/personaldataaccess/add/", NOBODY, superuser=False),
    post("personal data access change",
         lambda w: f"{A}/requests_app/personaldataaccess/{w.personal_data_access.pk}/change/", NOBODY,
         field(PersonalDataAccess, lambda w: w.personal_data_access.pk, "detail", "what"),
         lambda w: {"what": "file", "detail": "改过", "user": str(w.gongan_clerk.pk),
                    "application": str(w.application_drafted.pk)}, superuser=False),
    post("personal data access delete",
         lambda w: f"{A}/requests_app/personaldataaccess/{w.personal_data_access.pk}/delete/", NOBODY,
         field(PersonalDataAccess, lambda w: w.personal_data_access.pk, "pk"), lambda w: {"post": "yes"},
         superuser=False),
    # --- reply settings, fees and letter templates: the county office's
    get("reply settings list", lambda w: f"{A}/requests_app/replysettings/", COUNTY, covers=(ReplySettings,)),
    post("reply settings change", lambda w: f"{A}/requests_app/replysettings/{w.reply_settings.pk}/change/", COUNTY,
         field(ReplySettings, lambda w: w.reply_settings.pk, "letter_code"),
         changed_form(lambda w: f"{A}/requests_app/replysettings/{w.reply_settings.pk}/change/", letter_code="青公")),
    get("fee schedule list", lambda w: f"{A}/requests_app/feeschedule/", COUNTY, covers=(FeeSchedule,)),
    get("fee schedule add", lambda w: f"{A}/requests_app/feeschedule/add/", COUNTY),
    get("letter template list", lambda w: f"{A}/requests_app/lettertemplate/", COUNTY, covers=(LetterTemplate,)),
    get("letter template add", lambda w: f"{A}/requests_app/lettertemplate/add/", COUNTY),
    get("letter template shipped", lambda w: f"{A}/requests_app/lettertemplate/shipped/reply/", COUNTY),
    # --- the public API: the same for everyone, and never more than the public sees
    get("api index", lambda w: "/api/v1/", EVERYONE, covers=("index",)),
    get("api schema", lambda w: "/api/schema/", EVERYONE),
    get("api organisations", lambda w: "/api/v1/organisations/", EVERYONE, covers=("organisation-list",)),
    get("api organisation", lambda w: f"/api/v1/organisations/{w.gongan.pk}/", EVERYONE, covers=("organisation-detail",)),
    get("api domains", lambda w: "/api/v1/domains/", EVERYONE, covers=("domain-list",)),
    get("api domain", lambda w: f"/api/v1/domains/{w.domain.slug}/", EVERYONE, covers=("domain-detail",)),
    get("api catalogues", lambda w: "/api/v1/catalogues/", EVERYONE, covers=("catalogue-list",)),
    get("api catalogue", lambda w: f"/api/v1/catalogues/{w.catalogue_published.pk}/", EVERYONE, covers=("catalogue-detail",)),
    get("api draft catalogue", lambda w: f"/api/v1/catalogues/{w.catalogue_draft.pk}/", NOBODY),
    get("api catalogue items", lambda w: "/api/v1/catalogue-items/", EVERYONE, covers=("catalogue-item-list",)),
    get("api catalogue item", lambda w: f"/api/v1/catalogue-items/{w.catalogue_published.items.first().pk}/", EVERYONE,
        covers=("catalogue-item-detail",)),
    get("api draft catalogue item", lambda w: f"/api/v1/catalogue-items/{w.catalogue_item.pk}/", NOBODY),
    get("api documents", lambda w: "/api/v1/documents/", EVERYONE, covers=("document-list",)),
    get("api document", lambda w: f"/api/v1/documents/{w.document_published.pk}/", EVERYONE, covers=("document-detail",)),
    get("api draft document", lambda w: f"/api/v1/documents/{w.document_draft.pk}/", NOBODY),
    get("api withheld document", lambda w: f"/api/v1/documents/{w.document_withheld.pk}/", NOBODY),
    get("api gazette issues", lambda w: "/api/v1/gazette-issues/", EVERYONE, covers=("gazette-issue-list",)),
    get("api unpublished gazette issue", lambda w: f"/api/v1/gazette-issues/{w.gazette.pk}/", NOBODY,
        covers=("gazette-issue-detail",)),
    get("api annual reports", lambda w: "/api/v1/annual-reports/", EVERYONE, covers=("annual-report-list",)),
    get("api draft annual report", lambda w: f"/api/v1/annual-reports/{w.report_draft.pk}/", NOBODY,
        covers=("annual-report-detail",)),
    get("api changes", lambda w: "/api/v1/changes/", EVERYONE, covers=("change-list",)),
    # --- the push API: a token, for its own organisation's pushed drafts only
    get("push list", lambda w: PUSH, TOKENS, covers=("push-document-list",)),
    get("push detail", lambda w: f"{PUSH}{w.document_pushed.pk}/", {"own_token"}, covers=("push-document-detail",)),
    get("push detail of a back-office draft", lambda w: f"{PUSH}{w.document_draft.pk}/", NOBODY),
    post("push create", lambda w: PUSH, TOKENS, lambda w: Document.objects.count(), json=True,
         data=lambda w: {"title": "推送的新通知", "written_date": "2026-11-20", "topic": "0103", "attribute": "proactive"}),
    Row("push edit", "patch", lambda w: f"{PUSH}{w.document_pushed.pk}/", {"own_token"},
        lambda w: {"title": "推送后改的标题"}, field(Document, lambda w: w.document_pushed.pk, "title"), json=True),
    Row("push edit a back-office draft", "patch", lambda w: f"{PUSH}{w.document_draft.pk}/", NOBODY,
        lambda w: {"title": "推送后改的标题"}, field(Document, lambda w: w.document_draft.pk, "title"), json=True),
    post("push attachment", lambda w: f"{PUSH}{w.document_pushed.pk}/attachments/", {"own_token"},
         lambda w: Attachment.objects.filter(document=w.document_pushed).count(), covers=("push-document-attachments",),
         data=lambda w: {"file": SimpleUploadedFile("通知.pdf", pdf_bytes())}),
    post("push submit", lambda w: f"{PUSH}{w.document_pushed.pk}/submit/", {"own_token"},
         status_of(Document, "document_pushed"), json=True, covers=("push-document-submit",)),
]


def refused_or_allowed(response):
    """"allowed", "refused", or what else came back (which is never right)."""
    if response.status_code in (200, 201):
        return "allowed"
    if response.status_code == 302:
        # The admin sends the anonymous to its login, and a missing (or out-of-scope) object to its home.
        return "refused" if response.url.startswith(f"{A}/login/") or response.url == f"{A}/" else "allowed"
    if response.status_code in (401, 403, 404):
        return "refused"
    return f"status {response.status_code}: {response.content[:300].decode(errors='replace')}"


CASES = [
    pytest.param(row, role, id=f"{row.name} | {role}")
    for row in ROWS for role in (*ROLES, *(("superuser",) if row.superuser is not None else ()))
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission_matrix(world, db, row, role):
    w = world
    client = w.clients[role]
    url = row.url(w)
    before = row.state(w) if row.state else None
    if row.method == "get":
        response = client.get(url)
    else:
        data = row.data(w) if row.data else {}
        send = getattr(client, row.method)
        response = send(url, data, content_type="application/json") if row.json else send(url, data)
    outcome = refused_or_allowed(response)
    allowed = row.superuser if role == "superuser" else role in row.allowed
    expected = "allowed" if allowed else "refused"
    assert outcome == expected, f"{row.method.upper()} {url} as {role}"
    if row.state:
        after = row.state(w)
        if expected == "allowed":
            assert after != before, f"{row.name}: allowed for {role}, but nothing changed"
        else:
            assert after == before, f"{row.name}: refused for {role}, but something changed"


def test_every_admin_model_and_api_endpoint_is_in_the_matrix():
    covered = {model for row in ROWS for model in row.models}
    missing = [model._meta.label for model in admin.site._registry if model not in covered]
    assert not missing, f"admin models without a row in the permission matrix: {missing}"
    api = get_resolver().namespace_dict["api"][1]
    names = {pattern.name for pattern in walk(api.url_patterns) if pattern.name}
    missing = sorted(names - covered)
    assert not missing, f"API endpoints without a row in the permission matrix: {missing}"


def walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from walk(pattern.url_patterns)
        else:
            yield pattern
