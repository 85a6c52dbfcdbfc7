"""Read queries shared by the public pages, feeds, sitemaps and search, and the back office's
figures of 条例第二十六条's 公开时限."""

import datetime
import functools
from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, Q, Value
from django.urls import reverse

from catalog.models import CatalogueItem
from portal.cache import rendered_once
from portal.models import Organisation
from portal.queries import CompiledValues

from .models import Attachment, Document, Topic
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
    return _public_listing().all()


@functools.cache
def _public_listing():
    # As permissions.public_documents(): built once per process, cloned per call.
    return public_documents().select_related("organisation", "topic").order_by("-publish_date", "-id")


def decode_cursor(cursor):
    """(publish_date, id) of a list cursor, or None when it is not one."""
    try:
        day, pk = cursor.split("_", 1)
        return datetime.date.fromisoformat(day), int(pk)
    except (ValueError, AttributeError):
        return None


def _after(queryset, position):
    """The rows of `queryset` after `position` (publish_date, id), or all of them for None."""
    if position is None:
        return queryset
    day, pk = position
    # The redundant publish_date__lte lets the database walk the (publish_date, id) index from the
    # cursor on instead of testing every row against the OR.
    return queryset.filter(Q(publish_date__lt=day) | Q(publish_date=day, id__lt=pk), publish_date__lte=day)


def _page(rows, size, position):
    # One row more than the page was read: whether there is a next page, without a COUNT.
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        day, pk = (last["publish_date"], last["id"]) if isinstance(last, dict) else (last.publish_date, last.pk)
        next_cursor = f"{day.isoformat()}_{pk}"
    return Page(rows=rows, next_cursor=next_cursor, is_first=position is None)


def keyset_page(queryset, cursor="", size=PAGE_SIZE):
    """`queryset` must be ordered by (-publish_date, -id); its rows are documents, or dicts from
    values() with publish_date and id. `cursor` is the last row of the previous page."""
    position = decode_cursor(cursor) if cursor else None
    return _page(list(_after(queryset, position)[: size + 1]), size, position)


# The public listing without filters: compiled once per connection for each set of columns, page size
# and whether a cursor is given (portal.queries), as its compiling was a quarter of the API list's time.
_listing_rows = CompiledValues(lambda *position, values, limit: _after(public_listing().values(*values), position or None)[:limit])


def listing_page(values, cursor="", size=PAGE_SIZE):
    """keyset_page() of public_listing().values(*values), without filters."""
    position = decode_cursor(cursor) if cursor else None
    return _page(_listing_rows(*(position or ()), values=values, limit=size + 1), size, position)


@dataclass(frozen=True)
class OrganisationName:
    name: str
    display_name: str  # Organisation.display_name


@dataclass(frozen=True)
class TopicName:
    code: str
    name: str
    parent_id: int | None
    parent_name: str | None

    def __str__(self):  # Topic.__str__
        return f"{self.parent_name}／{self.name}" if self.parent_id else self.name


@dataclass(frozen=True)
class Names:
    """Every organisation's and topic's names, by id: what the public pages and the API show of a
    document's organisation and topic, so that their queries read the documents' table alone."""

    organisations: dict
    topics: dict

    def lack(self, organisation_ids, topic_ids):
        return not (self.organisations.keys() >= set(organisation_ids) and self.topics.keys() >= set(topic_ids))


def _read_names():
    # One query for both (a few hundred rows): the organisation's short name and the topic's parent's
    # name share a column. Annotated in the same order on both sides, so the columns line up.
    organisations = Organisation.objects.order_by().annotate(
        names_of=Value("o"), names_code=Value("", CharField()), names_other=F("short_name"),
        names_parent=Value(None, IntegerField()),
    ).values_list("id", "name", "names_of", "names_code", "names_other", "names_parent")
    topics = Topic.objects.order_by().annotate(
        names_of=Value("t"), names_code=F("code"), names_other=F("parent__name"), names_parent=F("parent_id")
    ).values_list("id", "name", "names_of", "names_code", "names_other", "names_parent")
    names = Names(organisations={}, topics={})
    for pk, name, kind, code, other, parent in organisations.union(topics, all=True):
        if kind == "o":
            names.organisations[pk] = OrganisationName(name, other or name)
        else:
            names.topics[pk] = TopicName(code, name, parent, other)
    return names


def public_names(organisation_ids=(), topic_ids=()):
    """Names, read once per public generation in this process (an organisation's or topic's change bumps
    it), and again if it lacks one of the ids asked for: one committed after this process read them."""
    return rendered_once("names", _read_names, stale=lambda names: names.lack(organisation_ids, topic_ids))


# Catalogue items' keys and domains, by id, as far as documents in this generation's lists named them.
MAX_ITEM_KEYS = 50_000  # a county's catalogues hold some 10^4 items


