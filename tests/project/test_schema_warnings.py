"""The OpenAPI schema generates without a single warning (collisions, missing hints)."""

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert "/api/v1/annual-reports/{id}/opinion/" in (tmp_path / "s.yaml").read_text()
