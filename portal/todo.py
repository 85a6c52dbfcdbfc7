"""The staff home's 待办事项: what waits for the user, section by section. Portal knows no other app:
each app registers `sections(user) -> list[TodoSection]` here from its AppConfig.ready()."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

ITEMS_SHOWN = 5

_providers = []


@dataclass
class TodoItem:
    title: str
    url: str
    organisation: str = ""
    waiting: str = ""  # how long it has waited, or the working days left, as a person reads it
    urgent: bool = False


@dataclass
class TodoSection:
    title: str
    count: int
    url: str  # the admin list filtered to exactly what `count` counts
    items: list[TodoItem] = field(default_factory=list)


def register(provider):
    """Add an app's `sections(user)`; registering the same function twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections(user):
    """The non-empty sections every registered app has for `user`, in the apps' order."""
    return [section for provider in _providers for section in provider(user) if section is not None and section.count]


def section(title, queryset, *, url, item, rows=None):
    """A section counting `queryset`, showing its first rows (`rows`, ordered, or `queryset`) through `item`.
    Two queries, whatever the number of rows; one when there is nothing."""
    count = queryset.count()
    if not count:
        return None
    shown = (queryset if rows is None else rows)[:ITEMS_SHOWN]
    return TodoSection(title=title, count=count, url=url, items=[item(row) for row in shown])


def admin_list_url(model, **filters):
    """The admin change list of `model` with `filters` as its query string."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def admin_change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def days_since(moment, now):
    """Whole days from `moment` (a datetime, or None) to `now`."""
    return max((now - moment).days, 0) if moment else 0


def waited(moment, now):
    """How long something has waited since `moment`, as the to-do list says it."""
    days = days_since(moment, now)
    return f"已等待{days}天" if days else "不足1天"
