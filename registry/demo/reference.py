"""Reference data of the demo: supervising units, names, places, and the quotas that give the seed letter's figures."""

from __future__ import annotations

import datetime

from registry.choices import (
    OrganizationType,
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

# The movement that gives 811 on 2021-06-01, 772 on 2021-12-31 (the party-coverage
# denominator of the 2021 report: 166 / 772 = 21.5%), 766 on 2022-06-01 and 765 on 2022-06-30:
# 811 + 14 − 53 = 772, 772 + 14 − 20 = 766, 766 + 2 − 3 = 765.
DAY_2021 = datetime.date(2021, 6, 1)
YEAR_END_2021 = datetime.date(2021, 12, 31)
DAY_2022 = datetime.date(2022, 6, 1)
DEMO_NEW_H2_2021 = 14  # established 2021-06-02 … 2021-12-31
DEMO_NEW_H1_2022 = 14  # established 2022-01-01 … 2022-05-31
DEMO_NEW_2021_2022 = DEMO_NEW_H2_2021 + DEMO_NEW_H1_2022
DEMO_NEW_JUNE_2022 = 2  # established 2022-06-02 … 2022-06-29
DEMO_EXITS_BEFORE_2021 = 95  # deregistered or revoked 2015-01-01 … 2021-05-31
DEMO_EXITS_H2_2021 = 53  # 2021-06-02 … 2021-12-31 (the zombie clean-up campaign of 2021)
DEMO_EXITS_H1_2022 = 20  # 2022-01-01 … 2022-05-31
DEMO_EXITS_2021_2022 = DEMO_EXITS_H2_2021 + DEMO_EXITS_H1_2022
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
