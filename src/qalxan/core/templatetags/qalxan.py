"""Template helpers of the platform."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

# Choice labels per (model, field, language), made once: translations do not change while a process runs.
_CHOICE_LABELS: dict[tuple[type, str, str], dict[Any, str]] = {}


@register.filter
def display(obj: Any, field_name: str) -> Any:
    """`obj.get_<field>_display()` for long lists: Django rebuilds the label map and translates every
    choice on each call."""
    value = getattr(obj, field_name)
    key = (type(obj), field_name, get_language() or "")
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = {k: str(v) for k, v in obj._meta.get_field(field_name).flatchoices}
        _CHOICE_LABELS[key] = labels
    return labels.get(value, value)


@register.simple_tag
def filter_widget(bound: forms.BoundField) -> SafeString:
    """A filter field rendered in one pass (Django's per-option widget templates cost milliseconds a page)."""
    widget = bound.field.widget
    choices = getattr(bound.field, "choices", None)
    if choices is None or not isinstance(widget, forms.Select | forms.SelectMultiple):
        return bound.as_widget()
    if isinstance(choices, ModelChoiceIterator):
        # Django reads model choices with `.iterator()`, i.e. a server-side cursor on PostgreSQL
        # (DECLARE, FETCH, CLOSE: three round trips for a table of a few rows); one plain query.
        # The same options in the same order, with django-filter's "null" option after the empty one.
        field: Any = bound.field
        first: list[tuple[Any, Any]] = []
        if getattr(field, "empty_label", None) is not None:
            first.append(("", field.empty_label))
        if getattr(field, "null_label", None) is not None:
            first.append((field.null_value, field.null_label))
        choices = first + [choices.choice(obj) for obj in choices.queryset.all()]
    multiple = isinstance(widget, forms.SelectMultiple)
    value: Any = bound.value()
    selected = {
        str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")
    }
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, " selected" if str(key) in selected else "", label) for key, label in choices),
    )
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        bound.html_name,
        bound.auto_id or "",
        " multiple" if multiple else "",
        options,
    )
