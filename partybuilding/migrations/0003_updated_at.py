"""Indexed `updated_at`, kept current by a trigger (issue 15; common.change_tracking)."""

from django.db import migrations

from common.change_tracking import TrackUpdates


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0002_reference_data")]

    operations = [
        TrackUpdates("partyorganization"),
    ]
