"""Deterministic demo data of the register and a large synthetic register (`manage.py seed_demo`).

Two data sets:

* the Futian demo set (`demo_register_seed`): 765 organizations on the register on
  2022-06-30 (473 民办非企业单位, 292 社会团体 of which 22 行业协会商会), with registrations,
  deregistrations and revocations over 2015–2022 such that the register held 811
  organizations on 2021-06-01 and 766 on 2022-06-01 — the figures DESIGN.md §4.2 checks the
  sample size with. No lifecycle event falls after 2022-06-30, so 765 is also today's
  register. Built from `random.Random(DEMO_SEED)`: two runs on empty databases give the same
  rows. Running it again creates only what is missing (matched by USCC).
* a synthetic register of N organizations (`synthetic_register_seed`) for load tests, written
  with COPY on PostgreSQL. Row i of the synthetic register is always the same organization,
  with the USCC body `MJY` + i in base 31, so a second run appends only rows it lacks.

Other apps add their own demo data as seed steps: a `demo.py` module in the app calling
`register_seed_step(...)`; the command imports every app's `demo` module and runs the steps
in `order`.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from common.pgcopy import copy_text_value

from .choices import (
    LIFECYCLE_TRANSITIONS,
    REGISTERED_STATUSES,
    LifecycleStatus,
    OrganizationType,
    SupervisingUnitKind,
)
from .models import IndustryCategory, Organization, Rating, SupervisingUnit
from .rating_rules import add_years, rating_validity
from .uscc import (
    CHARSET31,
    TYPE_DIGITS,
    organization_code_check_character,
    uscc_check_character,
)

# ---------------------------------------------------------------------------------------------
# Seed steps: the command runs these in order; later apps register their own.

DEMO = "demo"
SYNTHETIC = "synthetic"


@dataclass
class SeedContext:
    """What a seed step is asked to do: the demo set (`orgs` None) or N synthetic orgs."""

    orgs: int | None = None
    log: Callable[[str], None] = print

    @property
    def mode(self) -> str:
        return DEMO if self.orgs is None else SYNTHETIC


@dataclass(frozen=True)
class SeedStep:
    name: str
    func: Callable[[SeedContext], str]  # returns one line saying what was done
    order: int
    modes: frozenset[str]


_seed_steps: dict[str, SeedStep] = {}


def register_seed_step(
    name: str, *, order: int, modes: Iterable[str] = (DEMO,)
) -> Callable[[Callable[[SeedContext], str]], Callable[[SeedContext], str]]:
    """Decorator: add a step to `seed_demo`. Steps of a later app take a higher `order` so
    the register they build on exists; re-registering a name replaces it (module reloads)."""

    def decorator(func: Callable[[SeedContext], str]) -> Callable[[SeedContext], str]:
        _seed_steps[name] = SeedStep(name=name, func=func, order=order, modes=frozenset(modes))
        return func

    return decorator


def seed_steps(*, mode: str) -> list[SeedStep]:
    return sorted(
        (s for s in _seed_steps.values() if mode in s.modes), key=lambda s: (s.order, s.name)
    )


# ---------------------------------------------------------------------------------------------
# Reference data: supervising units, names, places.

FUTIAN_DIVISION_CODE = "440304"
DEMO_SEED = 20220630
SYNTHETIC_SEED = 890_000
DEMO_AS_OF = datetime.date(2022, 6, 30)
DEMO_CHANGE_REASON = "演示数据"
SYNTHETIC_CHANGE_REASON = "合成数据（seed_demo --orgs）"

STREETS = ("园岭", "南园", "福田", "沙头", "香蜜湖", "梅林", "莲花", "华富", "福保", "华强北")

# (code, name): codes are stable, so API tokens and tests can refer to them.
DISTRICT_UNITS: tuple[tuple[str, str], ...] = (
    ("FT-D01", "福田区教育局"),
    ("FT-D02", "福田区卫生健康局"),
    ("FT-D03", "福田区文化广电旅游体育局"),
    ("FT-D04", "福田区民政局"),
    ("FT-D05", "福田区人力资源局"),
    ("FT-D06", "福田区科技创新局"),
    ("FT-D07", "福田区司法局"),
    ("FT-D08", "福田区工业和信息化局"),
    ("FT-D09", "福田区住房和建设局"),
    ("FT-D10", "福田区退役军人事务局"),
    ("FT-D11", "福田区商务局"),
    ("FT-D12", "福田区城市管理和综合执法局"),
    ("FT-D13", "中共福田区委统战部"),
    ("FT-D14", "福田区残疾人联合会"),
    ("FT-D15", "福田区妇女联合会"),
    ("FT-D16", "共青团福田区委"),
    ("FT-D17", "福田区工商业联合会"),
    ("FT-D18", "福田区科学技术协会"),
    ("FT-D19", "福田区归国华侨联合会"),
)
STREET_UNITS: tuple[tuple[str, str], ...] = tuple(
    (f"FT-S{i:02d}", f"福田区{street}街道办事处") for i, street in enumerate(STREETS, start=1)
)
STREET_UNIT_CODE = dict(zip(STREETS, (code for code, _ in STREET_UNITS), strict=True))

EDU, HEALTH, CULTURE, HR, SCI, JUSTICE, INDUSTRY, HOUSING = (
    "FT-D01",
    "FT-D02",
    "FT-D03",
    "FT-D05",
    "FT-D06",
    "FT-D07",
    "FT-D08",
    "FT-D09",
)
CIVIL, VETERANS, COMMERCE, URBAN, UNITED_FRONT = "FT-D04", "FT-D10", "FT-D11", "FT-D12", "FT-D13"
DISABLED, WOMEN, YOUTH, FEDERATION, SCI_ASSOC, OVERSEAS = (
    "FT-D14",
    "FT-D15",
    "FT-D16",
    "FT-D17",
    "FT-D18",
    "FT-D19",
)
STREET = "street"  # placeholder: the street office of a street chosen for the organization
DIRECT = None  # 直接登记: no supervising unit (R-ORG-03)

# Industry category codes of migration 0002 (DOMAIN.md §2.4 + 艺术, decision D1).
(
    C_BUSINESS,
    C_AGRICULTURE,
    C_SCIENCE,
    C_EDUCATION,
    C_HEALTH,
    C_CULTURE,
    C_SPORT,
    C_ECOLOGY,
    C_SOCIAL,
    C_LAW,
    C_RELIGION,
    C_PROFESSION,
    C_INTERNATIONAL,
    C_OTHER,
    C_ART,
) = range(1, 16)

PNE, SG = OrganizationType.PRIVATE_NON_ENTERPRISE, OrganizationType.SOCIAL_GROUP

# Who supervises what, and what such an organization is called. `{brand}` is a 字号,
# `{street}` the street of a street-office unit, `{x}` one item of the option's subjects.
# (unit code | STREET | DIRECT, weight, name templates, subjects)
NameOption = tuple[str | None, int, tuple[str, ...], tuple[str, ...]]

SPORTS = (
    "足球", "篮球", "羽毛球", "乒乓球", "网球", "游泳", "围棋", "象棋", "太极拳", "登山",
    "自行车", "跆拳道", "武术", "健身气功", "门球", "龙舟", "桥牌", "跑步", "气排球", "柔力球",
    "广场舞", "毽球", "排球", "棋类", "定向运动",
)  # fmt: skip
SCHOOLS = (
    "红岭中学", "福田中学", "梅林中学", "华富中学", "园岭小学", "荔园小学", "福田小学",
    "新洲小学", "莲花小学", "外国语学校",
)  # fmt: skip

NAME_OPTIONS: dict[tuple[str, int], tuple[NameOption, ...]] = {
    (PNE, C_EDUCATION): (
        (EDU, 80, ("{brand}幼儿园", "{brand}实验幼儿园", "{brand}培训中心", "{brand}教育培训中心",
                   "{brand}外语培训学校", "{brand}学习中心", "{brand}儿童发展中心"), ()),
        (HR, 20, ("{brand}职业技能培训学校", "{brand}职业培训学校"), ()),
    ),
    (PNE, C_SOCIAL): (
        (CIVIL, 30, ("{brand}社会工作服务中心", "{brand}社工服务社", "{brand}养老服务中心",
                     "{brand}长者服务中心", "{brand}社区服务中心"), ()),
        (STREET, 25, ("{street}街道{brand}社区服务中心", "{street}街道{brand}长者服务中心",
                      "{street}街道{brand}社会工作服务中心"), ()),
        (DIRECT, 25, ("{brand}公益服务中心", "{brand}社会工作服务中心", "{brand}志愿服务中心",
                      "{brand}慈善服务中心"), ()),
        (DISABLED, 8, ("{brand}残疾人康复服务中心", "{brand}助残服务中心"), ()),
        (WOMEN, 6, ("{brand}家庭服务中心", "{brand}妇女儿童服务中心"), ()),
        (YOUTH, 4, ("{brand}青少年服务中心",), ()),
        (VETERANS, 2, ("{brand}退役军人服务中心",), ()),
    ),
    (PNE, C_HEALTH): (
        (HEALTH, 100, ("{brand}康复医学中心", "{brand}健康服务中心", "{brand}护理院",
                       "{brand}中医门诊部", "{brand}心理咨询中心"), ()),
    ),
    (PNE, C_CULTURE): (
        (CULTURE, 85, ("{brand}文化传播中心", "{brand}阅读推广中心", "{brand}文化发展中心",
                       "{brand}非遗传习中心"), ()),
        (STREET, 15, ("{street}街道{brand}文化服务中心",), ()),
    ),
    (PNE, C_ART): (
        (CULTURE, 100, ("{brand}艺术中心", "{brand}美术馆", "{brand}音乐艺术中心",
                        "{brand}舞蹈艺术中心", "{brand}书画院"), ()),
    ),
    (PNE, C_SPORT): (
        (CULTURE, 100, ("{brand}体育俱乐部", "{brand}足球俱乐部", "{brand}游泳俱乐部",
                        "{brand}羽毛球俱乐部", "{brand}击剑俱乐部", "{brand}围棋俱乐部",
                        "{brand}跆拳道俱乐部"), ()),
    ),
    (PNE, C_SCIENCE): (
        (SCI, 60, ("{brand}科技创新研究院", "{brand}产业研究院", "{brand}科技服务中心"), ()),
        (SCI_ASSOC, 40, ("{brand}科普服务中心", "{brand}发展研究中心"), ()),
    ),
    (PNE, C_LAW): (
        (JUSTICE, 100, ("{brand}调解服务中心", "{brand}法律服务中心",
                        "{brand}社区矫正服务中心"), ()),
    ),
    (PNE, C_ECOLOGY): (
        (URBAN, 100, ("{brand}环保服务中心", "{brand}自然教育中心",
                      "{brand}垃圾分类促进中心"), ()),
    ),
    (PNE, C_BUSINESS): (
        (INDUSTRY, 50, ("{brand}企业服务中心", "{brand}创业孵化服务中心"), ()),
        (COMMERCE, 50, ("{brand}商业发展服务中心", "{brand}消费促进服务中心"), ()),
    ),
    (PNE, C_PROFESSION): (
        (HR, 100, ("{brand}人才发展服务中心", "{brand}就业服务中心"), ()),
    ),
    (PNE, C_OTHER): (
        (DIRECT, 50, ("{brand}社区发展中心",), ()),
        (CIVIL, 50, ("{brand}社会组织服务中心",), ()),
    ),
    (PNE, C_AGRICULTURE): (
        (INDUSTRY, 100, ("{brand}都市农业发展中心",), ()),
    ),
    (SG, C_BUSINESS): (
        (FEDERATION, 60, ("{x}", "{street}商会"), ("企业家联合会", "青年企业家协会", "民营企业家协会",
                                    "中小企业发展促进会", "总部企业联合会", "个体私营企业协会",
                                    "港澳企业家联谊会", "新生代企业家联谊会")),
        (INDUSTRY, 40, ("{x}",), ("工业经济联合会", "企业质量管理促进会", "企业信用促进会",
                                  "品牌发展促进会", "企业上市促进会", "产业园区促进会")),
    ),
    (SG, C_SOCIAL): (
        (CIVIL, 25, ("{x}", "{brand}志愿者协会", "{brand}公益协会"),
         ("慈善会", "老年人协会", "义工联合会", "养老服务协会", "社区营造促进会",
          "婚姻家庭促进会")),
        (STREET, 40, ("{street}街道{x}",), ("志愿者协会", "老年人协会", "慈善会", "邻里互助会",
                                            "社区发展促进会", "长者关爱协会", "义工联合会")),
        (DIRECT, 20, ("{brand}公益促进会", "{brand}慈善促进会"), ()),
        (DISABLED, 8, ("{x}",), ("肢残人协会", "聋人协会", "盲人协会", "智力残疾人及亲友协会",
                                 "精神残疾人及亲友协会", "助残志愿者协会")),
        (WOMEN, 4, ("{x}",), ("妇女发展促进会", "巾帼志愿者协会")),
        (YOUTH, 3, ("{x}",), ("青年志愿者协会", "青少年发展促进会")),
        (VETERANS, 2, ("{x}",), ("退役军人协会", "拥军优属促进会")),
    ),
    (SG, C_SPORT): (
        (CULTURE, 50, ("{x}协会",), SPORTS),
        (STREET, 50, ("{street}街道{x}协会",), SPORTS),
    ),
    (SG, C_CULTURE): (
        (CULTURE, 60, ("{x}",), ("作家协会", "摄影家协会", "收藏家协会", "诗词学会", "读书会",
                                 "民间文艺家协会", "曲艺家协会", "客家文化研究会",
                                 "传统文化促进会", "楹联学会", "集邮协会",
                                 "非物质文化遗产保护协会", "茶文化协会", "潮汕文化研究会")),
        (STREET, 40, ("{street}街道{x}",), ("文化协会", "读书会", "摄影协会",
                                            "文艺团队联合会")),
    ),
    (SG, C_ART): (
        (CULTURE, 70, ("{x}",), ("美术家协会", "书法家协会", "音乐家协会", "舞蹈家协会",
                                 "戏剧家协会", "合唱协会", "粤剧曲艺协会", "钢琴协会",
                                 "民乐协会", "青年艺术家协会", "油画协会", "剪纸艺术协会",
                                 "朗诵艺术协会", "工艺美术协会")),
        (STREET, 30, ("{street}街道{x}",), ("艺术团", "书画协会", "合唱协会")),
    ),
    (SG, C_SCIENCE): (
        (SCI_ASSOC, 60, ("{x}",), ("心理学会", "计算机学会", "经济学会", "城市规划研究会",
                                   "金融研究会", "历史学会", "人工智能学会", "统计学会",
                                   "社会学会", "管理科学研究会", "科普协会",
                                   "青少年科技教育协会", "电子学会", "数学学会",
                                   "物联网研究会")),
        (SCI, 40, ("{x}", "{brand}科技创新促进会"), ("知识产权促进会", "创新创业研究会",
                                                   "科技成果转化促进会")),
    ),
    (SG, C_EDUCATION): (
        (EDU, 85, ("{x}", "{school}校友会"), ("教育学会", "家庭教育研究会", "民办教育协会",
                                             "幼儿教育研究会", "学前教育协会",
                                             "特殊教育研究会", "教育督导研究会")),
        (WOMEN, 15, ("{x}", "{street}街道家庭教育促进会"), ("家庭教育促进会",)),
    ),
    (SG, C_HEALTH): (
        (HEALTH, 100, ("{x}",), ("医学会", "护理学会", "中医药学会", "营养学会", "健康促进会",
                                 "预防医学会", "口腔医学会", "康复医学会", "医师协会",
                                 "药学会", "心理卫生协会", "社区卫生协会", "抗癌协会",
                                 "老年医学会")),
    ),
    (SG, C_LAW): (
        (JUSTICE, 100, ("{x}",), ("法学会", "人民调解员协会", "法律援助志愿者协会",
                                  "普法志愿者协会", "法律服务促进会")),
    ),
    (SG, C_PROFESSION): (
        (CIVIL, 30, ("{x}",), ("社会工作者协会", "社会工作机构协会", "养老护理员协会")),
        (HR, 30, ("{x}",), ("人力资源从业者协会", "家政服务从业人员协会", "职业经理人协会",
                            "技能人才协会", "心理咨询师协会", "育婴师协会")),
        (HOUSING, 20, ("{x}",), ("工程技术人员协会", "注册建造师协会", "建筑师联谊会")),
        (WOMEN, 20, ("{x}",), ("女企业家协会", "女律师联谊会", "女知识分子联谊会",
                               "巾帼创业者协会")),
    ),
    (SG, C_ECOLOGY): (
        (URBAN, 100, ("{x}",), ("环境保护协会", "野生动植物保护协会", "绿色生活促进会",
                                "垃圾分类促进会", "低碳发展促进会", "红树林保护协会")),
    ),
    (SG, C_AGRICULTURE): (
        (INDUSTRY, 100, ("{x}",), ("花卉盆景协会", "都市农业协会", "社区股份合作公司联合会",
                                   "农产品流通协会")),
    ),
    (SG, C_RELIGION): ((UNITED_FRONT, 100, ("{x}",), ("佛教协会",)),),
    (SG, C_INTERNATIONAL): (
        (OVERSEAS, 60, ("{x}",), ("华侨华人联谊会", "海外交流协会")),
        (COMMERCE, 40, ("{x}",), ("国际交流促进会", "对外友好交流协会")),
    ),
    (SG, C_OTHER): (
        (CIVIL, 40, ("{x}",), ("老干部联谊会", "知青联谊会", "社会组织联合会")),
        (STREET, 30, ("{street}街道社区社会组织联合会",), ()),
        (OVERSEAS, 30, ("{x}",), ("归侨侨眷联谊会", "港澳同胞联谊会")),
    ),
}  # fmt: skip

# 行业协会商会 (R-ORG-02): directly registered, no supervising unit (R-ORG-03).
TRADES = (
    "物业管理", "餐饮", "电子商务", "金融服务", "珠宝首饰", "时尚服装", "建筑装饰",
    "软件和信息服务", "人力资源服务", "旅游", "美容美发", "汽车服务", "跨境电商", "物流",
    "会展", "广告", "安防", "通信", "供应链管理", "商业零售", "文化创意产业", "家居",
)  # fmt: skip
HOMETOWNS = (
    "潮汕", "湖南", "江西", "福建", "四川", "广西", "湖北", "河南", "梅州", "揭阳", "汕尾",
    "浙江",
)  # fmt: skip
INDUSTRY_ASSOCIATION_TEMPLATES = ("{trade}行业协会", "{trade}协会", "{hometown}商会")

BRANDS = (
    "春晖", "启明", "博雅", "明德", "致远", "睿思", "乐群", "和谐", "阳光", "彩虹", "星光",
    "晨曦", "梧桐", "木棉", "紫荆", "凤凰", "鹏城", "莲花", "香蜜", "福华", "益民", "同心",
    "爱心", "善德", "仁和", "康宁", "嘉禾", "颐年", "悦龄", "安康", "百合", "青藤", "童心",
    "蓝天", "绿叶", "天使", "启航", "智慧", "思源", "知行", "文心", "墨香", "书香", "乐活",
    "健行", "众创", "汇智", "恒信", "正道", "德馨", "慈航", "新苗", "长青", "美好", "雅韵",
    "信达", "立德", "怡康", "惠民", "友邻", "诚信", "泽润", "东方", "南粤", "深港", "湾区",
    "前程", "远航", "新风", "春雨", "暖阳", "朝阳", "和美", "恒爱", "共享", "心桥", "知心",
    "守望", "融合", "宜居", "馨园", "乐善", "善行", "向日葵", "小太阳", "七彩", "金色", "银杏",
    "橄榄", "益心", "同行", "伙伴", "乐龄", "耆乐", "康乐", "安心", "蒲公英", "繁星", "海韵",
    "山海", "红棉", "禾苗", "嘉年", "博文", "致和", "鸿志", "鹏飞", "凯乐", "欣荣", "星辰",
    "星火", "灯塔", "彩云", "万家", "千禾", "百川", "厚德", "至善", "尚德", "明远", "弘毅",
    "卓越", "启迪", "聚力", "同创", "合力", "润心", "悦享", "青禾", "新阶", "臻美", "领航",
)  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤欧"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红志忠晓建国文辉斌宇浩凯鹏俊帆"
    "颖琳雪梅海波晨婷佳欣怡宁嘉睿子涵思源博瀚彤瑶慧蕾雯倩薇岚峰毅琦楠"
)

# Roads of each street (domicile), so an organization of a street office sits in that street.
STREET_ROADS: dict[str, tuple[str, ...]] = {
    "园岭": ("红荔路", "八卦路", "百花二路", "上步中路", "园岭东路"),
    "南园": ("南园路", "滨河大道", "红岭南路", "巴丁街"),
    "福田": ("福华路", "福民路", "金田路", "益田路", "福华三路", "福中路"),
    "沙头": ("沙嘴路", "新洲路", "泰然九路", "福强路", "车公庙路"),
    "香蜜湖": ("香蜜湖路", "侨香路", "农林路", "红荔西路", "农园路"),
    "梅林": ("梅林路", "中康路", "凯丰路", "梅华路"),
    "莲花": ("彩田路", "景田路", "商报路", "莲花路", "红荔路"),
    "华富": ("华富路", "深南中路", "笋岗西路", "彩田路"),
    "福保": ("桂花路", "石厦北街", "福强路", "红柳道"),
    "华强北": ("华强北路", "振华路", "燕南路", "深南中路"),
}
BUILDINGS = (
    "大厦", "商务中心", "广场", "科技大厦", "综合楼", "社区服务中心", "创意园",
)  # fmt: skip

BUSINESS_SCOPES: dict[int, tuple[str, ...]] = {
    C_BUSINESS: ("行业调查与统计", "会员服务与培训", "政策咨询与交流", "展览展示", "企业合作对接",
                 "行业自律与标准制定"),
    C_AGRICULTURE: ("都市农业推广", "花卉园艺培训", "农产品流通信息服务", "会员交流"),
    C_SCIENCE: ("学术研究与交流", "科普宣传", "课题咨询", "人才培训", "成果推广"),
    C_EDUCATION: ("学前教育", "课外兴趣培训", "教育研究与交流", "家庭教育指导", "职业技能培训"),
    C_HEALTH: ("康复护理服务", "健康教育", "心理咨询", "中医药推广", "医学学术交流"),
    C_CULTURE: ("文化交流", "阅读推广", "非遗保护与传承", "文艺创作与展演", "文化培训"),
    C_SPORT: ("全民健身推广", "体育培训", "赛事组织", "运动技能指导", "会员交流"),
    C_ECOLOGY: ("环保宣传教育", "自然教育", "垃圾分类指导", "生态保护志愿服务"),
    C_SOCIAL: ("社会工作服务", "长者照料", "助残服务", "社区营造", "志愿服务", "困难群体帮扶"),
    C_LAW: ("人民调解", "法律咨询", "普法宣传", "法律援助", "学术交流"),
    C_RELIGION: ("宗教事务协调", "教职人员培训", "对外交流"),
    C_PROFESSION: ("从业人员培训", "职业交流", "权益维护", "行业规范推广"),
    C_INTERNATIONAL: ("对外友好交流", "涉外联谊", "国际合作信息服务"),
    C_OTHER: ("联谊交流", "会员服务", "社会组织孵化"),
    C_ART: ("艺术培训", "艺术展演", "艺术创作与交流", "艺术普及"),
}  # fmt: skip

# Categories of the organizations on the register on 2022-06-30, by type. Education,
# social services, culture/arts and sport dominate, as in Shenzhen's 2018 blue book
# (DOMAIN.md R-CLS-02); every one of the 15 categories appears at least once.
DEMO_CATEGORY_QUOTAS: dict[str, dict[int, int]] = {
    PNE: {
        C_EDUCATION: 174, C_SOCIAL: 110, C_HEALTH: 30, C_CULTURE: 25, C_ART: 30, C_SPORT: 45,
        C_SCIENCE: 15, C_LAW: 10, C_ECOLOGY: 6, C_BUSINESS: 12, C_PROFESSION: 8, C_OTHER: 6,
        C_AGRICULTURE: 2,
    },
    SG: {
        C_BUSINESS: 40, C_SOCIAL: 60, C_SPORT: 55, C_CULTURE: 30, C_ART: 25, C_SCIENCE: 16,
        C_EDUCATION: 20, C_HEALTH: 10, C_PROFESSION: 14, C_LAW: 4, C_ECOLOGY: 5,
        C_AGRICULTURE: 3, C_RELIGION: 1, C_INTERNATIONAL: 2, C_OTHER: 7,
    },
}  # fmt: skip
DEMO_INDUSTRY_ASSOCIATIONS = 22  # all 工商服务业 social groups
# Categories of the organizations that left the register: social groups only from those with
# room for more distinct names (a district has one 佛教协会, one 法学会 …).
DEMO_EXIT_CATEGORIES: dict[str, dict[int, int]] = {
    PNE: DEMO_CATEGORY_QUOTAS[PNE],
    SG: {C_SOCIAL: 30, C_SPORT: 25, C_CULTURE: 15, C_ART: 10, C_SCIENCE: 10, C_EDUCATION: 5,
         C_OTHER: 5},
}  # fmt: skip

# The movement that gives 811 on 2021-06-01, 766 on 2022-06-01 and 765 on 2022-06-30.
DAY_2021 = datetime.date(2021, 6, 1)
DAY_2022 = datetime.date(2022, 6, 1)
DEMO_NEW_2021_2022 = 28  # established 2021-06-02 … 2022-05-31
DEMO_NEW_JUNE_2022 = 2  # established 2022-06-02 … 2022-06-29
DEMO_EXITS_BEFORE_2021 = 95  # deregistered or revoked 2015-01-01 … 2021-05-31
DEMO_EXITS_2021_2022 = 73  # 2021-06-02 … 2022-05-31 (the zombie clean-up years)
DEMO_EXITS_JUNE_2022 = 3  # 2022-06-02 … 2022-06-29
DEMO_DEREGISTERING = 8  # on the register, deregistration applied for in 2022
DEMO_REVOKED_SHARE = 0.35

# 等级评估 rounds: the bureau announces results once a year.
RATING_ROUNDS = tuple(
    datetime.date(*d)
    for d in (
        (2016, 12, 20), (2017, 12, 15), (2018, 12, 18), (2019, 12, 17), (2020, 12, 15),
        (2021, 12, 14), (2022, 12, 13), (2023, 12, 12), (2024, 12, 17), (2025, 12, 16),
    )
)  # fmt: skip
RATING_GRADES = ("1A", "2A", "3A", "4A", "5A")
RATING_GRADE_WEIGHTS = (5, 17, 43, 25, 10)
RATED_SHARE = 0.18


# ---------------------------------------------------------------------------------------------
# Supervising units


def supervising_units_seed() -> tuple[int, int]:
    """Ensure the district departments and the ten street offices of Futian exist.

    Returns (created, already present). A unit found by code or by name is left as staff
    may have edited it."""
    created = present = 0
    for kind, units in (
        (SupervisingUnitKind.DISTRICT_DEPARTMENT, DISTRICT_UNITS),
        (SupervisingUnitKind.STREET_OFFICE, STREET_UNITS),
    ):
        for code, name in units:
            if SupervisingUnit.objects.filter(code=code).exists() or (
                SupervisingUnit.objects.filter(name=name).exists()
            ):
                present += 1
                continue
            unit = SupervisingUnit(code=code, name=name, kind=kind)
            unit._change_reason = DEMO_CHANGE_REASON
            unit.save()
            created += 1
    return created, present


def _unit_ids() -> dict[str, int]:
    codes = [code for code, _ in DISTRICT_UNITS + STREET_UNITS]
    by_code = dict(SupervisingUnit.objects.filter(code__in=codes).values_list("code", "id"))
    # A unit staff created earlier under its own code is matched by name.
    names = dict(DISTRICT_UNITS + STREET_UNITS)
    missing = {names[c]: c for c in codes if c not in by_code}
    for name, pk in SupervisingUnit.objects.filter(name__in=missing).values_list("name", "id"):
        by_code[missing[name]] = pk
    return by_code


def _category_ids() -> dict[int, int]:
    ids = dict(IndustryCategory.objects.values_list("code", "id"))
    missing = sorted(set(range(1, 16)) - set(ids))
    if missing:
        raise RuntimeError(f"行业分类缺少代码 {missing}：请先执行 migrate（迁移 0002）。")
    return ids


# ---------------------------------------------------------------------------------------------
# The Futian demo register: a pure plan, then its writes.


@dataclass
class PlannedOrganization:
    """One organization of the demo set as the plan describes it (no database)."""

    uscc: str
    name: str
    org_type: str
    is_industry_association: bool
    category: int
    unit_code: str | None
    legal_representative: str
    domicile: str
    phone: str
    business_scope: str
    registered_capital: Decimal
    registration_certificate_no: str
    established_on: datetime.date
    status: str = LifecycleStatus.ACTIVE
    deregistration_started_on: datetime.date | None = None
    deregistered_on: datetime.date | None = None
    revoked_on: datetime.date | None = None
    ratings: list[tuple[str, datetime.date]] = field(default_factory=list)


@dataclass
class _Slot:
    org_type: str
    category: int
    is_industry_association: bool = False
    established_on: datetime.date | None = None
    status: str = LifecycleStatus.ACTIVE
    deregistration_started_on: datetime.date | None = None
    exit_on: datetime.date | None = None


def _random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A working day (Monday–Friday) in [first, last]; registrations happen on working days."""
    span = (last - first).days
    for _ in range(20):
        day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day
    return first + datetime.timedelta(days=rng.randint(0, span))


