"""Create the supervision schedules that a database may lack.

0003_beat_schedules gained the credit and zombie schedules after it had been committed, so a
database migrated between those two versions recorded 0003 as applied without them. This
migration adds whatever is missing, where it is missing: a schedule is left alone when a
periodic task with its name, or any periodic task running its job, already exists (a staff
member may have renamed or retimed it in the admin). The list is copied, not imported, so
this file stays frozen whatever later happens to 0003.
"""

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour, day_of_month, month_of_year)
    ("未按时报送年度报告通报（每年6月1日）", "oversight.missing_annual_reports", "0", "8", "1", "6"),
    ("年度报告双随机抽查（每年6月1日）", "oversight.annual_report_audit_draw", "0", "9", "1", "6"),
    ("信用规则计算待决事项（每日）", "oversight.run_credit_rules", "0", "2", "*", "*"),
    ("僵尸型社会组织检测（每月1日）", "oversight.detect_zombies", "0", "2", "1", "*"),
    ("清理整治与信用名录通报（每月1日）", "oversight.zombie_circulars", "30", "8", "1", "*"),
]


def create_missing(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    existing = PeriodicTask.objects.values_list("name", "task")
    names = {name for name, _ in existing}
    tasks = {task for _, task in existing}
    for name, task, minute, hour, day, month in SCHEDULES:
        if name in names or task in tasks:
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year=month,
            day_of_week="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0005_credit_decisions_are_immutable"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    # Reverse is a no-op: the schedules may predate this migration (created by 0003).
    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
