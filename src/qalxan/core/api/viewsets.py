"""Base viewsets: every queryset goes through tenancy."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView

from qalxan.core.api.permissions import required_permission
from qalxan.core.tenancy import default_view_permission, restrict


class ScopedMixin(GenericAPIView):
    """Narrows `queryset` to what the requesting person may see."""

    permission_map: dict[str, str] = {}

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        view_permission = (
            self.permission_map.get("retrieve")
            or self.permission_map.get("list")
            or default_view_permission(queryset.model)
        )
        if getattr(self, "action", None) not in {"list", "retrieve"}:
            # Writes reach only objects the person can at least read; the object check does the rest.
            return restrict(queryset, self.request.user, view_permission)
        return restrict(
            queryset, self.request.user, required_permission(self, self.request) or view_permission
        )


class ScopedReadOnlyViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedMixin, viewsets.ModelViewSet):
    pass
