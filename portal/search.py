"""The site search: Chinese words cut by jieba into an index of public documents, catalogue items,
organisations and gazette issues (portal.models.SearchEntry), and the bounded queries over it.

The same segmentation (`words`, jieba's search mode with our dictionary) runs when a thing is indexed
and when a query is read: a mismatch would silently lose hits. The dictionary is jieba's own plus the
26 domains' names and the national guideline's item names, read from the fixtures in this repository,
never from the database, so every process cuts the same way. Changing it (a new jieba, edited
fixtures, a change to `words`) changes the cut: run `manage.py rebuild_search_index` afterwards.

Writes happen in the workflow step that changes what the public sees (disclosure.workflow._feed,
catalog.workflow.approve) and, for organisations and gazette issues, when they are saved (receivers
connected in PortalConfig.ready), always inside that step's transaction."""

import collections
import datetime
import functools
import html
import json
import logging
import math
import multiprocessing
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .cache import mark_selected, rendered_once
from .models import Organisation, SearchEntry

Kind = SearchEntry.Kind

# A query's words are looked up in at most this many index entries, then ranked; more shows "1000+".
CANDIDATES = 1000
PAGE_SIZE = 10
MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
MAX_TOKENS = 16
# Indexed text per object (body and attachments), and what of it is kept for snippets.
MAX_INDEXED_CHARS = 100_000
SNIPPET_SOURCE_CHARS = 3_000
ATTACHMENT_PAGES = 50
# tsvector: positions stop at 16383, and a lexeme keeps at most 256 of them.
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 255

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

_tokenizer = None


def dictionary_words():
    """The domains' and the national guideline items' names, sorted: jieba's extra dictionary."""
    names = {domain["name"] for domain in json.loads((FIXTURES / "domains.json").read_text("utf-8"))}

    def walk(items):
        for item in items:
            names.add(item["name"])
            walk(item.get("children", ()))

    for path in sorted((FIXTURES / "guidelines").glob("*.json")):
        walk(json.loads(path.read_text("utf-8")).get("items", ()))
    return sorted(name for name in names if 2 <= len(name) <= 20)


def tokenizer():
    """Our own jieba Tokenizer (not jieba's global one, which other code could add words to)."""
    global _tokenizer
    if _tokenizer is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        instance = jieba.Tokenizer()
        for name in dictionary_words():
            instance.add_word(name)
        _tokenizer = instance
    return _tokenizer


def warm_up():
    """Load jieba's dictionary now (about 1.5 s of CPU) rather than in some visitor's first search:
    gunicorn.conf.py calls it in the master, before the workers are forked. The tokenizer itself, not a
    query through it: query_words may answer from its memo without touching jieba."""
    tokenizer().lcut("通知")


def normalise(text):
    """Full-width letters and digits to ASCII, lower case: what people type and what was written meet."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _clean(token):
    # Only letters and digits reach the index: FTS5's unicode61 and a quoted tsquery lexeme then
    # read each word as exactly one word, and no punctuation can act as query syntax.
    return "".join(ch for ch in token if ch.isalnum())


# jieba cuts each run of Chinese characters, letters and digits on its own (its re_han_default), so
# cutting run by run gives exactly its output; runs repeat a lot in official writing, so they are
# cut once per process.
RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")


@functools.lru_cache(maxsize=100_000)
def _cut_run(run):
    pieces = []
    for token in tokenizer().cut_for_search(run):
        token = _clean(token)
        if len(token) >= 2:
            pieces.append(token)
    return tuple(pieces)


def query_words(text):
    """jieba's search mode (the words and their dictionary sub-words) of `text`, without single
    characters: what a query must find."""
    return [token for run in RUN.findall(normalise(text)) for token in _cut_run(run)]


def words(text):
    """The index words of `text`, in order, with repeats: query_words, plus every two-character piece
    of a longer Chinese word, so 低保 is found inside 城乡低保金 however jieba cut it."""
    result = []
    for token in query_words(text):
        result.append(token)
        if len(token) > 2 and not token.isascii():
            result.extend(token[i:i + 2] for i in range(len(token) - 1))
    return result


def document_number_word(value):
    """A 文号 as one index word, whatever brackets and widths it was typed with: 青政发[2025]8号,
    青政发（２０２５）8号 and 青政发〔2025〕8号 all give 青政发20258号 (the year always has four digits)."""
    from disclosure.models import DOCUMENT_NUMBER_RE, normalise_document_number

    number = normalise_document_number(normalise(value).replace("〔", "[").replace("〕", "]"))
    if not DOCUMENT_NUMBER_RE.match(number):
        return ""
    return _clean(number)


# ---------------------------------------------------------------- what is indexed

def plain_text(body_html):
    """The text of sanitised HTML (tags dropped, entities read)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", body_html or ""))


