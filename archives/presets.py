"""Category presets a company can load (SPEC §2).

``annual`` is the scheme of S3 (年度客户文件管理办法): J年份序号 ``J2023001``,
Y年份合同类型序号 ``Y2023销售合同002``, D/F年份序号, G年份沟通方式序号
``G2023电话015``, K年份反馈类型序号 ``K2023满意度调查003``. Where S3 leaves the
retention open ([X]) the defaults below apply; admins edit them afterwards.
"""

# code, name, pattern, requires customer, (retention kind, years[, start]),
# dimensions
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

PRESETS = {"annual": ANNUAL}
