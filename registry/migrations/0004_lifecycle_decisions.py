"""登记状态决定 (LifecycleDecision), and revoked organizations completing 注销登记 (D13).

Decisions are append-only (R-XC-03, R-CRD-11): the database refuses UPDATE and DELETE on
them, whatever the application does (same pattern as oversight 0005).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "registry_lifecycledecision"
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION registry_decision_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '登记状态决定只能新增，不能修改或删除（%）', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql
    """,
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION registry_decision_append_only()",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS registry_decision_append_only()",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, '登记状态决定只能新增，不能修改或删除'); END"
    for op in ("UPDATE", "DELETE")
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}" for op in ("update", "delete")]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LifecycleDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organization_uscc",
                    models.CharField(max_length=18, verbose_name="统一社会信用代码"),
                ),
                ("organization_name", models.CharField(max_length=200, verbose_name="决定时名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deregistration_started", "受理注销"),
                            ("deregistration_withdrawn", "撤回注销申请"),
                            ("deregistration", "核准注销"),
                            ("revocation", "撤销登记"),
                        ],
                        max_length=30,
                        verbose_name="决定类型",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("active", "正常"),
                            ("deregistering", "注销办理中"),
                            ("deregistered", "已注销"),
                            ("revoked", "撤销登记"),
                        ],
                        max_length=20,
                        verbose_name="原登记状态",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("active", "正常"),
                            ("deregistering", "注销办理中"),
                            ("deregistered", "已注销"),
                            ("revoked", "撤销登记"),
                        ],
                        max_length=20,
                        verbose_name="新登记状态",
                    ),
                ),
                ("decided_on", models.DateField(verbose_name="决定日期")),
                (
                    "document_no",
                    models.CharField(blank=True, max_length=100, verbose_name="决定文号"),
                ),
                (
                    "authority",
                    models.CharField(blank=True, max_length=100, verbose_name="决定机关"),
                ),
                ("facts", models.TextField(blank=True, verbose_name="事实与理由")),
                (
                    "evidence",
                    models.FileField(
                        blank=True, upload_to="lifecycle/%Y/", verbose_name="证据材料"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="记录时间")),
            ],
            options={
                "verbose_name": "登记状态决定",
                "verbose_name_plural": "登记状态决定",
                "ordering": ["-decided_on", "-pk"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="organization",
            name="registry_organization_revoked_has_date",
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("revoked_on__isnull", False), ("status", "revoked")),
                    ("status", "deregistered"),
                    models.Q(
                        models.Q(("status__in", ["revoked", "deregistered"]), _negated=True),
                        ("revoked_on__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="registry_organization_revoked_has_date",
                violation_error_message="撤销登记的组织必须有撤销日期；正常和注销办理中的组织不得有。",
            ),
        ),
        migrations.AddField(
            model_name="lifecycledecision",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="经办人",
            ),
        ),
        migrations.AddField(
            model_name="lifecycledecision",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lifecycle_decisions",
                to="registry.organization",
                verbose_name="社会组织",
            ),
        ),
        migrations.AddIndex(
            model_name="lifecycledecision",
            index=models.Index(fields=["kind", "decided_on"], name="registry_decision_kind_day"),
        ),
        migrations.AddIndex(
            model_name="lifecycledecision",
            index=models.Index(fields=["organization", "decided_on"], name="registry_decision_org"),
        ),
        migrations.AddConstraint(
            model_name="lifecycledecision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind__in", ("deregistration", "revocation")), _negated=True),
                    models.Q(
                        models.Q(("document_no", ""), _negated=True),
                        models.Q(("authority", ""), _negated=True),
                        models.Q(
                            models.Q(("facts", ""), _negated=True),
                            models.Q(("evidence", ""), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="registry_lifecycledecision_legal_status_documented",
                violation_error_message="撤销登记和核准注销须有决定文号、决定机关和证据材料或事实与理由（R-XC-03）。",
            ),
        ),
        migrations.RunPython(
            _run(POSTGRES_FORWARD, SQLITE_FORWARD), _run(POSTGRES_BACKWARD, SQLITE_BACKWARD)
        ),
    ]
