"""What waits for staff in government information: documents to review and 不予公开 re-assessments
(reviewers), returned documents and forgotten drafts (clerks), and unpublished 主动公开 information
near or past its 公开时限 (条例第二十六条). Shown on the admin home by portal.todo."""

import datetime

from django.db.models import Max
from django.utils import timezone

from portal.permissions import staff_of
from portal.todo import TodoItem, admin_change_url, admin_list_url, days_since, section, waited
from portal.workdays import add_working_days, calendar_overrides, working_days_between

from .models import Document
from .workflow import PUBLISH_BY_WARNING_DAYS, assessments_due, publication_due_soon

STALE_DRAFT_DAYS = 7


def sections(user):
    staff = staff_of(user)
    if staff is None:
        return []
    now, today = timezone.now(), timezone.localdate()
    # Each role's work is its own organisation's, also for county office staff who see every one.
    own = Document.objects.filter(organisation_id=staff.organisation_id).select_related("organisation")
    org = {"organisation__id__exact": staff.organisation_id}

    def waiting(document):
        return TodoItem(
            document.title, admin_change_url(document), document.organisation.display_name,
            waited(document.waiting_since, now),
        )

    def oldest_first(queryset):
        # Waiting since the last step (submitted, returned): the latest event.
        return queryset.annotate(waiting_since=Max("events__at")).order_by("waiting_since", "pk")

    result = []
    if staff.is_reviewer:
        submitted = own.filter(status=Document.Status.SUBMITTED)
        result.append(section(
            "待审核的政府信息", submitted, url=admin_list_url(Document, status__exact=Document.Status.SUBMITTED, **org),
            item=waiting, rows=oldest_first(submitted),
        ))
        due = assessments_due(own, today)
        result.append(section(
            "到期的不予公开年度评估", due, url=admin_list_url(Document, assessment="due", **org),
            item=lambda document: TodoItem(
                document.title, admin_change_url(document), document.organisation.display_name,
                f"评估日 {document.next_assessment_date:%Y-%m-%d}", urgent=document.next_assessment_date < today,
            ),
            rows=due.order_by("next_assessment_date", "pk"),
        ))
    if staff.is_clerk:
        returned = own.filter(status=Document.Status.RETURNED)
        result.append(section(
            "退回修改的政府信息", returned, url=admin_list_url(Document, status__exact=Document.Status.RETURNED, **org),
            item=waiting, rows=oldest_first(returned),
        ))
        cutoff = today - datetime.timedelta(days=STALE_DRAFT_DAYS)
        drafts = own.filter(status=Document.Status.DRAFT, created_at__date__lte=cutoff)
        result.append(section(
            "超过一周未提交的草稿", drafts,
            url=admin_list_url(Document, status__exact=Document.Status.DRAFT, created_at__date__lte=cutoff.isoformat(), **org),
            item=lambda document: TodoItem(
                document.title, admin_change_url(document), document.organisation.display_name,
                f"创建于{days_since(document.created_at, now)}天前",
            ),
            rows=drafts.order_by("created_at", "pk"),
        ))
    result.append(_publication_deadlines(staff, own, org, today))
    return result


def _publication_deadlines(staff, own, org, today):
    """条例第二十六条: the clerk's drafts and returned drafts, the reviewer's submissions, whose
    公开时限 is at most PUBLISH_BY_WARNING_DAYS working days away or passed."""
    statuses = [*(Document.EDITABLE if staff.is_clerk else ()), *((Document.Status.SUBMITTED,) if staff.is_reviewer else ())]
    if not statuses:
        return None
    near = publication_due_soon(own.filter(status__in=statuses), today)
    # One calendar query for the days left of every row shown (none lies beyond the warning window).
    overrides = calendar_overrides(today, add_working_days(today, PUBLISH_BY_WARNING_DAYS) + datetime.timedelta(days=1))

    def item(document):
        if document.publish_by < today:
            label = f"已逾期：公开时限{document.publish_by:%Y-%m-%d}"
        else:
            label = f"剩{working_days_between(today, document.publish_by, overrides)}个工作日：公开时限{document.publish_by:%Y-%m-%d}"
        return TodoItem(
            document.title, admin_change_url(document), document.organisation.display_name, label,
            urgent=document.publish_by <= today,
        )

    return section(
        "临近或超过公开时限的主动公开信息（条例第二十六条）", near,
        url=admin_list_url(Document, publish_deadline="soon", status__in=",".join(statuses), **org),
        item=item, rows=near.order_by("publish_by", "pk"),
    )