def attachment_text(name, limit=MAX_INDEXED_CHARS):
    """The text of a PDF or .docx attachment (empty for other kinds, or when it cannot be read)."""
    from django.core.files.storage import default_storage

    suffix = Path(name).suffix.lower()
    try:
        with default_storage.open(name, "rb") as file:
            if suffix == ".pdf":
                from pypdf import PdfReader

                parts, size = [], 0
                for page in PdfReader(file).pages[:ATTACHMENT_PAGES]:
                    parts.append(page.extract_text() or "")
                    size += len(parts[-1])
                    if size >= limit:
                        break
                return "\n".join(parts)[:limit]
            if suffix == ".docx":
                import docx

                return "\n".join(p.text for p in docx.Document(file).paragraphs)[:limit]
    except Exception:  # a damaged or vanished file is simply not searched by its contents
        return ""
    return ""


@dataclass
class Entry:
    """What one SearchEntry row will hold, before its words are cut."""

    kind: str
    object_id: int
    title: str
    url: str
    text: str = ""
    document_number: str = ""
    organisation_id: int | None = None
    topic_path: str = ""
    date: object = None
    validity: str = ""
    attachments: list = field(default_factory=list)  # storage names, read when the words are cut

    def cut(self):
        """(title words, body words) and the snippet text."""
        text = self.text
        for name in self.attachments:
            if len(text) >= MAX_INDEXED_CHARS:
                break
            text += "\n" + attachment_text(name, MAX_INDEXED_CHARS - len(text))
        text = text[:MAX_INDEXED_CHARS]
        title_words = words(self.title)
        number = document_number_word(self.document_number)
        if number:
            title_words += [number, *words(self.document_number)]
        return title_words, words(text), " ".join(text.split())[:SNIPPET_SOURCE_CHARS]


def topic_path(topic):
    codes = [ancestor.code for ancestor in topic.get_ancestors(include_self=True)] if topic else []
    return f"/{'/'.join(codes)}/" if codes else ""


def document_entry(document, *, topic_paths=None, attachments=None):
    if attachments is None:
        attachments = [a.file.name for a in document.attachments.all()]
    return Entry(
        kind=Kind.DOCUMENT, object_id=document.pk, title=document.title, url=f"/xxgk/documents/{document.pk}/",
        text=plain_text(document.body), document_number=document.document_number,
        organisation_id=document.organisation_id,
        topic_path=topic_paths[document.topic_id] if topic_paths is not None else topic_path(document.topic),
        date=document.publish_date, validity=document.validity, attachments=attachments,
    )


def item_entry(item, catalogue):
    text = "\n".join(filter(None, [item.content, item.basis, item.deadline, item.owner]))
    return Entry(
        kind=Kind.ITEM, object_id=item.pk, title=item.name, url=f"/xxgk/catalogue/item/{item.key}/", text=text,
        organisation_id=catalogue.organisation_id,
        date=catalogue.published_at.date() if catalogue.published_at else None,
    )


