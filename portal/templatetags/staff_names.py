"""{{ user|staff_display }}: a person by real name and organisation, as portal.admin.staff_display writes it."""

from django import template

from portal.admin import staff_display as _staff_display

register = template.Library()


@register.filter
def staff_display(user):
    return _staff_display(user)
