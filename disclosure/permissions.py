"""What the public sees of government information, and who may do what with it."""

import functools

from django.db.models import Q

from portal.models import Organisation, Staff
from portal.permissions import clerk_organisations, has_role, has_role_in, is_county_office, staff_of

from .models import PUBLIC, AnnualReport, AnnualReportEvent, Document, DocumentEvent, relatable

CLERK, REVIEWER = Staff.Role.CLERK, Staff.Role.REVIEWER


def public_documents():
    """The only documents any public page, feed, sitemap, search or API may show: 主动公开 and published."""
    return _public_documents().all()


@functools.cache
def _public_documents():
    # Built once per process, never evaluated, cloned per call: building the filter anew was a tenth
    # of an uncached list page's time. PUBLIC holds no value that changes (no date, no setting).
    return Document.objects.filter(PUBLIC)


def visible_documents(user):
    """Back office: the county office sees every organisation's documents, staff their own."""
    if is_county_office(user):
        return Document.objects.all()
    staff = staff_of(user)
    if staff is None:
        return Document.objects.none()
    return Document.objects.filter(organisation_id=staff.organisation_id)


def timeliness_organisations(user):
    """Whose 公开时效 figures (条例第二十六条) a back-office user sees: the county office every disclosure
    body's, staff their own organisation's."""
    if is_county_office(user):
        return (
            Organisation.objects.filter(is_disclosure_body=True)
            .exclude(kind__in=[Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS])
            .order_by("tree_id", "lft")
        )
    staff = staff_of(user)
    if staff is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=staff.organisation_id)


def can_view(user, document):
    """Whether a back-office user may read this document (its organisation's staff, the county office)."""
    if document is None:
        return staff_of(user) is not None or user.is_superuser
    if is_county_office(user):
        return True
    staff = staff_of(user)
    return staff is not None and staff.organisation_id == document.organisation_id


def relatable_documents(user):
    """What a clerk may name as an interpretation (解读) or a replacing document (替代文件): their own
    organisation's documents and other organisations' public ones; never another's draft or 不予公开 item."""
    if user.is_superuser:
        return Document.objects.all()
    organisation = clerk_organisations(user).values_list("pk", flat=True).first()
    return Document.objects.filter(relatable(organisation)) if organisation else public_documents()


def can_compile(user, organisation):
    return has_role_in(user, organisation, CLERK)


def can_edit(user, document):
    """A draft, or a draft the reviewer returned, is its organisation's clerks' to edit and submit."""
    return document.status in Document.EDITABLE and has_role_in(user, document.organisation, CLERK)


def submitter_id(document):
    """Who submitted the document for review this time (the latest 提交审核 event)."""
    return (
        DocumentEvent.objects.filter(document=document, action=DocumentEvent.Action.SUBMIT)
        .order_by("-pk").values_list("actor_id", flat=True).first()
    )


def has_other_reviewer(organisation, user_id):
    """Whether someone other than `user_id` reviews for `organisation`."""
    return Staff.objects.filter(organisation=organisation, is_reviewer=True).exclude(user_id=user_id).exists()


def can_publish(user, document):
    """Four eyes: the organisation's reviewer approves what its clerks submit, never their own
    submission. An organisation whose only reviewer is the submitter (a township with one person
    holding both roles) has the county office approve instead."""
    if document.status != Document.Status.SUBMITTED or not user.is_authenticated:
        return False
    submitted_by = submitter_id(document)
    if user.pk == submitted_by:
        return False
    if has_role_in(user, document.organisation, REVIEWER):
        return True
    return is_county_office(user) and not has_other_reviewer(document.organisation, submitted_by)


def is_own_submission(user, document):
    return document.status == Document.Status.SUBMITTED and submitter_id(document) == user.pk


def can_withdraw(user, document):
    return document.status == Document.Status.PUBLISHED and has_role_in(user, document.organisation, CLERK, REVIEWER)


def can_change_validity(user, document):
    return can_withdraw(user, document)


def can_assess(user, document):
    """不予公开 information is re-assessed every year by the organisation's reviewer."""
    return (
        document.status == Document.Status.PUBLISHED
        and document.attribute == Document.Attribute.WITHHELD
        and has_role_in(user, document.organisation, REVIEWER)
    )


