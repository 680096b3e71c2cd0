"""Template helpers that put the KERN design system's classes on Django's output."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# KERN styles controls through classes, not element selectors: each widget type gets its own.
_CHECK_WIDGETS = {
    "checkbox": "kern-form-check__checkbox",
    "checkboxselectmultiple": "kern-form-check__checkbox",
}
_RADIO_WIDGETS = {"radioselect": "kern-form-check__radio"}
_SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect", "countryselectwidget"}

_ALERT_KINDS = {
    "success": "success",
    "error": "danger",
    "danger": "danger",
    "warning": "warning",
    "info": "info",
    "debug": "info",
}


def widget_class(field: BoundField) -> str:
    kind = field.widget_type
    if kind in _CHECK_WIDGETS:
        base = _CHECK_WIDGETS[kind]
    elif kind in _RADIO_WIDGETS:
        base = _RADIO_WIDGETS[kind]
    elif kind in _SELECT_WIDGETS:
        base = "kern-form-input__select"
    else:
        base = "kern-form-input__input"
    return f"{base} {base}--error" if field.errors else base


@register.filter
def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with its KERN class (keeping any class the form set)."""
    own = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{widget_class(field)} {own}".strip()})


@register.filter
def kern_options(field: BoundField) -> list[dict[str, str]]:
    """The inputs of a radio or checkbox list, each with its KERN class, for KERN's
    check markup (input and label side by side instead of Django's label-wrapped input)."""
    css = widget_class(field)
    options = []
    for option in field.subwidgets:
        option.data["attrs"] = {**option.data["attrs"], "class": css}
        options.append({"tag": option.tag(), "id": option.id_for_label, "label": option.choice_label})
    return options


@register.filter
def is_select(field: BoundField) -> bool:
    return field.widget_type in _SELECT_WIDGETS


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}


@register.filter
def alert_kind(level: str) -> str:
    """A message level (Django's tags) as a KERN alert variant; unknown levels are informational."""
    return _ALERT_KINDS.get(str(level), "info")