def organisation_entry(organisation):
    text = "\n".join(filter(None, [organisation.address, organisation.phone, organisation.office_hours]))
    return Entry(
        kind=Kind.ORGANISATION, object_id=organisation.pk, title=organisation.name,
        url=f"/xxgk/org/{organisation.pk}/", text=text, organisation_id=organisation.pk,
    )


def gazette_entry(issue, titles):
    return Entry(
        kind=Kind.GAZETTE, object_id=issue.pk, title=issue.title, url=f"/xxgk/gazette/{issue.pk}/",
        text="\n".join(titles), date=issue.publish_date,
    )


# ---------------------------------------------------------------- writing the index

def _tsvector(title_words, body_words):
    """A tsvector literal: title words at weight A, body words at B, positions in reading order. Built
    here rather than by to_tsvector, so the words are exactly ours and a rebuild's COPY writes the
    same value as an incremental update."""
    positions = {}
    for position, word in enumerate(title_words + body_words, start=1):
        weight = "A" if position <= len(title_words) else "B"
        spots = positions.setdefault(word, [])
        if len(spots) < MAX_POSITIONS_PER_WORD:
            spots.append(f"{min(position, MAX_POSITION)}{weight}")
    return " ".join(
        "'" + word.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(dict.fromkeys(spots))
        for word, spots in positions.items()
    )


def _row(entry, cut):
    title_words, body_words, snippet = cut
    return {
        "kind": entry.kind, "object_id": entry.object_id, "title": entry.title[:300],
        "document_number": entry.document_number[:60], "url": entry.url, "text": snippet,
        "organisation_id": entry.organisation_id, "topic_path": entry.topic_path, "date": entry.date,
        "validity": entry.validity,
    }, title_words, body_words


def _write(entries):
    """Insert or replace these entries (their words cut in this process, as a rebuild cuts them)."""
    for values, vector, title_vector, title, body in _cut_batch(entries):
        row, _ = SearchEntry.objects.update_or_create(kind=values["kind"], object_id=values["object_id"], defaults=values)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "UPDATE portal_searchentry SET vector = %s::tsvector, title_vector = %s::tsvector WHERE id = %s",
                    [vector, title_vector, row.pk],
                )
            else:
                cursor.execute("DELETE FROM portal_search_fts WHERE rowid = %s", [row.pk])
                cursor.execute(
                    "INSERT INTO portal_search_fts (rowid, title, body) VALUES (%s, %s, %s)", [row.pk, title, body]
                )


def _remove(kind, object_ids):
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids))
    if connection.vendor == "sqlite":
        ids = list(entries.values_list("pk", flat=True))
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM portal_search_fts WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids
                )
    entries.delete()


def index_document(document):
    """After a step changed `document` for the public: in the index while it is public, out otherwise."""
    from disclosure.permissions import public_documents

    current = public_documents().select_related("topic").filter(pk=document.pk).first()
    if current is None:
        _remove(Kind.DOCUMENT, [document.pk])
    else:
        _write([document_entry(current)])


def index_catalogue(catalogue, *, replaced=()):
    """A catalogue version was published: its items come in, the versions it replaced (their pks)
    go out, in the approving step's transaction."""
    from catalog.models import Catalogue, CatalogueItem

    if replaced:
        _remove(Kind.ITEM, CatalogueItem.objects.filter(catalogue__in=replaced).values_list("pk", flat=True))
    if catalogue.state == Catalogue.State.PUBLISHED:
        _write([item_entry(item, catalogue) for item in catalogue.items.all()])


def index_organisation(organisation):
    from .selectors import public_organisations

    if public_organisations().filter(pk=organisation.pk).exists():
        _write([organisation_entry(organisation)])
    else:
        _remove(Kind.ORGANISATION, [organisation.pk])


def index_gazette_issue(issue):
    from disclosure.permissions import public_documents

    if issue.is_published:
        titles = public_documents().filter(gazette_issues=issue).values_list("title", flat=True)
        _write([gazette_entry(issue, list(titles))])
    else:
        _remove(Kind.GAZETTE, [issue.pk])


