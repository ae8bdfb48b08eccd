"""Category presets a company can load (SPEC §2).

``annual`` is the scheme of S3 (年度客户文件管理办法): J年份序号 ``J2023001``,
Y年份合同类型序号 ``Y2023销售合同002``, D/F年份序号, G年份沟通方式序号
``G2023电话015``, K年份反馈类型序号 ``K2023满意度调查003``. Where S3 leaves the
retention open ([X]) the defaults below apply; admins edit them afterwards.
``property`` is S4's property-management archive (业主信息 and the owners'
dossiers, communications, contracts, fees, repairs, community activities);
``building`` is S2's office-building archive, whose documents are viewed,
never lent (文书档案只阅不借). ``manage.py load_numbering_preset <name>``.
"""

from typing import Any

# code, name, pattern, requires customer, (retention kind, years[, start]),
# dimensions[, options: "en" (the English name), "lendable" (False: 只阅不借)]
ANNUAL = [
    (
        "J",
        "客户基础资料类",
        "J{YYYY}{seq:3}",
        True,
        ("long_term", None),
        [
            (
                "doctype",
                "文件类型",
                False,
                False,
                [
                    ("JBXX", "客户基本信息表"),
                    ("ZZJG", "客户组织架构图"),
                    ("LXR", "客户联系人信息"),
                ],
            ),
        ],
    ),
    (
        "Y",
        "业务交易类（合同）",
        "Y{YYYY}{contract}{seq:3}",
        True,
        ("years", 5, "contract_end"),
        [
            (
                "contract",
                "合同类型",
                True,
                True,
                [
                    ("销售合同", "销售合同"),
                    ("采购合同", "采购合同"),
                    ("服务合同", "服务合同"),
                ],
            ),
        ],
    ),
    ("D", "业务交易类（订单记录）", "D{YYYY}{seq:3}", True, ("years", 5), []),
    ("F", "业务交易类（发票与付款记录）", "F{YYYY}{seq:3}", True, ("years", 5), []),
    (
        "G",
        "客户沟通与服务类",
        "G{YYYY}{channel}{seq:3}",
        True,
        ("years", 3),
        [
            (
                "channel",
                "沟通方式",
                True,
                True,
                [
                    ("电话", "电话沟通记录"),
                    ("邮件", "邮件往来记录"),
                    ("会议", "会议纪要"),
                    ("拜访", "客户拜访记录"),
                ],
            ),
        ],
    ),
    (
        "K",
        "客户反馈与评价类",
        "K{YYYY}{feedback}{seq:3}",
        True,
        ("years", 3),
        [
            (
                "feedback",
                "反馈类型",
                True,
                True,
                [
                    ("满意度调查", "客户满意度调查"),
                    ("投诉", "客户投诉记录"),
                    ("建议", "客户建议与意见"),
                ],
            ),
        ],
    ),
]

# S4 (物业客服档案整理工作制度): a property-management archive for the owners
# of an estate. 业主信息 is one dossier per owner (the owner, the property,
# the household: archives.Customer with is_owner); the other categories are
# filed against the owner where there is one. S4 leaves the periods open
# ([X] years): short 3, medium 10, long-term as it says.
PROPERTY = [
    (
        "YZ",
        "业主信息档案",
        "YZ{YYYY}{doctype}{seq:4}",
        True,
        ("long_term", None),
        [
            (
                "doctype",
                "资料类型",
                True,
                True,
                [
                    ("JB", "业主基本信息"),
                    ("FC", "房产信息"),
                    ("RZ", "入住资料"),
                ],
            ),
        ],
        {"en": "Owner information"},
    ),
    (
        "YG",
        "业主沟通记录",
        "YG{YYYY}{channel}{seq:4}",
        True,
        ("years", 10),
        [
            (
                "channel",
                "沟通方式",
                True,
                True,
                [
                    ("DH", "电话"),
                    ("DX", "短信"),
                    ("WX", "微信"),
                    ("MT", "面谈与接待"),
                ],
            ),
        ],
        {"en": "Owner communications"},
    ),
    (
        "FW",
        "服务合同与协议",
        "FW{YYYY}{contract}{seq:3}",
        False,
        ("long_term", None),
        [
            (
                "contract",
                "合同类型",
                True,
                True,
                [
                    ("WY", "物业服务合同"),
                    ("ZX", "专项服务协议"),
                    ("LS", "临时服务约定"),
                ],
            ),
        ],
        {"en": "Service contracts and agreements"},
    ),
    (
        "FY",
        "费用管理档案",
        "FY{YYYY}{fee}{seq:4}",
        True,
        ("years", 10),
        [
            (
                "fee",
                "费用类型",
                True,
                True,
                [
                    ("WYF", "物业费"),
                    ("SDF", "水电费"),
                    ("TCF", "停车费"),
                    ("JM", "费用减免"),
                ],
            ),
        ],
        {"en": "Fees"},
    ),
    (
        "WB",
        "维修与保养记录",
        "WB{YYYY}{repair}{seq:4}",
        False,
        ("years", 10),
        [
            (
                "repair",
                "维修类型",
                True,
                True,
                [
                    ("BX", "业主报修"),
                    ("GG", "公共区域与设施保养"),
                    ("ZD", "重大维修"),
                ],
            ),
        ],
        {"en": "Repairs and maintenance"},
    ),
    (
        "SQ",
        "社区活动档案",
        "SQ{YYYY}{seq:3}",
        False,
        ("years", 3),
        [],
        {"en": "Community activities"},
    ),
]

# S2 (大楼/大厦客服部内部档案管理规定与制度): an office building's archive.
# 文书档案只阅不借: government papers, the licence and the company's own
# documents are viewed, never lent.
BUILDING = [
    (
        "ZF",
        "政府及上级文件",
        "ZF{YYYY}{seq:3}",
        False,
        ("long_term", None),
        [],
        {"en": "Government and group documents", "lendable": False},
    ),
    (
        "ZZ",
        "营业执照及相关资料",
        "ZZ{seq:3}",
        False,
        ("permanent", None),
        [],
        {"en": "Business licence and papers", "lendable": False},
    ),
    (
        "WJ",
        "公司文件",
        "WJ{YYYY}{seq:3}",
        False,
        ("long_term", None),
        [],
        {"en": "Company documents", "lendable": False},
    ),
    (
        "WG",
        "物业管理记录",
        "WG{YYYY}{record}{seq:4}",
        False,
        ("years", 3),
        [
            (
                "record",
                "记录类型",
                True,
                True,
                [
                    ("QJ", "清洁卫生管理"),
                    ("LH", "绿化管理"),
                    ("ZB", "值班记录"),
                    ("XJ", "楼宇巡检记录"),
                ],
            ),
        ],
        {"en": "Property management records"},
    ),
    (
        "HW",
        "经济与外包合同",
        "HW{YYYY}{seq:3}",
        False,
        ("years", 10),
        [],
        {"en": "Contracts and outsourcing"},
    ),
    (
        "YX",
        "音像图片资料",
        "YX{YYYY}{seq:3}",
        False,
        ("long_term", None),
        [],
        {"en": "Audio-visual and photographs"},
    ),
]

PRESETS: dict[str, list[tuple[Any, ...]]] = {
    "annual": ANNUAL,
    "property": PROPERTY,
    "building": BUILDING,
}
