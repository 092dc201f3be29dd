"""Indexed `updated_at`, kept current by a trigger (issue 15; common.change_tracking)."""

from django.db import migrations

from common.change_tracking import TrackUpdates


class Migration(migrations.Migration):
    dependencies = [("oversight", "0010_credit_periods_are_policy")]

    operations = [
        TrackUpdates("annualreport"),
        TrackUpdates("creditlisting"),
        TrackUpdates("inspectiondraw"),
        TrackUpdates("inspection"),
        TrackUpdates("audit"),
        TrackUpdates("circular"),
        TrackUpdates("zombiecase"),
    ]