def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_organisation(instance)


def organisation_deleted(sender, instance, **kwargs):
    _remove(Kind.ORGANISATION, [instance.pk])


def gazette_issue_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_gazette_issue(instance)


def gazette_issue_deleted(sender, instance, **kwargs):
    _remove(Kind.GAZETTE, [instance.pk])


# ---------------------------------------------------------------- rebuilding

def _cut_batch(entries):
    """Rows ready to store: (values, tsvector literal, title tsvector literal, FTS5 title text, FTS5 body
    text). Runs in the workers, so the string building is spread over the cores too."""
    rows = []
    for entry in entries:
        values, title_words, body_words = _row(entry, entry.cut())
        rows.append((
            values, _tsvector(title_words, body_words), _tsvector(title_words, []),
            " ".join(title_words), " ".join(body_words),
        ))
    return rows


def _copy_value(value):
    if value is None:
        return None
    return str(value)


def _store_batch(rows):
    """Write cut rows (from _cut_batch) into an index the caller emptied."""
    if connection.vendor == "postgresql":
        columns = ["kind", "object_id", "title", "document_number", "url", "text", "organisation_id",
                   "topic_path", "date", "validity", "vector", "title_vector"]
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY portal_searchentry ({', '.join(columns)}) FROM STDIN") as copy:
                for values, vector, title_vector, _, _ in rows:
                    copy.write_row([_copy_value(values[c]) for c in columns[:-2]] + [vector, title_vector])
        return
    # SQLite returns the new primary keys (RETURNING, SQLite 3.35+), which the FTS rows take as rowids.
    pks = [entry.pk for entry in SearchEntry.objects.bulk_create([SearchEntry(**row[0]) for row in rows])]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO portal_search_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [(pk, title, body) for pk, (_, _, _, title, body) in zip(pks, rows)],
        )


def _document_batches(batch_size):
    """Public documents in batches of Entry, read by primary-key keyset."""
    from disclosure.models import Attachment, Topic
    from disclosure.permissions import public_documents

    paths = {topic.pk: topic_path(topic) for topic in Topic.objects.all()}
    fields = ["pk", "title", "document_number", "body", "organisation_id", "topic_id", "publish_date", "validity"]
    last = 0
    while True:
        documents = list(public_documents().filter(pk__gt=last).order_by("pk").only(*fields)[:batch_size])
        if not documents:
            return
        last = documents[-1].pk
        attachments = {}
        for document_id, name in Attachment.objects.filter(document__in=documents).order_by(
            "position", "pk"
        ).values_list("document_id", "file"):
            attachments.setdefault(document_id, []).append(name)
        yield [document_entry(d, topic_paths=paths, attachments=attachments.get(d.pk, [])) for d in documents]


def _other_entries():
    from catalog.models import CatalogueItem
    from catalog.permissions import public_catalogues
    from disclosure.models import GazetteIssue
    from disclosure.permissions import public_documents

    from .selectors import public_organisations

    entries = [organisation_entry(o) for o in public_organisations()]
    for item in CatalogueItem.objects.filter(catalogue__in=public_catalogues()).select_related("catalogue"):
        entries.append(item_entry(item, item.catalogue))
    for issue in GazetteIssue.objects.filter(is_published=True):
        titles = public_documents().filter(gazette_issues=issue).values_list("title", flat=True)
        entries.append(gazette_entry(issue, list(titles)))
    return entries


# The index's PostgreSQL indexes (migrations 0007 and 0008), dropped for a rebuild's COPY and built again.
INDEXES = {
    "search_entry_vector": "CREATE INDEX search_entry_vector ON portal_searchentry USING gin (vector)",
    "search_entry_title_vector": "CREATE INDEX search_entry_title_vector ON portal_searchentry USING gin (title_vector)",
    "search_entry_document_date": "CREATE INDEX search_entry_document_date ON portal_searchentry"
    " (date DESC NULLS LAST, id DESC) WHERE kind = 'document'",
    "search_entry_other_vector": "CREATE INDEX search_entry_other_vector ON portal_searchentry USING gin (vector)"
    " WHERE kind <> 'document'",
}


