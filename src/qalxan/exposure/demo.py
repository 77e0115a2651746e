"""Demo data: every registered website followed by the scanner, and the AzStateNet ranges taken from the
registry's systems hosted there (idempotent). Scans are not invented: run `qalxan exposure scan --all`."""

from __future__ import annotations

import ipaddress

from qalxan.core import demo
from qalxan.exposure import services
from qalxan.exposure.models import HostingRange
from qalxan.registry.choices import Hosting
from qalxan.registry.models import IpRange


@demo.register(60, "Website exposure")
def load_exposure(ctx: demo.DemoContext) -> None:
    added = services.sync_sites()
    ranges = 0
    for cidr in (
        IpRange.objects.filter(system__hosting=Hosting.AZSTATENET).values_list("cidr", flat=True).distinct()
    ):
        network = str(ipaddress.ip_network(cidr, strict=False))
        if not HostingRange.objects.filter(cidr=network).exists():
            HostingRange.objects.create(cidr=network, label="AzStateNet (registry)")
            ranges += 1
    ctx.say(f"    websites followed: {added}, AzStateNet ranges: {ranges}")
