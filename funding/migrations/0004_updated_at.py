"""Indexed `updated_at`, kept current by a trigger (issue 15; common.change_tracking)."""

from django.db import migrations

from common.change_tracking import TrackUpdates


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_rating_reminder_schedule")]

    operations = [
        TrackUpdates("fundround"),
        TrackUpdates("grantproject"),
        TrackUpdates("ratingapplication"),
        TrackUpdates("catalogedition"),
        TrackUpdates("catalogentry"),
    ]
