"""The audit trail (等保 2.0 安全审计): events and daily digests, append-only in the database.

Triggers, in PostgreSQL and in the SQLite of `make run`:
- no UPDATE of an event or a digest, ever;
- an event may be deleted only when its day lies before the retained chain (no digest on or
  before its day, one after it): today's rows and sealed days cannot go;
- a digest may be deleted only when its day is more than 179 days old (the 180-day floor
  of 等保, one day of slack for the database's time zone against the local one).
A superuser who disables the triggers can still edit rows; the hash chain then shows it
(`manage.py verify_audit_chain`).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION common_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '审计日志只能追加，不能修改（记录 %）', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM common_auditdigest WHERE day <= OLD.day)
           OR NOT EXISTS (SELECT 1 FROM common_auditdigest WHERE day > OLD.day) THEN
            RAISE EXCEPTION '审计日志（%）仍在保存期内，不能删除', OLD.day
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER common_auditevent_append_only BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION common_auditevent_append_only()
    """,
    """
    CREATE OR REPLACE FUNCTION common_auditdigest_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION '审计日摘要只能追加，不能修改（%）', OLD.day
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.day >= CURRENT_DATE - 179 THEN
            RAISE EXCEPTION '审计日摘要（%）未满 180 天，不能删除', OLD.day
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER common_auditdigest_append_only BEFORE UPDATE OR DELETE ON common_auditdigest
    FOR EACH ROW EXECUTE FUNCTION common_auditdigest_append_only()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS common_auditdigest_append_only ON common_auditdigest",
    "DROP FUNCTION IF EXISTS common_auditdigest_append_only()",
    "DROP TRIGGER IF EXISTS common_auditevent_append_only ON common_auditevent",
    "DROP FUNCTION IF EXISTS common_auditevent_append_only()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER common_auditevent_no_update BEFORE UPDATE ON common_auditevent
    BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END
    """,
    """
    CREATE TRIGGER common_auditevent_no_delete BEFORE DELETE ON common_auditevent
    WHEN EXISTS (SELECT 1 FROM common_auditdigest WHERE day <= OLD.day)
      OR NOT EXISTS (SELECT 1 FROM common_auditdigest WHERE day > OLD.day)
    BEGIN SELECT RAISE(ABORT, '审计日志仍在保存期内，不能删除'); END
    """,
    """
    CREATE TRIGGER common_auditdigest_no_update BEFORE UPDATE ON common_auditdigest
    BEGIN SELECT RAISE(ABORT, '审计日摘要只能追加，不能修改'); END
    """,
    """
    CREATE TRIGGER common_auditdigest_no_delete BEFORE DELETE ON common_auditdigest
    WHEN OLD.day >= date('now', '-179 days')
    BEGIN SELECT RAISE(ABORT, '审计日摘要未满 180 天，不能删除'); END
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS common_{name}"
    for name in (
        "auditevent_no_update", "auditevent_no_delete",
        "auditdigest_no_update", "auditdigest_no_delete",
    )
]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


# Sealing closes yesterday after midnight's stragglers have committed; the purge follows.
SCHEDULES = [
    ("审计日志封存日摘要（每日）", "common.audit_seal", "10", "0"),
    ("审计日志超期清理（每日）", "common.audit_purge", "30", "3"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month="*",
            month_of_year="*",
            day_of_week="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ('common', '0002_calendar_day'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='日期')),
                ('previous_digest', models.CharField(max_length=64, verbose_name='前一日摘要')),
                ('digest', models.CharField(max_length=64, verbose_name='当日摘要')),
                ('rows', models.PositiveIntegerField(verbose_name='记录数')),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='封存时间')),
            ],
            options={
                'verbose_name': '审计日摘要',
                'verbose_name_plural': '审计日摘要',
                'ordering': ['-day'],
            },
        ),
        migrations.AlterModelOptions(
            name='apitoken',
            options={'ordering': ['-created_at'], 'permissions': [('manage_department_accounts', '管理部门账号（为部门账号签发令牌）')], 'verbose_name': 'API 令牌', 'verbose_name_plural': 'API 令牌'},
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='时间')),
                ('day', models.DateField(db_index=True, editable=False, verbose_name='日期')),
                ('action', models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('logout', '退出登录'), ('token_use', '令牌使用'), ('token_auth_failed', '令牌认证失败'), ('token_issue', '签发令牌'), ('token_revoke', '吊销令牌'), ('admin_add', '后台新增'), ('admin_change', '后台修改'), ('admin_delete', '后台删除'), ('export', '导出'), ('import', '导入'), ('personal_read', '查看个人信息'), ('download', '下载文件')], max_length=32, verbose_name='事件')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                ('object_type', models.CharField(blank=True, max_length=100, verbose_name='对象类型')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象标识')),
                ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('detail', models.TextField(blank=True, verbose_name='详情')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['action', 'day'], name='common_audit_action_day')],
            },
        ),
        migrations.RunPython(
            _run(POSTGRES_FORWARD, SQLITE_FORWARD), _run(POSTGRES_BACKWARD, SQLITE_BACKWARD)
        ),
        migrations.RunPython(create_schedules, remove_schedules),
    ]
