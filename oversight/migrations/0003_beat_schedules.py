"""The scheduled supervision jobs as django-celery-beat schedules, editable in the admin
(周期任务). Created once; later edits in the admin are kept (get_or_create by name)."""

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour, day_of_month, month_of_year)
    (
        "未按时报送年度报告通报（每年6月1日）",
        "oversight.missing_annual_reports",
        "0",
        "8",
        "1",
        "6",
    ),
    ("年度报告双随机抽查（每年6月1日）", "oversight.annual_report_audit_draw", "0", "9", "1", "6"),
    ("信用规则计算待决事项（每日）", "oversight.run_credit_rules", "0", "2", "*", "*"),
    ("僵尸型社会组织检测（每月1日）", "oversight.detect_zombies", "0", "2", "1", "*"),
    ("清理整治与信用名录通报（每月1日）", "oversight.zombie_circulars", "30", "8", "1", "*"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day, month in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day,
            month_of_year=month,
            day_of_week="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_executed_draw_is_immutable"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
