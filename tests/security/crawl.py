"""A crawler of the public site for the leak tests: breadth first from the given addresses, following
every same-host link of HTML pages, feeds, sitemaps, JSON and Link headers, each API list in every
format, bounded; and the text of every answer, files included (PDF, .docx, .xlsx read back)."""

import collections
import csv
import html
import io
import json
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

HOST = "testserver"
NOT_PUBLIC = ("/admin/", "/static/")
API_FORMATS = ("json", "csv", "xlsx")
LINK_RE = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""", re.I)
XML_LINK_RE = re.compile(r"<(?:loc|link|id|uri)>\s*([^<\s]+)\s*</", re.I)


def text_of(response):
    """Everything a reader of the answer gets: its headers and its body, files read as text."""
    body = response.getvalue()
    kind = response.get("Content-Type", "")
    parts = [" ".join(f"{k}: {v}" for k, v in response.items())]
    if body.startswith(b"%PDF"):
        parts.append(pdf_text(body))
    elif body.startswith(b"PK"):
        parts.append(office_text(body))
    else:
        parts.append(body.decode("utf-8-sig", errors="replace"))
        if "csv" in kind:
            parts.append("\n".join(",".join(row) for row in csv.reader(io.StringIO(parts[-1]))))
    return html.unescape("\n".join(parts))


def pdf_text(body):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    texts = [page.extract_text() or "" for page in reader.pages]
    texts.append(str(reader.metadata or {}))
    return "\n".join(texts)


def office_text(body):
    """A .docx or .xlsx (or any zip): every XML part's text, which holds what Word or Excel shows."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        return body.decode("utf-8", errors="replace")
    texts = [name for name in archive.namelist()]
    for name in archive.namelist():
        if name.endswith((".xml", ".rels", ".txt", ".csv")):
            texts.append(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", errors="replace")))
    return "\n".join(texts)


def _same_host(base, link):
    link = html.unescape(link.strip())
    if not link or link.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    absolute = urljoin(base, link)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname != HOST:
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


def links_of(url, response, text):
    base = f"http://{HOST}{url}"
    body = response.getvalue()
    body = "" if body.startswith((b"%PDF", b"PK")) else body.decode("utf-8", errors="replace")
    found = LINK_RE.findall(body) + XML_LINK_RE.findall(body)
    link_header = response.get("Link", "")
    found += re.findall(r"<([^>]+)>", link_header)
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            found += [value for value in _strings(json.loads(body)) if value.startswith(("/", f"http://{HOST}/"))]
        except ValueError:
            pass
    return [address for address in (_same_host(base, link) for link in found) if address]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def variants(address):
    """An API list also in every format; everything else as it is (details' formats: tests/api)."""
    parts = urlsplit(address)
    query = dict(parse_qsl(parts.query))
    if not parts.path.startswith("/api/v1/") or parts.path.count("/") != 4 or "format" in query:
        return [address]
    return [address, *(urlunsplit(("", "", parts.path, urlencode({**query, "format": f}), "")) for f in API_FORMATS)]


class Crawl:
    """The pages fetched (address → text) and their statuses. Every seed is fetched; `limit` bounds
    the addresses found by following links, `per_path` the query-string variants of one path
    (filters, pages, sorts)."""

    def __init__(self, client, seeds, *, limit=500, per_path=6):
        self.client, self.limit, self.per_path = client, limit, per_path
        self.texts, self.statuses = {}, {}
        queue = collections.deque(a for seed in seeds for a in variants(seed))
        seen, per_path_count = set(queue), collections.Counter()
        limit += len(queue)
        while queue and len(self.texts) < limit:
            address = queue.popleft()
            response = self.fetch(address)
            if response is None or response.status_code != 200:
                continue
            for link in links_of(address, response, self.texts[address]):
                for variant in variants(link):
                    path = urlsplit(variant).path
                    if variant in seen or path.startswith(NOT_PUBLIC):
                        continue
                    if urlsplit(variant).query:
                        per_path_count[path] += 1
                        if per_path_count[path] > per_path:
                            continue
                    seen.add(variant)
                    queue.append(variant)

    def fetch(self, address):
        response = self.client.get(address)
        self.statuses[address] = response.status_code
        self.texts[address] = text_of(response) if response.status_code == 200 else response.content.decode(
            "utf-8", errors="replace")
        return response

    def found(self, marker):
        """The addresses whose answer holds `marker`."""
        return sorted(address for address, text in self.texts.items() if marker in text)

    def server_errors(self):
        return sorted(address for address, status in self.statuses.items() if status >= 500)
