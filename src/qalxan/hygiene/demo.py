"""Demo data: the licence registry, normalisation rules, the antivirus policy, demo advisories and osquery
inventories of a few thousand endpoints (`--scale national`: many more), with over-use, unlicensed
installs, missing and stale antivirus, and vulnerable packages. Idempotent: nothing is added twice."""

from __future__ import annotations

import datetime as dt

import orjson
from django.utils import timezone

from qalxan.core import demo
from qalxan.hygiene import advisories, generator, pipeline
from qalxan.hygiene.choices import Pool
from qalxan.hygiene.models import (
    Advisory,
    Allocation,
    Endpoint,
    Entitlement,
    EssentialCategory,
    LicensedProduct,
    NormalisationRule,
    ScoreWeights,
)
from qalxan.organizations.models import Organization


def ensure_registry() -> dict[str, LicensedProduct]:
    """Rules, products, the antivirus category and the default weights (reference data; idempotent)."""
    if not NormalisationRule.objects.exists():
        NormalisationRule.objects.bulk_create(
            NormalisationRule(
                priority=p,
                publisher_pattern=pub,
                name_pattern=pat,
                action=act,
                vendor=v,
                product=prod,
                edition=ed,
            )
            for p, pub, pat, act, v, prod, ed in generator.RULES
        )
    for vendor, product, commercial in generator.PRODUCTS:
        LicensedProduct.objects.get_or_create(
            vendor=vendor, product=product, defaults={"is_commercial": commercial}
        )
    products = {str(p): p for p in LicensedProduct.objects.all()}
    category, created = EssentialCategory.objects.get_or_create(
        code="antivirus",
        defaults={
            "name": "Antivirus / EDR",
            "service_names": ["AVP", "ekrn", "clamav-daemon.service"],
            "min_version": "11.0",
            "require_signatures": True,
            "max_age_days": 14,
        },
    )
    if created:
        category.approved_products.set(
            [
                products[n]
                for n in ("Kaspersky Endpoint Security", "ESET Endpoint Security", "Cisco ClamAV")
                if n in products
            ]
        )
    if not ScoreWeights.objects.exists():
        ScoreWeights.objects.create()
    return products


def _entitlements(
    ctx: demo.DemoContext,
    authority: Organization,
    orgs: list[Organization],
    products: dict[str, LicensedProduct],
    endpoints: int,
) -> None:
    today = timezone.localdate()
    central_office = Entitlement.objects.create(
        organization=authority,
        product=products["Microsoft Office"],
        pool=Pool.CENTRAL,
        contract="EA-2025/017",
        seats=int(endpoints * 0.5),
        valid_from=today - dt.timedelta(days=300),
        valid_until=today + dt.timedelta(days=430),
    )
    central_av = Entitlement.objects.create(
        organization=authority,
        product=products["Kaspersky Endpoint Security"],
        pool=Pool.CENTRAL,
        contract="KES-2024/003",
        seats=None,
        valid_from=today - dt.timedelta(days=500),
        valid_until=today + dt.timedelta(days=200),
    )
    for index, org in enumerate(orgs):
        share = endpoints // len(orgs)
        Allocation.objects.create(
            entitlement=central_office, organization=org, seats=int(share * (0.35 if index % 3 == 0 else 0.6))
        )
        Allocation.objects.create(entitlement=central_av, organization=org, seats=None)
        if index % 2 == 0:
            Entitlement.objects.create(
                organization=org,
                product=products["ESET Endpoint Security"],
                pool=Pool.INSTITUTION,
                contract=f"ESET-{org.code}",
                seats=share // 3,
                valid_from=today - dt.timedelta(days=400),
                valid_until=today - dt.timedelta(days=20)
                if index % 4 == 0
                else today + dt.timedelta(days=100),
            )
        Entitlement.objects.create(
            organization=org,
            product=products["Adobe Acrobat"],
            pool=Pool.INSTITUTION,
            contract=f"ADB-{org.code}",
            seats=max(1, share // 10),
            valid_from=today - dt.timedelta(days=100),
            valid_until=today + dt.timedelta(days=265),
        )


@demo.register(45, "endpoint hygiene")
def load_hygiene(ctx: demo.DemoContext) -> None:
    products = ensure_registry()
    if Endpoint.objects.exists():
        return
    authority = Organization.objects.filter(kind="authority").order_by("id").first()
    orgs = list(
        Organization.objects.filter(is_active=True)
        .exclude(kind__in=("authority", "supervising_agency"))
        .order_by("code")
    )
    if authority is None or not orgs:
        return
    national = ctx.scale == "national"
    orgs = orgs[: 40 if national else 6]
    per_org = 5000 if national else 500
    if not Advisory.objects.exists():
        docs = generator.osv_documents(extra_ranges=2000 if national else 200, rng=ctx.rng)
        advisories.import_known_exploited(
            actor=ctx.actor, filename="kev.json", content=orjson.dumps(generator.kev_document()), system=True
        )
        advisories.import_osv(
            actor=ctx.actor, filename="demo-osv.json", content=orjson.dumps(docs), system=True
        )
    _entitlements(ctx, authority, orgs, products, per_org * len(orgs))
    cat = generator.Catalogue()
    now = timezone.now()
    for org in orgs:
        # An older snapshot first, so that the trend and the diffs have something to show.
        for age, count in ((dt.timedelta(days=30), per_org // 2), (dt.timedelta(0), per_org)):
            content = generator.osquery_log(org.code, count, ctx.rng, now - age, packages=150, cat=cat)
            pipeline.ingest(
                actor=ctx.actor,
                uploads=[
                    pipeline.Upload(
                        organization=org, filename=f"{org.code}-osqueryd.results.log", content=content
                    )
                ],
                system=True,
            )
    ctx.say(f"  hygiene: {Endpoint.objects.count()} endpoints in {len(orgs)} institutions")
