"""A realistic archive of N records in a scratch PostgreSQL database, by COPY.

The mix follows a call centre of 1,000 contacts a day (SPEC §2): about 80 %
GT communication records, 12 % TS complaints and suggestions, 5 % KH customer
files, 3 % PX training files, formed over the last three years; Chinese
titles made of a customer's name and what the contact was about; 1 customer
for every 20 records; paper records in boxes of 50 on shelves in three
storerooms; each record's first history row; loans and viewings on 2 % of
the records; an electronic file for one record in ``BENCH_FILES_EVERY``
(files of 1 KB in the store and its backup, for the monthly inspection);
an open stocktake with every shelved record scanned but 0.5 % missing and
0.5 % in the wrong box.

Rows are generated in Python and streamed with ``COPY … FROM STDIN``; the
records' secondary indexes (and the search index) are dropped before the load
and built after it, with foreign-key triggers off for the session
(``session_replication_role = replica``), as a restore does.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import os
import random
import time
from collections.abc import Iterable
from pathlib import Path

CITIES = [
    "上海",
    "北京",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "天津",
    "重庆",
    "长沙",
    "青岛",
    "厦门",
    "宁波",
    "合肥",
    "郑州",
    "济南",
    "福州",
    "昆明",
    "沈阳",
    "大连",
    "无锡",
]
NAME_CHARS = "华信恒达盛宏远鑫源泰丰瑞安嘉和美新隆兴润博通海天金诚联创佳正中汇德永明光顺昌龙祥凯腾飞云星辰阳晨东方"  # noqa: E501
TRADES = [
    "电子科技",
    "贸易",
    "物流",
    "餐饮管理",
    "医疗器械",
    "家居",
    "服饰",
    "食品",
    "汽车销售",
    "信息技术",
    "建材",
    "教育咨询",
    "旅游",
    "通信设备",
    "化工",
]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "商贸有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玉兰萍红娥玲芬燕彬鹏辉建国建华文斌志强晓东海燕丹"  # noqa: E501
GT_TOPICS = [
    "咨询产品价格",
    "反映物流延迟",
    "申请退换货",
    "查询订单状态",
    "咨询发票开具",
    "办理会员升级",
    "反馈产品故障",
    "咨询售后维修",
    "预约上门安装",
    "修改收货地址",
    "咨询优惠活动",
    "申请退款",
    "查询积分余额",
    "咨询合同续签",
    "反映账单异常",
    "咨询配送时间",
    "申请开通账户",
    "办理业务变更",
    "咨询保修政策",
    "回访满意度调查",
]
TS_TOPICS = [
    "产品质量问题投诉",
    "服务态度投诉",
    "配送延误投诉",
    "收费争议投诉",
    "售后处理不及时投诉",
    "关于优化退货流程的建议",
    "关于延长服务时间的建议",
    "安装人员迟到投诉",
    "虚假宣传投诉",
    "关于改进客服热线的建议",
]
PX_TOPICS = [
    "新员工入职培训",
    "投诉处理技巧培训",
    "产品知识培训",
    "服务礼仪培训",
    "系统操作培训",
    "沟通技巧提升培训",
    "服务流程规范培训",
    "客户情绪安抚培训",
]
KEYWORDS = [
    "退货",
    "退款",
    "发票",
    "物流",
    "维修",
    "投诉",
    "建议",
    "会员",
    "账单",
    "安装",
    "续签",
    "积分",
    "价格",
    "故障",
    "满意度",
]
CHANNEL_NAMES = {"DH": "电话", "YJ": "邮件", "ZX": "在线", "MT": "当面"}
MIX = [("GT", 0.80), ("TS", 0.12), ("KH", 0.05), ("PX", 0.03)]
PAPER_SHARE = 0.6
BOX_SIZE = 50
YEARS = 3
USERS_PER_DEPARTMENT = 25
DEPARTMENTS = 8
LOGIN_PASSWORD = "Bench-pass-2026"  # noqa: S105 - the scratch database's


# What a scanned form, an e-mail or a Word file says: the text read from
# the files of CONTENT_SHARE of the records, about 2 KB (700 characters) each.
CONTENT_SHARE = 10  # one record in ten
CONTENT_SENTENCES = [
    "客户来电反映所购商品在运输途中出现破损，要求尽快安排退换货。",
    "经核实，物流公司已确认包裹在中转站受潮，同意承担相应赔偿责任。",
    "客服人员向客户说明了退款流程和预计到账时间，客户表示理解。",
    "客户对上门安装服务的及时性提出表扬，并建议增加周末预约时段。",
    "本次回访中客户对售后维修结果满意，满意度评价为非常满意。",
    "客户咨询发票开具事宜，已按要求开具增值税专用发票并邮寄。",
    "客户投诉账单金额与合同约定不符，财务部门已复核并更正。",
    "会员积分兑换出现异常，技术部门排查后已为客户补发积分。",
    "Order reference ABC-20231101, refund approved by the service manager.",
    "客户要求修改收货地址，订单尚未发货，已在系统中完成变更。",
]


def _content(rng: random.Random) -> str:
    sentences = []
    while sum(len(s.encode()) for s in sentences) < 2048:
        sentences.append(rng.choice(CONTENT_SENTENCES))
    return "\n".join(sentences)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(value) -> str:
    """A value in COPY's text format. Strings first: most values are, and
    this runs for every column of every row (a tenth of a large load)."""
    if type(value) is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return _copy_escape(str(value))


def _vocabulary() -> set[str]:
    """Every character the generated text is made of."""
    words = [
        *CITIES,
        NAME_CHARS,
        *TRADES,
        *SUFFIXES,
        SURNAMES,
        GIVEN,
        *GT_TOPICS,
        *TS_TOPICS,
        *PX_TOPICS,
        *KEYWORDS,
        *CHANNEL_NAMES.values(),
        *CONTENT_SENTENCES,
        "记录客户基本信息年月资料0123456789",
    ]
    return set("".join(words))


def search_text_maker():
    """``search.search_text`` for the generated rows, fast when it can be.

    Folding to Simplified characters (OpenCC, pure Python) was a third of a
    load's time. Every character the loader writes is Simplified already;
    where folding leaves each of them as it is, the runs are found without
    it. The caller checks a sample against ``search.search_text``.
    """
    from archives import search
    from core.chinese import fold

    if any(fold(char) != char for char in _vocabulary()):
        return search.search_text

    def search_text(*parts: str | None) -> str:
        return " ".join(
            run
            for part in parts
            for run in search.WORD_RE.findall((part or "").lower())
        )

    return search_text


def copy_rows(cursor, model, rows: Iterable[dict], chunk: int = 50_000) -> int:
    """COPY rows (dicts by column name; absent columns get the field default)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = itertools.chain([first], rows)
    pk = model._meta.pk
    # A row without its id gets one from the table's sequence.
    fields = [
        f for f in model._meta.concrete_fields if f is not pk or pk.column in first
    ]
    columns = [f.column for f in fields]
    defaults = {}
    for field in fields:
        default = field.get_default() if field.has_default() else None
        if default is None and not field.null and field.empty_strings_allowed:
            default = ""  # a text column without a default: blank, not NULL
        defaults[field.column] = default
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    sql = f'COPY "{table}" ({names}) FROM STDIN'
    written = 0
    buffer = io.StringIO()
    for n, row in enumerate(rows, 1):
        buffer.write(
            "\t".join(_copy_escape(row.get(c, defaults[c])) for c in columns) + "\n"
        )
        if n % chunk == 0:
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            buffer = io.StringIO()
        written = n
    if buffer.tell():
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
    return written


