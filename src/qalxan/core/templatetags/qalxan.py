"""Template helpers of the platform."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def filter_widget(bound: forms.BoundField) -> SafeString:
    """A filter field rendered in one pass (Django's per-option widget templates cost milliseconds a page)."""
    widget = bound.field.widget
    choices = getattr(bound.field, "choices", None)
    if choices is None or not isinstance(widget, forms.Select | forms.SelectMultiple):
        return bound.as_widget()
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