def catalogue_item_keys(item_ids):
    """{id: (key, domain slug)} of the catalogue items `item_ids` (those that exist): what the API lists of a document's
    item. Neither ever changes (the key is kept across an item's versions, the domain is its
    catalogue's), so the ones read are kept for the public generation and only those not yet seen
    are read: joining the items to the list's query made PostgreSQL plan four tables on every page."""
    known = rendered_once("catalogue-item-keys", dict)
    wanted = set(item_ids) - {None}
    found = {pk: known[pk] for pk in wanted & known.keys()}
    if missing := wanted - found.keys():
        read = {
            pk: (key, domain)
            for pk, key, domain in CatalogueItem.objects.filter(pk__in=missing).values_list("id", "key", "catalogue__domain__slug")
        }
        found.update(read)
        if len(known) + len(read) <= MAX_ITEM_KEYS:
            known.update(read)
    return found


# What a list page's table shows of a document. Read as values, not as documents with their
# organisations and topics: building those models was a third of the page's time.
TABLE_FIELDS = ("id", "title", "document_number", "publish_date", "validity", "organisation_id")


def table_page(queryset, cursor=""):
    """keyset_page() of a list page's table: dicts of TABLE_FIELDS, with the document page's address,
    the organisation's display name and the validity's label, as the models would give them."""
    page = keyset_page(queryset.values(*TABLE_FIELDS), cursor)
    documents = reverse("disclosure:document_list")  # a document's page is documents/<id>/ below it
    validity = dict(Document.Validity.choices)
    organisations = public_names({row["organisation_id"] for row in page.rows}).organisations
    for row in page.rows:
        row["url"] = f"{documents}{row['id']}/"
        row["organisation_name"] = organisations[row["organisation_id"]].display_name
        row["validity_display"] = validity.get(row["validity"], row["validity"])
    return page


RELATED_FIELDS = ("id", "title", "validity", "replaced_by_id")
RELATIONS = ("interpretations", "interpreted", "replaces", "replaced_by")


def _related_parts(pk, replaced_by_id=None):
    public = public_documents().order_by().values(*RELATED_FIELDS)
    parts = [
        public.filter(interpreted_documents=pk).annotate(relation=Value("interpretations")),
        public.filter(interpretations=pk).annotate(relation=Value("interpreted")),
        public.filter(replaced_by=pk).annotate(relation=Value("replaces")),
    ]
    if replaced_by_id is not None:
        parts.append(public.filter(pk=replaced_by_id).annotate(relation=Value("replaced_by")))
    return parts[0].union(*parts[1:], all=True)


# One UNION of index lookups (an OR of them was a sequential scan on PostgreSQL), compiled once.
_related_rows = CompiledValues(_related_parts)


def related_documents(document):
    """The public documents a document's page links, by relation (RELATIONS), as dicts of RELATED_FIELDS
    and the validity's label: lists of its interpretations, the documents it interprets and those it
    replaces, and the one that replaces it (or None)."""
    related = {relation: [] for relation in RELATIONS}
    validity = dict(Document.Validity.choices)
    arguments = (document.pk, document.replaced_by_id) if document.replaced_by_id else (document.pk,)
    for row in sorted(_related_rows(*arguments), key=lambda row: row["id"]):
        row["validity_display"] = validity[row["validity"]]
        related[row.pop("relation")].append(row)
    related["replaced_by"] = next(iter(related["replaced_by"]), None)
    return related


# What the document page shows of the document and its catalogue item, and no more (a field left out
# here is a query per page when a template starts showing it, and the page's query budget test
# catches that). The catalogue item's four tables are LEFT JOINs of primary keys; the organisation's
# and topic's names come from public_names(), read once per public generation.
DOCUMENT_PAGE_FIELDS = (
    "id", "title", "index_number", "document_number", "written_date", "publish_date", "genre", "validity", "attribute",
    "body", "catalogue_item_id", "replaced_by_id", "organisation_id", "topic_id",
)
DOCUMENT_PAGE_ITEM_FIELDS = {
    "key": "catalogue_item__key", "name": "catalogue_item__name", "parent_name": "catalogue_item__parent__name",
    "domain_name": "catalogue_item__catalogue__domain__name",
}
_document_page_rows = CompiledValues(
    lambda pk: public_documents().filter(pk=pk).values(*DOCUMENT_PAGE_FIELDS, *DOCUMENT_PAGE_ITEM_FIELDS.values())
)


def document_page(pk):
    """The public document `pk` as the document page shows it, and its catalogue item's key and names
    as a dict (or None); None when no public document has that id."""
    rows = _document_page_rows(pk)
    if not rows:
        return None
    row = rows[0]
    item = {name: row.pop(field) for name, field in DOCUMENT_PAGE_ITEM_FIELDS.items()}
    # As the ORM makes a model from a row: the values in the model's field order, the rest deferred.
    document = Document.from_db(None, list(row), [row[f.attname] for f in Document._meta.concrete_fields if f.attname in row])
    return document, item if document.catalogue_item_id else None


_attachment_rows = CompiledValues(lambda pk: Attachment.objects.filter(document=pk).values("id", "original_name", "size", "kind"))


def document_attachments(pk):
    """A document's attachments, in their order, as the document page lists them."""
    return _attachment_rows(pk)


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