def rebuild(*, workers=None, batch_size=2000, progress=None):
    """Empty the index and fill it again from everything public, in one transaction (searches see the
    old index until it commits). Words are cut in a pool of `workers` processes (default: one per
    core); on PostgreSQL rows go in by COPY with the GIN index dropped and built again at the end.
    `progress(count)` is called after each batch. Returns the number of entries written."""
    workers = workers or os.cpu_count() or 1
    total = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("LOCK TABLE portal_searchentry IN ACCESS EXCLUSIVE MODE")
                # TRUNCATE refuses a table with deferred foreign-key checks pending (rows written earlier
                # in this transaction, e.g. by a seeding command): run them now, then defer again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE portal_searchentry")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for name in INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
            else:
                cursor.execute("DELETE FROM portal_search_fts")
                SearchEntry.objects.all().delete()
        _store_batch(_cut_batch(_other_entries()))
        batches = _document_batches(batch_size)

        def store(rows):
            nonlocal total
            _store_batch(rows)
            total += len(rows)
            if progress:
                progress(total)

        if workers > 1:
            # Batches are read here, in this thread's connection and transaction, and cut in forked
            # workers that never touch the database; a few are in flight while the next is read.
            with multiprocessing.get_context("fork").Pool(workers, initializer=tokenizer) as pool:
                pending = collections.deque()
                for batch in batches:
                    pending.append(pool.apply_async(_cut_batch, (batch,)))
                    if len(pending) >= 2 * workers:
                        store(pending.popleft().get())
                while pending:
                    store(pending.popleft().get())
        else:
            for batch in batches:
                store(_cut_batch(batch))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as for TRUNCATE: the COPY's checks, now
                for sql in INDEXES.values():
                    cursor.execute(sql)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("ANALYZE portal_searchentry")
    return SearchEntry.objects.count()


# ---------------------------------------------------------------- reading the index

@dataclass
class Query:
    """What a person typed, read: the terms (shown as chips) and the words all of which must match."""

    terms: list
    tokens: list
    messages: list

    @property
    def text(self):
        return " ".join(self.terms)


def _minimal(tokens):
    # jieba's search mode gives a long word and its sub-words; the index has the sub-words of whatever
    # it cut, so requiring only the smallest pieces finds 建设项目 inside 重大建设项目计划.
    unique = list(dict.fromkeys(tokens))
    return [t for t in unique if not any(o != t and o in t for o in unique)]


def parse(raw_terms):
    """Read the query's terms (each space-separated piece, 二次搜索's earlier ones first)."""
    messages = []
    text = " ".join(raw_terms)
    if len(text) > MAX_QUERY_LENGTH:
        messages.append(f"关键词过长，只按前{MAX_QUERY_LENGTH}个字搜索。")
        text = text[:MAX_QUERY_LENGTH]
    terms = list(dict.fromkeys(text.split()))
    if len(terms) > MAX_TERMS:
        messages.append(f"最多组合{MAX_TERMS}个关键词，其余的已忽略。")
        terms = terms[:MAX_TERMS]
    tokens = []
    for term in terms:
        number = document_number_word(term)
        tokens.extend([number] if number else _minimal(query_words(term)))
    tokens = list(dict.fromkeys(tokens))
    if len(tokens) > MAX_TOKENS:
        messages.append("关键词太多，只按前面的词语搜索。")
        tokens = tokens[:MAX_TOKENS]
    if terms and not tokens:
        if any(_clean(normalise(term)) for term in terms):
            messages.append("请输入至少两个字的词语，例如“低保”“医保”“征地”。")
        else:
            messages.append("没有可以搜索的词语：请输入中文词语、文号或数字。")
    return Query(terms=terms, tokens=tokens, messages=messages)


