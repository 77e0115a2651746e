"""A TAXII 2.1 server (read-only): discovery, one API root, collections per audience and TLP, objects
with pagination and `added_after`, single objects, versions and manifests.

Authentication is HTTP Basic (user name and password) or an API token (`Authorization: Token …` or
`Bearer …`); a signed-in browser session also works. Which collections a person sees, and which objects
are in them, is decided by the same tenancy as everywhere else (`Indicator.objects.visible_to`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from rest_framework import exceptions

from qalxan.core.api.authentication import ExpiringTokenAuthentication
from qalxan.core.tenancy import scope
from qalxan.intel import conf
from qalxan.intel.choices import Tlp
from qalxan.intel.exchange import stix_indicator
from qalxan.intel.models import Indicator, IndicatorReport, Sighting

TAXII = "application/taxii+json;version=2.1"
STIX = "application/stix+json;version=2.1"
NAMESPACE = uuid.UUID("0f5b8a4c-3d2e-4c7a-9a1b-2e6f7d8c9b10")


@dataclass(frozen=True)
class Collection:
    slug: str
    title: Any
    description: Any
    tlp: tuple[str, ...]
    national: bool  # only for people whose view permission reaches every organisation (CERT …)
    own: bool = False  # only the institution's own reported or sighted indicators

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.slug))

    def readable(self, user: Any) -> bool:
        allowed = scope(user, "intel.view_indicator")
        if allowed.empty:
            return False
        if self.national:
            return allowed.everything
        if self.own:
            return not allowed.everything
        return True

    def indicators(self, user: Any) -> QuerySet[Indicator]:
        qs = Indicator.objects.visible_to(user).active().filter(tlp__in=self.tlp)
        if self.own:
            allowed = scope(user, "intel.view_indicator")
            mine = IndicatorReport.objects.filter(organization_id__in=allowed.organization_ids).values(
                "indicator_id"
            )
            sighted = Sighting.objects.filter(organization_id__in=allowed.organization_ids).values(
                "indicator_id"
            )
            qs = qs.filter(Q(pk__in=mine) | Q(pk__in=sighted))
        return qs


COLLECTIONS = (
    Collection(
        "community-clear",
        _("Community: TLP:CLEAR"),
        _("Indicators that may be shared without restriction."),
        (Tlp.CLEAR,),
        national=False,
    ),
    Collection(
        "community-green",
        _("Community: TLP:GREEN"),
        _("Indicators shared with every institution of the community."),
        (Tlp.CLEAR, Tlp.GREEN),
        national=False,
    ),
    Collection(
        "institution",
        _("Your institution"),
        _("Every indicator your institution reported or sighted, whatever its TLP."),
        tuple(Tlp.values),
        national=False,
        own=True,
    ),
    Collection(
        "cert-amber",
        _("CERT: up to TLP:AMBER+STRICT"),
        _("Every indicator up to TLP:AMBER+STRICT, for the authority's analysts."),
        (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT),
        national=True,
    ),
    Collection(
        "cert-all", _("CERT: all"), _("Every indicator, TLP:RED included."), tuple(Tlp.values), national=True
    ),
)


def _json(
    data: Any, status: int = 200, content_type: str = TAXII, headers: dict[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=content_type)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(status: int, title: str, description: str = "") -> HttpResponse:
    response = _json({"title": title, "description": description, "http_status": str(status)}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="Qalxan TAXII"'
    return response


def _user(request: HttpRequest) -> Any:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, credentials = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            username, _c, password = base64.b64decode(credentials.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        return authenticate(request, username=username, password=password)
    if scheme in {"token", "bearer"}:
        try:
            user, _token = ExpiringTokenAuthentication().authenticate_credentials(credentials.strip())
        except exceptions.AuthenticationFailed:
            return None
        return user
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _accepts(request: HttpRequest, media: str) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    if not accept:
        return True
    for part in accept.split(","):
        kind = part.split(";")[0].strip().lower()
        version = next(
            (p.strip() for p in part.split(";")[1:] if p.strip().startswith("version=")), "version=2.1"
        )
        if kind in {"*/*", "application/*"}:
            return True
        if kind == media.split(";")[0] and version == "version=2.1":
            return True
    return False


def taxii_view(media: str = TAXII) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def wrap(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @require_GET
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = _user(request)
            if user is None or not user.is_active:
                return _error(401, "Authentication required", "Use HTTP Basic or an API token.")
            if not _accepts(request, media):
                return _error(406, "Not acceptable", f"This endpoint answers {media}.")
            if scope(user, "intel.view_indicator").empty:
                return _error(403, "Forbidden", "You may not read threat indicators.")
            return func(request, user, *args, **kwargs)

        view.__name__ = func.__name__
        view.__doc__ = func.__doc__
        return view

    return wrap


def _root(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("taxii:api_root"))


@taxii_view()
def discovery(request: HttpRequest, user: Any) -> HttpResponse:
    """The discovery resource: where the API root is."""
    root = _root(request)
    return _json(
        {
            "title": "Qalxan TAXII",
            "description": "Threat indicators of the national CERT.",
            "contact": "cert",
            "default": root,
            "api_roots": [root],
        }
    )


@taxii_view()
def api_root(request: HttpRequest, user: Any) -> HttpResponse:
    """The API root: its title and the TAXII version it speaks."""
    return _json(
        {
            "title": "Qalxan indicators",
            "description": "Collections of indicators per audience and TLP.",
            "versions": [TAXII],
            "max_content_length": conf.max_text_bytes(),
        }
    )


def _collection_json(c: Collection) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": str(c.title),
        "description": str(c.description),
        "can_read": True,
        "can_write": False,
        "media_types": [STIX],
    }


@taxii_view()
def collections(request: HttpRequest, user: Any) -> HttpResponse:
    """The collections the person may read."""
    return _json({"collections": [_collection_json(c) for c in COLLECTIONS if c.readable(user)]})


def _find(user: Any, collection_id: str) -> Collection | None:
    return next((c for c in COLLECTIONS if c.id == collection_id and c.readable(user)), None)


@taxii_view()
def collection(request: HttpRequest, user: Any, collection_id: str) -> HttpResponse:
    found = _find(user, collection_id)
    if found is None:
        return _error(404, "Unknown collection")
    return _json(_collection_json(found))


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cursor(indicator: Indicator) -> str:
    raw = f"{indicator.updated_at.isoformat()}|{indicator.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page(
    request: HttpRequest, user: Any, collection_id: str
) -> tuple[list[Indicator], bool, HttpResponse | None]:
    found = _find(user, collection_id)
    if found is None:
        return [], False, _error(404, "Unknown collection")
    qs = found.indicators(user).order_by("updated_at", "id")
    params = request.GET
    if params.get("added_after"):
        after = _parse_time(params["added_after"])
        if after is None:
            return [], False, _error(400, "Bad added_after", "Use an RFC 3339 time.")
        qs = qs.filter(updated_at__gt=after)
    if params.get("match[id]"):
        wanted = [
            v.removeprefix("indicator--")
            for v in params["match[id]"].split(",")
            if v.startswith("indicator--")
        ]
        try:
            qs = qs.filter(stix_uuid__in=[uuid.UUID(v) for v in wanted])
        except ValueError:
            return [], False, _error(400, "Bad match[id]")
    if params.get("match[type]") and "indicator" not in params["match[type]"].split(","):
        qs = qs.none()
    if params.get("next"):
        try:
            padded = params["next"] + "=" * (-len(params["next"]) % 4)
            stamp, _sep, pk = base64.urlsafe_b64decode(padded).decode().partition("|")
            moment = dt.datetime.fromisoformat(stamp)
            qs = qs.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, id__gt=int(pk)))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return [], False, _error(400, "Bad next", "Use the value of a previous answer.")
    try:
        limit = min(conf.taxii_page_size(), max(1, int(params.get("limit", conf.taxii_page_size()))))
    except ValueError:
        return [], False, _error(400, "Bad limit")
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit, None


def _headers(rows: list[Indicator]) -> dict[str, str]:
    if not rows:
        return {}
    return {
        "X-TAXII-Date-Added-First": _timestamp(rows[0].updated_at),
        "X-TAXII-Date-Added-Last": _timestamp(rows[-1].updated_at),
    }


@taxii_view()
def objects(request: HttpRequest, user: Any, collection_id: str) -> HttpResponse:
    """A page of the collection's STIX objects (oldest change first); `more` and `next` lead on."""
    rows, more, error = _page(request, user, collection_id)
    if error is not None:
        return error
    body: dict[str, Any] = {
        "more": more,
        "objects": [json.loads(stix_indicator(i).serialize()) for i in rows],
    }
    if more:
        body["next"] = _cursor(rows[-1])
    return _json(body, headers=_headers(rows))


