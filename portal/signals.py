"""Signals portal sends for the apps that build on it; portal itself imports none of them."""

from django.dispatch import Signal

# Sent inside the transaction that saved, imported or deleted CalendarDay rows, with `by` (the user).
# Every deadline counted in working days may have moved: requests_app recomputes open applications'
# due dates, disclosure the 公开时限 of unpublished documents. A receiver returns a sentence for the
# person who changed the calendar (e.g. "已重新计算……：2件有变化"), or None.
calendar_changed = Signal()
