"""Generic UI views: list (with one filterset and htmx paging), detail, edit, delete and bulk import.

Every view reads through tenancy (`restrict`) and writes through a service the subclass names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django_tables2 import RequestConfig, Table

from qalxan.core import importers
from qalxan.core.http import AuthenticatedRequest
from qalxan.core.models import ImportBatch
from qalxan.core.templatetags.qalxan import filter_widget
from qalxan.core.tenancy import can, default_view_permission, has_permission, restrict


class PermissionRequiredView(LoginRequiredMixin, View):
    """A view that needs one permission somewhere (the object check comes later)."""

    permission: ClassVar[str | None] = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        perm = self.get_permission()
        if perm and not has_permission(request.user, perm):
            raise PermissionDenied(_("You do not have permission to open this page."))
        return super().dispatch(request, *args, **kwargs)

    def get_permission(self) -> str | None:
        return self.permission


class ObjectMixin:
    queryset: ClassVar[models.QuerySet[Any]]
    request: HttpRequest
    kwargs: dict[str, Any]

    @property
    def model(self) -> type[models.Model]:
        return self.queryset.model

    def visible_queryset(self, permission: str | None = None) -> models.QuerySet[Any]:
        return restrict(
            self.queryset.all(), self.request.user, permission or default_view_permission(self.model)
        )

    def get_object(self) -> Any:
        return get_object_or_404(self.visible_queryset(), pk=self.kwargs["pk"])


class ObjectListView(ObjectMixin, PermissionRequiredView):
    """A filterable, sortable, paginated table; htmx requests get only the table back."""

    filterset_class: ClassVar[Any] = None
    table_class: ClassVar[type[Table]]
    template_name = "core/object_list.html"
    title: ClassVar[str | Promise] = ""
    add_url_name: ClassVar[str | None] = None
    add_permission: ClassVar[str | None] = None
    import_url_name: ClassVar[str | None] = None
    import_permission: ClassVar[str | None] = None
    export_url_name: ClassVar[str | None] = None
    # Set for long lists where template rendering per cell (and even one
    # included template per row) costs too much: the page's rows are then written by `render_row`.
    render_rows: ClassVar[bool] = False
    per_page = 25

    def get_permission(self) -> str | None:
        return self.permission or default_view_permission(self.model)

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.visible_queryset(self.get_permission())
        filterset = (
            self.filterset_class(request.GET or None, queryset=queryset) if self.filterset_class else None
        )
        if filterset is not None and filterset.is_bound and not filterset.is_valid():
            queryset = queryset.none()
        elif filterset is not None:
            queryset = filterset.qs
        table = self.get_table(queryset)
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        context = {
            "title": self.title or self.model._meta.verbose_name_plural,
            "table": table,
            "filterset": filterset,
            "add_url": reverse(self.add_url_name)
            if self.add_url_name and has_permission(request.user, self.add_permission or "")
            else None,
            "import_url": reverse(self.import_url_name)
            if self.import_url_name and has_permission(request.user, self.import_permission or "")
            else None,
            "export_url": reverse(self.export_url_name) if self.export_url_name else None,
            "rows_html": self._rows_html(table),
            "table_head": table_head_html(table, request),
            "table_pager": table_pager_html(table, request),
            "filter_fields": filter_fields_html(filterset.form) if filterset is not None else None,
            **self.extra_context(),
        }
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "object-table":
            return render(request, "core/partials/table.html", context)
        return render(request, self.template_name, context)

    def render_row(self, record: Any) -> str:
        """One `<tr>` of `record`, built with `format_html` (when `render_rows` is set)."""
        raise NotImplementedError

    def page_records(self, table: Table) -> Iterable[Any]:
        """The records of the table's current page, as `render_row` takes them (when `render_rows` is set)."""
        return (row.record for row in table.page.object_list)

    def _rows_html(self, table: Table) -> SafeString | None:
        if not self.render_rows:
            return None
        rows = "".join(self.render_row(record) for record in self.page_records(table))
        return mark_safe(rows)  # noqa: S308  # each row escapes its values (format_html or escape)

    def get_table(self, queryset: models.QuerySet[Any]) -> Table:
        return self.table_class(queryset)

    def extra_context(self) -> dict[str, Any]:
        return {}