@taxii_view()
def manifest(request: HttpRequest, user: Any, collection_id: str) -> HttpResponse:
    """What the collection holds: object ids, versions and when they were added."""
    rows, more, error = _page(request, user, collection_id)
    if error is not None:
        return error
    items = []
    for i in rows:
        stix = stix_indicator(i)
        items.append(
            {
                "id": stix.id,
                "date_added": _timestamp(i.updated_at),
                "version": _timestamp(stix.modified),
                "media_type": STIX,
            }
        )
    body: dict[str, Any] = {"more": more, "objects": items}
    if more:
        body["next"] = _cursor(rows[-1])
    return _json(body, headers=_headers(rows))


def _one(user: Any, collection_id: str, object_id: str) -> tuple[Indicator | None, HttpResponse | None]:
    found = _find(user, collection_id)
    if found is None:
        return None, _error(404, "Unknown collection")
    try:
        wanted = uuid.UUID(object_id.removeprefix("indicator--"))
    except ValueError:
        return None, _error(404, "Unknown object")
    indicator = (
        found.indicators(user).filter(stix_uuid=wanted).first()
        if object_id.startswith("indicator--")
        else None
    )
    if indicator is None:
        return None, _error(404, "Unknown object")
    return indicator, None


@taxii_view()
def object_detail(request: HttpRequest, user: Any, collection_id: str, object_id: str) -> HttpResponse:
    indicator, error = _one(user, collection_id, object_id)
    if error is not None or indicator is None:
        return error or _error(404, "Unknown object")
    return _json(
        {"more": False, "objects": [json.loads(stix_indicator(indicator).serialize())]},
        headers=_headers([indicator]),
    )


@taxii_view()
def object_versions(request: HttpRequest, user: Any, collection_id: str, object_id: str) -> HttpResponse:
    indicator, error = _one(user, collection_id, object_id)
    if error is not None or indicator is None:
        return error or _error(404, "Unknown object")
    return _json(
        {"more": False, "versions": [_timestamp(stix_indicator(indicator).modified)]},
        headers=_headers([indicator]),
    )
