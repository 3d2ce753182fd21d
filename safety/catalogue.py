"""The shipped inspection templates, created for a school the first time it opens the safety pages.

They are data, not code paths: the school edits them in the admin (items, flags, frequency) and may
add its own. Written in Chinese as the forms schools fill in are; the rule each follows is named.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

# (key, name, frequency, coverage, rule, [(section, [(item, hazard category)])])
SHIPPED: list[tuple[str, str, str, str, str, list[tuple[str, list[tuple[str, str]]]]]] = [
    ("fire_patrol", "防火巡查", "daily", "campus", "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）第二十五条", [
        ("用火用电", [("无违章用火", "fire"), ("无违章用电（私拉乱接、超负荷、大功率电器）", "electrical")]),
        ("安全疏散", [("安全出口畅通、未锁闭", "fire"), ("疏散通道畅通", "fire"), ("疏散指示标志完好", "fire"), ("应急照明完好", "fire")]),
        ("消防设施器材", [("灭火器在位、压力正常、在有效期内", "fire"), ("消火栓在位、无遮挡、配件齐全", "fire"), ("消防安全标志完整", "fire")]),
        ("防火门与卷帘", [("常闭式防火门处于关闭状态", "fire"), ("防火卷帘下无堆放物品", "fire")]),
        ("重点部位", [("消防安全重点部位人员在岗", "fire"), ("其他消防安全情况正常", "fire")]),
    ]),
    ("fire_inspection", "防火检查", "monthly", "campus", "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）第二十六条", [
        ("防火检查十二项", [
            ("火灾隐患的整改情况以及防范措施的落实情况", "fire"),
            ("安全疏散通道、疏散指示标志、应急照明和安全出口情况", "fire"),
            ("消防车通道、消防水源情况", "fire"),
            ("灭火器材配置及有效情况", "fire"),
            ("用火、用电有无违章情况", "electrical"),
            ("重点工种人员以及其他员工消防知识的掌握情况", "fire"),
            ("消防安全重点部位的管理情况", "fire"),
            ("易燃易爆危险物品和场所防火防爆措施的落实情况", "fire"),
            ("消防（控制室）值班情况和设施运行、记录情况", "fire"),
            ("防火巡查情况", "fire"),
            ("消防安全标志的设置情况和完好、有效情况", "fire"),
            ("其他需要检查的内容", "other"),
        ]),
    ]),
    ("term_buildings", "开学前校舍安全检查", "term", "building", "《中小学幼儿园安全管理办法》；校舍安全检查常见做法", [
        ("结构与外观", [("墙体、梁柱无裂缝、无明显变形", "building"), ("屋面无渗漏，吊顶无松动脱落", "building"),
                   ("外墙饰面、空调外机支架牢固", "building")]),
        ("门窗与栏杆", [("门窗开关正常、玻璃无破损", "building"), ("走廊、楼梯栏杆牢固，高度符合要求", "building")]),
        ("用电与设施", [("配电箱上锁、无裸露线头", "electrical"), ("楼梯间照明完好", "electrical")]),
        ("疏散", [("楼梯、走廊无堆放物品，疏散通道畅通", "fire")]),
    ]),
    ("security_patrol", "安保巡逻", "daily", "campus", "GB/T 29315-2022《中小学、幼儿园安全防范要求》：门卫24小时值守，重点部位每日巡逻不少于5次", [
        ("校门与门卫", [("门卫在岗，来访人员登记完整", "security"), ("一键报警、防冲撞设施完好", "security"), ("上下学时段护学岗到位", "traffic")]),
        ("重点部位", [("配电房、水泵房、危化品室门锁完好", "security"), ("监控室有人值守，监控画面正常", "security"),
                  ("围墙、护栏完好，无攀爬痕迹", "surroundings")]),
        ("巡逻记录", [("重点部位巡逻已达每日5次并记录", "security")]),
    ]),
    ("dorm_night", "宿舍夜间巡查", "daily", "building", "《机关、团体、企业、事业单位消防安全管理规定》第二十五条：寄宿制学校加强夜间防火巡查", [
        ("人员", [("学生按时就寝，人数清点无误", "security"), ("宿管人员在岗值班", "security")]),
        ("用电与消防", [("无私拉乱接、无违规电器", "electrical"), ("疏散通道、安全出口畅通未锁闭", "fire"), ("应急照明、灭火器完好", "fire")]),
    ]),
    ("canteen_safety", "食堂安全检查", "weekly", "campus", "《学校食品安全与营养健康管理规定》；燃气与用电安全", [
        ("燃气与用电", [("燃气管道、阀门无泄漏，报警器正常", "fire"), ("后厨用电无私拉乱接", "electrical"), ("排烟罩、油烟管道定期清洗", "fire")]),
        ("环境与设施", [("地面防滑，排水通畅", "food"), ("灭火器、灭火毯在位有效", "fire"), ("库房防鼠防蝇设施完好", "food")]),
    ]),
    ("sports_equipment", "体育器材安全检查", "monthly", "campus", "学校体育运动风险防控常见做法", [
        ("固定器材", [("篮球架、足球门稳固无松动", "sports"), ("单双杠、攀爬架无锈蚀开焊", "sports")]),
        ("场地", [("跑道、场地平整，无积水和尖锐物", "sports"), ("器材室物品摆放整齐、标识清楚", "sports")]),
    ]),
    ("lab_chemicals", "实验室危化品检查", "monthly", "campus", "危险化学品安全管理常见做法：双人双锁、账物相符", [
        ("存储", [("危化品柜双人双锁管理", "lab"), ("试剂分类存放、标签清晰", "lab"), ("账物相符，领用有登记", "lab")]),
        ("设施", [("通风橱、洗眼器、喷淋装置正常", "lab"), ("实验室灭火器材在位有效", "fire")]),
    ]),
    ("holiday_check", "节假日前安全检查", "on_demand", "campus", "《中小学幼儿园安全管理办法》：放假前开展安全检查和安全教育", [
        ("水电气", [("非必要电源已切断，水龙头关闭", "electrical"), ("燃气总阀关闭", "fire")]),
        ("门窗与值班", [("门窗关闭上锁", "security"), ("假期值班人员和联系方式已落实", "security")]),
        ("消防", [("疏散通道畅通，消防设施完好", "fire")]),
    ]),
    ("storm_check", "汛期与台风前后校舍检查", "on_demand", "building", "校舍在台风、暴雨前后全面检查的常见做法", [
        ("结构", [("屋面、外墙无渗漏和脱落隐患", "building"), ("围墙、挡土墙无开裂倾斜", "building")]),
        ("排水与户外", [("排水沟、落水管通畅", "building"), ("户外广告牌、树木加固", "surroundings")]),
        ("用电", [("地下室、配电房无进水", "electrical")]),
    ]),
]

# Shipped but switched off: a dormitory patrol only for boarding schools, a chemicals check not for a
# kindergarten. The school switches a template on in the admin.
OFF_BY_DEFAULT = {"dorm_night"}
OFF_FOR_KINDERGARTENS = {"lab_chemicals"}


def install(school: Any) -> None:
    """Create the shipped templates the school does not have yet (by key); idempotent."""
    from safety.models import InspectionTemplate, TemplateItem, TemplateSection

    with transaction.atomic():
        have = set(InspectionTemplate.objects.filter(school=school).values_list("key", flat=True))
        for order, (key, name, frequency, coverage, rule, sections) in enumerate(SHIPPED, start=1):
            if key in have or InspectionTemplate.objects.filter(school=school, name=name).exists():
                continue
            active = key not in OFF_BY_DEFAULT and not (key in OFF_FOR_KINDERGARTENS and getattr(school, "kind", "") == "kindergarten")
            template = InspectionTemplate.objects.create(school=school, key=key, name=name, frequency=frequency, coverage=coverage,
                                                         rule=rule, order=order * 10, is_active=active)
            for s_order, (title, items) in enumerate(sections, start=1):
                section = TemplateSection.objects.create(template=template, title=title, order=s_order * 10)
                TemplateItem.objects.bulk_create([
                    TemplateItem(section=section, text=text, hazard_category=category, order=i * 10)
                    for i, (text, category) in enumerate(items, start=1)
                ])


# The monthly score sheets of outsourced services [P]: (criterion, weight %). Editable in the admin.
CRITERIA: dict[str, list[tuple[str, int]]] = {
    "cleaning": [("保洁区域地面、墙面、门窗洁净", 30), ("卫生间无异味、无积水", 25), ("垃圾分类与及时清运", 20),
                 ("人员在岗、着装规范", 15), ("服务态度与配合", 10)],
    "security": [("门卫24小时值守，来访登记完整", 30), ("重点部位每日巡逻不少于5次并记录", 25), ("上下学时段护学岗到位", 20),
                 ("安防器材、监控设备正常使用", 15), ("突发事件处置与服务态度", 10)],
    "property": [("设施设备巡检与维护及时", 35), ("报修响应及时", 25), ("公共区域秩序与环境", 20), ("服务态度与配合", 20)],
    "canteen": [("食品安全制度执行（索证索票、留样、晨检）", 35), ("饭菜质量与营养搭配", 25), ("后厨环境卫生", 20), ("师生满意度", 20)],
    "fire_equipment": [("消防设施按月检测并出具记录", 40), ("故障处置及时", 30), ("维保人员持证上岗", 15), ("资料完整", 15)],
    "other": [("服务质量", 50), ("响应及时", 30), ("服务态度", 20)],
}


def ensure_criteria(school: Any) -> None:
    """Give a school the shipped score sheets the first time it opens the evaluations page."""
    from safety.models import Criterion

    if Criterion.objects.filter(school=school).exists():
        return
    Criterion.objects.bulk_create([
        Criterion(school=school, service=service, text=text, weight=weight, order=i * 10)
        for service, lines in CRITERIA.items() for i, (text, weight) in enumerate(lines, start=1)
    ])
