"""Shared reads of the registry: impact analysis, dashboard figures, objects due for action."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from qalxan.core.tenancy import restrict
from qalxan.registry.choices import DesignationState
from qalxan.registry.models import DataRequest, Dependency, InformationSystem

CHUNK = 900  # below SQLite's default limit of bound parameters


@dataclass
class Impact:
    """What fails with one object: affected systems by distance, their subjects and sectors."""

    origin: InformationSystem
    distance: dict[int, int] = field(default_factory=dict)  # system id -> hops from the origin
    edges: list[tuple[int, int]] = field(default_factory=list)  # (dependent, depends_on) walked
    truncated: bool = False

    @property
    def affected_ids(self) -> list[int]:
        return sorted(self.distance, key=lambda pk: (self.distance[pk], pk))


# Past this many objects in one level, reading every edge once beats one query per chunk of the level.
WHOLE_GRAPH_AFTER = 3000


def _all_reverse_edges() -> dict[int, list[int]]:
    table = connection.ops.quote_name(Dependency._meta.db_table)
    adjacency: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT depends_on_id, dependent_id FROM {table}")  # noqa: S608  (no user input)
        for depends_on, dependent in cursor.fetchall():
            adjacency[depends_on].append(dependent)
    return adjacency


def impact_of(system: InformationSystem, *, max_depth: int = 50, max_nodes: int = 100_000) -> Impact:
    """Walk the reverse dependency edges breadth-first: one indexed query per level while the levels are
    small, the whole edge list once when a level grows large."""
    result = Impact(origin=system)
    frontier = [system.pk]
    seen = {system.pk}
    depth = 0
    adjacency: dict[int, list[int]] | None = None
    while frontier and depth < max_depth:
        depth += 1
        next_frontier: list[int] = []
        if adjacency is None and len(frontier) > WHOLE_GRAPH_AFTER:
            adjacency = _all_reverse_edges()
        if adjacency is not None:
            pairs = (
                (dependent, depends_on)
                for depends_on in frontier
                for dependent in adjacency.get(depends_on, ())
            )
        else:
            pairs = (
                pair
                for start in range(0, len(frontier), CHUNK)
                for pair in Dependency.objects.filter(
                    depends_on_id__in=frontier[start : start + CHUNK]
                ).values_list("dependent_id", "depends_on_id")
            )
        for dependent, depends_on in pairs:
            result.edges.append((dependent, depends_on))
            if dependent not in seen:
                seen.add(dependent)
                result.distance[dependent] = depth
                next_frontier.append(dependent)
        if len(seen) > max_nodes:
            result.truncated = True
            break
        frontier = next_frontier
    return result


def impact_summary(impact: Impact, user: Any) -> dict[str, Any]:
    """Counts for everyone; names only of the systems the person may see."""
    ids = impact.affected_ids
    rows = []
    subjects: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    visible: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for system in InformationSystem.objects.filter(pk__in=chunk).select_related("owner", "sector"):
            subjects[system.owner.name] += 1
            sectors[system.sector.name] += 1
            rows.append(system)
        visible.update(
            restrict(InformationSystem.objects.filter(pk__in=chunk), user).values_list("pk", flat=True)
        )
    rows.sort(key=lambda s: (impact.distance[s.pk], s.pk))
    return {
        "systems": [
            {"system": s, "distance": impact.distance[s.pk], "visible": s.pk in visible} for s in rows
        ],
        "subjects": subjects.most_common(),
        "sectors": sectors.most_common(),
        "cii_count": sum(1 for s in rows if s.is_cii),
    }


def dashboard_figures(user: Any) -> dict[str, Any]:
    visible = restrict(InformationSystem.objects.all(), user)
    today = timezone.localdate()
    by_state = dict(visible.values_list("state").annotate(n=Count("id")).order_by())
    by_sector = list(
        visible.filter(state__in=[DesignationState.DESIGNATED, DesignationState.REVIEW_DUE])
        .values_list("sector__code", "sector__name_az", "sector__name_en", "sector__name_ru")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    by_agency = dict(
        visible.exclude(supervising_agency="")
        .values_list("supervising_agency")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue_requests = restrict(
        DataRequest.objects.filter(answered_at__isnull=True, deadline__lt=today), user
    )
    return {
        "total": sum(by_state.values()),
        "by_state": by_state,
        "by_sector": by_sector,
        "by_agency": by_agency,
        "overdue_requests": overdue_requests.select_related("system", "system__owner")[:20],
        "overdue_request_count": overdue_requests.count(),
        "reviews_due": visible.filter(state=DesignationState.REVIEW_DUE).count()
        + visible.filter(state=DesignationState.DESIGNATED, review_due_date__lte=today).count(),
    }


def designated(at: dt.date | None = None) -> QuerySet[InformationSystem]:
    """CII objects (designated or under periodic review), designated on or before `at`."""
    qs = InformationSystem.objects.filter(
        state__in=[DesignationState.DESIGNATED, DesignationState.REVIEW_DUE]
    )
    if at is not None:
        qs = qs.filter(designated_at__lte=at)
    return qs


# A search that matches at most this many objects is read with one scan (see `searched`).
ONE_SCAN_LIMIT = 1000


class OneScanQuerySet(QuerySet[InformationSystem]):
    """A searched list whose count and page come from one scan of the table.

    A text search cannot use an index: counting the matches and then reading the page scanned the
    whole table twice (most of a search request's time). This queryset reads the ordered ids of the
    matches once, up to `ONE_SCAN_LIMIT` + 1 of them; when no more match, the count is their number
    and a page is the rows of its slice of ids, read by primary key in the same order. A broader
    search counts and pages as any queryset does.
    """

    _scanned = False
    _matches: list[int] | None = None  # after the scan: the ids, or None when more than the limit match

    def _plain(self) -> QuerySet[InformationSystem]:
        """The same query as an ordinary queryset."""
        return _same_query(self, QuerySet)

    def _matching_ids(self) -> list[int] | None:
        if not self._scanned:
            ids = list(self._plain().values_list("pk", flat=True)[: ONE_SCAN_LIMIT + 1])
            self._matches = ids if len(ids) <= ONE_SCAN_LIMIT else None
            self._scanned = True
        return self._matches

    def count(self) -> int:
        if self._result_cache is None and not self.query.is_sliced:
            ids = self._matching_ids()
            if ids is not None:
                return len(ids)
        return super().count()

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice) and self._result_cache is None and not self.query.is_sliced:
            ids = self._matching_ids()
            if ids is not None:
                # The same filters and ordering, narrowed to the page's ids: the same rows in the same order.
                return self._plain().filter(pk__in=ids[k])
        return super().__getitem__(k)


def searched(queryset: QuerySet[InformationSystem]) -> OneScanQuerySet:
    """`queryset` (filtered by a text search) counted and paged with one scan of the table."""
    return _same_query(queryset, OneScanQuerySet)


def _same_query(queryset: Any, cls: Any) -> Any:
    """A queryset of class `cls` with the query (filters, joins, ordering, prefetches) of `queryset`."""
    copy = cls(model=queryset.model, query=queryset.query.chain(), using=queryset._db, hints=queryset._hints)
    copy._prefetch_related_lookups = queryset._prefetch_related_lookups
    copy._iterable_class, copy._fields = queryset._iterable_class, queryset._fields  # values() stays values()
    return copy
