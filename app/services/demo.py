"""Realistic, deterministic demo data (演示数据) for trying the app, training and benchmarks.

``generate_demo(session_factory, seed=1, cases=2000)`` fills an empty database with Tianjin-flavoured data
spread over the three years up to ``today``: eight mediation organizations of different kinds with their
mediators and trainings, about 300 enterprises, 25 young-arbitrator volunteers with their contacted
enterprises, service records (about 15 % of volunteer-quarters left without service, as in real life) and
satisfaction surveys, and ``cases`` mediation cases in every state of the workflow (domain.md §3) with
parties, claims, mediators, sessions, agreements, performance, return visits and archive numbers.

Everything is drawn from ``random.Random`` streams derived from ``seed`` (UUIDs included), so the same
seed, case count and ``today`` give the same rows; only the server-side timestamps of a few tables differ.
ID numbers (GB 11643) and unified social credit codes (GB 32100) carry correct check characters,
computed here so that this module depends on nothing but the data model.

Cases and their child rows are written with SQLAlchemy Core ``insert(table)`` executemany in batches of
5,000 cases, with explicit integer keys, inside one transaction (all or nothing); 100,000 cases take well
under a minute. ``PRAGMA synchronous`` is lowered for the load and restored afterwards.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.formatting import rmb_upper
from db import models as m
from db.base import Base
from db.enums import CaseStatus, CloseType
from db.sortkeys import name_key

__all__ = ["DemoSummary", "generate_demo", "id_check_char", "uscc_check_char", "BATCH_CASES"]

ProgressFn = Callable[[int, int, str], None]
BATCH_CASES = 5000

# ---------------------------------------------------------------------------------------------
# Check characters (GB 11643 / GB 32100 / GB 11714), computed here on purpose (no dependency).

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(body17: str) -> str:
    """GB 11643 check character of the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def uscc_check_char(body17: str) -> str:
    """GB 32100 check character of the first 17 characters of a unified social credit code."""
    s = sum(_USCC_VALUE[c] * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    r = 31 - s % 31
    return USCC_CHARS[0 if r == 31 else r]


def _org_code_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organization code body (A=10 … Z=35)."""
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - s % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


# ---------------------------------------------------------------------------------------------
# Word lists


def _cum(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


_SURNAMES_W = (
    "王12 李12 张11 刘9 陈7 杨6 赵4 黄4 周4 吴4 徐3 孙3 胡2 朱2 高3 林2 何2 郭2 马3 罗1 梁2 宋2 郑2 谢1 韩2 唐1 "
    "冯1 于2 董2 肖1 程1 曹1 袁1 邓1 许1 傅1 沈1 曾1 彭1 吕1 苏1 卢1 蒋1 蔡1 贾1 丁1 魏1 薛1 叶1 阎1 余1 潘1 杜1 "
    "戴1 夏1 钟1 汪1 田2 任1 姜1 范1 方1 石1 姚1 谭1 廖1 邹1 熊1 金1 陆1 郝1 孔1 白1 崔1 康1 毛1 邱1 秦1 江1 史1 "
    "顾1 侯1 邵1 孟1 龙1 万1 段1 齐1 尹1 常1 武1 乔1 贺1 赖1 龚1 文1"
)
SURNAMES = [t[0] for t in _SURNAMES_W.split()]
_SURNAME_CUM = _cum([float(t[1:]) for t in _SURNAMES_W.split()])
_MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林成建国峰志文海亮东博晨阳然昊天振永庆德胜春立新兵金福贵山江"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪婷倩颖丹慧佳欣悦瑶璐蕾晶月莉莹洁琪楠薇思雨馨妍怡露凤兰云"
_NEUTRAL_FIRST = "晓志建海文俊子嘉梓一雨思家永春小玉"

# 6-digit address codes used in ID numbers (kept as at registration; older codes are normal in IDs)
_TJ_CODES = ["120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111", "120112",
             "120113", "120114", "120115", "120116", "120221", "120223", "120225"]
_OTHER_CODES = ["130102", "130203", "130402", "130424", "130521", "130627", "130702", "130821", "130902",
                "130923", "131002", "131025", "131102", "131121", "370102", "370203", "370481", "371102",
                "371302", "371522", "410102", "410305", "410526", "411102", "411421", "411623", "412726",
                "340102", "341221", "341322", "230102", "230603", "150102", "510104", "511321", "620102",
                "140105", "140702", "220102", "210102"]

_MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                    "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "183", "185",
                    "186", "187", "188", "189", "191", "198", "199"]

DISTRICTS = {
    "120101": ("和平区", ["南京路", "滨江道", "和平路", "营口道", "贵州路", "成都道", "大沽北路", "赤峰道"]),
    "120102": ("河东区", ["十一经路", "津塘路", "大直沽八号路", "六纬路", "卫国道", "嵩山道"]),
    "120103": ("河西区", ["友谊路", "解放南路", "围堤道", "马场道", "黑牛城道", "珠江道"]),
    "120104": ("南开区", ["南门外大街", "鞍山西道", "白堤路", "红旗路", "复康路", "长江道"]),
    "120105": ("河北区", ["中山路", "金纬路", "王串场街", "昆纬路", "狮子林大街"]),
    "120106": ("红桥区", ["芥园道", "西青道", "光荣道", "丁字沽一号路"]),
    "120110": ("东丽区", ["津塘公路", "先锋东路", "跃进路", "东丽大道"]),
    "120111": ("西青区", ["柳口路", "新华道", "大寺路", "凌奥道", "星光路"]),
    "120112": ("津南区", ["津沽路", "微山南路", "咸水沽镇丰达街"]),
    "120113": ("北辰区", ["北辰道", "京津路", "龙洲道", "宜兴埠镇永兴道"]),
    "120116": ("滨海新区", ["第二大街", "洞庭路", "黄海路", "新港二号路", "中天大道"]),
}
_ARB_SHORT = {"120101": "和", "120102": "东", "120103": "西", "120104": "南", "120105": "北", "120106": "红",
              "120110": "丽", "120111": "青", "120112": "津南", "120113": "辰", "120116": "滨"}
_DISTRICT_CODES = list(DISTRICTS)
_ESTATES = ["华苑", "富民", "安居", "和顺", "瑞景", "泰和", "丽水", "翠景", "春华", "秋实", "雅都", "金泉", "龙潭", "柳林",
            "海天", "王顶堤", "体院北", "东丽湖", "中北", "双港", "佳园", "嘉华", "新村", "民和"]
_ESTATE_KINDS = ["里", "花园", "家园", "新村", "小区", "公寓"]
_PARK_ROADS = ["赛达大道", "兴华道", "海泰发展路", "赛达新兴产业园", "睿智道"]
_ENT_REGION_W = {"120101": 17, "120102": 10, "120103": 14, "120104": 10, "120105": 12, "120106": 3,
                 "120110": 4, "120111": 20, "120112": 3, "120113": 5, "120116": 2}

_BRANDS = ("鑫源 华泰 恒通 宏达 金盛 瑞丰 天佑 永安 泰和 嘉禾 锦程 德润 海纳 众诚 博远 盛世 凯达 联众 新港 津华 隆昌 "
           "利民 安捷 腾飞 海河 北洋 万通 华信 中诚 宝利 福瑞 鼎盛 和顺 润泽 金桥 星辰 蓝天 华美 佳禾 启航 卓越 鸿运 "
           "信达 康源 百川 正阳 远洋 绿源 明珠 宏图 东方 永盛 久利 旭日 银河 长兴 聚德 同顺 汇通 晟泰 誉达 德昌").split()
_BUSINESS = {
    "C": ["机械制造", "精密机械", "电子科技", "模具制造", "五金制品", "塑料制品", "服装", "食品", "汽车零部件",
          "包装制品", "金属制品", "电气设备"],
    "E": ["建筑工程", "建筑劳务", "装饰工程", "市政工程", "建设工程", "钢结构工程"],
    "H": ["餐饮管理", "酒店管理", "餐饮服务", "快餐"],
    "F": ["商贸", "超市", "百货", "医药连锁", "建材销售", "电器销售"],
    "G": ["物流", "快递服务", "货运代理", "运输", "供应链管理", "仓储服务"],
    "I": ["网络科技", "信息技术", "软件开发", "数据科技", "电子商务"],
    "L": ["人力资源服务", "企业管理咨询", "保安服务", "劳务派遣", "会展服务"],
    "O": ["家政服务", "美容美发", "汽车维修", "洗衣服务", "保洁服务"],
    "K": ["物业管理", "房地产经纪", "房地产开发"],
    "P": ["教育科技", "文化培训"],
    "Q": ["医院管理", "养老服务", "健康管理"],
    "Z": ["文化传媒", "农业科技", "环保科技"],
}
_INDUSTRY_W = {"C": 20, "E": 10, "H": 14, "F": 14, "G": 8, "I": 6, "L": 8, "O": 8, "K": 5, "P": 2, "Q": 3, "Z": 2}
_SHOPS = [("面馆", "H"), ("便利店", "F"), ("汽车修理部", "O"), ("理发店", "O"), ("烧烤店", "H"), ("水果店", "F"),
          ("快餐店", "H"), ("干洗店", "O"), ("五金店", "F"), ("建材店", "F")]
_JOBS = {
    "C": ["操作工", "电焊工", "车间主任", "质检员", "装配工", "仓管员", "叉车司机"],
    "E": ["瓦工", "钢筋工", "木工", "架子工", "电工", "力工", "施工员"],
    "H": ["服务员", "厨师", "帮厨", "收银员", "面点师", "店长"],
    "F": ["营业员", "收银员", "理货员", "销售", "店长", "配送员"],
    "G": ["快递员", "货车司机", "分拣员", "仓管员", "调度员"],
    "I": ["程序员", "运营专员", "客服", "设计师", "测试工程师"],
    "L": ["保安员", "派遣员工", "招聘专员", "文员"],
    "O": ["保洁员", "家政服务员", "美发师", "汽车维修工"],
    "K": ["物业保安", "保洁员", "房产经纪人", "维修工"],
    "P": ["教师", "课程顾问", "助教"],
    "Q": ["护理员", "护士", "养老护理员"],
    "Z": ["文员", "业务员", "司机"],
}
_CONTACT_POSTS = ["人事经理", "人力资源部经理", "行政主管", "办公室主任", "财务经理", "总经理助理", "人事专员"]

# dispute types: (code, weight)
_MAIN_TYPE_W = {"02": 45, "05": 15, "06": 10, "03": 8, "01": 6, "04": 6, "07": 5, "08": 2, "10": 1, "99": 2}
_EXTRA_TYPES = {"02": ["07", "05", "03"], "05": ["02", "03", "07"], "06": ["05", "02"], "03": ["02", "05"],
                "01": ["02", "03"], "04": ["03", "02"], "07": ["02", "05"], "08": ["02"], "10": ["02"],
                "99": ["02"]}
_CLOSE_W = {CloseType.AGREED: 57, CloseType.SETTLED_WITHDRAWN: 13, CloseType.WITHDRAWN: 6,
            CloseType.FAILED: 16, CloseType.TERMINATED: 8}
_REJECT_REASONS = [
    "申请事项不属于劳动人事争议调解受理范围，已告知申请人通过其他途径解决",
    "该争议已由劳动人事争议仲裁委员会立案受理",
    "该争议已由人民法院受理",
    "被申请人明确表示不同意调解，已告知申请人可依法申请仲裁",
    "申请人未能提供与被申请人存在劳动关系的基本证明材料，经释明后仍未补正",
    "超出本组织调解范围，已引导申请人向有管辖权的调解组织申请调解",
]
_CLOSE_REASONS = {
    CloseType.AGREED: ["双方自愿达成调解协议"],
    CloseType.SETTLED_WITHDRAWN: ["双方自行和解，申请人申请撤回调解申请", "经调解员释法说理，双方达成和解，申请人撤回申请"],
    CloseType.WITHDRAWN: ["申请人申请撤回调解申请", "申请人已另行申请仲裁，撤回调解申请", "申请人表示暂不主张权利，撤回申请"],
    CloseType.FAILED: ["双方对补偿金额分歧较大，未能达成一致，已告知申请人可依法申请仲裁",
                       "被申请人不认可加班事实，双方未能达成调解协议，已引导申请人申请仲裁",
                       "双方对是否存在劳动关系争议较大，调解不成，已出具调解不成告知书"],
    CloseType.TERMINATED: ["调解期限届满，双方未同意延期，终止调解", "被申请人经两次通知无正当理由未到场，终止调解",
                           "发现申请人已就同一事项申请仲裁，终止调解", "一方明确表示拒绝继续调解，终止调解"],
}
_DEFENSES = ["公司近期资金周转困难，同意支付但希望分期", "对申请人主张的加班时长有异议", "认为申请人系自动离职，不同意支付经济补偿",
             "同意支付拖欠工资，但对金额计算有异议", "表示愿意协商解决，但补偿数额需请示公司领导",
             "认为双方系劳务关系而非劳动关系", "称已按当地最低缴费基数缴纳社会保险"]
_SESSION_PLACES = ["第一调解室", "第二调解室", "调解室", "接待室"]
_EXT_REASONS = ["案情较为复杂，双方同意延长调解期限", "被申请人需报请上级公司审批，双方同意延期调解",
                "双方均有继续调解意愿，同意延长调解期限十五日"]
_VISIT_FEEDBACK = {
    "full": ["款项已全部收到，对调解工作表示满意", "被申请人已按协议履行完毕，申请人表示感谢", "已按期足额收到款项，无其他诉求"],
    "partial": ["已收到部分款项，被申请人承诺月底前付清余款", "被申请人支付了第一期款项，第二期尚未到账"],
    "none": ["被申请人至今未支付，已告知申请人可申请支付令或仲裁", "被申请人以资金困难为由未履行，已督促并告知申请人救济途径"],
}

_TOPICS = ["劳动合同订立与解除", "加班费计算", "工资支付", "社会保险缴纳", "工伤认定与待遇", "新就业形态劳动者权益保障",
           "带薪年休假", "经济补偿金计算", "竞业限制", "劳务派遣用工管理", "女职工特殊劳动保护", "试用期管理",
           "规章制度制定程序", "根治欠薪"]
_PROBLEMS = [("部分新入职员工未在一个月内签订书面劳动合同", "建议建立入职即签合同的工作流程，避免二倍工资风险"),
             ("加班费计算基数低于劳动合同约定工资", "建议按劳动合同约定工资核定加班费计算基数"),
             ("部分岗位未足额缴纳社会保险", "建议依法按实际工资申报缴费基数"),
             ("规章制度未经民主程序制定", "建议经职工代表大会或全体职工讨论后公示"),
             ("考勤记录保存不完整", "建议考勤与工资台账保存两年以上并由职工签字确认"),
             ("试用期约定超过法定期限", "建议按劳动合同期限依法约定试用期"),
             ("未建立企业劳动争议调解委员会", "建议依法设立调解委员会并明确调解员")]
_POLICIES = ["《保障农民工工资支付条例》", "《天津市工资支付规定》", "新就业形态劳动者权益保障相关政策",
             "阶段性降低失业保险费率政策", "《企业劳动争议协商调解规定》", "稳岗返还和一次性扩岗补助政策"]
_SERVICE_W = {"lecture": 16, "visit": 24, "hearing": 6, "checkup": 14, "case_talk": 8, "salon": 5, "online": 5,
              "video": 3, "policy": 9, "training": 5, "qa": 4, "other": 1}
_SURVEY_OPINIONS = {4: ["志愿者服务专业、热情，解答问题很及时", "用工体检很有帮助，希望多来企业", "讲座贴近实际，职工反映很好"],
                    3: ["服务效果较好，希望增加线上答疑", "希望多提供典型案例资料"],
                    2: ["服务次数偏少，希望加强联系", "讲解内容较笼统"],
                    1: ["联系不够及时，未能解决企业实际问题"]}

# systems checklist keys of Organization.systems (domain.md §6: nine systems and two mechanisms)
SYSTEM_KEYS = ["notice_guidance", "registration", "handling", "performance_supervision", "return_visit",
               "mediator_management", "archives", "statistics", "evaluation", "risk_warning", "emergency_response"]


# ---------------------------------------------------------------------------------------------
# Result


@dataclass
class DemoSummary:
    """Rows written per table (and the spread of case states)."""

    organizations: int = 0
    organization_titles: int = 0
    mediators: int = 0
    mediator_trainings: int = 0
    enterprises: int = 0
    volunteers: int = 0
    volunteer_contacts: int = 0
    service_records: int = 0
    service_record_volunteers: int = 0
    service_record_enterprises: int = 0
    satisfaction_surveys: int = 0
    cases: int = 0
    case_parties: int = 0
    case_claims: int = 0
    case_mediators: int = 0
    mediation_sessions: int = 0
    agreements: int = 0
    performance_records: int = 0
    return_visits: int = 0
    case_number_counters: int = 0
    users: int = 0
    audit_entries: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    close_type_counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Chinese one-line-per-item description, for the command line."""
        labels = [("organizations", "调解组织"), ("mediators", "调解员"), ("mediator_trainings", "调解员培训记录"),
                  ("enterprises", "企业"), ("volunteers", "青年仲裁员志愿者"), ("volunteer_contacts", "联系企业"),
                  ("service_records", "志愿服务记录"), ("satisfaction_surveys", "满意度调查"), ("cases", "调解案件"),
                  ("case_parties", "当事人"), ("mediation_sessions", "调解记录"), ("agreements", "调解协议"),
                  ("performance_records", "履行记录"), ("return_visits", "回访记录"), ("users", "用户")]
        out = [f"{label}：{getattr(self, key)}" for key, label in labels]
        status = "，".join(f"{CaseStatus(k).label}{v}" for k, v in self.status_counts.items())
        close = "，".join(f"{CloseType(k).label}{v}" for k, v in self.close_type_counts.items())
        out.append(f"案件状态：{status}")
        out.append(f"结案方式：{close}")
        return out


# ---------------------------------------------------------------------------------------------
# Row writer: explicit keys, deterministic UUIDs, Core executemany in table dependency order


class _Writer:
    def __init__(self, session: Session, uuid_rng: random.Random):
        self.session = session
        self._bits = uuid_rng.getrandbits
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        for table in Base.metadata.sorted_tables:
            top = session.execute(select(func.max(table.c.id))).scalar() or 0
            self.next_id[table.name] = top + 1

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._bits(128), version=4))

    def add(self, model: type, row: dict[str, Any]) -> int:
        name = model.__tablename__
        new_id = self.next_id[name]
        self.next_id[name] = new_id + 1
        row["id"] = new_id
        row["uuid"] = str(uuid.UUID(int=self._bits(128), version=4))
        self.pending.setdefault(name, []).append(row)
        return new_id

    def flush(self) -> None:
        for table in Base.metadata.sorted_tables:
            rows = self.pending.pop(table.name, None)
            if not rows:
                continue
            # executemany needs one key set per statement; rows of one builder share theirs
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(row), []).append(row)
            for group in groups.values():
                self.session.execute(insert(table), group)
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)


