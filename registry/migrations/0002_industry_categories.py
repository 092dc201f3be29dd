"""Seed the 15 industry categories of decision D1 (national 1–14 of 民办函〔2007〕210号 + 艺术)."""

from django.db import migrations

CATEGORIES = [
    (1, "工商服务业", "工商业和服务业经济团体，含商会"),
    (2, "农业及农村发展", "服务农业和农村发展"),
    (3, "科技与研究", "自然科学与社会科学研究"),
    (4, "教育", "教育活动"),
    (5, "卫生", "医疗、卫生和护理"),
    (6, "文化", "文学、娱乐、收藏、传媒、出版（艺术单列，见15）"),
    (7, "体育", "体育与健身"),
    (8, "生态环境", "动植物保护、环境保护与治理"),
    (9, "社会服务", "福利、救助、社会保障、社会事务"),
    (10, "法律", "法律研究、咨询、援助、代理"),
    (11, "宗教", "宗教团体与交流"),
    (12, "职业及从业者组织", "职业和从业者团体"),
    (13, "国际及涉外组织", "国际非营利组织、外国商会、代表机构"),
    (14, "其他", "其他"),
    (15, "艺术", "福田统计口径：从文化中单列的艺术类（D1，R-CLS-02）"),
]


def seed(apps, schema_editor):
    IndustryCategory = apps.get_model("registry", "IndustryCategory")
    for code, name, scope in CATEGORIES:
        IndustryCategory.objects.update_or_create(code=code, defaults={"name": name, "scope": scope})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
