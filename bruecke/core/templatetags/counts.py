"""A list's count as the page says it: exact up to the counting limit, "mehr als 10.000"
above it (`CappedPaginator`, decision 0068).

A caption is written once, as its translated plural sentence ("{{ counter }} exports"),
and passed through `capped_caption`: when the list was counted only up to the limit, the
number in it becomes "mehr als 10.000" / "more than 10,000". The caption's own wording
and its translations stay as they are.

    {% load counts %}
    {% blocktranslate asvar caption count counter=page.paginator.count %}…{% endblocktranslate %}
    <caption>{{ caption|capped_caption:page.paginator }}</caption>
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _more_than(paginator: Any) -> str:
    return f"{gettext('more than')} {paginator.limit_display}"


@register.filter(is_safe=True)
def capped_caption(caption: str, paginator: Any) -> str:
    """The caption with its count replaced by "more than <limit>" when the list is capped."""
    if not getattr(paginator, "capped", False):
        return caption
    text = conditional_escape(caption)
    shown = conditional_escape(_more_than(paginator))
    number = str(localize(paginator.count))  # as the caption's {{ counter }} rendered it
    if number in text:
        return mark_safe(text.replace(number, shown, 1))
    return mark_safe(f"{shown} {text}")


@register.filter
def capped_count(paginator: Any) -> str | int:
    """A bare count (a badge, a heading's number): "more than 10.000" when capped."""
    if getattr(paginator, "capped", False):
        return _more_than(paginator)
    return int(getattr(paginator, "count", 0))