# ---------------------------------------------------------------------------------------------
# Small helpers


def _add_weekdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _on_or_before_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def _on_or_after_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}元" if fen % 100 == 0 else f"{fen / 100:,.2f}元"


def _month_start(d: date, shift: int) -> date:
    """The first day of the month ``shift`` months after (negative: before) the month of ``d``."""
    k = d.year * 12 + d.month - 1 + shift
    return date(k // 12, k % 12 + 1, 1)


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


class _People:
    """Names, ID numbers and phones drawn from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
        chars = _MALE_CHARS if male else _FEMALE_CHARS
        if rng.random() < 0.3:
            return surname + rng.choice(chars)
        first = rng.choice(_NEUTRAL_FIRST) if rng.random() < 0.25 else rng.choice(chars)
        return surname + first + rng.choice(chars)

    def id_number(self, region: str, birth: date, male: bool) -> str:
        seq = self.rng.randrange(1, 500) * 2 + (1 if male else 0)
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        return body + id_check_char(body)

    def region(self, tianjin_share: float) -> str:
        rng = self.rng
        return rng.choice(_TJ_CODES) if rng.random() < tianjin_share else rng.choice(_OTHER_CODES)

    def birth(self, earliest: date, latest: date) -> date:
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def mobile(self) -> str:
        return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def landline(self) -> str:
        return f"022-{self.rng.choice('2356828')}{self.rng.randrange(10_000_000):07d}"


# ---------------------------------------------------------------------------------------------
# Organizations (fixed cast, names and details realistic for Tianjin)

_ORG_SPECS: list[dict[str, Any]] = [
    dict(name="和平区南市街道劳动人事争议调解中心", short="南市调解中心", kind="21", region="120101",
         street="120101006", address="天津市和平区南市街道荣业大街56号社区服务中心二楼", established=date(2016, 5, 12),
         parent="天津市和平区人民政府南市街道办事处", head_post="街道办事处副主任", area=160, rooms=3, budget=150_000,
         budget_source="街道办事处年度预算", missing_fac=[], signage=True, missing_sys=[], online=True,
         complaints=True, prefix="南市", email="nsjdtjzx@163.com", weight=20, mediators=(8, 10), full=(2, 3),
         titles=[("市", 2023, "第三批"), ("国家", 2024, "第二批")],
         highlights="推行“一窗受理、一站调处”，联合辖区法庭开展诉前调解，设立新就业形态劳动者调解工作室。"),
    dict(name="河西区友谊路街道劳动人事争议调解中心", short="友谊路调解中心", kind="21", region="120103",
         street="120103003", address="天津市河西区友谊路街道平山道56号党群服务中心一楼", established=date(2017, 3, 1),
         parent="天津市河西区人民政府友谊路街道办事处", head_post="街道综治中心主任", area=90, rooms=2, budget=80_000,
         budget_source="街道办事处年度预算", missing_fac=["copier"], signage=True,
         missing_sys=["evaluation", "emergency_response"], online=True, complaints=True, prefix="友谊",
         email=None, weight=15, mediators=(6, 8), full=(1, 2), titles=[], highlights=None),
    dict(name="西青区杨柳青镇劳动人事争议调解中心", short="杨柳青调解中心", kind="21", region="120111",
         street="120111100", address="天津市西青区杨柳青镇柳口路12号镇综合服务中心", established=date(2015, 9, 18),
         parent="天津市西青区杨柳青镇人民政府", head_post="镇党委委员", area=120, rooms=2, budget=100_000,
         budget_source="镇财政专项经费", missing_fac=[], signage=True, missing_sys=["risk_warning"], online=False,
         complaints=True, prefix="杨柳青", email="ylqtjzx@126.com", weight=13, mediators=(7, 9), full=(2, 2),
         titles=[("市", 2022, "第二批")], highlights="建立“镇—村—企业”三级调解网络，汛期前集中排查建筑工地欠薪隐患。"),
    dict(name="河北区劳动人事争议仲裁院调解中心", short="河北仲裁院调解中心", kind="51", region="120105",
         street=None, address="天津市河北区中山路112号区人力资源和社会保障局一楼", established=date(2019, 7, 1),
         parent="天津市河北区劳动人事争议仲裁院", head_post="仲裁院副院长", area=200, rooms=4, budget=300_000,
         budget_source="区财政预算", missing_fac=[], signage=True, missing_sys=[], online=True, complaints=True,
         prefix="河北仲", email="hbqzcytjzx@tj.gov.cn", weight=22, mediators=(10, 12), full=(3, 4),
         titles=[], highlights="开展“调裁衔接”，对仲裁立案前案件先行调解，调解协议当场出具仲裁调解书。"),
    dict(name="天津鑫达机械制造有限公司劳动争议调解委员会", short="鑫达调委会", kind="11", region="120113",
         street="120113004", address=None, established=date(2018, 4, 20), parent=None, head_post="工会主席",
         area=30, rooms=1, budget=20_000, budget_source="企业行政经费", missing_fac=["copier", "reception"],
         signage=False, missing_sys=["return_visit", "evaluation", "risk_warning", "emergency_response"],
         online=False, complaints=False, prefix="鑫达", email=None, weight=4, mediators=(3, 4), full=(1, 1),
         titles=[], highlights=None),
    dict(name="天津市餐饮行业协会劳动争议调解委员会", short="餐饮协会调委会", kind="32", region="120104",
         street="120104002", address="天津市南开区鞍山西道318号天津餐饮大厦5层", established=date(2020, 11, 6),
         parent="天津市餐饮行业协会", head_post="协会秘书长", area=60, rooms=1, budget=50_000,
         budget_source="协会会费及政府购买服务", missing_fac=["printer"], signage=True, missing_sys=["statistics"],
         online=True, complaints=True, prefix="餐协", email="tjcyxhtjwyh@163.com", weight=8, mediators=(5, 7),
         full=(1, 1), titles=[], highlights=None),
    dict(name="西青经济技术开发区劳动人事争议调解中心", short="西青开发区调解中心", kind="31", region="120111",
         street="120111400", address="天津市西青区经济技术开发区赛达大道8号服务中心3层", established=None,
         parent="天津西青经济技术开发区管理委员会", head_post="管委会企业服务局局长", area=80, rooms=2,
         budget=60_000, budget_source="管委会专项经费", missing_fac=[], signage=True, missing_sys=["evaluation"],
         online=True, complaints=True, prefix="西开", email=None, weight=10, mediators=(4, 7), full=(1, 2),
         titles=[], highlights=None),
    dict(name="河东区大王庄街道人民调解委员会", short="大王庄人调委", kind="41", region="120102", street="120102008",
         address="天津市河东区大王庄街道十一经路78号", established=date(2012, 6, 1),
         parent="天津市河东区人民政府大王庄街道办事处", head_post="司法所所长", area=40, rooms=1, budget=None,
         budget_source=None, missing_fac=["computer", "copier"], signage=False,
         missing_sys=["performance_supervision", "return_visit", "statistics", "evaluation", "risk_warning",
                      "emergency_response"],
         online=False, complaints=False, prefix="大王庄", email=None, weight=8, mediators=(3, 5), full=(0, 0),
         titles=[], highlights=None),
]


@dataclass
class _Org:
    id: int
    spec: dict[str, Any]
    established: date
    mediators: list[tuple[int, str, date, date | None]] = field(default_factory=list)  # id, name, from, to
    enterprise_pool: list[int] = field(default_factory=list)  # indexes into the enterprise list
    enterprise_cum: list[float] = field(default_factory=list)
    own: str = "本中心"


@dataclass
class _Ent:
    id: int
    name: str
    credit_code: str
    region: str
    industry: str
    size: str
    legal_rep: str
    legal_rep_post: str
    address: str
    contact_name: str
    contact_phone: str
    struggling: bool
    park: bool
    individual: bool


@dataclass
class _Vol:
    id: int
    name: str
    unit_region: str | None
    joined: date
    left: date | None
    contacts: list[tuple[int, date, date | None]] = field(default_factory=list)  # enterprise index, from, to


# ---------------------------------------------------------------------------------------------
# The generator


class _Generator:
    def __init__(self, session: Session, seed: int, n_cases: int, today: date, salt: str,
                 progress: ProgressFn | None):
        self.session = session
        self.seed = seed
        self.n_cases = n_cases
        self.today = today
        self.start = _years_before(today, 3) + timedelta(days=1)
        self.progress = progress

        def stream(name: str) -> random.Random:
            return random.Random(f"mediation-desk-demo:{seed}:{salt}:{name}")

        self.stream = stream
        self.w = _Writer(session, stream("uuid"))
        self.orgs: list[_Org] = []
        self.ents: list[_Ent] = []
        self.vols: list[_Vol] = []
        self.summary = DemoSummary()

    # -- enterprises ------------------------------------------------------------------------
    def enterprises(self, count: int = 300) -> None:
        rng = self.stream("enterprises")
        people = _People(rng)
        used_codes: set[str] = set(self.session.scalars(select(m.Enterprise.credit_code)).all()) - {None}
        used_names: set[str] = set(self.session.scalars(select(m.Enterprise.name)).all())
        regions = list(_ENT_REGION_W)
        region_cum = _cum(list(_ENT_REGION_W.values()))
        industries = list(_INDUSTRY_W)
        industry_cum = _cum(list(_INDUSTRY_W.values()))

        def credit_code(prefix: str, region: str) -> str:
            while True:
                if rng.random() < 0.6:
                    body8 = "MA0" + "".join(rng.choice(USCC_CHARS) for _ in range(5))
                else:
                    body8 = rng.choice("3567") + f"{rng.randrange(10_000_000):07d}"
                body17 = prefix + region + body8 + _org_code_check(body8)
                code = body17 + uscc_check_char(body17)
                if code not in used_codes:
                    used_codes.add(code)
                    return code

        def make(name: str, region: str, industry: str, size: str, individual: bool, park: bool,
                 struggling: bool | None = None, employees: int | None = None) -> _Ent:
            district, roads = DISTRICTS[region]
            if park:
                address = f"天津市西青区经济技术开发区{rng.choice(_PARK_ROADS)}{rng.randrange(1, 200)}号"
                street = "120111400"
            else:
                address = f"天津市{district}{rng.choice(roads)}{rng.randrange(1, 400)}号"
                if not individual and rng.random() < 0.4:
                    address += f"{rng.choice('ABCDE')}座{rng.randrange(2, 28)}{rng.randrange(1, 20):02d}室"
                street = region + f"{rng.randrange(1, 15):03d}"
            legal_rep = people.name(rng.random() < 0.75)
            if employees is None:
                lo, hi = {"大": (1000, 4000), "中": (300, 999), "小": (20, 299), "微": (3, 19)}[size]
                employees = rng.randint(lo, hi)
            if struggling is None:
                struggling = rng.random() < 0.07
            platform = industry in ("I", "G") and not individual and rng.random() < 0.25
            if platform:
                new_form = rng.randint(200, 3000)
            elif industry == "G":
                new_form = rng.randint(0, 80)
            else:
                new_form = None
            if individual:
                contact, post = legal_rep, "经营者"
                ownership, etype, rep_post = "个体", "个体工商户", "经营者"
            else:
                contact, post = people.name(rng.random() < 0.4), rng.choice(_CONTACT_POSTS)
                ownership = rng.choices(["民营", "国有", "外资(港澳台)", "其他"], [84, 6, 7, 3])[0]
                etype, rep_post = "企业", rng.choice(["执行董事", "总经理", "董事长", "执行董事兼总经理"])
            code = credit_code("92" if individual else "91", region)
            phone = people.mobile()
            big = size in ("大", "中")
            ent_id = self.w.add(m.Enterprise, {
                "name": name, "credit_code": code, "employer_type": etype, "legal_rep": legal_rep,
                "industry": industry, "size": size, "ownership": ownership, "employees": employees,
                "new_form_workers": new_form, "is_platform": platform, "is_struggling": struggling,
                "above_scale": big or (size == "小" and rng.random() < 0.3),
                "has_union": rng.random() < {"大": 0.95, "中": 0.7, "小": 0.3, "微": 0.05}[size],
                "has_mediation_committee": rng.random() < {"大": 0.85, "中": 0.4, "小": 0.08, "微": 0.0}[size],
                "address": address, "region_code": region, "street_code": street, "contact_name": contact,
                "contact_post": post, "contact_phone": phone,
                "notes": "受行业下行影响，近期存在欠薪风险，列为重点关注企业" if struggling else None,
            })
            ent = _Ent(ent_id, name, code, region, industry, size, legal_rep, rep_post, address, contact, phone,
                       struggling, park, individual)
            self.ents.append(ent)
            return ent

        # the enterprise behind the enterprise mediation committee comes first
        make("天津鑫达机械制造有限公司", "120113", "C", "中", False, False, struggling=False, employees=680)
        used_names.add("天津鑫达机械制造有限公司")
        while len(self.ents) < count:
            region = rng.choices(regions, cum_weights=region_cum)[0]
            district = DISTRICTS[region][0]
            individual = rng.random() < 0.1
            park = region == "120111" and not individual and rng.random() < 0.45
            if individual:
                shop, industry = rng.choice(_SHOPS)
                owner = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
                keyword = f"老{owner}家" if rng.random() < 0.4 else rng.choice(_BRANDS)
                name = f"{district}{keyword}{shop}"
                size = "微"
            else:
                industry = (rng.choice(["C", "C", "I", "G", "L"]) if park
                            else rng.choices(industries, cum_weights=industry_cum)[0])
                biz = rng.choice(_BUSINESS[industry])
                brand = rng.choice(_BRANDS)
                style = rng.random()
                if style < 0.5:
                    name = f"天津市{district}{brand}{biz}有限公司"
                elif style < 0.85:
                    name = f"天津{brand}{biz}有限公司"
                elif style < 0.9:
                    name = f"天津{brand}{biz}股份有限公司"
                else:
                    name = f"{brand}（天津）{biz}有限公司"
                size = rng.choices(["大", "中", "小", "微"], [4, 14, 47, 35])[0]
                if "股份" in name and size == "微":
                    size = "小"
            if name in used_names:
                continue
            used_names.add(name)
            make(name, region, industry, size, individual, park)

    # -- organizations and mediators ----------------------------------------------------------
    def organizations(self) -> None:
        rng = self.stream("organizations")
        people = _People(rng)
        committee_ent = self.ents[0]
        for spec in _ORG_SPECS:
            established = spec["established"] or (self.today - timedelta(days=760))
            facilities = {k: k not in spec["missing_fac"]
                          for k in ("reception", "mediation_room", "computer", "printer", "copier")}
            systems = {k: k not in spec["missing_sys"] for k in SYSTEM_KEYS}
            parent, parent_code, address = spec["parent"], None, spec["address"]
            if spec["kind"] == "11":
                parent, parent_code, address = committee_ent.name, committee_ent.credit_code, committee_ent.address
            elif spec["kind"] == "32":
                body8 = "MJ0" + f"{rng.randrange(100_000):05d}"
                body17 = "51" + spec["region"] + body8 + _org_code_check(body8)
                parent_code = body17 + uscc_check_char(body17)
            honours = "；".join(f"{y}年{'全国' if lvl == '国家' else '天津市'}{b}金牌劳动人事争议调解组织"
                               for lvl, y, b in spec["titles"]) or None
            org_id = self.w.add(m.Organization, {
                "name": spec["name"], "short_name": spec["short"], "kind": spec["kind"],
                "region_code": spec["region"], "street_code": spec["street"], "address": address,
                "established_on": established, "parent_unit": parent, "parent_credit_code": parent_code,
                "head_name": people.name(rng.random() < 0.6), "head_post": spec["head_post"],
                "head_phone": people.landline(), "contact_name": people.name(rng.random() < 0.4),
                "contact_phone": people.mobile(), "email": spec["email"], "area_m2": spec["area"],
                "rooms": spec["rooms"], "budget_fen": spec["budget"] * 100 if spec["budget"] else None,
                "budget_source": spec["budget_source"], "facilities": facilities,
                "signage": {"emblem": spec["signage"], "six_norms_five_walls": spec["signage"]},
                "systems": systems, "online_platform": spec["online"], "complaints_channel": spec["complaints"],
                "case_no_pattern": "({year}){prefix}调字第{seq:04d}号", "case_no_prefix": spec["prefix"],
                "honours": honours, "highlights": spec["highlights"], "notes": None, "active": True,
            })
            org = _Org(org_id, spec, established, own="本委员会" if spec["name"].endswith("委员会") else "本中心")
            self.orgs.append(org)
            for level, year, batch in spec["titles"]:
                self.w.add(m.OrganizationTitle, {"organization_id": org_id, "title": "金牌劳动人事争议调解组织",
                                                 "level": level, "year": year, "batch": batch})
            self._mediators(rng, people, org)

    def _mediators(self, rng: random.Random, people: _People, org: _Org) -> None:
        spec = org.spec
        count = rng.randint(*spec["mediators"])
        full = rng.randint(*spec["full"])
        district = DISTRICTS[spec["region"]][0]
        latest_appoint = self.today - timedelta(days=60)
        for i in range(count):
            full_time = i < full
            if full_time:
                background = rng.choices(["coordinator", "arbitrator", "grid", "other"], [5, 2, 2, 1])[0]
                post = "调解中心主任" if i == 0 and org.own == "本中心" else "专职调解员"
            else:
                background = rng.choices(["lawyer", "judge", "prosecutor", "scholar", "union", "hr", "grid", "other"],
                                         [5, 2, 1, 1, 3, 3, 2, 1])[0]
                post = "兼职调解员"
            if spec["kind"] == "11":
                background = "hr" if i == 0 else rng.choice(["union", "hr", "other"])
                post = "调解委员会主任" if i == 0 else "调解委员"
            male = rng.random() < 0.55
            if background in ("judge", "prosecutor"):
                birth = people.birth(date(1955, 1, 1), date(1964, 12, 31))
            else:
                birth = people.birth(date(1962, 1, 1), date(1996, 12, 31))
            if i == 0:
                appointed = org.established  # someone is always on duty
            else:
                lo = max(org.established, date(2012, 1, 1))
                appointed = lo + timedelta(days=rng.randrange(max(1, (latest_appoint - lo).days)))
            left = None
            if i > 0 and rng.random() < 0.15:
                earliest = appointed + timedelta(days=180)
                if earliest < self.today - timedelta(days=30):
                    left = earliest + timedelta(days=rng.randrange((self.today - timedelta(days=30) - earliest).days))
            certified = full_time or rng.random() < 0.6
            legal = background in ("lawyer", "judge", "prosecutor", "scholar", "arbitrator") or rng.random() < 0.1
            name = people.name(male)
            med_id = self.w.add(m.Mediator, {
                "organization_id": org.id, "name": name, "gender": "男" if male else "女",
                "id_number": people.id_number(people.region(0.85), birth, male), "phone": people.mobile(),
                "full_time": full_time, "background": background, "post": post, "certified": certified,
                "certificate_level": rng.choice(["初级", "中级", "高级"]) if certified else None,
                "certificate_no": f"津调证{appointed.year}{rng.randrange(10_000):04d}" if certified else None,
                "legal_qualification": legal, "appointed_on": appointed, "left_on": left,
                "expert_pool": background in ("judge", "prosecutor", "scholar") or (legal and rng.random() < 0.2),
                "notes": "已离任" if left else None,
            })
            org.mediators.append((med_id, name, appointed, left))
            for _ in range(rng.choices([0, 1, 2, 3, 4], [15, 30, 30, 15, 10])[0]):
                lo = max(appointed, self.start)
                hi = min(left or self.today, self.today)
                if hi <= lo:
                    break
                held = lo + timedelta(days=rng.randrange((hi - lo).days))
                name_t, organizer = rng.choice([
                    (f"{held.year}年天津市基层劳动人事争议调解员能力提升培训班", "天津市人力资源和社会保障局"),
                    (f"{held.year}年{district}劳动人事争议调解员业务培训", f"天津市{district}人力资源和社会保障局"),
                    ("金牌劳动人事争议调解组织创建工作专题培训", "天津市劳动人事争议仲裁院"),
                    ("劳动争议调解实务与典型案例研讨会", "天津市劳动人事争议仲裁院"),
                    ("新就业形态劳动者权益保障专题培训", "天津市总工会"),
                    ("调解员调解技巧与心理疏导培训", "天津市工商业联合会"),
                ])
                self.w.add(m.MediatorTraining, {"mediator_id": med_id, "held_on": held, "name": name_t,
                                                "minutes": rng.choice([120, 180, 240, 360, 480, 960]),
                                                "organizer": organizer})

    def enterprise_pools(self) -> None:
        """Which enterprises each organization's respondents come from (weighted: struggling ones more)."""
        for org in self.orgs:
            kind, region = org.spec["kind"], org.spec["region"]
            if kind == "11":
                pool = [0]
            elif kind == "32":
                pool = [i for i, e in enumerate(self.ents) if e.industry == "H"]
            elif kind == "31":
                pool = [i for i, e in enumerate(self.ents) if e.park]
            else:
                local = [i for i, e in enumerate(self.ents) if e.region == region and not e.park]
                others = [i for i, e in enumerate(self.ents) if e.region != region]
                pool = local + others
            weights = []
            for i in pool:
                e = self.ents[i]
                wgt = {"大": 4.0, "中": 3.0, "小": 1.5, "微": 0.8}[e.size] * (5.0 if e.struggling else 1.0)
                if kind in ("21", "41", "51") and e.region != region:
                    wgt *= 0.08
                weights.append(wgt)
            org.enterprise_pool = pool
            org.enterprise_cum = _cum(weights)

    # -- volunteers ---------------------------------------------------------------------------
    def volunteers(self, count: int = 25) -> None:
        rng = self.stream("volunteers")
        people = _People(rng)
        units = ([("天津市劳动人事争议仲裁院", None)] * 8
                 + [(f"天津市{DISTRICTS[r][0]}人力资源和社会保障局", r)
                    for r in ("120101", "120103", "120111", "120105", "120102", "120104", "120113")
                    for _ in range(3)])[:count]
        while len(units) < count:
            units.append(("天津市劳动人事争议仲裁院", None))
        categories = (["专职仲裁员"] * 12 + ["兼职仲裁员"] * 5 + ["劳动保障监察员"] * 4 + ["劳动关系协调员"] * 4)
        rng.shuffle(categories)
        schools = ["南开大学 法学", "天津大学 法律（法学）", "天津师范大学 法学", "天津财经大学 法学", "天津商业大学 劳动与社会保障",
                   "中国政法大学 法学", "河北大学 法学", "天津工业大学 法学", "山东大学 经济法学"]
        expertise_all = ["劳动报酬", "工伤待遇", "社会保险", "劳动合同解除", "新就业形态用工", "集体争议处理", "企业用工合规"]
        left_slots = {count - 3, count - 7}
        for i in range(count):
            unit, unit_region = units[i]
            male = rng.random() < 0.45
            age = rng.randint(38, 40) if i in (4, 15) else rng.randint(26, 35)
            birth = people.birth(date(self.today.year - age, 1, 1), date(self.today.year - age, 12, 28))
            if birth > _years_before(self.today, age):
                birth = _years_before(birth, 1)
            category = categories[i % len(categories)]
            cohort = rng.choices([0, 1, 2], [70, 20, 10])[0]
            joined = [date(self.start.year - 1 if self.start.month < 4 else self.start.year, 3, 15),
                      self.start + timedelta(days=120), self.start + timedelta(days=490)][cohort]
            joined += timedelta(days=rng.randrange(60))
            joined = min(joined, self.today - timedelta(days=200))
            left = None
            if i in left_slots:
                left = joined + timedelta(days=rng.randint(300, max(301, (self.today - joined).days - 90)))
                left = min(left, self.today - timedelta(days=30))
            edu = rng.choices(["大学本科", "硕士研究生"], [55, 45])[0]
            work_start = date(birth.year + (22 if edu == "大学本科" else 25), 7, 1)
            arbitrator = category.endswith("仲裁员")
            arb_since = None
            if arbitrator:
                arb_since = min(work_start + timedelta(days=rng.randint(365, 1500)), joined)
            name = people.name(male)
            region = people.region(0.7)
            zyh = rng.random() < 0.88
            vol_id = self.w.add(m.Volunteer, {
                "name": name, "gender": "男" if male else "女", "id_number": people.id_number(region, birth, male),
                "birth_date": birth, "ethnicity": rng.choices(["汉族", "回族", "满族", "蒙古族"], [92, 4, 3, 1])[0],
                "political_status": rng.choices(["中共党员", "共青团员", "群众"], [60, 30, 10])[0],
                "education": edu, "degree": "法学学士" if edu == "大学本科" else "法学硕士",
                "school_major": rng.choice(schools), "unit": unit,
                "post": rng.choice(["仲裁员", "书记员", "一级科员", "四级主任科员"]) if arbitrator
                else rng.choice(["劳动保障监察员", "一级科员", "四级主任科员"]),
                "category": category, "arbitrator_since": arb_since,
                "arbitrator_cert_no": f"津仲证字第{arb_since.year}{rng.randrange(1000):04d}号" if arb_since else None,
                "years_in_service": max(1, self.today.year - work_start.year),
                "cases_handled": rng.randint(30, 400) if arbitrator else None, "phone": people.mobile(),
                "email": f"{rng.randrange(100_000_000, 3_999_999_999)}@qq.com" if rng.random() < 0.5
                else f"tj{rng.randrange(10_000_000, 99_999_999)}@163.com",
                "expertise": rng.sample(expertise_all, rng.randint(2, 3)),
                "intention": "愿意利用业余时间深入企业开展普法宣传、用工指导和矛盾纠纷预防化解工作。",
                "zyh_registered": zyh, "zyh_id": f"{rng.randrange(10**9, 10**10)}" if zyh else None,
                "recommended_by": f"{unit}团支部", "joined_on": joined, "left_on": left,
                "status": "left" if left else "active",
                "resume": f"{work_start.year}年{'本科' if edu == '大学本科' else '研究生'}毕业后参加工作，"
                          f"现任{unit}{'仲裁员' if arbitrator else '工作人员'}。",
                "achievements": f"{joined.year + 1}年度天津市人社系统优秀青年志愿者" if rng.random() < 0.15 else None,
                "remark": "工作调动，退出志愿者队伍" if left else None,
            })
            self.vols.append(_Vol(vol_id, name, unit_region, joined, left))
        self._contacts(rng)

    def _contacts(self, rng: random.Random) -> None:
        reasons = ["经营状况：受市场影响经营压力较大", "用工特点：一线职工多、流动性大", "用工特点：劳务派遣用工比例较高",
                   "服务需求：企业主动申请用工指导", "服务需求：近年发生过劳动争议", "用工特点：新就业形态劳动者较多"]
        modes = ["上门走访", "上门走访、电话", "电话、线上", "集中宣讲、上门走访"]
        contents = ["政策宣传、用工指导(法律体检)", "风险排查、指导建立调解组织", "调解员/HR培训", "政策宣传、风险排查",
                    "参与调解、用工指导(法律体检)"]
        by_region: dict[str | None, list[int]] = {None: list(range(len(self.ents)))}
        for i, e in enumerate(self.ents):
            by_region.setdefault(e.region, []).append(i)
        taken: list[int] = []
        for vol in self.vols:
            n = rng.choices([3, 4, 5, 6, 7], [10, 20, 40, 20, 10])[0]
            pool = by_region.get(vol.unit_region) or by_region[None]
            chosen: list[int] = []
            while len(chosen) < n:
                if taken and rng.random() < 0.06:
                    idx = rng.choice(taken)  # an enterprise another volunteer already contacts
                else:
                    idx = rng.choice(pool)
                if idx not in chosen:
                    chosen.append(idx)
            for idx in list(chosen):
                taken.append(idx)
                frm = vol.joined + timedelta(days=rng.randrange(60))
                end = vol.left
                replaced = end is None and rng.random() < 0.12 and (self.today - frm).days > 400
                if replaced:  # the link ended (enterprise moved away) and another enterprise took its place
                    end = frm + timedelta(days=rng.randint(200, (self.today - frm).days - 60))
                self._contact_row(rng, vol, idx, frm, end, reasons, modes, contents,
                                  remark="企业迁出本区，退出联系" if replaced else None)
                if replaced:
                    repl = rng.choice(pool)
                    while repl in chosen:
                        repl = rng.choice(pool)
                    chosen.append(repl)
                    self._contact_row(rng, vol, repl, end + timedelta(days=rng.randint(1, 30)), None,
                                      reasons, modes, contents, remark="新增")

    def _contact_row(self, rng, vol, idx, frm, to, reasons, modes, contents, remark=None) -> None:
        self.w.add(m.VolunteerContact, {
            "volunteer_id": vol.id, "enterprise_id": self.ents[idx].id, "from_date": frm, "to_date": to,
            "reason": rng.choice(reasons), "service_mode": rng.choice(modes), "service_content": rng.choice(contents),
            "remark": remark})
        vol.contacts.append((idx, frm, to))

    # -- service records and surveys ----------------------------------------------------------
    def services(self) -> None:
        rng = self.stream("services")
        items = list(_SERVICE_W)
        item_cum = _cum(list(_SERVICE_W.values()))
        qy, qn = self.today.year, (self.today.month - 1) // 3
        quarters = []
        for _ in range(12):
            q_start = date(qy, qn * 3 + 1, 1)
            q_end = (date(qy + 1, 1, 1) if qn == 3 else date(qy, qn * 3 + 4, 1)) - timedelta(days=1)
            quarters.append((q_start, min(q_end, self.today)))
            qn -= 1
            if qn < 0:
                qy, qn = qy - 1, 3
        quarters.reverse()
        for q_start, q_end in quarters:
            active = [v for v in self.vols if v.joined <= q_end and (v.left is None or v.left >= q_start)]
            serving = [v for v in active if rng.random() >= 0.15]
            for vol in serving:
                lo = max(q_start, vol.joined)
                hi = min(q_end, vol.left or q_end)
                if hi < lo:
                    continue
                for _ in range(rng.choices([1, 2, 3], [50, 35, 15])[0]):
                    served = _on_or_after_weekday(lo + timedelta(days=rng.randrange((hi - lo).days + 1)))
                    if served > hi:
                        served = _on_or_before_weekday(hi)
                    if served < lo:
                        served = lo
                    co = []
                    if rng.random() < 0.25:
                        others = [v for v in serving if v is not vol
                                  and v.joined <= served and (v.left is None or v.left >= served)]
                        co = rng.sample(others, min(len(others), rng.randint(1, 2)))
                    self._service(rng, vol, co, served, rng.choices(items, cum_weights=item_cum)[0])
        self._surveys()

    def _service(self, rng: random.Random, vol: _Vol, co: list[_Vol], served: date, item: str) -> None:
        current = [idx for idx, frm, to in vol.contacts if frm <= served and (to is None or to >= served)]
        current = current or [idx for idx, _f, _t in vol.contacts]
        if item in ("lecture", "salon", "policy", "training", "online") and rng.random() < 0.5:
            ents = rng.sample(current, min(len(current), rng.randint(2, 5)))
        else:
            ents = [rng.choice(current)]
        first = self.ents[ents[0]].name
        topic = rng.choice(_TOPICS)
        problem, advice = rng.choice(_PROBLEMS)
        content = {
            "lecture": f"在{first}开展“{topic}”普法讲座，结合典型案例讲解相关法律规定并现场答疑",
            "visit": f"走访{first}，了解企业生产经营和用工情况，围绕{topic}提供法律咨询，发放宣传资料",
            "hearing": f"组织{first}人力资源管理人员观摩劳动争议仲裁庭审，庭后就{topic}进行交流",
            "checkup": f"为{first}开展用工“法律体检”，查阅劳动合同、考勤和工资台账，发现{problem}等问题",
            "case_talk": f"以近期审结的{rng.choice(['加班费', '工伤待遇', '违法解除', '未签劳动合同二倍工资'])}案件为例，向{first}职工以案释法",
            "salon": f"组织辖区企业人事负责人召开“{topic}”主题沙龙，{len(ents)}家企业参加",
            "online": f"通过线上平台开展“{topic}”网络课堂，联系企业职工在线收看",
            "video": f"录制“{topic}”普法短视频，在联系企业微信群推送",
            "policy": f"向{first}宣讲{rng.choice(_POLICIES)}",
            "training": f"为{first}劳动争议调解委员会调解员开展业务培训，讲解{topic}及调解技巧",
            "qa": f"在{first}设置咨询台现场答疑，解答职工关于{topic}的问题",
            "other": f"协助{first}筹建劳动争议调解委员会，指导完善调解工作制度",
        }[item]
        reach = {"lecture": (20, 150), "online": (50, 600), "video": (100, 1500), "salon": (8, 40),
                 "training": (5, 30), "qa": (15, 80), "policy": (10, 60)}.get(item, (2, 15))
        stats = rng.random() < 0.6
        resolved = rng.randint(0, 2) if stats and rng.random() < 0.2 else 0
        uploaded = rng.random() < 0.8
        up_on = min(self.today, served + timedelta(days=rng.randint(0, 10))) if uploaded else None
        sr_id = self.w.add(m.ServiceRecord, {
            "served_on": served, "item": item, "content": content,
            "minutes": rng.choice([60, 90, 120, 150, 180, 210, 240]), "people_reached": rng.randint(*reach),
            "problems": problem if item in ("checkup", "visit") and rng.random() < 0.7 else None,
            "advice": advice if item in ("checkup", "visit") and rng.random() < 0.7 else None,
            "consultations": rng.randint(2, 40) if stats else None,
            "materials": rng.randint(10, 300) if stats else None,
            "risks_found": rng.randint(0, 3) if stats else None,
            "suggestions": rng.randint(0, 5) if stats else None,
            "committees_established": (1 if item == "other" else 0) if stats else None,
            "disputes_resolved": resolved if stats else None,
            "dispute_workers": resolved * rng.randint(1, 4) if stats else None,
            "dispute_amount_fen": resolved * rng.randint(50, 3000) * 1000 if stats else None,
            "publicity": rng.randint(0, 2) if stats else None,
            "uploaded_zyh": uploaded, "uploaded_on": up_on,
        })
        for v in [vol, *co]:
            self.w.add(m.ServiceRecordVolunteer, {"service_record_id": sr_id, "volunteer_id": v.id})
        for idx in ents:
            self.w.add(m.ServiceRecordEnterprise, {"service_record_id": sr_id, "enterprise_id": self.ents[idx].id})

    def _surveys(self) -> None:
        rng = self.stream("surveys")
        for vol in self.vols:
            for year in range(self.start.year, self.today.year + 1):
                lo = max(date(year, 1, 1), vol.joined + timedelta(days=30), self.start)
                hi = min(date(year, 12, 31), vol.left or self.today, self.today)
                if hi <= lo:
                    continue
                for _ in range(rng.randint(1, 3)):
                    on = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
                    contacts = [idx for idx, frm, to in vol.contacts if frm <= on] or [vol.contacts[0][0]]
                    score = rng.choices([4, 3, 2, 1], [55, 33, 9, 3])[0]
                    self.w.add(m.SatisfactionSurvey, {
                        "enterprise_id": self.ents[rng.choice(contacts)].id, "volunteer_id": vol.id,
                        "surveyed_on": on, "score": score, "opinions": rng.choice(_SURVEY_OPINIONS[score]),
                    })

    # -- cases: pass 1, the timeline of every case ---------------------------------------------
    def plan_cases(self) -> list[_Plan]:
        rng = self.stream("case-plan")
        n = self.n_cases
        today, start = self.today, self.start
        span = (today - start).days + 1
        a = 1.2  # density rises linearly to (1 + a)× the starting rate
        month_w = {1: 1.45, 2: 0.85, 3: 1.05, 4: 1.0, 5: 0.95, 6: 1.0, 7: 1.05, 8: 1.0, 9: 1.0, 10: 0.85,
                   11: 1.1, 12: 1.35}
        org_cum = _cum([o.spec["weight"] for o in self.orgs])
        orgs = self.orgs

        def received_date() -> date:
            while True:
                u = rng.random()
                t = (-1 + math.sqrt(1 + 2 * a * u * (1 + a / 2))) / a
                d = start + timedelta(days=min(span - 1, int(t * span)))
                if rng.random() * 1.5 > month_w[d.month]:
                    continue
                if d.weekday() >= 5 and rng.random() < 0.9:  # offices receive on working days (a few online)
                    continue
                return d

        # a few cases pinned near today so that every state shows even in small data sets
        k = min(12, 2 + n // 1000) if n >= 50 else 0
        forced = (["registered"] * k + ["accepted"] * k + ["overdue"] * k + ["extended"] * k
                  + ["mediating"] * k)[:n]
        plans: list[_Plan] = []
        for i in range(n):
            kind = forced[i] if i < len(forced) else None
            if kind == "registered":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(0, 1)))
            elif kind == "accepted":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(1, 2)))
            elif kind == "overdue":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(17, 35)))
            elif kind == "extended":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(16, 24)))
            elif kind == "mediating":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(4, 12)))
            else:
                r = received_date()
            while True:
                oi = rng.choices(range(len(orgs)), cum_weights=org_cum)[0]
                if orgs[oi].established <= r:
                    break
            plans.append(_Plan(oi, r, kind, rng.random()))
        plans.sort(key=lambda p: (p.received, p.tiebreak))
        for p in plans:
            self._timeline(rng, p)
        # case numbers: sequential per organization and year in order of receipt
        seqs: dict[tuple[int, int], int] = {}
        for p in plans:
            key = (p.org, p.received.year)
            seqs[key] = seqs.get(key, 0) + 1
            p.seq = seqs[key]
        self.counters = seqs
        # archive numbers: sequential per organization and archive year in order of archiving
        arch = sorted((p for p in plans if p.archived_on), key=lambda p: (p.archived_on, p.received, p.seq))
        aseqs: dict[tuple[int, int], int] = {}
        for p in arch:
            key = (p.org, p.archived_on.year)
            aseqs[key] = aseqs.get(key, 0) + 1
            p.archive_no = f"{p.archived_on.year}-{orgs[p.org].spec['prefix']}调-{aseqs[key]:04d}"
        return plans

    def _due15(self, received: date) -> date:
        """The 15-day mediation deadline as the case service computes it (holidays move the last day)."""
        cal = getattr(self, "_calendar", None)
        if cal is None:
            from app.services.calendar import WorkCalendar

            cal = self._calendar = WorkCalendar.load()
        return cal.calendar_deadline(received, 15).due

    def _timeline(self, rng: random.Random, p: _Plan) -> None:
        today, r = self.today, p.received
        kind = p.forced
        p.due = self._due15(r)
        if kind == "registered":
            p.status = CaseStatus.REGISTERED
            return
        decide = rng.choices([0, 1, 2, 3], [45, 30, 15, 10])[0]
        if kind is None and rng.random() < 0.04:
            p.rejected = _add_weekdays(r, decide)
            if p.rejected > today:
                p.rejected = None
                p.status = CaseStatus.REGISTERED
                return
            p.status = CaseStatus.REJECTED
            p.due = None
            p.reject_reason = rng.choice(_REJECT_REASONS)
            p.notice = min(today, _add_weekdays(p.rejected, rng.choice([0, 0, 1, 2])))
            return
        if kind == "accepted":
            p.accepted = min(today, _add_weekdays(r, 1))
            p.status = CaseStatus.ACCEPTED
            return
        p.accepted = _add_weekdays(r, decide) if kind is None else _add_weekdays(r, rng.randint(0, 1))
        if p.accepted > today:
            p.accepted = None
            p.status = CaseStatus.REGISTERED
            return
        if kind is not None:  # overdue / extended / mediating: open, with sessions so far
            if kind == "extended":
                p.ext_agreed = r + timedelta(days=rng.randint(12, 14))
                p.extended_to = r + timedelta(days=30)
                p.due = p.extended_to
            last = today - timedelta(days=1)
            if last >= p.accepted:
                days = (last - p.accepted).days
                p.sessions = sorted({p.accepted + timedelta(days=rng.randint(0, days))
                                     for _ in range(1 if kind == "mediating" else 2)})
            p.status = CaseStatus.MEDIATING
            return
        close_type = rng.choices(list(_CLOSE_W), list(_CLOSE_W.values()))[0]
        if rng.random() < 0.10:  # ran over the 15 days
            dur = rng.randint(16, 32)
            if dur <= 30 and rng.random() < 0.5:
                p.ext_agreed = r + timedelta(days=rng.randint(10, 14))
                p.extended_to = r + timedelta(days=30)
                p.due = p.extended_to
        else:
            dur = int(rng.triangular(3, 15.99, 7))
        closed = _on_or_after_weekday(max(r + timedelta(days=dur), p.accepted + timedelta(days=1)))
        n_sessions = {CloseType.AGREED: (1, 2, 3), CloseType.SETTLED_WITHDRAWN: (0, 1, 2),
                      CloseType.WITHDRAWN: (0, 0, 1), CloseType.FAILED: (1, 2, 3),
                      CloseType.TERMINATED: (0, 1, 2)}[close_type]
        n = rng.choices(n_sessions, [50, 35, 15])[0]
        span = (closed - p.accepted).days
        sessions = sorted({p.accepted + timedelta(days=rng.randint(0, span)) for _ in range(max(0, n - 1))})
        if n:
            sessions = sorted(set(sessions) | {closed}) if close_type in (CloseType.AGREED, CloseType.FAILED) \
                else sorted(set(sessions) | {p.accepted + timedelta(days=rng.randint(0, span))})
        if closed > today:  # still open
            p.sessions = [d for d in sessions if d <= today]
            if p.ext_agreed and p.ext_agreed > today:
                p.ext_agreed = p.extended_to = None
                p.due = self._due15(r)
            p.status = CaseStatus.MEDIATING if p.sessions or today >= p.accepted + timedelta(days=3) \
                else CaseStatus.ACCEPTED
            return
        p.sessions = sessions
        p.closed, p.close_type = closed, close_type
        p.status = CaseStatus.CLOSED
        last = closed
        if close_type == CloseType.AGREED:
            p.perf_deadline = closed + timedelta(days=rng.choice([3, 7, 10, 15, 15, 20, 30]))
            p.perf_status = "pending"
            if p.perf_deadline < today:
                outcome = rng.choices(["full", "partial", "none"], [84, 9, 7])[0]
                if outcome == "full":
                    rec = closed + timedelta(days=rng.randint(0, (p.perf_deadline - closed).days))
                else:
                    rec = min(today, p.perf_deadline + timedelta(days=rng.randint(1, 10)))
                p.perf_status, p.perf_on = outcome, rec
                last = rec
                if rng.random() < 0.85:
                    visit = rec + timedelta(days=rng.randint(2, 20))
                    if visit <= today:
                        p.visit_on = visit
                        last = visit
            if rng.random() < 0.15:
                applied = closed + timedelta(days=rng.randint(1, 14))
                if applied <= today:
                    p.review = ("arbitration" if rng.random() < 0.75 else "judicial", applied)
            if p.perf_status == "pending":
                return
        if close_type in (CloseType.FAILED, CloseType.TERMINATED) or p.perf_status == "none":
            p.to_arbitration = rng.random() < 0.55
        archived = last + timedelta(days=rng.randint(7, 45))
        if archived <= today and rng.random() < 0.93:
            p.archived_on = archived
            p.status = CaseStatus.ARCHIVED

    # -- cases: pass 2, the rows --------------------------------------------------------------
    def write_cases(self, plans: list[_Plan]) -> None:
        rng = self.stream("case-rows")
        people = _People(rng)
        total = len(plans)
        self._report(0, total, "正在生成调解案件…")
        for begin in range(0, total, BATCH_CASES):
            for p in plans[begin:begin + BATCH_CASES]:
                self._case(rng, people, p)
                self.summary.status_counts[p.status.value] = self.summary.status_counts.get(p.status.value, 0) + 1
                if p.close_type:
                    ct = p.close_type.value
                    self.summary.close_type_counts[ct] = self.summary.close_type_counts.get(ct, 0) + 1
            self.w.flush()
            done = min(total, begin + BATCH_CASES)
            self._report(done, total, f"已生成调解案件 {done}/{total}")
        for (oi, year), last in sorted(self.counters.items()):
            self.w.add(m.CaseNumberCounter, {"organization_id": self.orgs[oi].id, "year": year, "last_seq": last})
        self.w.flush()

    def _report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    def _case(self, rng: random.Random, people: _People, p: _Plan) -> None:
        w = self.w
        org = self.orgs[p.org]
        spec = org.spec
        r = p.received
        today = self.today
        ent = self.ents[org.enterprise_pool[rng.choices(range(len(org.enterprise_pool)),
                                                         cum_weights=org.enterprise_cum)[0]]]
        case_no = f"({r.year}){spec['prefix']}调字第{p.seq:04d}号"
        # who and how many
        collective_p = 0.03 + (0.10 if ent.industry == "E" else 0) + (0.06 if ent.struggling else 0)
        if not ent.individual and rng.random() < collective_p:
            workers = min(60, 10 + int(rng.expovariate(1 / 9)))
            collective = True
            main = "02" if rng.random() < 0.8 else rng.choice(["05", "03"])
        else:
            workers = 1 if rng.random() < 0.92 else rng.choices(range(2, 10), [30, 22, 16, 11, 8, 6, 4, 3])[0]
            collective = False
            main = rng.choices(list(_MAIN_TYPE_W), list(_MAIN_TYPE_W.values()))[0]
            if main == "10" and spec["kind"] != "51":
                main = "02"
        common = collective or (workers > 1 and rng.random() < 0.7)
        extras: list[str] = []
        if rng.random() < 0.45:
            for t in rng.sample(_EXTRA_TYPES[main], min(len(_EXTRA_TYPES[main]), rng.randint(1, 2))):
                extras.append(t)
        if main == "01" and "02" not in extras:
            extras.insert(0, "02")
        # source and way of applying
        if spec["kind"] == "51":
            source = rng.choices(["arbitration", "court", "apply", "transfer"], [65, 10, 20, 5])[0]
        elif spec["kind"] == "11":
            source = rng.choices(["apply", "patrol"], [85, 15])[0]
        else:
            source = rng.choices(["apply", "arbitration", "court", "transfer", "patrol"], [74, 8, 6, 7, 5])[0]
        apply_mode = rng.choices(["written", "oral", "online"], [63, 30, 7 if spec["online"] else 0])[0]
        # applicants
        jobs = _JOBS[ent.industry]
        wage = (rng.randrange(7000, 20001, 500) if ent.industry == "I" else rng.randrange(3000, 9001, 100))
        n_app = rng.randint(3, 5) if collective else workers
        parties: list[dict[str, Any]] = []
        names: list[str] = []
        ids: list[str] = []
        first_hired = None
        case_job = rng.choice(jobs)
        for j in range(n_app):
            male = rng.random() < (0.85 if ent.industry in ("E", "G") else 0.5)
            age = rng.randint(19, 58)
            birth = r - timedelta(days=age * 365 + rng.randrange(365))
            id_no = people.id_number(people.region(0.5), birth, male)
            name = people.name(male)
            hired = r - timedelta(days=rng.randint(45, min(3000, (age - 17) * 365)))
            first_hired = first_hired or hired
            agent = rng.random() < 0.1 and not collective
            relation = rng.choice(["配偶", "父亲", "母亲", "天津市法律援助中心律师", "兄弟"]) if agent else None
            parties.append(self._party(
                "applicant", "person", name, "男" if male else "女", "居民身份证", id_no, birth,
                rng.choices(["汉族", "回族", "满族", "蒙古族", "土家族"], [92, 3, 3, 1, 1])[0], people.mobile(),
                f"天津市{DISTRICTS[rng.choice(_DISTRICT_CODES)][0]}{rng.choice(_ESTATES)}{rng.choice(_ESTATE_KINDS)}"
                f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}门{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                case_job if rng.random() < 0.7 else rng.choice(jobs), hired, None, None, None, None, collective, people.name(rng.random() < 0.5)
                if agent else None, relation, people.mobile() if agent else None, j))
            names.append(name)
            ids.append(id_no)
        rep_agent = rng.random() < 0.55
        parties.append(self._party(
            "respondent", "employer", ent.name, None, None, None, None, None, ent.contact_phone, ent.address, None,
            None, ent.id, ent.credit_code, ent.legal_rep, ent.legal_rep_post, False,
            ent.contact_name if rep_agent else None,
            ("单位员工（" + rng.choice(_CONTACT_POSTS) + "）" if rng.random() < 0.8 else "天津某律师事务所律师")
            if rep_agent else None, ent.contact_phone if rep_agent else None, n_app))
        # claims and amounts
        types = [main, *[t for t in extras if t != main]]
        claims: list[tuple[str, str, int]] = []
        per = workers if collective or common else 1
        arrears_to = _month_start(r, -1)
        arrears_from = max(_month_start(arrears_to, -rng.choices(range(6), [30, 25, 18, 12, 8, 7])[0]),
                           _month_start(first_hired, 0))
        if arrears_from > arrears_to:
            arrears_from = arrears_to
        for t in types:
            amount, text = self._claim(rng, t, wage, r, first_hired, arrears_from, arrears_to)
            amount *= per
            if per > 1 and amount:
                text = f"{workers}名劳动者" + text.replace("请求被申请人", "共同请求被申请人", 1)
            text = text.replace("{amt}", _yuan(amount))
            claims.append((t, text, amount))
        claim_total = sum(c[2] for c in claims)
        if claim_total == 0:
            amount = wage * rng.randint(1, 3) * 100 * per
            claims.append(("02", f"请求被申请人支付拖欠工资{_yuan(amount)}", amount))
            claim_total = amount
        summary = "；".join(f"{i + 1}. {c[1]}" for i, c in enumerate(claims))
        who = f"申请人{names[0]}等{workers}人" if collective else f"申请人{names[0]}" + ("等" if n_app > 1 else "")
        facts = (f"{who}于{first_hired.year}年{first_hired.month}月入职被申请人处，从事{parties[0]['job']}工作，月工资约"
                 f"{wage:,}元。{self._issue(main, r, arrears_from)}双方协商未果，申请人于{_cn(r)}向{org.own}申请调解。")
        case_id = w.next_id["cases"]
        for party in parties:
            party["case_id"] = case_id
            w.add(m.CaseParty, party)
        for i, (t, text, amount) in enumerate(claims):
            w.add(m.CaseClaim, {"case_id": case_id, "claim_type": t, "description": text, "amount_fen": amount,
                                "sort_order": i})
        # mediators
        lead_name = None
        if p.accepted:
            on = p.accepted
            active = [md for md in org.mediators if md[2] <= on and (md[3] is None or md[3] > on)] or org.mediators[:1]
            chosen = [rng.choice(active)]
            if len(active) > 1 and rng.random() < 0.4:
                other = rng.choice(active)
                if other is not chosen[0]:
                    chosen.append(other)
            lead_name = chosen[0][1]
            for j, md in enumerate(chosen):
                w.add(m.CaseMediator, {"case_id": case_id, "mediator_id": md[0], "lead": j == 0})
            recorder = chosen[-1][1]
        # outcome
        agreed_amount = None
        if p.close_type == CloseType.AGREED:
            ratio = rng.uniform(0.45, 0.98)
            agreed_amount = int(claim_total * ratio)
            agreed_amount = agreed_amount - agreed_amount % (10_000 if agreed_amount >= 500_000 else 1_000)
            agreed_amount = max(agreed_amount, min(claim_total, 50_000))
        resp_side = f"被申请人委托代理人{ent.contact_name}" if rep_agent else f"被申请人法定代表人{ent.legal_rep}"
        for si, day in enumerate(p.sessions):
            final = si == len(p.sessions) - 1 and p.closed is not None
            mode = rng.choices(["onsite", "separate", "phone", "video"], [60, 15, 15, 10])[0]
            if final and p.close_type == CloseType.AGREED:
                result = "agreed"
                outcome = (f"经调解，双方同意由被申请人于{_cn(p.perf_deadline)}前支付申请人{_yuan(agreed_amount)}，"
                           "申请人放弃其他请求")
                next_step = "制作调解协议书，双方签字后送达"
            elif final and p.close_type == CloseType.FAILED:
                result = "not_agreed"
                outcome = "双方分歧较大，仍未能达成一致"
                next_step = "出具调解不成告知书，引导申请人申请仲裁"
            else:
                result = "continue"
                outcome = "双方均有调解意愿，但对金额分歧较大，约定择日继续调解"
                next_step = "调解员分别做双方工作，核实工资及考勤材料"
            start = datetime.combine(day, time(rng.randint(9, 15), rng.choice([0, 30])))
            w.add(m.MediationSession, {
                "case_id": case_id, "started_at": start,
                "ended_at": start + timedelta(minutes=rng.choice([30, 45, 60, 90, 120])),
                "place": {"onsite": spec["short"] + rng.choice(_SESSION_PLACES), "separate": spec["short"] + "调解室",
                          "phone": "电话调解", "video": "线上（视频调解）"}[mode],
                "mode": mode, "participants": f"申请人{names[0]}；{resp_side}；调解员{lead_name}",
                "recorder": recorder,
                "record": (f"调解员告知双方权利义务及回避事项，双方均不申请回避。申请人陈述：{claims[0][1]}。"
                           f"被申请人称：{rng.choice(_DEFENSES)}。调解员释法说理，{outcome}。"),
                "result": result, "next_step": next_step,
            })
        perf_status = p.perf_status
        if p.close_type == CloseType.AGREED:
            installments = rng.random() < 0.2
            pay = "银行转账" if rng.random() < 0.85 else "现金"
            review_kind, applied = p.review or (None, None)
            decided = None
            if applied:
                decided = applied + timedelta(days=rng.randint(5, 20))
                decided = decided if decided <= today else None
            w.add(m.Agreement, {
                "case_id": case_id, "signed_on": p.closed, "effective_on": p.closed, "amount_fen": agreed_amount,
                "perf_deadline": p.perf_deadline, "perf_mode": "分期" if installments else "一次性",
                "payment_method": pay,
                "payee_account": f"申请人本人银行卡（尾号{rng.randrange(10_000):04d}）" if pay == "银行转账" else None,
                "terms": (f"一、被申请人于{_cn(p.perf_deadline)}前"
                          f"{'分两期' if installments else '一次性'}支付申请人{_yuan(agreed_amount)}"
                          f"（大写：{rmb_upper(agreed_amount)}）；\n二、上述款项以{pay}方式支付；\n"
                          "三、申请人放弃其他调解请求，双方就本争议再无其他劳动争议。"),
                "review_kind": review_kind, "review_applied_on": applied, "review_decided_on": decided,
                "review_result": ("经审查确认调解协议有效，出具仲裁调解书" if review_kind == "arbitration"
                                  else "裁定确认调解协议有效") if decided else None,
            })
            if p.perf_on:
                paid = {"full": agreed_amount, "none": 0,
                        "partial": max(100, int(agreed_amount * rng.uniform(0.3, 0.8)) // 10_000 * 10_000)}[perf_status]
                w.add(m.PerformanceRecord, {
                    "case_id": case_id, "recorded_on": p.perf_on, "status": perf_status, "amount_paid_fen": paid,
                    "note": {"full": "被申请人已按协议足额支付", "partial": "被申请人支付部分款项，余款未付",
                             "none": "被申请人逾期未履行，已告知申请人可申请仲裁或支付令"}[perf_status],
                })
            if p.visit_on:
                sat = (rng.choices(["满意", "基本满意", "不满意"], [85, 12, 3])[0] if perf_status == "full"
                       else rng.choices(["满意", "基本满意", "不满意"], [20, 50, 30])[0])
                w.add(m.ReturnVisit, {
                    "case_id": case_id, "visited_on": p.visit_on, "way": rng.choices(["电话", "上门", "线上"], [70, 15, 15])[0],
                    "target": f"申请人{names[0]}", "visitor": lead_name, "perf_status": perf_status, "satisfaction": sat,
                    "feedback": rng.choice(_VISIT_FEEDBACK[perf_status]),
                    "follow_up": {"full": "无", "partial": "督促履行", "none": rng.choice(["告知仲裁", "支付令"])}[perf_status],
                })
        arb_no = None
        if p.to_arbitration:
            arb_no = (f"津{_ARB_SHORT.get(spec['region'], '')}劳人仲案字〔{p.closed.year}〕"
                      f"第{rng.randint(1, 2400)}号")
        events = [d for d in (r, p.accepted, p.rejected, p.closed, p.perf_on, p.visit_on, p.archived_on,
                              p.sessions[-1] if p.sessions else None) if d]
        search = " ".join([case_no, *names, *ids, ent.name, ent.credit_code])
        oral = (f"申请人{names[0]}于{_cn(r)}到{spec['short']}口头申请调解，陈述：{claims[0][1]}。"
                "以上记录经申请人阅看确认无误并签名。") if apply_mode == "oral" else None
        w.add(m.Case, {
            "organization_id": org.id, "case_no": case_no, "case_year": r.year, "case_seq": p.seq,
            "received_on": r, "apply_mode": apply_mode, "oral_record": oral, "source": source,
            "status": p.status.value, "workers": workers, "common_claim": common, "is_collective": collective,
            "dispute_type_main": main, "dispute_types": extras, "claims_summary": summary,
            "claim_amount_fen": claim_total, "facts": facts,
            "other_party_consent": ("refused" if p.reject_reason and "不同意调解" in p.reject_reason
                                    else "agreed" if p.accepted else None),
            "other_party_consent_on": p.accepted or (p.rejected if p.reject_reason and "不同意调解" in p.reject_reason
                                                     else None),
            "accepted_on": p.accepted, "rejected_on": p.rejected, "reject_reason": p.reject_reason,
            "reject_notice_on": p.notice, "mediation_due_on": p.due, "extended_to": p.extended_to,
            "extension_reason": rng.choice(_EXT_REASONS) if p.extended_to else None,
            "extension_agreed_on": p.ext_agreed, "closed_on": p.closed,
            "close_type": p.close_type.value if p.close_type else None,
            "close_reason": rng.choice(_CLOSE_REASONS[p.close_type]) if p.close_type else None,
            "agreed_amount_fen": agreed_amount, "perf_status": perf_status, "to_arbitration": p.to_arbitration,
            "arbitration_case_no": arb_no, "archive_no": p.archive_no, "archived_on": p.archived_on,
            "locked": p.archived_on is not None, "remark": "集体争议，已启动重大集体争议预警" if workers >= 30 else None,
            "search_text": search, "applicant_key": name_key(names[0]), "respondent_key": name_key(ent.name),
            "created_at": datetime.combine(r, time(9 + p.seq % 8, p.seq * 7 % 60)),
            "updated_at": datetime.combine(max(events), time(16, p.seq * 13 % 60)),
        })

    @staticmethod
    def _party(role, kind, name, gender, id_type, id_number, birth, ethnicity, phone, address, job, hired,
               enterprise_id, credit_code, legal_rep, legal_rep_post, representative, agent_name, agent_relation,
               agent_phone, order) -> dict[str, Any]:
        return {"role": role, "party_kind": kind, "name": name, "gender": gender, "id_type": id_type,
                "id_number": id_number, "birth_date": birth, "ethnicity": ethnicity, "phone": phone,
                "address": address, "job": job, "hired_on": hired, "enterprise_id": enterprise_id,
                "credit_code": credit_code, "legal_rep": legal_rep, "legal_rep_post": legal_rep_post,
                "is_representative": representative, "agent_name": agent_name, "agent_relation": agent_relation,
                "agent_phone": agent_phone, "sort_order": order}

    @staticmethod
    def _claim(rng: random.Random, t: str, wage: int, r: date, hired: date, arrears_from: date,
               arrears_to: date) -> tuple[int, str]:
        """(amount in fen for one worker, description with an {amt} placeholder)."""
        if t == "02":
            months = (arrears_to.year - arrears_from.year) * 12 + arrears_to.month - arrears_from.month + 1
            span = (f"{arrears_from.year}年{arrears_from.month}月" if months == 1 else
                    f"{arrears_from.year}年{arrears_from.month}月至{arrears_to.year}年{arrears_to.month}月")
            return wage * months * 100, f"请求被申请人支付{span}拖欠工资" + "{amt}"
        if t == "05":
            years = max(1, min(10, (r - hired).days // 365 + rng.randint(0, 1)))
            return wage * years * 100, "请求被申请人支付解除劳动合同经济补偿金{amt}"
        if t == "06":
            return wage * rng.randint(2, 12) * 100, "请求被申请人支付违法解除劳动合同赔偿金{amt}"
        if t == "03":
            return rng.randrange(2000, 30001, 100) * 100, "请求被申请人赔偿未依法缴纳社会保险造成的损失{amt}"
        if t == "01":
            return 0, f"请求确认申请人与被申请人自{_cn(hired)}起存在劳动关系"
        if t == "04":
            return rng.randrange(20_000, 300_001, 100) * 100, "请求被申请人支付工伤医疗费、停工留薪期工资及一次性伤残就业补助金等共计{amt}"
        if t == "07":
            return rng.randrange(1000, 30001, 10) * 100 + rng.choice([0, 0, 0, 50]), "请求被申请人支付延时加班费及未休年休假工资{amt}"
        if t == "08":
            return rng.randrange(500, 20001, 10) * 100, "请求被申请人支付高温津贴、防暑降温费等福利待遇{amt}"
        if t == "10":
            return rng.randrange(5000, 50001, 100) * 100, "请求被申请人补发绩效工资{amt}"
        return rng.randrange(1000, 10001, 10) * 100, "请求被申请人退还押金、工装费等{amt}"

    @staticmethod
    def _issue(t: str, r: date, arrears_from: date) -> str:
        return {
            "02": f"自{arrears_from.year}年{arrears_from.month}月起，被申请人以经营困难为由拖欠工资。",
            "05": f"{r.year}年{r.month}月，被申请人以经营调整为由与申请人解除劳动合同，未支付经济补偿。",
            "06": f"{r.year}年{r.month}月，被申请人以申请人违反规章制度为由解除劳动合同，申请人认为属违法解除。",
            "03": "被申请人未依法为申请人缴纳社会保险。",
            "01": "双方未签订书面劳动合同，被申请人否认存在劳动关系。",
            "04": "申请人在工作中受伤，已被认定为工伤，被申请人未支付相关待遇。",
            "07": "申请人长期延时加班，被申请人未足额支付加班费，且未安排带薪年休假。",
            "08": "被申请人未按规定发放高温津贴等福利待遇。",
            "10": "申请人对单位绩效工资核定结果有异议。",
        }.get(t, "双方因押金、工装费退还问题发生争议。")

    # -- users and audit ---------------------------------------------------------------------
    def users(self) -> None:
        if not self.session.scalar(select(func.count()).select_from(m.User).where(m.User.login == "admin")):
            self.w.add(m.User, {"login": "admin", "display_name": "管理员", "role": "admin", "organization_id": None,
                                "password_hash": None, "active": True})


class _Plan:
    """The timeline of one case, decided before any row is written (pass 1)."""

    __slots__ = ("org", "received", "forced", "tiebreak", "seq", "status", "due", "accepted", "rejected",
                 "reject_reason", "notice", "ext_agreed", "extended_to", "closed", "close_type", "sessions",
                 "perf_deadline", "perf_status", "perf_on", "visit_on", "review", "to_arbitration", "archived_on",
                 "archive_no")

    def __init__(self, org: int, received: date, forced: str | None, tiebreak: float):
        self.org, self.received, self.forced, self.tiebreak = org, received, forced, tiebreak
        self.seq = 0
        self.status = CaseStatus.REGISTERED
        self.due = self.accepted = self.rejected = self.reject_reason = self.notice = None
        self.ext_agreed = self.extended_to = self.closed = self.close_type = None
        self.sessions: list[date] = []
        self.perf_deadline = self.perf_status = self.perf_on = self.visit_on = self.review = None
        self.to_arbitration = False
        self.archived_on = self.archive_no = None


# ---------------------------------------------------------------------------------------------
# Entry point


def generate_demo(
    session_factory: sessionmaker[Session],
    *,
    seed: int = 1,
    cases: int = 2000,
    today: date | None = None,
    progress: ProgressFn | None = None,
    allow_existing: bool = False,
) -> DemoSummary:
    """Fill the database with demo data and return how many rows of each kind were written.

    Refuses (``ValueError``) when the database already holds organizations, unless ``allow_existing``;
    then the new rows are added beside the old ones (new UUIDs and credit codes, drawn deterministically
    from the seed and the number of organizations already present). All rows are written in one
    transaction: on any error nothing is kept.
    """
    if cases < 0:
        raise ValueError("案件数量不能为负数")
    today = today or date.today()
    with session_factory() as session:
        existing = session.scalar(select(func.count()).select_from(m.Organization)) or 0
        if existing and not allow_existing:
            raise ValueError(f"数据库中已有数据（{existing} 个调解组织），为避免混淆，不能再生成演示数据。请新建一个空数据库后再试。")
        connection = session.connection()
        raw = connection.connection.driver_connection
        sync = raw.execute("PRAGMA synchronous").fetchone()[0]
        cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-65536")
        try:
            gen = _Generator(session, seed, cases, today, f"existing{existing}" if existing else "", progress)
            gen._report(0, cases, "正在生成调解组织、企业和志愿者…")
            gen.enterprises()
            gen.organizations()
            gen.enterprise_pools()
            gen.volunteers()
            gen.services()
            gen.users()
            gen.w.flush()
            plans = gen.plan_cases()
            gen.write_cases(plans)
            gen.w.add(m.AuditEntry, {
                "user_login": "admin", "action": "demo_generate", "entity": "database", "entity_uuid": None,
                "summary": f"生成演示数据：随机种子 {seed}，案件 {cases} 件，截止日期 {today.isoformat()}",
                "before": None, "after": {"seed": seed, "cases": cases, "today": today.isoformat()},
            })
            gen.w.flush()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            raw.execute(f"PRAGMA synchronous={int(sync)}")
            raw.execute(f"PRAGMA cache_size={int(cache)}")
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # another reader may hold the WAL; the next checkpoint will do
            pass
    summary = gen.summary
    for f in fields(summary):
        if isinstance(getattr(summary, f.name), int):
            setattr(summary, f.name, gen.w.counts.get(f.name, 0))
    summary.status_counts = dict(sorted(summary.status_counts.items(), key=lambda kv: list(CaseStatus).index(kv[0])))
    summary.close_type_counts = dict(sorted(summary.close_type_counts.items(),
                                            key=lambda kv: list(CloseType).index(kv[0])))
    gen._report(cases, cases, "演示数据生成完成")
    return summary
