"""Fail when docs/openapi.json differs from the schema the code generates (run `make openapi`)."""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qalxan.settings")

import django

django.setup()

from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from drf_spectacular.renderers import OpenApiJsonRenderer  # noqa: E402

committed_path = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
schema = SchemaGenerator().get_schema(request=None, public=True)
generated = json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))
committed = json.loads(committed_path.read_text()) if committed_path.exists() else None
if generated != committed:
    print("docs/openapi.json is stale: run `make openapi` and commit the result.")
    sys.exit(1)
print("docs/openapi.json is up to date.")
