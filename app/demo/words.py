"""Word lists, weights and the fixed cast of mediation organizations the demo draws from (Tianjin-flavoured)."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.enums import CloseType

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the GB 32100 alphabet, for drawing random code bodies


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