def _fts5(tokens):
    return " AND ".join('"' + token.replace('"', '""') + '"' for token in tokens)


def _tsquery(tokens):
    return " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in tokens)


@dataclass
class Filters:
    kind: str = ""
    organisation_id: int | None = None
    topic_code: str = ""
    date_from: object = None
    date_to: object = None
    validity: str = ""

    @property
    def active(self):
        return any([self.kind, self.organisation_id, self.topic_code, self.date_from, self.date_to, self.validity])

    def sql(self, alias):
        where, params = [], []
        if self.kind:
            where.append(f"{alias}.kind = %s")
            params.append(self.kind)
        if self.organisation_id:
            where.append(f"{alias}.organisation_id = %s")
            params.append(self.organisation_id)
        if self.topic_code:
            where.append(f"{alias}.topic_path LIKE %s")
            params.append(f"%/{self.topic_code}/%")
        if self.date_from:
            where.append(f"{alias}.date >= %s")
            params.append(self.date_from)
        if self.date_to:
            where.append(f"{alias}.date <= %s")
            params.append(self.date_to)
        if self.validity:
            where.append(f"{alias}.validity = %s")
            params.append(self.validity)
        return "".join(f" AND {w}" for w in where), params


def candidates(tokens, filters=None, limit=None, *, by_date=False):
    """[(id, score, date)] of at most `limit` entries of each kind of probe matching every token (the
    best, or with `by_date` the newest): one query, no COUNT and no ranking of everything that
    matches. The score is how many of the tokens the title holds; `run` orders by it, then by date."""
    filters = filters or Filters()
    limit = limit or CANDIDATES + 1
    where, params = filters.sql("e")
    if connection.vendor != "postgresql":
        # SQLite serves one process and a demo's data: every match is scored and sorted, the same way
        # (FTS5's title column holds the title's words, space-separated).
        score = " + ".join(["(instr(' ' || portal_search_fts.title || ' ', %s) > 0)"] * len(tokens))
        sql = (
            f"SELECT e.id, {score} AS score, e.date FROM portal_search_fts JOIN portal_searchentry e"
            f" ON e.id = portal_search_fts.rowid WHERE portal_search_fts MATCH %s{where}"
            f" ORDER BY {'' if by_date else 'score DESC, '}e.date DESC, e.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(f" {token} " for token in tokens), _fts5(tokens), *params, limit])
            return cursor.fetchall()
    # Documents are nearly all of the index and a common word (通知) is in every one of them, so they
    # are never taken from the GIN index's whole match set, which grows with the table: walking
    # search_entry_document_date newest first and checking each row stops after `limit` matches (the
    # planner still takes the GIN index for a rare word, whose matches are few). Titles are probed
    # first; when they alone fill the candidates, every body-only match would rank below them, so
    # the body probe is skipped (its One-Time Filter); sorted by date, the body probe alone gives the
    # newest matches, titles included. The other kinds (catalogue items, organisations, gazette
    # issues) are a few thousand rows whatever the number of documents, read through their own
    # partial GIN index, search_entry_other_vector.
    plain = _tsquery(tokens)
    score = " + ".join(["(e.title_vector @@ CAST(%s AS tsquery))::int"] * len(tokens))
    score_args = [_tsquery([token]) for token in tokens]
    newest = " ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT %s"
    documents = filters.kind in ("", Kind.DOCUMENT)
    others = filters.kind != Kind.DOCUMENT
    parts, args = [], []
    if documents and by_date:
        parts.append(
            f"(SELECT e.id, e.date, {score} FROM portal_searchentry e WHERE e.kind = 'document'"
            f" AND e.vector @@ CAST(%s AS tsquery){where}{newest})"
        )
        args += [*score_args, plain, *params, limit]
    elif documents:
        parts.append(
            f"SELECT id, date, {len(tokens)} AS score FROM titles UNION ALL "
            f"(SELECT e.id, e.date, {score} FROM portal_searchentry e WHERE e.kind = 'document'"
            f" AND e.vector @@ CAST(%s AS tsquery){where} AND (SELECT count(*) FROM titles) < %s{newest})"
        )
        args += [*score_args, plain, *params, limit, limit]
    if others:
        parts.append(
            f"(SELECT e.id, e.date, {score} AS score FROM portal_searchentry e WHERE e.kind <> 'document'"
            f" AND e.vector @@ CAST(%s AS tsquery){where} ORDER BY {'' if by_date else '3 DESC, '}e.date DESC NULLS LAST,"
            " e.id DESC LIMIT %s)"
        )
        args += [*score_args, plain, *params, limit]
    sql = " UNION ALL ".join(parts)
    if documents and not by_date:
        sql = (
            "WITH titles AS MATERIALIZED (SELECT e.id, e.date FROM portal_searchentry e WHERE e.kind = 'document'"
            f" AND e.title_vector @@ CAST(%s AS tsquery){where}{newest}) " + sql
        )
        args = [plain, *params, limit, *args]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(pk, rank, date) for pk, date, rank in cursor.fetchall()]