def _querystring(request: HttpRequest, key: str, value: Any) -> str:
    """django-tables2's `{% querystring_replace key=value %}`: the request's query with one key set."""
    params: dict[str, Any] = dict(request.GET)
    params[key] = value
    return str(escape("?" + urlencode(params, doseq=True)))


def table_head_html(table: Table, request: HttpRequest) -> SafeString:
    """The header cells of `core/table.html` (a sorting link per orderable column), written directly: the
    template loop, with two query strings per column, cost more than the page's rows."""
    parts = []
    for column in table.columns:
        header = conditional_escape(column.header)
        if column.orderable:
            link = _querystring(request, table.prefixed_order_by_field, column.order_by_alias.next)
            header = SafeString(
                f'<a href="{link}" hx-get="{link}" hx-target="#object-table" hx-push-url="true">{header}</a>'
            )
        parts.append(f"\n    <th {column.attrs['th'].as_html()}>{header}</th>\n  ")
    return mark_safe("".join(parts))  # noqa: S308  # headers escaped, links escaped, attributes format_html


def table_pager_html(table: Table, request: HttpRequest) -> SafeString:
    """The pager of `core/table.html` (previous, "page n of m (k records)", next), written directly."""
    paginator, page = table.paginator, table.page
    if paginator.num_pages <= 1:
        return SafeString("")
    field = table.prefixed_page_field
    parts = [f'\n<nav class="pager" aria-label="{escape(_("Pages"))}">\n  ']
    if page.has_previous():
        link = _querystring(request, field, page.previous_page_number())
        parts.append(
            f'<a hx-get="{link}" hx-target="#object-table" hx-push-url="true" href="{link}">'
            f"‹ {escape(_('previous'))}</a>"
        )
    values = {"n": page.number, "total": paginator.num_pages, "count": paginator.count}
    text = ngettext(
        "page %(n)s of %(total)s (%(count)s record)",
        "page %(n)s of %(total)s (%(count)s records)",
        paginator.count,
    ) % {key: conditional_escape(localize(value)) for key, value in values.items()}
    parts.append(f"\n  <span>{text}</span>\n  ")
    if page.has_next():
        link = _querystring(request, field, page.next_page_number())
        parts.append(
            f'<a hx-get="{link}" hx-target="#object-table" hx-push-url="true" href="{link}">'
            f"{escape(_('next'))} ›</a>"
        )
    parts.append("\n</nav>\n")
    return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped


def filter_fields_html(form: forms.BaseForm) -> SafeString:
    """The list's filter fields, each `<label>` with its control, written directly (the template loop
    that wrote them cost more than the controls themselves)."""
    parts = []
    for field in form:
        if field.name == "q":
            control = format_html('<input type="search" name="q" value="{}">', field.value() or "")
        else:
            control = filter_widget(field)
        parts.append(format_html("\n    <label>{} {}</label>\n  ", field.label, control))
    return mark_safe("".join(parts))  # noqa: S308  # each part is built with format_html


class ObjectDetailView(ObjectMixin, PermissionRequiredView):
    template_name: ClassVar[str]

    def get_permission(self) -> str | None:
        return self.permission or default_view_permission(self.model)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object()
        return render(request, self.template_name, {"object": obj, **self.extra_context(obj)})

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}