def _set_sequence(cursor, model) -> None:
    table = model._meta.db_table
    pk = model._meta.pk.column
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608 - model names
        f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
    )


def _secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """Indexes that back no constraint, which a load builds afterwards."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    )
    return cursor.fetchall()


def _company(rng: random.Random) -> str:
    return (
        rng.choice(CITIES)
        + rng.choice(NAME_CHARS)
        + rng.choice(NAME_CHARS)
        + rng.choice(TRADES)
        + rng.choice(SUFFIXES)
    )


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
    )


def load(records: int, files_every: int, var: Path, log=print) -> dict:
    """Fill the (migrated, empty) database; returns what the benchmark needs."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Department
    from accounts.models import User
    from archives import search
    from archives.models import SEARCH_VERSION
    from archives.models import ArchiveRecord
    from archives.models import Box
    from archives.models import Category
    from archives.models import Customer
    from archives.models import NumberSequence
    from archives.models import RecordFile
    from archives.models import Shelf
    from archives.models import Storeroom
    from archives.models import Subcode
    from archives.personal import encrypt
    from archives.personal import mask_contact
    from lending.models import AccessItem
    from lending.models import AccessRequest
    from retention.models import CheckRun
    from retention.models import StocktakeScan

    rng = random.Random(20261124)  # noqa: S311 - sample data, not secrets
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=365 * YEARS)
    days = (today - first_day).days

    # People and places, through the ORM: a few thousand rows.
    archive_room = Department.objects.create(code="DA", name="档案室")
    departments = [
        Department.objects.create(
            code=f"CS{n}", name=f"客服{'一二三四五六七八'[n - 1]}部"
        )
        for n in range(1, DEPARTMENTS + 1)
    ]
    password = make_password(LOGIN_PASSWORD)
    archivist = User.objects.create(
        username="bench", password=password, department=archive_room
    )
    archivist.groups.add(Group.objects.get(name="archivist"))
    staff_login = User.objects.create(
        username="bench_staff", password=password, department=departments[0]
    )
    staff_login.groups.add(Group.objects.get(name="cs_staff"))
    people = User.objects.bulk_create(
        [
            User(
                username=f"staff{d.code}{n:02d}",
                password="!",  # noqa: S106 - no password: cannot log in
                first_name=_person(rng),
                department=d,
            )
            for d in departments
            for n in range(USERS_PER_DEPARTMENT)
        ]
    )
    # The two people who log in file records like everyone else.
    by_department = {
        d.pk: [p for p in [staff_login, *people] if p.department_id == d.pk]
        for d in departments
    }
    cs_staff = Group.objects.get(name="cs_staff")
    cs_staff.user_set.add(*people)

    categories = {c.code: c for c in Category.objects.all()}
    subcodes: dict[str, dict[str, list]] = {}
    for s in Subcode.objects.select_related("dimension__category"):
        subcodes.setdefault(s.dimension.category.code, {}).setdefault(
            s.dimension.key, []
        ).append(s)

    contact = encrypt("13800000000")
    masked = mask_contact("13800000000")
    customer_count = max(200, records // 20)
    customers = Customer.objects.bulk_create(
        [
            Customer(
                code=f"C{n:07d}",
                name=_company(rng) if n % 3 else _person(rng),
                industry=rng.choice(subcodes["KH"]["industry"]),
                department=rng.choice(departments),
                contact_cipher=contact,
                contact_masked=masked,
            )
            for n in range(1, customer_count + 1)
        ],
        batch_size=5000,
    )
    elapsed = time.perf_counter() - started
    log(f"  people and {len(customers):,} customers ({elapsed:.0f} s)")

    rooms = [
        Storeroom.objects.create(code=code, name=name)
        for code, name in (("A", "一号库房"), ("B", "二号库房"), ("C", "三号库房"))
    ]
    rooms[0].authorised.add(archivist)

    # The records: numbers in date order per prefix, as acceptance gives them.
    plan = []
    weights = [w for _c, w in MIX]
    codes = [c for c, _w in MIX]
    for _ in range(records):
        code = rng.choices(codes, weights)[0]
        plan.append((first_day + datetime.timedelta(days=rng.randrange(days)), code))
    plan.sort()
    record_ids = range(1, records + 1)
    sequences: dict[str, int] = {}
    boxes: list[Box] = []
    box_fill: dict[tuple[str, int], tuple[Box, int]] = {}
    shelves: dict[tuple[str, int], Shelf] = {}

    def box_for(category: Category, year: int) -> Box:
        key = (category.code, year)
        box, used = box_fill.get(key, (None, BOX_SIZE))
        if used >= BOX_SIZE:
            shelf_key = (category.code, len(boxes) // 100)
            shelf = shelves.get(shelf_key)
            if shelf is None:
                shelf = Shelf.objects.create(
                    storeroom=rooms[len(shelves) % len(rooms)],
                    code=f"{category.code}{len(shelves):04d}",
                    category=category,
                )
                shelves[shelf_key] = shelf
            box = Box.objects.create(
                shelf=shelf,
                code=f"{category.code}-{year}-{len(boxes):05d}",
                category=category,
                year=year,
                capacity=BOX_SIZE,
            )
            boxes.append(box)
            used = 0
        box_fill[key] = (box, used + 1)
        return box

    search_text = search_text_maker()
    history_model = ArchiveRecord.history.model
    through = ArchiveRecord.subcodes.through
    big = [
        ArchiveRecord._meta.db_table,
        history_model._meta.db_table,
        through._meta.db_table,
        StocktakeScan._meta.db_table,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, big)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL session_replication_role = replica")

        def flush():
            copy_rows(cursor, ArchiveRecord, rows)
            copy_rows(cursor, through, links)
            copy_rows(cursor, history_model, history)
            copy_rows(cursor, StocktakeScan, scans)
            copy_rows(cursor, RecordFile, files)
            for batch in (rows, links, history, scans, files):
                batch.clear()

        statuses = ["archived"] * 96 + [
            "on_loan",
            "in_viewing",
            "appraised",
            "destroyed",
        ]
        rows, links, history, scans, files = [], [], [], [], []
        store = var / "archive-store"
        backup = var / "archive-backup"
        file_content = b"0123456789abcdef" * 64
        file_digest = hashlib.sha256(file_content).hexdigest()
        stocktake = CheckRun.objects.create(
            kind="stocktake", period=str(today.year), status="open"
        )
        link_id = 0
        for pk, (day, code) in zip(record_ids, plan, strict=True):
            category = categories[code]
            department = departments[pk % DEPARTMENTS]
            person = rng.choice(by_department[department.pk])
            customer = (
                None if code == "PX" else customers[rng.randrange(len(customers))]
            )
            chosen = {
                key: rng.choice(options) for key, options in subcodes[code].items()
            }
            if code == "GT":
                channel = chosen["channel"].code
                topic = rng.choice(GT_TOPICS)
                title = f"{customer.name}{CHANNEL_NAMES[channel]}{topic}记录"
                prefix = f"GT{day:%Y%m%d}"
            elif code == "TS":
                title = f"{customer.name}{rng.choice(TS_TOPICS)}"
                prefix = f"TS{chosen['nature'].code}{chosen['status'].code}"
            elif code == "KH":
                title = f"{customer.name}客户基本信息"
                prefix = f"KH{chosen['industry'].code}"
            else:
                title = f"{day:%Y年%m月}{rng.choice(PX_TOPICS)}资料"
                prefix = f"PX{day:%Y%m}"
            sequence = sequences.get(prefix, 0) + 1
            sequences[prefix] = sequence
            number = f"{prefix}{sequence:03d}"
            keywords = " ".join(rng.sample(KEYWORDS, rng.randint(1, 3)))
            paper = rng.random() < PAPER_SHARE
            status = rng.choice(statuses)
            box = (
                box_for(category, day.year) if paper and status != "destroyed" else None
            )
            formed = datetime.datetime.combine(
                day, datetime.time(9), tzinfo=datetime.UTC
            )
            accepted = formed + datetime.timedelta(days=rng.randint(1, 20))
            content = _content(rng) if pk % CONTENT_SHARE == 0 else ""
            parts = (number, title, customer.name if customer else "", keywords)
            text = search_text(*parts, content)
            if pk % 997 == 0 and text != search.search_text(*parts, content):
                raise AssertionError(f"search text of record {pk} differs")
            row = {
                "id": pk,
                "category_id": category.pk,
                "title": title,
                "customer_id": customer.pk if customer else None,
                "date_formed": day,
                "received_at": formed,
                "source_department_id": department.pk,
                "responsible_person_id": person.pk,
                "carrier": "paper" if paper else "electronic",
                "page_count": rng.randint(1, 30) if paper else 0,
                "confidentiality": rng.choice(
                    ("internal", "internal", "internal", "public", "confidential")
                ),
                "keywords": keywords,
                "description": "",
                "handling_status": "handled" if code == "TS" else "",
                "handled_on": day if code == "TS" else None,
                "involves_major_decision": False,
                "status": status,
                "number": number,
                "number_prefix": prefix,
                "sequence_number": sequence,
                "box_id": box.pk if box else None,
                "disposal_due_on": None
                if code == "KH"
                else day + datetime.timedelta(days=365 * 3),
                "created_by_id": person.pk,
                "created_at": formed,
                "updated_at": accepted,
                "submitted_at": formed,
                "submitted_late": False,
                "accepted_at": accepted,
                "accepted_by_id": archivist.pk,
                "search_text": text,
                "search_grams": search.document_grams(text),
                "search_version": SEARCH_VERSION,
            }
            rows.append(row)
            for subcode in chosen.values():
                link_id += 1
                links.append(
                    {"id": link_id, "archiverecord_id": pk, "subcode_id": subcode.pk}
                )
            history.append(
                {
                    **{
                        k: v
                        for k, v in row.items()
                        if k not in ("search_text", "search_grams", "search_version")
                    },
                    "history_id": pk,
                    "history_date": accepted,
                    "history_change_reason": "",
                    "history_type": "+",
                    "history_user_id": archivist.pk,
                }
            )
            if box is not None and pk % 200 != 0:
                scanned_box = (
                    box.pk
                    if pk % 200 != 1
                    else boxes[0].pk
                    if box.pk != boxes[0].pk
                    else boxes[-1].pk
                )
                scans.append(
                    {
                        "run_id": stocktake.pk,
                        "code": number,
                        "record_id": pk,
                        "box_id": scanned_box,
                        "scanned_by_id": archivist.pk,
                        "scanned_at": now,
                    }
                )
            if not paper and files_every and pk % files_every == 0:
                name = f"{code}/{number}/{number}.txt"
                for root in (store, backup):
                    path = root / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(file_content)
                files.append(
                    {
                        "record_id": pk,
                        "file": name,
                        "original_name": f"{number}.txt",
                        "size": len(file_content),
                        "content_type": "text/plain",
                        "sha256": file_digest,
                        "scan": "clean",
                        "uploaded_by_id": person.pk,
                        "uploaded_at": accepted,
                        "content_text": content,
                        "content_source": "text" if content else "",
                    }
                )
            if len(rows) == 50_000:
                flush()
                log(f"  {pk:,} records copied ({time.perf_counter() - started:.0f} s)")
        flush()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(search.GRAMS_INDEX_SQL)
        for model in (ArchiveRecord, history_model, through, StocktakeScan, RecordFile):
            _set_sequence(cursor, model)
    log(
        f"  indexes built, {len(boxes):,} boxes ({time.perf_counter() - started:.0f} s)"
    )
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=p, last_value=v) for p, v in sequences.items()],
        batch_size=5000,
    )

    # Loans and viewings on 2 % of the records, handed over and returned.
    lent = rng.sample(range(1, records + 1), max(10, records // 50))
    requests = AccessRequest.objects.bulk_create(
        [
            AccessRequest(
                kind="lending" if n % 2 else "viewing",
                requester=people[n % len(people)],
                department=people[n % len(people)].department,
                purpose="核对客户服务记录",
                scope="",
                starts_at=now - datetime.timedelta(days=30 + n % 300),
                ends_at=now - datetime.timedelta(days=20 + n % 300),
                status="closed",
            )
            for n in range(len(lent) // 2)
        ],
        batch_size=5000,
    )
    AccessItem.objects.bulk_create(
        [
            AccessItem(
                request=requests[n // 2],
                record_id=pk,
                handed_over_at=requests[n // 2].starts_at,
                handed_over_by=archivist,
                returned_at=requests[n // 2].ends_at,
                received_by=archivist,
            )
            for n, pk in enumerate(lent[: len(requests) * 2])
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # What autovacuum does soon after a load this size: statistics, and
        # the visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE")
    log(f"  loans, ANALYZE ({time.perf_counter() - started:.0f} s)")
    return {"seconds": time.perf_counter() - started}


def data_dir(var: Path) -> Path:
    os.makedirs(var, exist_ok=True)
    return var
