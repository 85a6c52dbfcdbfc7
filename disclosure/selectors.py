"""Read queries shared by the public pages, feeds, sitemaps and search, and the back office's
figures of 条例第二十六条's 公开时限."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.urls import reverse

from .models import Document
from .permissions import public_documents

# 主动公开 information that was published (withdrawn since or not) after its 公开时限 (条例第二十六条).
PUBLISHED_STATUSES = (Document.Status.PUBLISHED, Document.Status.WITHDRAWN)
PUBLISHED_LATE = Q(attribute=Document.Attribute.PROACTIVE, status__in=PUBLISHED_STATUSES, publish_by__lt=F("publish_date"))

PAGE_SIZE = 20


@dataclass
class Page:
    """One page of a list read by keyset: no COUNT(*) and no OFFSET, so page 1 and page 50,000 cost the
    same on a table of millions."""

    rows: list
    next_cursor: str
    is_first: bool


def public_listing():
    return public_documents().select_related("organisation", "topic").order_by("-publish_date", "-id")


def decode_cursor(cursor):
    """(publish_date, id) of a list cursor, or None when it is not one."""
    try:
        day, pk = cursor.split("_", 1)
        return datetime.date.fromisoformat(day), int(pk)
    except (ValueError, AttributeError):
        return None


def keyset_page(queryset, cursor="", size=PAGE_SIZE):
    """`queryset` must be ordered by (-publish_date, -id); its rows are documents, or dicts from
    values() with publish_date and id. `cursor` is the last row of the previous page."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        day, pk = position
        # The redundant publish_date__lte lets the database walk the (publish_date, id) index from the
        # cursor on instead of testing every row against the OR.
        queryset = queryset.filter(Q(publish_date__lt=day) | Q(publish_date=day, id__lt=pk), publish_date__lte=day)
    rows = list(queryset[: size + 1])
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        day, pk = (last["publish_date"], last["id"]) if isinstance(last, dict) else (last.publish_date, last.pk)
        next_cursor = f"{day.isoformat()}_{pk}"
    return Page(rows=rows, next_cursor=next_cursor, is_first=position is None)


# What a list page's table shows of a document. Read as values, not as documents with their
# organisations and topics: building those models was a third of the page's time.
TABLE_FIELDS = ("id", "title", "document_number", "publish_date", "validity", "organisation__name", "organisation__short_name")


def table_page(queryset, cursor=""):
    """keyset_page() of a list page's table: dicts of TABLE_FIELDS, with the document page's address,
    the organisation's display name and the validity's label, as the models would give them."""
    page = keyset_page(queryset.values(*TABLE_FIELDS), cursor)
    documents = reverse("disclosure:document_list")  # a document's page is documents/<id>/ below it
    validity = dict(Document.Validity.choices)
    for row in page.rows:
        row["url"] = f"{documents}{row['id']}/"
        row["organisation_name"] = row["organisation__short_name"] or row["organisation__name"]  # Organisation.display_name
        row["validity_display"] = validity.get(row["validity"], row["validity"])
    return page


def documents_for_item(item, children=(), limit=None):
    """Public documents filed under a catalogue item and, for a 一级事项, under its 二级事项 `children`;
    across the items' versions (matched by key)."""
    keys = [item.key, *(child.key for child in children)]
    qs = public_listing().filter(catalogue_item__key__in=keys)
    if children:
        qs = qs.select_related("catalogue_item")  # each row names its 二级事项
    return qs[:limit] if limit else qs


@dataclass
class TimelinessRow:
    organisation: object  # an Organisation, or None for the total
    published: int
    late: int

    @property
    def late_share(self):
        """The share published late, as people read it ("12.5%"), or "—" when nothing was published."""
        return f"{self.late / self.published:.1%}" if self.published else "—"

    @classmethod
    def total(cls, rows):
        return cls(None, sum(row.published for row in rows), sum(row.late for row in rows))


def publication_timeliness(organisations, year):
    """Per organisation (in the given queryset's order): 主动公开 information published in `year` and
    how much of it after its 公开时限. Two queries, however many organisations and documents."""
    counts = {
        row["organisation_id"]: row
        for row in Document.objects.filter(
            attribute=Document.Attribute.PROACTIVE, status__in=PUBLISHED_STATUSES, organisation__in=organisations,
            publish_date__gte=datetime.date(year, 1, 1), publish_date__lt=datetime.date(year + 1, 1, 1),
        ).values("organisation_id").annotate(published=Count("pk"), late=Count("pk", filter=PUBLISHED_LATE)).order_by()
    }
    rows = []
    for organisation in organisations:
        row = counts.get(organisation.pk, {})
        rows.append(TimelinessRow(organisation, row.get("published", 0), row.get("late", 0)))
    return rows