class ObjectEditView(ObjectMixin, PermissionRequiredView):
    """Create (no pk) or edit (pk) an object; `save()` calls the service."""

    form_class: ClassVar[type[forms.BaseForm]]
    template_name = "core/object_edit.html"
    change_permission: ClassVar[str | None] = None
    add_permission: ClassVar[str | None] = None

    def get_permission(self) -> str | None:
        if "pk" in self.kwargs:
            return self.change_permission
        return self.add_permission

    def get_object_or_none(self) -> Any:
        if "pk" not in self.kwargs:
            return None
        obj = self.get_object()
        if self.change_permission and not can(self.request.user, self.change_permission, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> forms.BaseForm:
        return self.form_class(data=data, files=files, instance=obj, user=self.request.user)  # type: ignore[call-arg]

    def save(self, form: forms.BaseForm, obj: Any) -> tuple[Any, list[str]]:
        raise NotImplementedError

    def render_form(self, form: forms.BaseForm, obj: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": obj,
                "title": str(obj) if obj else _("New %(what)s") % {"what": self.model._meta.verbose_name},
                "cancel_url": obj.get_absolute_url()
                if obj is not None and hasattr(obj, "get_absolute_url")
                else "..",
            },
        )

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object_or_none()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object_or_none()
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                saved, warnings = self.save(form, obj)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(request, _("Saved."))
                return redirect(saved.get_absolute_url())
        return self.render_form(form, obj)


def add_form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else on the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ObjectDeleteView(ObjectMixin, PermissionRequiredView):
    template_name = "core/object_delete.html"
    delete_permission: ClassVar[str]
    success_url_name: ClassVar[str]

    def get_permission(self) -> str | None:
        return self.delete_permission

    def get_deletable(self) -> Any:
        obj = self.get_object()
        if not can(self.request.user, self.delete_permission, obj):
            raise PermissionDenied(_("You may not delete this record."))
        return obj

    def delete(self, obj: Any) -> None:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render(request, self.template_name, {"object": self.get_deletable()})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_deletable()
        try:
            self.delete(obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, self.template_name, {"object": obj})
        messages.success(request, _("Deleted %(obj)s.") % {"obj": obj})
        return redirect(self.success_url_name)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class BulkImportView(PermissionRequiredView):
    """Upload → preview of every bad row → confirm; the confirmed file is committed all-or-nothing."""

    importer_key: ClassVar[str]
    template_name = "core/import.html"
    done_url_name: ClassVar[str]

    @property
    def importer_class(self) -> type[importers.Importer]:
        return importers.get(self.importer_key)

    def get_permission(self) -> str | None:
        return self.importer_class.permission

    def context(self, **extra: Any) -> dict[str, Any]:
        cls = self.importer_class
        # Classes are callable, and templates call callables: pass plain values only.
        return {
            "importer_label": cls.label,
            "columns": cls.columns(),
            "required": cls.required_columns(),
            "example": cls.example,
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(form=UploadForm()))

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        importer = self.importer_class(request.user)
        if "batch" in request.POST:
            try:
                pending = ImportBatch.objects.get(
                    pk=int(request.POST["batch"]),
                    created_by=request.user,
                    importer=self.importer_key,
                    status="preview",
                )
            except (ValueError, ImportBatch.DoesNotExist) as exc:
                raise Http404 from exc
            result = importer.run(filename=pending.filename, content=bytes(pending.content), commit=True)
            pending.status = "committed" if result.committed else "rejected"
            pending.errors = [e.as_dict() for e in result.errors]
            pending.result = result.as_dict()
            pending.content = b""
            pending.save()
            if result.committed:
                for warning in result.warnings:
                    messages.warning(
                        request, _("Row %(row)d: %(msg)s") % {"row": warning.row, "msg": warning.message}
                    )
                messages.success(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect(self.done_url_name)
            return render(request, self.template_name, self.context(form=UploadForm(), result=result))
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form))
        upload = form.cleaned_data["file"]
        content = upload.read()
        result = importer.run(filename=upload.name, content=content, commit=False)
        batch: ImportBatch | None = None
        if result.ok:
            batch = ImportBatch.objects.create(
                importer=self.importer_key,
                created_by=request.user,
                filename=upload.name[:255],
                content=content,
                row_count=result.rows,
            )
        return render(
            request, self.template_name, self.context(form=UploadForm(), result=result, batch=batch)
        )
