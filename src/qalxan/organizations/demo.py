"""Demo organisations, contacts and one user per role."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model

from qalxan.core import demo
from qalxan.core.roles import Role
from qalxan.organizations import demo_data, services
from qalxan.organizations.models import Membership, Organization, Sector
from qalxan.organizations.sectors import ensure_sectors

User = get_user_model()

# Users of the authority, one per national role (see README).
AUTHORITY_USERS = [
    ("admin", Role.ADMIN, "xritdx"),
    ("supervisor", Role.SUPERVISOR, "xritdx"),
    ("supervisor.dtx", Role.SUPERVISOR, "dtx"),
    ("analyst", Role.ANALYST, "xritdx"),
    ("secretary", Role.SECRETARY, "xritdx"),
    ("strategy", Role.STRATEGY_OFFICER, "xritdx"),
    ("auditor", Role.AUDITOR, "xritdx"),
]
# Institution users: (username, role, organisation code, includes subordinate bodies).
INSTITUTION_USERS = [
    ("member", Role.COMMISSION_MEMBER, "economy", False),
    ("officer.mddt", Role.INSTITUTION_OFFICER, "mddt", True),
    ("officer.socar", Role.INSTITUTION_OFFICER, "socar", False),
    ("officer.cbar", Role.INSTITUTION_OFFICER, "cbar", False),
    ("officer.health", Role.INSTITUTION_OFFICER, "health", True),
    ("viewer.mddt", Role.INSTITUTION_VIEWER, "mddt", False),
]


def demo_voen(code: str) -> str:
    """A deterministic VÖEN with a valid check digit (the data set's identifiers are made up)."""
    digest = int(hashlib.sha256(code.encode()).hexdigest(), 16)
    weights = [4, 1, 8, 6, 2, 7, 5, 3]
    for attempt in range(50):
        serial = f"{(digest + attempt * 7919) % 10**8:08d}"
        check = sum(w * int(n) for w, n in zip(weights, serial, strict=True)) % 11
        if check < 10:
            return f"{serial}{check}1"
    raise RuntimeError("no VÖEN found")  # pragma: no cover


def _person(ctx: demo.DemoContext) -> tuple[str, str]:
    first = ctx.rng.choice(demo_data.PEOPLE_FIRST_NAMES)
    last = ctx.rng.choice(demo_data.PEOPLE_LAST_NAMES)
    if first in demo_data.PEOPLE_FEMALE_FIRST_NAMES and last.endswith(("ov", "ev", "in")):
        last += "a"
    return first, last


def _ensure_org(ctx: demo.DemoContext, spec: dict[str, Any], sectors: dict[str, Sector]) -> Organization:
    existing = Organization.objects.filter(code=spec["code"]).first()
    if existing is not None:
        return existing
    parent = Organization.objects.get(code=spec["parent"]) if spec.get("parent") else None
    domains = spec.get("domains", [])
    org, _warnings = services.create_organization(
        actor=ctx.actor,
        code=spec["code"],
        short_name=spec["short_name"],
        name_az=spec["name_az"],
        name_en=spec.get("name_en", ""),
        name_ru=spec.get("name_ru", ""),
        kind=spec["kind"],
        parent=parent,
        voen=demo_voen(spec["code"]),
        is_cii_subject=spec.get("is_cii_subject", False),
        address=spec.get("address", ""),
        email=f"info@{domains[0]}" if domains else "",
        phone=f"+99412{ctx.rng.randint(4000000, 5999999)}",
        website=spec.get("website", ""),
        sectors=[sectors[s] for s in spec.get("sectors", [])],
        domains=domains,
    )
    first, last = _person(ctx)
    position = demo_data.POSITIONS["security_officer"]["az"]
    services.save_contact(
        actor=ctx.actor,
        organization=org,
        full_name=f"{first} {last}",
        position=position,
        email=f"security@{domains[0]}" if domains else "",
        phone=f"+99450{ctx.rng.randint(1000000, 9999999)}",
        is_security_contact=True,
    )
    return org


def _ensure_user(
    ctx: demo.DemoContext, username: str, role: str, org: Organization, subordinates: bool
) -> None:
    user = User.objects.filter(username=username).first()
    if user is None:
        first, last = _person(ctx)
        domain = org.domains.values_list("domain", flat=True).first() or "example.az"
        user = services.create_user(
            actor=ctx.actor,
            username=username,
            password=ctx.password,
            first_name=first,
            last_name=last,
            email=f"{username.replace('.', '_')}@{domain}",
            position=demo_data.POSITIONS["security_officer"]["az"],
        )
    if not Membership.objects.filter(user=user, organization=org, role=role).exists():
        services.grant_membership(
            actor=ctx.actor, user=user, organization=org, role=role, include_subordinates=subordinates
        )
    ctx.logins.append((username, f"{Role(role).label} — {org.short_name}"))


@demo.register(10, "organisations")
def load_organizations(ctx: demo.DemoContext) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", "admin@scis.gov.az", ctx.password, first_name="Administrator"
        )
    ctx.actor = admin
    ensure_sectors(Sector)  # a flushed database (tests) has lost what the data migration loaded
    sectors = {s.code: s for s in Sector.objects.all()}
    for spec in demo_data.ORGANIZATIONS:
        _ensure_org(ctx, spec, sectors)
    if ctx.scale == "national":
        _load_national(ctx, sectors)
    for username, role, code in AUTHORITY_USERS:
        _ensure_user(ctx, username, role, Organization.objects.get(code=code), False)
    for username, role, code, subordinates in INSTITUTION_USERS:
        _ensure_user(ctx, username, role, Organization.objects.get(code=code), subordinates)
    ctx.facts["organizations"] = Organization.objects.count()


def _load_national(ctx: demo.DemoContext, sectors: dict[str, Sector]) -> None:
    """Local executive authorities and district bodies, so that volumes resemble the whole state."""
    health_parent = Organization.objects.filter(code="tabib").first()
    for district in demo_data.DISTRICTS:
        for suffix, template, kind, parent, sector in (
            ("ih", demo_data.LOCAL_AUTHORITY_NAME, "local_authority", None, "public_administration"),
            (
                "hospital",
                {
                    "az": "{name} Rayon Mərkəzi Xəstəxanası",
                    "en": "{name} Central District Hospital",
                    "ru": "Центральная районная больница {name}",
                },
                "subordinate_body",
                health_parent,
                "health",
            ),
        ):
            code = f"{district['code']}-{suffix}"
            _ensure_org(
                ctx,
                {
                    "code": code,
                    "short_name": f"{district['name_az'][:40]} {suffix.upper()}",
                    "name_az": template["az"].format(name=district["name_az"]),
                    "name_en": template["en"].format(name=district["name_en"]),
                    "name_ru": template["ru"].format(name=district["name_ru"]),
                    "kind": kind,
                    "parent": parent.code if parent else None,
                    "sectors": [sector],
                    "is_cii_subject": suffix == "hospital",
                    "domains": [f"{district['code']}-{suffix}.gov.az"],
                    "address": district["name_az"],
                },
                sectors,
            )
        officer = f"officer.{district['code']}-ih"
        _ensure_user(
            ctx,
            officer,
            Role.INSTITUTION_OFFICER,
            Organization.objects.get(code=f"{district['code']}-ih"),
            False,
        )
