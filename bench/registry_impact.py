"""Impact analysis over 50,000 systems and 200,000 dependencies (goal: under 1 s).

Times the analysis from the most-needed object (the worst case: it reaches most of the graph).
Usage: registry_impact.py [sqlite|postgres]
"""

from __future__ import annotations

import statistics
import sys
import time

from _common import machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"


def main() -> None:
    setup(DATABASE, "impact")
    from django.db.models import Count

    from qalxan.core import demo
    from qalxan.registry import queries
    from qalxan.registry.models import Dependency, InformationSystem

    demo.load(scale="national", password="Bench-password-1")
    systems, edges = InformationSystem.objects.count(), Dependency.objects.count()
    hub_id = Dependency.objects.values("depends_on").annotate(n=Count("id")).order_by("-n")[0]["depends_on"]
    hub = InformationSystem.objects.get(pk=hub_id)
    leaf = InformationSystem.objects.filter(dependent_edges__isnull=True).first()
    print(f"registry impact, {DATABASE}: {systems} systems, {edges} dependencies")
    for label, origin in (("most-needed object", hub), ("object nothing depends on", leaf)):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            impact = queries.impact_of(origin)
            runs.append(time.perf_counter() - start)
        print(
            f"  {label:<28} affects {len(impact.distance):>6} objects "
            f"in {max(impact.distance.values(), default=0)}"
            f" steps: median {statistics.median(runs) * 1000:.0f} ms, worst {max(runs) * 1000:.0f} ms"
        )
    print(f"  machine: {machine()}")


if __name__ == "__main__":
    main()