STEP_RULES = {
    "submit": can_edit,
    "publish": can_publish,
    "return": can_publish,
    "validity": can_change_validity,
    "withdraw": can_withdraw,
    "assess": can_assess,
}


def available_steps(user, document):
    """The workflow steps `user` may take on `document` now, in the order the page offers them."""
    results = {}
    for rule in STEP_RULES.values():
        if rule not in results:  # publish and return share one rule: ask it once
            results[rule] = rule(user, document)
    return [step for step, rule in STEP_RULES.items() if results[rule]]


# --- 政府信息公开工作年度报告 ---------------------------------------------------------------------

def _is_county_office_clerk(user):
    """A clerk of the county office (县政府办公室): the organisation where the county-office staff work."""
    staff = staff_of(user)
    return staff is not None and staff.is_clerk and (
        staff.is_county_office or Staff.objects.filter(organisation_id=staff.organisation_id, is_county_office=True).exists()
    )


def _writes_report_for(user, organisation):
    """A body's clerks write its report; the county government's is written by the county office's
    clerks, its 政府信息公开工作主管部门 (条例第三条)."""
    if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        return user.is_superuser or _is_county_office_clerk(user)
    return has_role_in(user, organisation, CLERK)


def _reviews_report_for(user, organisation):
    if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        return user.is_superuser or (is_county_office(user) and has_role(user, REVIEWER))
    return has_role_in(user, organisation, REVIEWER)


def can_draft_report(user, organisation):
    return _writes_report_for(user, organisation)


def can_edit_report(user, report):
    return report.status in AnnualReport.EDITABLE and _writes_report_for(user, report.organisation)


def report_submitter_id(report):
    return report.events.filter(action=AnnualReportEvent.Action.SUBMIT).order_by("-pk").values_list("actor_id", flat=True).first()


def can_publish_report(user, report):
    """Four eyes, as for documents: a reviewer other than the submitter; the county office where the
    body has no other reviewer."""
    if report.status != AnnualReport.Status.SUBMITTED or not user.is_authenticated:
        return False
    submitted_by = report_submitter_id(report)
    if user.pk == submitted_by:
        return False
    if _reviews_report_for(user, report.organisation):
        return True
    return is_county_office(user) and not has_other_reviewer(report.organisation, submitted_by)


def can_correct_report(user, report):
    return (
        report.status == AnnualReport.Status.PUBLISHED
        and not AnnualReport.objects.filter(corrects=report).exists()
        and _writes_report_for(user, report.organisation)
    )


REPORT_STEP_RULES = {
    "overview": can_edit_report,
    "submit": can_edit_report,
    "publish": can_publish_report,
    "return": can_publish_report,
    "correct": can_correct_report,
}


def available_report_steps(user, report):
    """The steps `user` may take on the annual report now, in the order the page offers them."""
    return [step for step, rule in REPORT_STEP_RULES.items() if rule(user, report)]


def visible_reports(user):
    """Back office: the county office sees every body's reports, staff their own organisation's."""
    if is_county_office(user):
        return AnnualReport.objects.all()
    staff = staff_of(user)
    if staff is None:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(organisation_id=staff.organisation_id)


def report_organisations(user):
    """The bodies whose reports `user` may start: their own as a clerk; the county government's for
    the county office's clerks (as _writes_report_for)."""
    bodies = Organisation.objects.filter(is_disclosure_body=True).exclude(kind__in=[Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS])
    if user.is_superuser:
        return bodies
    staff = staff_of(user)
    if staff is None or not staff.is_clerk:
        return bodies.none()
    government = Q(kind=Organisation.Kind.COUNTY_GOVERNMENT)
    mine = Q(pk=staff.organisation_id) & ~government
    return bodies.filter(mine | government if _is_county_office_clerk(user) else mine)


def public_reports():
    """The annual reports the public sees: published ones, and the versions a correction replaced
    (kept, and marked as corrected)."""
    return AnnualReport.objects.filter(status__in=[AnnualReport.Status.PUBLISHED, AnnualReport.Status.CORRECTED])
