"""Template helpers of the platform."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
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


# Django's templates of the plain `<input>` widgets: each includes "input.html" and nothing else.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "date", "datetime", "time", "search", "tel", "hidden")
)


_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _widget_context(bound: forms.BoundField, widget: forms.Widget) -> dict[str, Any]:
    """The context `bound.as_widget()` renders its widget's template with."""
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return dict(widget.get_context(bound.html_name, bound.value(), attrs)["widget"])


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's "attrs.html": ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            parts.append(f' {conditional_escape(name)}="{escape(str(value))}"')
    return "".join(parts)


def _input(bound: forms.BoundField, widget: forms.Widget) -> SafeString:
    """`bound.as_widget()` for a plain `<input>` widget, written as Django's "input.html" writes it
    (the template renderer costs a few tenths of a millisecond per field)."""
    context = _widget_context(bound, widget)
    value = "" if context["value"] is None else f' value="{escape(str(context["value"]))}"'
    html = (
        f'<input type="{conditional_escape(context["type"])}" name="{conditional_escape(context["name"])}"'
        f"{value}{_attrs(context['attrs'])}>"
    )
    return mark_safe(html)  # noqa: S308  # every value above is escaped


def _select(bound: forms.BoundField, widget: forms.Widget) -> SafeString:
    """`bound.as_widget()` for a `<select>` whose options are not read from the database (e.g. yes / no /
    unknown), written as Django's "select.html" and "select_option.html" write it."""
    context = _widget_context(bound, widget)
    parts = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
    for group_name, group_choices, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped


# The escaped options of fixed choices, per shared filter form class (one per filterset and language,
# see core.filtersets.FilterSet) and field: escaping every label on every page cost a millisecond.
_OPTIONS: dict[tuple[type, str], list[tuple[str, str, str]]] = {}


def _options(bound: forms.BoundField, choices: Any) -> list[tuple[str, str, str]]:
    """(value, escaped value, escaped label) of each option of a choice field, in order."""
    field: Any = bound.field
    declared = getattr(field, "_choices", None)
    # django-filter wraps the declared choices (with its empty and "null" options) in a ChoiceIterator.
    declared = getattr(declared, "choices", declared)
    fixed = isinstance(declared, list | tuple) and not isinstance(choices, ModelChoiceIterator)
    key = None
    if fixed and getattr(type(bound.form), "shared_across_requests", False):
        key = (type(bound.form), bound.name)
        cached = _OPTIONS.get(key)
        if cached is not None:
            return cached
    if isinstance(choices, ModelChoiceIterator):
        # Django reads model choices with `.iterator()`, i.e. a server-side cursor on PostgreSQL
        # (DECLARE, FETCH, CLOSE: three round trips for a table of a few rows); one plain query.
        # The same options in the same order, with django-filter's "null" option after the empty one.
        first: list[tuple[Any, Any]] = []
        if getattr(field, "empty_label", None) is not None:
            first.append(("", field.empty_label))
        if getattr(field, "null_label", None) is not None:
            first.append((field.null_value, field.null_label))
        objects = field.objects() if hasattr(field, "objects") else choices.queryset.all()
        choices = first + [choices.choice(obj) for obj in objects]
    options = [(str(k), str(conditional_escape(k)), str(conditional_escape(label))) for k, label in choices]
    if key is not None:
        _OPTIONS[key] = options
    return options


@register.simple_tag
def filter_widget(bound: forms.BoundField) -> SafeString:
    """A filter field rendered in one pass (Django's per-option widget templates cost milliseconds a page)."""
    widget = bound.field.widget
    choices = getattr(bound.field, "choices", None)
    if choices is None or not isinstance(widget, forms.Select | forms.SelectMultiple):
        if widget.template_name in _INPUT_TEMPLATES:
            return _input(bound, widget)
        if widget.template_name == _SELECT_TEMPLATE and widget.option_template_name == _OPTION_TEMPLATE:
            return _select(bound, widget)
        return bound.as_widget()
    multiple = isinstance(widget, forms.SelectMultiple)
    value: Any = bound.value()
    selected = {
        str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")
    }
    options = mark_safe(  # noqa: S308  # keys and labels escaped by _options
        "".join(
            f'<option value="{key}"{" selected" if raw in selected else ""}>{label}</option>'
            for raw, key, label in _options(bound, choices)
        )
    )
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        bound.html_name,
        bound.auto_id or "",
        " multiple" if multiple else "",
        options,
    )
