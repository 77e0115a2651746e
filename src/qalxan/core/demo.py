"""Demo data: apps register loaders; `qalxan demo` runs them in order, idempotently and deterministically."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import transaction

DEFAULT_PASSWORD = "Qalxan-demo-2026"  # noqa: S105  (documented demo password, printed at start)


@dataclass
class DemoContext:
    scale: str
    seed: int
    password: str
    out: TextIO | None
    rng: random.Random
    logins: list[tuple[str, str]] = field(default_factory=list)
    actor: Any = None
    facts: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")


@dataclass(frozen=True)
class Loader:
    order: int
    name: str
    load: Callable[[DemoContext], None]


_LOADERS: list[Loader] = []


def register(
    order: int, name: str
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    def wrap(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _LOADERS.append(Loader(order, name, func))
        return func

    return wrap


def load(
    *, scale: str = "small", seed: int = 2026, password: str = DEFAULT_PASSWORD, out: TextIO | None = None
) -> DemoContext:
    """Run every registered loader; running it again changes nothing that is already there."""
    if scale not in {"small", "national"}:
        raise ValueError("scale must be 'small' or 'national'")
    ctx = DemoContext(scale=scale, seed=seed, password=password, out=out, rng=random.Random(seed))
    for loader in sorted(_LOADERS, key=lambda item: item.order):
        ctx.rng = random.Random(f"{seed}:{loader.name}")
        with transaction.atomic():
            loader.load(ctx)
        ctx.say(f"  {loader.name}: done")
    return ctx
