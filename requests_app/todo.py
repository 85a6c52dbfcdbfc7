"""What waits for staff in applications: replies to approve (reviewers), overdue applications county-wide
(county office), and the organisation's open applications by days left (clerks). Shown on the admin
home by portal.todo; the working-day calendar is read once for all rows, as the queue page does."""

from django.db.models import F
from django.utils import timezone

from portal.permissions import is_county_office, staff_of
from portal.todo import TodoItem, admin_change_url, admin_list_url, section

from . import selectors
from .models import Application

TITLE_LENGTH = 30


def _title(application):
    description = " ".join(application.description.split())
    if len(description) > TITLE_LENGTH:
        description = description[:TITLE_LENGTH] + "…"
    return f"{application.tracking_number} {description}"


def _days_left_text(left):
    if left is None:
        return "暂停计时"
    return f"逾期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"


def sections(user):
    staff = staff_of(user)
    county = is_county_office(user)
    if staff is None and not county:
        return []
    today = timezone.localdate()
    calendar = selectors.queue_calendar(today)
    applications = Application.objects.select_related("organisation")

    def by_days_left(application):
        left = selectors.working_days_left(application, today, calendar)
        return TodoItem(
            _title(application), admin_change_url(application), application.organisation.display_name,
            _days_left_text(left), urgent=left is not None and left < 0,
        )

    def soonest_first(queryset):
        # Fewer working days left is an earlier due date; overdue first, stopped clocks last.
        return queryset.order_by(F("due_date").asc(nulls_last=True), "pk")

    result = []
    if staff is not None and staff.is_reviewer:
        drafted = applications.filter(organisation_id=staff.organisation_id, state=Application.State.REPLY_DRAFTED)
        result.append(section(
            "待审批的答复", drafted,
            url=admin_list_url(Application, state__exact=Application.State.REPLY_DRAFTED, organisation__id__exact=staff.organisation_id),
            item=by_days_left, rows=soonest_first(drafted),
        ))
    if staff is not None and staff.is_reviewer:
        # 条例第三十三条: the head decides within the answer period; the soonest due first.
        proposed = applications.filter(
            organisation_id=staff.organisation_id, state__in=Application.OPEN_STATES, extension_proposed_days__gt=0,
        )
        result.append(section(
            "待决定的延期申请", proposed, url=admin_list_url(Application, organisation__id__exact=staff.organisation_id),
            item=by_days_left, rows=soonest_first(proposed),
        ))
    if county:
        overdue = selectors.overdue(applications, today)
        result.append(section(
            "全县逾期未答复的申请", overdue, url=admin_list_url(Application, deadline="overdue"),
            item=by_days_left, rows=soonest_first(overdue),
        ))
    if staff is not None and staff.is_clerk:
        open_ = applications.filter(organisation_id=staff.organisation_id, state__in=Application.OPEN_STATES)
        result.append(section(
            "本单位办理中的申请（按剩余工作日）", open_,
            url=admin_list_url(
                Application, state__in=",".join(Application.OPEN_STATES), organisation__id__exact=staff.organisation_id,
            ),
            item=by_days_left, rows=soonest_first(open_),
        ))
    return result
