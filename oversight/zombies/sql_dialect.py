"""The few vendor differences of the zombie detection statement (oversight.zombies.detection)."""

from __future__ import annotations


class _Dialect:
    """The few vendor differences of the detection statement: JSON building and date
    arithmetic. Everything else is the SQL both PostgreSQL and SQLite understand."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def obj(self, *pairs: str) -> str:
        return f"{'jsonb_build_object' if self.pg else 'json_object'}({', '.join(pairs)})"

    def arr(self, *items: str) -> str:
        return f"{'jsonb_build_array' if self.pg else 'json_array'}({', '.join(items)})"

    def param_json(self, name: str) -> str:
        return f"CAST(%({name})s AS jsonb)" if self.pg else f"json(%({name})s)"

    @property
    def empty(self) -> str:
        return "'{}'::jsonb" if self.pg else "'{}'"

    def merge(self, *objects: str) -> str:
        if self.pg:
            return "(" + " || ".join(objects) + ")"
        merged = objects[0]
        for other in objects[1:]:
            merged = f"json_patch({merged}, {other})"
        return merged

    def as_json(self, text_expr: str) -> str:
        return f"CAST({text_expr} AS jsonb)" if self.pg else text_expr

    def days_between(self, first: str, last: str) -> str:
        return f"({last} - {first})" if self.pg else f"(julianday({last}) - julianday({first}))"
