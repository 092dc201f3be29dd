"""`manage.py shell` starts cleanly: every model, historical ones of sub-packages included,
is importable where its module says (issue 8)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_shell_auto_imports_every_model_without_a_notice():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TEST_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": "sqlite://:memory:",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "2", "-c", "print('ready')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    output = done.stdout + done.stderr
    assert "could not be automatically imported" not in output, output[:2000]
    assert "HistoricalZombieCase" in output and "ready" in output
