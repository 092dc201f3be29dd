"""The seed-step framework of `seed_demo`: each app registers its steps with an order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Seed steps: the command runs these in order; later apps register their own.

DEMO = "demo"
SYNTHETIC = "synthetic"


@dataclass
class SeedContext:
    """What a seed step is asked to do: the demo set (`orgs` None) or N synthetic orgs."""

    orgs: int | None = None
    log: Callable[[str], None] = print

    @property
    def mode(self) -> str:
        return DEMO if self.orgs is None else SYNTHETIC


@dataclass(frozen=True)
class SeedStep:
    name: str
    func: Callable[[SeedContext], str]  # returns one line saying what was done
    order: int
    modes: frozenset[str]


_seed_steps: dict[str, SeedStep] = {}


def register_seed_step(
    name: str, *, order: int, modes: Iterable[str] = (DEMO,)
) -> Callable[[Callable[[SeedContext], str]], Callable[[SeedContext], str]]:
    """Decorator: add a step to `seed_demo`. Steps of a later app take a higher `order` so
    the register they build on exists; re-registering a name replaces it (module reloads)."""

    def decorator(func: Callable[[SeedContext], str]) -> Callable[[SeedContext], str]:
        _seed_steps[name] = SeedStep(name=name, func=func, order=order, modes=frozenset(modes))
        return func

    return decorator


def seed_steps(*, mode: str) -> list[SeedStep]:
    return sorted(
        (s for s in _seed_steps.values() if mode in s.modes), key=lambda s: (s.order, s.name)
    )
