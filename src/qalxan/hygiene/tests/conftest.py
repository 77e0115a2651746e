from typing import Any

import pytest


@pytest.fixture(autouse=True)
def hygiene_state(settings: Any, tmp_path: Any) -> Any:
    """Each test gets its own snapshot folder and a fresh match cache."""
    import os

    from qalxan.hygiene import matching

    os.environ["QALXAN_HYGIENE_DIR"] = str(tmp_path / "hygiene")
    matching.forget()
    yield
    matching.forget()
    os.environ.pop("QALXAN_HYGIENE_DIR", None)
