"""The catalogues shipped with the platform as data files (data/*.json, OSCAL), clearly marked as samples:
the national general requirements for CII objects and the model regulations for state information
resources and systems, with the mappings between them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from qalxan.compliance import library, services
from qalxan.compliance.models import Catalogue, Requirement

DATA = Path(__file__).resolve().parent / "data"
FILES = ("sample-cii-general-requirements.json", "sample-model-regulations.json")
MAPPINGS = "sample-mappings.json"


@transaction.atomic
def ensure_samples(actor: Any = None) -> list[Catalogue]:
    """Load the sample catalogues and their mappings unless that version is there already."""
    out = []
    for name in FILES:
        data = library.parse_oscal((DATA / name).read_bytes())
        existing = Catalogue.objects.filter(code=data.code, version=data.version).first()
        out.append(existing or services.create_catalogue(actor=actor, data=data, system=True))
    spec = json.loads((DATA / MAPPINGS).read_text())
    source, target = (c for c in out)
    sources = {r.ref_id: r for r in Requirement.objects.filter(catalogue=source)}
    targets = {r.ref_id: r for r in Requirement.objects.filter(catalogue=target)}
    for m in spec["mappings"]:
        s, t = sources.get(m["source"]), targets.get(m["target"])
        if s is not None and t is not None and not s.mappings_out.filter(target=t).exists():
            services.map_requirements(actor=actor, source=s, target=t, relation=m["relation"], system=True)
    return out
