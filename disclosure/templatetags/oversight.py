from django import template

from portal.permissions import is_county_office as _is_county_office

register = template.Library()


@register.filter
def is_county_office(user):
    """The admin home links the oversight dashboard for the county office only."""
    return _is_county_office(user)
