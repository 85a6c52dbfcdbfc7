"""What waits for staff in government information: documents to review and 不予公开 re-assessments
(reviewers), returned documents and forgotten drafts (clerks). Shown on the admin home by portal.todo."""

import datetime

from django.db.models import Max
from django.utils import timezone

from portal.permissions import staff_of
from portal.todo import TodoItem, admin_change_url, admin_list_url, days_since, section, waited

from .models import Document
from .workflow import assessments_due

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
    return result
