"""The API's filter backend: django-filter's, without the work when a request asks for no filter.

Binding a filterset copies every declared filter and builds and validates a form; a request whose
query string names none of the filters (a plain list, a detail route, `?page=3`) would pay that for
nothing, since an empty filter value never narrows a queryset.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = tuple(filterset_class.base_filters)
        # A filter's form field may be several query parameters (`<name>_after`, `<name>_min`, ...).
        if not any(key == n or key.startswith(n + "_") for key in request.query_params for n in names):
            return queryset
        return super().filter_queryset(request, queryset, view)
