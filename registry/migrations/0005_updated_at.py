"""Indexed `updated_at`, kept current by a trigger (issue 15; common.change_tracking)."""

from django.db import migrations

from common.change_tracking import TrackUpdates


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_lifecycle_decisions")]

    operations = [
        TrackUpdates("organization", existing=True),
        TrackUpdates("supervisingunit"),
    ]
