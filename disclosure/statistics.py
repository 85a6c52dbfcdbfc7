"""Table 二's 行政规范性文件 row of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号), computed from
the documents' history: what stood at the start and at the end of the year, not what stands today."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Document

IN_FORCE = (Document.Validity.VALID, Document.Validity.AMENDED)  # an amended document is in force as amended
NO_LONGER_IN_FORCE = (Document.Validity.REPEALED, Document.Validity.EXPIRED)


@dataclass(frozen=True)
class NormativeFigures:
    issued: int  # 本年制发件数
    repealed: int  # 本年废止件数 (废止 or 宣布失效 during the year)
    in_force: int  # 现行有效件数, at the end of the year


def _published_normative(moment, organisation_ids):
    """The public 行政规范性文件 as they were at `moment` (the history keeps every save)."""
    snapshot = Document.history.as_of(moment).filter(
        is_normative=True, attribute=Document.Attribute.PROACTIVE, status=Document.Status.PUBLISHED,
    )
    return snapshot if organisation_ids is None else snapshot.filter(organisation_id__in=organisation_ids)


def normative_figures(year, organisation_ids=None):
    """The row for the organisations `organisation_ids` (None: the whole county)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    at_end = _published_normative(end, organisation_ids)
    gone_before = set(_published_normative(start, organisation_ids).filter(validity__in=NO_LONGER_IN_FORCE).values_list("id", flat=True))
    gone_at_end = set(at_end.filter(validity__in=NO_LONGER_IN_FORCE).values_list("id", flat=True))
    return NormativeFigures(
        issued=at_end.filter(written_date__year=year).count(),
        repealed=len(gone_at_end - gone_before),
        in_force=at_end.filter(validity__in=IN_FORCE).count(),
    )
