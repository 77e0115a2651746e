"""Asset matching: which institutions' registered IP ranges and domains a new indicator falls inside."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable

from qalxan.intel.normalize import Value, host_of, ip_bounds, parent_domains


def owners_of(values: Iterable[Value]) -> dict[int, list[tuple[Value, str]]]:
    """{organisation id: [(indicator value, the registered asset it falls inside)]}."""
    from qalxan.organizations.models import OrganizationDomain
    from qalxan.registry.models import IpRange, SystemDomain

    values = list(values)
    found: dict[int, list[tuple[Value, str]]] = defaultdict(list)
    addresses: list[tuple[Value, tuple[int, int, int]]] = []
    for v in values:
        bounds = ip_bounds(v.kind, v.value)
        if bounds is not None:
            addresses.append((v, bounds))
    if addresses:
        versions = {b[0] for _v, b in addresses}
        ranges = [
            (ipaddress.ip_network(cidr, strict=False), owner, cidr)
            for cidr, owner in IpRange.objects.filter(version__in=versions).values_list(
                "cidr", "system__owner"
            )
        ]
        for value, (version, first, last) in addresses:
            for network, owner, cidr in ranges:
                if network.version == version and (
                    int(network.network_address) <= first and last <= int(network.broadcast_address)
                ):
                    found[owner].append((value, cidr))
    hosts: dict[str, list[Value]] = defaultdict(list)
    for value in values:
        host = host_of(value)
        if host:
            for parent in parent_domains(host)[:-1]:  # a top-level label alone is nobody's asset
                hosts[parent].append(value)
    names = list(hosts)
    for i in range(0, len(names), 500):
        chunk = names[i : i + 500]
        rows = list(SystemDomain.objects.filter(domain__in=chunk).values_list("domain", "system__owner"))
        rows += list(
            OrganizationDomain.objects.filter(domain__in=chunk).values_list("domain", "organization")
        )
        for domain, owner in rows:
            for value in hosts[domain]:
                if (value, domain) not in found[owner]:
                    found[owner].append((value, domain))
    return dict(found)
