"""Populations and rosters for the draw tests: valid Futian-style codes and inspector codes."""

from registry.uscc import CHARSET31, uscc_check_character


def uscc(n: int, *, kind: str = "2") -> str:
    """A syntactically valid Futian-style code (position 18 correct) for test populations."""
    body = ""
    for _ in range(7):
        n, r = divmod(n, 31)
        body = CHARSET31[r] + body
    first17 = f"5{kind}440304MJ{body}"
    return first17 + uscc_check_character(first17)


def population(size: int, *, start: int = 0) -> list[str]:
    return [uscc(n) for n in range(start, start + size)]


def roster(size: int) -> list[str]:
    return [f"FT-{n:03d}" for n in range(size)]
