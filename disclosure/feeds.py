"""RSS and Atom feeds of newly published 主动公开 information, overall and per organisation."""

from datetime import datetime, time
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from portal.api import conditional_get
from portal.cache import public_page
from portal.selectors import disclosure_bodies

from .selectors import public_listing

FEED_SIZE = 50


def revalidated(view):
    """Cache-Control: no-cache and an ETag of the body: a shared cache may keep a feed or a sitemap but
    asks us each time (a 304 when nothing changed), so a withdrawn document leaves it with the next
    request. No Last-Modified: it is the newest item's date, which a withdrawal does not move, so
    If-Modified-Since would keep the withdrawn item."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "add_post_render_callback", None)) and not response.is_rendered:
            response.add_post_render_callback(_revalidate)
        else:
            _revalidate(response)
        return response

    return conditional_get(wrapped)


def _revalidate(response):
    del response["Last-Modified"]
    response["Cache-Control"] = "no-cache"


class LatestDocumentsFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        return revalidated(public_page(super().__call__))(request, *args, **kwargs)

    def get_object(self, request, pk=None):
        return get_object_or_404(disclosure_bodies(), pk=pk) if pk is not None else None

    def title(self, organisation):
        return f"{organisation.name if organisation else settings.SITE_NAME} 政府信息公开"

    def link(self, organisation):
        return reverse("disclosure:organisation_detail", args=[organisation.pk]) if organisation else reverse("disclosure:column")

    def description(self, organisation):
        return "最新主动公开的政府信息"

    def items(self, organisation):
        qs = public_listing()
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        return qs[:FEED_SIZE]

    def item_title(self, document):
        return document.title

    def item_description(self, document):
        number = f"{document.document_number}　" if document.document_number else ""
        return f"{document.organisation.name}　{number}{Truncator(strip_tags(document.body)).chars(200)}"

    def item_link(self, document):
        return reverse("disclosure:document_detail", args=[document.pk])

    def item_pubdate(self, document):
        return timezone.make_aware(datetime.combine(document.publish_date, time(9, 0)))

    def item_author_name(self, document):
        return document.organisation.name


class LatestDocumentsAtomFeed(LatestDocumentsFeed):
    feed_type = Atom1Feed
    subtitle = LatestDocumentsFeed.description
