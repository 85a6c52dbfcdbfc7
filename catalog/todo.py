"""What waits for staff in the catalogues: 初审 (reviewers), 复核 (county office), returned versions
and forgotten drafts (clerks). Shown on the admin home by portal.todo."""

import datetime

from django.db.models import Max
from django.utils import timezone

from portal.permissions import is_county_office, staff_of
from portal.todo import TodoItem, admin_change_url, admin_list_url, days_since, section, waited

from .models import Catalogue

STALE_DRAFT_DAYS = 7


def _title(catalogue):
    return f"{catalogue.domain.name}领域目录（第{catalogue.version}版）"


def sections(user):
    staff = staff_of(user)
    county = is_county_office(user)
    if staff is None and not county:
        return []
    now, today = timezone.now(), timezone.localdate()
    catalogues = Catalogue.objects.filter(is_guideline=False).select_related("domain", "organisation")

    def waiting(catalogue):
        return TodoItem(
            _title(catalogue), admin_change_url(catalogue), catalogue.organisation.display_name,
            waited(catalogue.waiting_since, now),
        )

    def oldest_first(queryset):
        # Waiting since the last review step: the latest one.
        return queryset.annotate(waiting_since=Max("steps__at")).order_by("waiting_since", "pk")

    result = []
    if staff is not None and staff.is_reviewer:
        submitted = catalogues.filter(organisation_id=staff.organisation_id, state=Catalogue.State.SUBMITTED)
        result.append(section(
            "待初审的目录", submitted,
            url=admin_list_url(Catalogue, state__exact=Catalogue.State.SUBMITTED, organisation__id__exact=staff.organisation_id),
            item=waiting, rows=oldest_first(submitted),
        ))
    if county:
        first_reviewed = catalogues.filter(state=Catalogue.State.FIRST_REVIEWED)
        result.append(section(
            "待复核的目录（全县）", first_reviewed, url=admin_list_url(Catalogue, state__exact=Catalogue.State.FIRST_REVIEWED),
            item=waiting, rows=oldest_first(first_reviewed),
        ))
    if staff is not None and staff.is_clerk:
        own = catalogues.filter(organisation_id=staff.organisation_id)
        returned = own.filter(state=Catalogue.State.RETURNED)
        result.append(section(
            "退回修改的目录", returned,
            url=admin_list_url(Catalogue, state__exact=Catalogue.State.RETURNED, organisation__id__exact=staff.organisation_id),
            item=waiting, rows=oldest_first(returned),
        ))
        cutoff = today - datetime.timedelta(days=STALE_DRAFT_DAYS)
        drafts = own.filter(state=Catalogue.State.DRAFT, created_at__date__lte=cutoff)
        result.append(section(
            "超过一周未提交的目录草稿", drafts,
            url=admin_list_url(
                Catalogue, state__exact=Catalogue.State.DRAFT, created_at__date__lte=cutoff.isoformat(),
                organisation__id__exact=staff.organisation_id,
            ),
            item=lambda catalogue: TodoItem(
                _title(catalogue), admin_change_url(catalogue), catalogue.organisation.display_name,
                f"创建于{days_since(catalogue.created_at, now)}天前",
            ),
            rows=drafts.order_by("created_at", "pk"),
        ))
    return result