def _weighted(rng: random.Random, options: tuple, weights: Iterable[int]):
    return rng.choices(options, weights=list(weights))[0]


class _DemoNames:
    """Names, people, places and codes of the demo set, unique where they must be."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.bodies: set[str] = set()

    def uscc(self, org_type: str) -> str:
        # Position 11 never 'Y': the synthetic register owns bodies `MJY…` (see below).
        while True:
            body = (
                "MJ"
                + self.rng.choice(CHARSET31[:-1])
                + "".join(self.rng.choice("0123456789") for _ in range(5))
            )
            if body not in self.bodies:
                self.bodies.add(body)
                return _uscc(org_type, body)

    def organization_name(
        self, org_type: str, category: int, is_ia: bool
    ) -> tuple[str, str | None, str | None]:
        """(name, unit code or None, street or None) of a new organization."""
        rng = self.rng
        for _ in range(200):
            street = None
            if is_ia:
                unit = DIRECT
                template = rng.choice(INDUSTRY_ASSOCIATION_TEMPLATES)
                core = template.format(trade=rng.choice(TRADES), hometown=rng.choice(HOMETOWNS))
            else:
                options = NAME_OPTIONS[(org_type, category)]
                unit, _, templates, subjects = _weighted(rng, options, (o[1] for o in options))
                template = rng.choice(templates)
                if unit == STREET or "{street}" in template:
                    street = rng.choice(STREETS)
                core = template.format(
                    brand=rng.choice(BRANDS),
                    street=street or "",
                    x=rng.choice(subjects) if subjects else "",
                    school=rng.choice(SCHOOLS),
                )
                if unit == STREET:
                    unit = STREET_UNIT_CODE[street]
            name = "深圳市福田区" + core
            if name not in self.names:
                self.names.add(name)
                return name, unit, street
        raise RuntimeError(f"无法为 {org_type}/{category} 生成不重复的名称")

    def person(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def domicile(self, street: str | None) -> str:
        rng = self.rng
        street = street or rng.choice(STREETS)
        road = rng.choice(STREET_ROADS[street])
        building = rng.choice(BRANDS) + rng.choice(BUILDINGS)
        room = f"{rng.randint(1, 28)}{rng.randint(1, 20):02d}"
        return f"深圳市福田区{street}街道{road}{rng.randint(1, 4099)}号{building}{room}室"

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            return f"0755-{rng.choice('82')}{rng.randint(0, 9_999_999):07d}"
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"

    def business_scope(self, category: int) -> str:
        phrases = BUSINESS_SCOPES[category]
        return "；".join(self.rng.sample(phrases, k=min(3, len(phrases)))) + "。"

    def capital(self, org_type: str, name: str) -> Decimal:
        rng = self.rng
        if name.endswith("幼儿园"):
            low, high = 300, 3000
        elif org_type == SG:
            low, high = 30, 300  # R-ORG-05: at least ¥30,000 for a local social group
        else:
            low, high = 30, 500
        return Decimal(rng.randint(low, high) * 1000).quantize(Decimal("0.01"))


def _uscc(org_type: str, body8: str) -> str:
    first17 = (
        "5"
        + TYPE_DIGITS[org_type]
        + FUTIAN_DIVISION_CODE
        + body8
        + organization_code_check_character(body8)
    )
    return first17 + uscc_check_character(first17)


def _demo_slots(rng: random.Random) -> list[_Slot]:
    """Type, category and lifecycle dates of every demo organization (the figures' source)."""
    current: list[_Slot] = []
    for org_type, quotas in DEMO_CATEGORY_QUOTAS.items():
        for category, count in quotas.items():
            current.extend(_Slot(org_type, category) for _ in range(count))
    associations = [s for s in current if s.org_type == SG and s.category == C_BUSINESS]
    for slot in associations[:DEMO_INDUSTRY_ASSOCIATIONS]:
        slot.is_industry_association = True
    rng.shuffle(current)

    new_2021 = current[:DEMO_NEW_2021_2022]
    new_june = current[DEMO_NEW_2021_2022 : DEMO_NEW_2021_2022 + DEMO_NEW_JUNE_2022]
    older = current[DEMO_NEW_2021_2022 + DEMO_NEW_JUNE_2022 :]
    for slot in new_2021:
        slot.established_on = _random_day(
            rng, DAY_2021 + datetime.timedelta(days=1), DAY_2022 - datetime.timedelta(days=1)
        )
    for slot in new_june:
        slot.established_on = _random_day(
            rng, DAY_2022 + datetime.timedelta(days=1), DEMO_AS_OF - datetime.timedelta(days=1)
        )
    for slot in older:
        # About a third of today's register predates 2015; industry associations came with
        # the 2006 reform of trade associations in Shenzhen.
        first = datetime.date(2006 if slot.is_industry_association else 2000, 1, 1)
        if rng.random() < 0.3:
            slot.established_on = _random_day(rng, first, datetime.date(2014, 12, 31))
        else:
            slot.established_on = _random_day(
                rng, datetime.date(2015, 1, 1), DAY_2021 - datetime.timedelta(days=1)
            )
    for slot in rng.sample(older, DEMO_DEREGISTERING):
        slot.status = LifecycleStatus.DEREGISTERING
        slot.deregistration_started_on = _random_day(
            rng, datetime.date(2022, 1, 4), DEMO_AS_OF - datetime.timedelta(days=1)
        )

    exited: list[_Slot] = []
    weights_by_type = {t: (tuple(q), tuple(q.values())) for t, q in DEMO_EXIT_CATEGORIES.items()}
    for count, first, last in (
        (DEMO_EXITS_BEFORE_2021, datetime.date(2015, 1, 5), DAY_2021 - datetime.timedelta(days=1)),
        (
            DEMO_EXITS_2021_2022,
            DAY_2021 + datetime.timedelta(days=1),
            DAY_2022 - datetime.timedelta(days=1),
        ),
        (
            DEMO_EXITS_JUNE_2022,
            DAY_2022 + datetime.timedelta(days=1),
            DEMO_AS_OF - datetime.timedelta(days=1),
        ),
    ):
        for _ in range(count):
            org_type = SG if rng.random() < 0.45 else PNE
            categories, weights = weights_by_type[org_type]
            slot = _Slot(org_type, _weighted(rng, categories, weights))
            slot.exit_on = _random_day(rng, first, last)
            latest_start = min(slot.exit_on - datetime.timedelta(days=365), DAY_2021)
            slot.established_on = _random_day(rng, datetime.date(2000, 1, 1), latest_start)
            if rng.random() < DEMO_REVOKED_SHARE:
                slot.status = LifecycleStatus.REVOKED
            else:
                slot.status = LifecycleStatus.DEREGISTERED
                slot.deregistration_started_on = max(
                    slot.established_on + datetime.timedelta(days=1),
                    slot.exit_on - datetime.timedelta(days=rng.randint(20, 150)),
                )
            exited.append(slot)
    return current + exited


def demo_register_plan() -> list[PlannedOrganization]:
    """The Futian demo register, computed without the database: same list on every call."""
    rng = random.Random(DEMO_SEED)
    slots = _demo_slots(rng)
    # Certificate numbers are issued in order of registration, per type.
    order = sorted(range(len(slots)), key=lambda i: (slots[i].established_on, i))
    serial = {PNE: 0, SG: 0}
    gen = _DemoNames(rng)
    plan: list[PlannedOrganization] = []
    for i in order:
        slot = slots[i]
        serial[slot.org_type] += 1
        name, unit_code, street = gen.organization_name(
            slot.org_type, slot.category, slot.is_industry_association
        )
        certificate = (
            f"福民{'社' if slot.org_type == SG else '非'}证字第{serial[slot.org_type]:04d}号"
        )
        plan.append(
            PlannedOrganization(
                uscc=gen.uscc(slot.org_type),
                name=name,
                org_type=slot.org_type,
                is_industry_association=slot.is_industry_association,
                category=slot.category,
                unit_code=unit_code,
                legal_representative=gen.person(),
                domicile=gen.domicile(street),
                phone=gen.phone(),
                business_scope=gen.business_scope(slot.category),
                registered_capital=gen.capital(slot.org_type, name),
                registration_certificate_no=certificate,
                established_on=slot.established_on,
                status=slot.status,
                deregistration_started_on=slot.deregistration_started_on,
                deregistered_on=slot.exit_on
                if slot.status == LifecycleStatus.DEREGISTERED
                else None,
                revoked_on=slot.exit_on if slot.status == LifecycleStatus.REVOKED else None,
            )
        )
    _plan_ratings(rng, plan)
    return plan


def _plan_ratings(rng: random.Random, plan: list[PlannedOrganization]) -> None:
    """等级评估 for a subset of today's register: organizations registered two years or more
    at the round (R-EVL), some re-rated five years later, when the first grade expired."""
    for org in plan:
        if org.status not in (LifecycleStatus.ACTIVE, LifecycleStatus.DEREGISTERING):
            continue
        if rng.random() >= RATED_SHARE:
            continue
        eligible = [
            i for i, day in enumerate(RATING_ROUNDS) if add_years(org.established_on, 2) <= day
        ]
        if not eligible:
            continue
        first = rng.choice(eligible)
        org.ratings.append(
            (_weighted(rng, RATING_GRADES, RATING_GRADE_WEIGHTS), RATING_ROUNDS[first])
        )
        if first + 5 < len(RATING_ROUNDS) and rng.random() < 0.5:
            org.ratings.append(
                (_weighted(rng, RATING_GRADES, RATING_GRADE_WEIGHTS), RATING_ROUNDS[first + 5])
            )


def _at(day: datetime.date) -> datetime.datetime:
    """The moment a demo event is dated in the history: 09:30 local time on its day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _lifecycle_history(org: Organization) -> list[tuple[datetime.date, str, str, dict]]:
    """(day, history type, reason, field overrides) of each change, oldest first, so the
    history of a demo organization reads like one that went through the services."""
    active = {
        "status": LifecycleStatus.ACTIVE,
        "deregistration_started_on": None,
        "deregistered_on": None,
        "revoked_on": None,
    }
    events = [(org.established_on, "+", f"成立登记（{DEMO_CHANGE_REASON}）", active)]
    labels = LIFECYCLE_TRANSITIONS
    if org.deregistration_started_on:
        events.append(
            (
                org.deregistration_started_on,
                "~",
                labels[LifecycleStatus.ACTIVE][LifecycleStatus.DEREGISTERING],
                {
                    **active,
                    "status": LifecycleStatus.DEREGISTERING,
                    "deregistration_started_on": org.deregistration_started_on,
                },
            )
        )
    if org.deregistered_on:
        events.append(
            (
                org.deregistered_on,
                "~",
                labels[LifecycleStatus.DEREGISTERING][LifecycleStatus.DEREGISTERED],
                {
                    **active,
                    "status": LifecycleStatus.DEREGISTERED,
                    "deregistration_started_on": org.deregistration_started_on,
                    "deregistered_on": org.deregistered_on,
                },
            )
        )
    if org.revoked_on:
        events.append(
            (
                org.revoked_on,
                "~",
                labels[LifecycleStatus.ACTIVE][LifecycleStatus.REVOKED],
                {**active, "status": LifecycleStatus.REVOKED, "revoked_on": org.revoked_on},
            )
        )
    return events


@dataclass(frozen=True)
class DemoSeedResult:
    planned: int
    registered: int  # of the planned organizations, on the register on DEMO_AS_OF
    created: int
    ratings_created: int
    units_created: int


@transaction.atomic
def demo_register_seed() -> DemoSeedResult:
    """Write the Futian demo register; organizations already present (by USCC) are left as
    they are, so a second run creates nothing and a partial set is completed."""
    units_created, _ = supervising_units_seed()
    plan = demo_register_plan()
    existing: set[str] = set()
    usccs = [p.uscc for p in plan]
    for start in range(0, len(usccs), 500):  # SQLite caps the parameters of one query
        existing.update(
            Organization.objects.filter(uscc__in=usccs[start : start + 500]).values_list(
                "uscc", flat=True
            )
        )
    todo = [p for p in plan if p.uscc not in existing]
    registered = sum(p.status in REGISTERED_STATUSES for p in plan)
    if not todo:
        return DemoSeedResult(len(plan), registered, 0, 0, units_created)

    unit_ids, category_ids = _unit_ids(), _category_ids()
    orgs = [
        Organization(
            uscc=p.uscc,
            name=p.name,
            org_type=p.org_type,
            is_industry_association=p.is_industry_association,
            industry_category_id=category_ids[p.category],
            supervising_unit_id=unit_ids[p.unit_code] if p.unit_code else None,
            legal_representative=p.legal_representative,
            domicile=p.domicile,
            phone=p.phone,
            business_scope=p.business_scope,
            registered_capital=p.registered_capital,
            registration_certificate_no=p.registration_certificate_no,
            established_on=p.established_on,
            status=p.status,
            deregistration_started_on=p.deregistration_started_on,
            deregistered_on=p.deregistered_on,
            revoked_on=p.revoked_on,
        )
        for p in todo
    ]
    Organization.objects.bulk_create(orgs, batch_size=500)
    ids = {}
    for start in range(0, len(todo), 500):
        ids.update(
            Organization.objects.filter(
                uscc__in=[p.uscc for p in todo[start : start + 500]]
            ).values_list("uscc", "id")
        )
    for org in orgs:
        org.pk = org.id = ids[org.uscc]

    # bulk_create bypasses save(), so the history is written here (STYLE.md, Audit): one
    # row per lifecycle event, dated when it happened.
    historical = Organization.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    history_rows = []
    for org in orgs:
        current = {name: getattr(org, name) for name in tracked}
        for day, kind, reason, overrides in _lifecycle_history(org):
            history_rows.append(
                historical(
                    **{**current, **overrides},
                    history_date=_at(day),
                    history_type=kind,
                    history_change_reason=reason,
                    history_user=None,
                )
            )
    historical.objects.bulk_create(history_rows, batch_size=500)

    ratings = []
    for p, org in zip(todo, orgs, strict=True):
        for grade, awarded_on in p.ratings:
            rule_version, valid_from, expires_on = rating_validity(awarded_on=awarded_on)
            rating = Rating(
                organization_id=org.pk,
                grade=grade,
                awarded_on=awarded_on,
                rule_version=rule_version,
                valid_from=valid_from,
                expires_on=expires_on,
            )
            rating._history_date = _at(awarded_on)
            ratings.append(rating)
    Rating.objects.bulk_create(ratings, batch_size=500)
    Rating.history.bulk_history_create(
        ratings, batch_size=500, default_change_reason=f"等级评估（{DEMO_CHANGE_REASON}）"
    )
    return DemoSeedResult(len(plan), registered, len(orgs), len(ratings), units_created)


# ---------------------------------------------------------------------------------------------
# The synthetic register (`--orgs N`): load-test scale, COPY on PostgreSQL.

SYNTHETIC_BODY_PREFIX = "MJY"  # the demo set never uses 'Y' here, so the sets never collide
SYNTHETIC_CHUNK = 50_000  # rows per COPY and per deterministic RNG stream
SYNTHETIC_MAX = 31**5  # counter digits after MJY: 28.6 million distinct bodies
SYNTHETIC_FIRST_DAY = datetime.date(2000, 1, 1)
SYNTHETIC_LAST_DAY = datetime.date(2025, 12, 31)


def synthetic_uscc(index: int, org_type: str) -> str:
    """USCC of synthetic organization `index`: body `MJY` + index in five base-31 digits."""
    digits = []
    n = index
    for _ in range(5):
        n, d = divmod(n, 31)
        digits.append(CHARSET31[d])
    return _uscc(org_type, SYNTHETIC_BODY_PREFIX + "".join(reversed(digits)))


def synthetic_register_count() -> int:
    """How many synthetic organizations exist: rows 0…count−1 (each run is one transaction)."""
    count = 0
    for digit in sorted(set(TYPE_DIGITS.values())):
        low = f"5{digit}{FUTIAN_DIVISION_CODE}{SYNTHETIC_BODY_PREFIX}"
        count += Organization.objects.filter(uscc__gte=low, uscc__lt=low[:-1] + "Z").count()
    return count


class _SyntheticRows:
    """Row i of the synthetic register, the same on every run (RNG seeded per chunk)."""

    TYPES = (PNE,) * 60 + (SG,) * 39 + (OrganizationType.FOUNDATION,)

    def __init__(self, unit_ids: dict[str, int], category_ids: dict[int, int]) -> None:
        # Flattened (category, unit id, template, subjects) per type, weighted by repetition,
        # so one random index picks a coherent category/unit/name shape.
        self.shapes: dict[str, list[tuple[int, int | None, str, tuple[str, ...], bool]]] = {}
        for org_type in (PNE, SG):
            shapes = []
            for category, quota in DEMO_CATEGORY_QUOTAS[org_type].items():
                options = NAME_OPTIONS[(org_type, category)]
                total = sum(o[1] for o in options)
                for unit, weight, templates, subjects in options:
                    repeat = max(1, round(quota * weight / total / 2))
                    for template in templates:
                        shapes.extend(
                            [(category, unit, template, subjects, unit == STREET)] * repeat
                        )
            self.shapes[org_type] = shapes
        # Foundations are registered above district level (R-ORG-01): shown with no unit.
        self.shapes[OrganizationType.FOUNDATION] = [
            (C_SOCIAL, DIRECT, "{brand}公益基金会", (), False),
            (C_EDUCATION, DIRECT, "{brand}教育基金会", (), False),
        ]
        self.unit_ids = unit_ids
        self.category_ids = category_ids
        self.street_roads = [(s, r) for s in STREETS for r in STREET_ROADS[s]]
        self.scopes = {c: "；".join(p[:3]) + "。" for c, p in BUSINESS_SCOPES.items()}
        self.first = SYNTHETIC_FIRST_DAY.toordinal()
        self.span = SYNTHETIC_LAST_DAY.toordinal() - self.first

    def rows(self, start: int, stop: int) -> Iterator[tuple]:
        """Rows start…stop−1 as tuples in `SYNTHETIC_COLUMNS` order (values, not SQL)."""
        chunk = start // SYNTHETIC_CHUNK
        while start < stop:
            chunk_start = chunk * SYNTHETIC_CHUNK
            chunk_stop = min(chunk_start + SYNTHETIC_CHUNK, stop)
            rng = random.Random(f"{SYNTHETIC_SEED}:{chunk}")
            for i in range(chunk_start, chunk_stop):
                row = self._row(rng, i)
                if i >= start:
                    yield row
            start = chunk_stop
            chunk += 1

    def _row(self, rng: random.Random, i: int) -> tuple:
        r = rng.random
        brands, n_brands = BRANDS, len(BRANDS)
        org_type = self.TYPES[int(r() * 100)]
        shapes = self.shapes[org_type]
        category, unit, template, subjects, by_street = shapes[int(r() * len(shapes))]
        street, road = self.street_roads[int(r() * len(self.street_roads))]
        is_ia = org_type == SG and category == C_BUSINESS and r() < 0.5
        if is_ia:
            unit = DIRECT
            core = (
                INDUSTRY_ASSOCIATION_TEMPLATES[int(r() * 3)]
                .replace("{trade}", TRADES[int(r() * len(TRADES))])
                .replace("{hometown}", HOMETOWNS[int(r() * len(HOMETOWNS))])
            )
        else:
            # Two 字号 give a four-character name, so names rarely repeat at this scale.
            brand = brands[int(r() * n_brands)] + brands[int(r() * n_brands)]
            core = (
                template.replace("{brand}", brand)
                .replace("{street}", street)
                .replace("{x}", subjects[int(r() * len(subjects))] if subjects else "")
                .replace("{school}", SCHOOLS[int(r() * len(SCHOOLS))])
            )
            if by_street:
                unit = STREET_UNIT_CODE[street]
        surname = SURNAMES[int(r() * len(SURNAMES))]
        given = GIVEN_CHARS[int(r() * len(GIVEN_CHARS))] + GIVEN_CHARS[int(r() * len(GIVEN_CHARS))]
        established = self.first + int(r() * self.span)
        fate = r()
        started = deregistered = revoked = None
        status = LifecycleStatus.ACTIVE
        if fate < 0.115:
            # Exits fall after the organization's first 180 days and before the last day.
            last = self.first + self.span
            exit_day = min(last, established + 180 + int(r() * 3650))
            if exit_day > established:
                if fate < 0.015:
                    status, started = LifecycleStatus.DEREGISTERING, exit_day
                elif fate < 0.09:
                    status, deregistered = LifecycleStatus.DEREGISTERED, exit_day
                    started = max(established + 1, exit_day - 60)
                else:
                    status, revoked = LifecycleStatus.REVOKED, exit_day
        day = datetime.date.fromordinal
        return (
            synthetic_uscc(i, org_type),
            "深圳市福田区" + core,
            org_type,
            is_ia,
            self.category_ids[category],
            self.unit_ids.get(unit) if unit else None,
            surname + given,
            f"深圳市福田区{street}街道{road}{1 + int(r() * 4000)}号",
            f"0755-8{int(r() * 10_000_000):07d}",
            self.scopes[category],
            f"{30 + int(r() * 470)}000.00",
            f"福民证字第{i + 1:07d}号",
            day(established),
            status,
            day(started) if started else None,
            day(deregistered) if deregistered else None,
            day(revoked) if revoked else None,
        )


SYNTHETIC_COLUMNS = (
    "uscc",
    "name",
    "org_type",
    "is_industry_association",
    "industry_category_id",
    "supervising_unit_id",
    "legal_representative",
    "domicile",
    "phone",
    "business_scope",
    "registered_capital",
    "registration_certificate_no",
    "established_on",
    "status",
    "deregistration_started_on",
    "deregistered_on",
    "revoked_on",
)


def _other_columns(model, known: set[str]) -> list[tuple[str, object]]:
    """Columns a COPY must fill that the generator does not know (created_at, fields added
    later) with their model default, so a new field with a default does not break the seed."""
    extra = []
    for f in model._meta.concrete_fields:
        if f.attname in known or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = timezone.now()
        elif f.has_default() or f.null:
            value = f.get_default()
        else:
            raise RuntimeError(
                f"{model.__name__}.{f.name} 没有默认值，seed_demo --orgs 需要为它生成数据。"
            )
        extra.append((f.column, f.get_db_prep_save(value, connection)))
    return extra


@dataclass(frozen=True)
class SyntheticSeedResult:
    requested: int
    existing: int
    created: int
    seconds: float


def synthetic_register_seed(
    n: int, *, log: Callable[[str], None] = lambda _: None
) -> SyntheticSeedResult:
    """Make synthetic organizations 0…n−1 exist, appending the ones missing, with a '+'
    history row each (written explicitly: COPY bypasses save())."""
    if n > SYNTHETIC_MAX:
        raise ValueError(f"合成登记簿最多 {SYNTHETIC_MAX} 个组织")
    began = time.monotonic()
    supervising_units_seed()
    existing = synthetic_register_count()
    if existing >= n:
        return SyntheticSeedResult(n, existing, 0, time.monotonic() - began)
    rows = _SyntheticRows(_unit_ids(), _category_ids())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _synthetic_copy(rows, existing, n, log)
        else:
            _synthetic_bulk_create(rows, existing, n, log)
    return SyntheticSeedResult(n, existing, n - existing, time.monotonic() - began)


def _synthetic_copy(rows: _SyntheticRows, start: int, stop: int, log) -> None:
    org_table = Organization._meta.db_table
    historical = Organization.history.model
    hist_table = historical._meta.db_table
    qn = connection.ops.quote_name
    now = timezone.now()
    extra = _other_columns(Organization, set(SYNTHETIC_COLUMNS))
    columns = ["id", *SYNTHETIC_COLUMNS, *(c for c, _ in extra)]
    extra_text = "".join("\t" + copy_text_value(v) for _, v in extra)

    tracked = {f.column for f in historical.tracked_fields}
    hist_columns, hist_select, hist_params = [], [], []
    for f in historical._meta.concrete_fields:
        if f.name == "history_id":
            continue
        hist_columns.append(qn(f.column))
        if f.column in tracked:
            hist_select.append(qn(f.column))
        elif f.name == "history_date":
            hist_select.append("%s")
            hist_params.append(now)
        elif f.name == "history_type":
            hist_select.append("'+'")
        elif f.name == "history_change_reason":
            hist_select.append("%s")
            hist_params.append(SYNTHETIC_CHANGE_REASON)
        elif f.null:
            hist_select.append("NULL")
        else:
            hist_select.append("%s")
            hist_params.append(f.get_db_prep_save(f.get_default(), connection))
    history_sql = (
        f"INSERT INTO {qn(hist_table)} ({', '.join(hist_columns)}) "
        f"SELECT {', '.join(hist_select)} FROM {qn(org_table)} WHERE id BETWEEN %s AND %s"
    )

    with connection.cursor() as cursor:
        # Explicit ids (history rows need them); the lock keeps other writers out of the
        # reserved block until this transaction ends.
        cursor.execute(f"LOCK TABLE {qn(org_table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [org_table])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            f"SELECT setval(%s, GREATEST(nextval(%s), (SELECT COALESCE(MAX(id), 0) + 1 "
            f"FROM {qn(org_table)})) + %s - 1)",
            [sequence, sequence, stop - start],
        )
        (last_id,) = cursor.fetchone()
        next_id = last_id - (stop - start) + 1
        copy_sql = f"COPY {qn(org_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        for chunk_start in range(start, stop, SYNTHETIC_CHUNK):
            chunk_stop = min(chunk_start + SYNTHETIC_CHUNK, stop)
            buffer = io.StringIO()
            write = buffer.write
            first_id = next_id
            for row in rows.rows(chunk_start, chunk_stop):
                write(str(next_id))
                for value in row:
                    write("\t")
                    write(copy_text_value(value))
                write(extra_text)
                write("\n")
                next_id += 1
            buffer.seek(0)
            cursor.copy_expert(copy_sql, buffer)
            cursor.execute(history_sql, [*hist_params, first_id, next_id - 1])
            log(f"  {chunk_stop:,} / {stop:,}")
        cursor.execute(f"ANALYZE {qn(org_table)}")
        cursor.execute(f"ANALYZE {qn(hist_table)}")


def _synthetic_bulk_create(rows: _SyntheticRows, start: int, stop: int, log) -> None:
    from simple_history.utils import bulk_create_with_history

    batch = 2_000
    for chunk_start in range(start, stop, batch):
        chunk_stop = min(chunk_start + batch, stop)
        objs = [
            Organization(**dict(zip(SYNTHETIC_COLUMNS, row, strict=True)))
            for row in rows.rows(chunk_start, chunk_stop)
        ]
        bulk_create_with_history(
            objs, Organization, batch_size=500, default_change_reason=SYNTHETIC_CHANGE_REASON
        )
        log(f"  {chunk_stop:,} / {stop:,}")


# ---------------------------------------------------------------------------------------------
# The registry's own steps.


@register_seed_step("registry.supervising_units", order=100, modes=(DEMO, SYNTHETIC))
def _supervising_units_step(ctx: SeedContext) -> str:
    created, present = supervising_units_seed()
    return f"业务主管单位：新建 {created} 个，已存在 {present} 个。"


@register_seed_step("registry.register", order=110, modes=(DEMO,))
def _demo_register_step(ctx: SeedContext) -> str:
    result = demo_register_seed()
    if result.created == 0:
        return (
            f"演示登记簿已存在（{result.planned} 个组织，在册 {result.registered} 个），未做改动。"
        )
    done = "新建" if result.created == result.planned else "补齐缺少的"
    return (
        f"演示登记簿：{done} {result.created} 个组织、{result.ratings_created} 条等级评估；"
        f"演示登记簿在册 {result.registered} 个（{DEMO_AS_OF}）。"
    )


@register_seed_step("registry.synthetic_register", order=110, modes=(SYNTHETIC,))
def _synthetic_register_step(ctx: SeedContext) -> str:
    result = synthetic_register_seed(ctx.orgs or 0, log=ctx.log)
    if result.created == 0:
        return f"合成登记簿已有 {result.existing:,} 个组织（≥ {result.requested:,}），未做改动。"
    return (
        f"合成登记簿：新增 {result.created:,} 个组织（原有 {result.existing:,}），"
        f"用时 {result.seconds:.1f} 秒。"
    )
