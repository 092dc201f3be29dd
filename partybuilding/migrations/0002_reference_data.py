"""Reference tables seeded once, then edited by staff: the superior party bodies of Futian
(R-PTY-07) and the volunteer-service domains (issue 11)."""

from django.db import migrations

STREETS = ("园岭", "南园", "福田", "沙头", "香蜜湖", "梅林", "莲花", "华富", "福保", "华强北")

# (code, name, kind)
SUPERIOR_BODIES = (
    ("FT-PC-D00", "中共深圳市福田区社会组织委员会（区社会组织党委）", "district_committee"),
    *(
        (f"FT-PC-S{i:02d}", f"中共深圳市福田区{street}街道工作委员会", "street")
        for i, street in enumerate(STREETS, start=1)
    ),
    ("FT-PC-W01", "中共深圳市福田区委教育工作委员会", "work_committee"),
    ("FT-PC-W02", "中共深圳市福田区卫生健康行业委员会", "work_committee"),
)

VOLUNTEER_DOMAINS = (
    "疫情防控",
    "公益慈善",
    "关爱服务",
    "未成年人保护",
    "乡村振兴",
    "心理咨询",
    "环境保护",
    "垃圾分类",
    "司法调解",
)


def seed(apps, schema_editor=None) -> None:
    SuperiorBody = apps.get_model("partybuilding", "SuperiorBody")
    VolunteerDomain = apps.get_model("partybuilding", "VolunteerDomain")
    for code, name, kind in SUPERIOR_BODIES:
        SuperiorBody.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for order, name in enumerate(VOLUNTEER_DOMAINS, start=1):
        VolunteerDomain.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("partybuilding", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