def matching_ids(kind, tokens):
    """A subquery of the object ids of `kind` matching every token (for the document list's and the
    API's `q`, which keep their own order and keyset paging)."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT object_id FROM portal_searchentry WHERE kind = %s AND vector @@ CAST(%s AS tsquery)",
            [kind, _tsquery(tokens)],
        )
    return RawSQL(
        "SELECT e.object_id FROM portal_search_fts JOIN portal_searchentry e ON e.id = portal_search_fts.rowid"
        " WHERE portal_search_fts MATCH %s AND e.kind = %s",
        [_fts5(tokens), kind],
    )


@dataclass
class Result:
    entry: SearchEntry
    title_html: str
    snippet_html: str


@dataclass
class Results:
    rows: list
    count: int
    capped: bool
    page: int
    pages: int

    @property
    def count_text(self):
        return f"{CANDIDATES}+" if self.capped else str(self.count)


def _highlighter(tokens):
    pieces = sorted(set(tokens), key=len, reverse=True)
    if not pieces:
        return None
    return re.compile("|".join(re.escape(p) for p in pieces), re.IGNORECASE)


def highlight(text, pattern):
    """`text` escaped, with the matched words in <mark>."""
    if pattern is None:
        return escape(text)
    normalised = normalise(text)
    if len(normalised) != len(text):  # NFKC changed the length: match on the text as written
        normalised = text.lower()
    out, last = [], 0
    for match in pattern.finditer(normalised):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(text[match.start():match.end()])}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text, pattern, width=120):
    """About `width` characters of `text` around its first match (its start when nothing matches)."""
    start = 0
    if pattern is not None:
        normalised = normalise(text)
        match = pattern.search(normalised if len(normalised) == len(text) else text.lower())
        if match:
            start = max(0, match.start() - width // 3)
    piece = text[start:start + width]
    return highlight(("…" if start else "") + piece + ("…" if start + width < len(text) else ""), pattern)


def _highlight_pattern(query):
    tokens = list(query.tokens)
    for term in query.terms:
        if document_number_word(term):
            tokens.append(normalise(term))  # the 文号 as it is shown: highlighted only when typed so
    return _highlighter(tokens)


def run(query, filters=None, *, sort="relevance", page=1):
    """One page of results: two queries (the candidates, then the page's entries)."""
    if not query.tokens:
        return Results(rows=[], count=0, capped=False, page=1, pages=0)
    found = {}
    for row in candidates(query.tokens, filters, by_date=sort == "date"):  # a title match is also a body match
        if row[0] not in found or row[1] > found[row[0]][1]:
            found[row[0]] = row
    capped = len(found) > CANDIDATES
    ordered = sorted(found.values(), key=lambda r: (r[1], r[2] or _EPOCH, r[0]), reverse=True)
    if sort == "date":
        ordered = sorted(ordered, key=lambda r: (r[2] or _EPOCH, r[1], r[0]), reverse=True)
    ordered = ordered[:CANDIDATES]
    pages = math.ceil(len(ordered) / PAGE_SIZE)
    page = min(max(page, 1), max(pages, 1))
    ids = [row[0] for row in ordered[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]]
    entries = SearchEntry.objects.filter(pk__in=ids).select_related("organisation").defer("vector", "title_vector").in_bulk()
    pattern = _highlight_pattern(query)
    rows = [
        Result(entries[pk], highlight(entries[pk].title, pattern), snippet(entries[pk].text, pattern))
        for pk in ids if pk in entries
    ]
    return Results(rows=rows, count=len(ordered), capped=capped, page=page, pages=pages)


_EPOCH = datetime.date(1, 1, 1)

OPTIONS_CACHE_KEY = "portal.search.options.v1"


def filter_options():
    """The filters' choices (organisations, topics), read once every few minutes rather than per search."""

    def build():
        from disclosure.models import Topic

        organisations = list(
            Organisation.objects.filter(is_disclosure_body=True).order_by("tree_id", "lft").values_list("pk", "name")
        )
        topics = [(t.code, str(t) if t.parent_id else t.name) for t in Topic.objects.select_related("parent").order_by("code")]
        return {"organisations": organisations, "topics": topics}

    return cache.get_or_set(OPTIONS_CACHE_KEY, build, 300)


SORTS = {"relevance": "相关度", "date": "日期"}


def options_html(name, choices, selected, blank="全部"):
    """The <option>s of the filters' <select> `name`. Built here, not by the template language (the
    organisations' and topics' 170 options cost more there than the rest of the search page), and
    once per public generation (organisations and topics bump it), each search marking its choice."""

    def build():
        parts = [f'<option value="">{blank}</option>'] if blank else []
        parts += [f'<option value="{html.escape(str(value))}">{html.escape(str(label))}</option>' for value, label in choices]
        return "".join(parts)

    options = rendered_once(("search-options", name), build)
    return mark_selected(options, selected) if selected not in (None, "") else mark_safe(options)


def read_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10**12 else None


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def read_filters(params):
    """The filters of the search page from its query string; a value that is not one of the choices
    is dropped with a message instead of failing the page. Returns (Filters, messages)."""
    filters, messages = Filters(), []
    options = filter_options()
    kind = params.get("kind", "")
    if kind in Kind.values:
        filters.kind = kind
    elif kind:
        messages.append("没有这种类别，已按全部类别搜索。")
    organisation = params.get("organisation", "")
    if organisation:
        filters.organisation_id = read_int(organisation)
        if filters.organisation_id not in {pk for pk, _ in options["organisations"]}:
            filters.organisation_id = None
            messages.append("没有这个发布机构，已按全部机构搜索。")
    topic = params.get("topic", "")
    if topic:
        if topic in {code for code, _ in options["topics"]}:
            filters.topic_code = topic
        else:
            messages.append("没有这个主题分类，已按全部主题搜索。")
    from disclosure.models import Document

    validity = params.get("validity", "")
    if validity in Document.Validity.values:
        filters.validity = validity
    elif validity:
        messages.append("没有这种有效性，已按全部搜索。")
    year = params.get("year", "")
    if year:
        number = read_int(year)
        if number and 1949 <= number <= 2100:
            filters.date_from, filters.date_to = datetime.date(number, 1, 1), datetime.date(number, 12, 31)
        else:
            messages.append("年份应为四位数字，例如2026，已忽略。")
    for name, attribute in (("from", "date_from"), ("to", "date_to")):
        value = params.get(name, "")
        if value:
            day = _date(value)
            if day is None:
                messages.append("日期应写成2026-01-31这样的格式，已忽略。")
            else:
                setattr(filters, attribute, day)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        messages.append("起始日期晚于截止日期，已对调。")
        filters.date_from, filters.date_to = filters.date_to, filters.date_from
    return filters, messages
