"""The shipped daily checklist (《每日食品安全检查记录》, 60号令 / 集中用餐规定), grouped as the law groups
it; a kindergarten gets the 卫保规范 items as well. Installed for a school the first time it opens the
canteen pages; the school edits it in the admin."""

from __future__ import annotations

from typing import Any

SCHOOL_ITEMS: list[tuple[str, list[str]]] = [
    ("人员管理", ["从业人员健康证明在有效期内", "晨检已完成，患有有碍食品安全疾病者已调离", "工作衣帽整洁，不佩戴饰物、不留长指甲"]),
    ("原料管控", ["进货查验记录完整，索证索票齐全", "无超过保质期、腐败变质的食品原料", "未采购、使用禁用食材（四季豆、鲜黄花菜、野生蘑菇、发芽土豆等）"]),
    ("加工制作", ["生熟分开，工用具标识清楚", "食品烧熟煮透，中心温度不低于70℃", "未制售冷荤类、生食类、裱花蛋糕"]),
    ("留样与消毒", ["每餐每样留样不少于125克，冷藏48小时以上", "餐用具清洗消毒到位，保洁柜干净", "食品添加剂专人专柜、使用有记录"]),
    ("环境卫生", ["加工场所清洁，无积水、无异味", "防鼠、防蝇、防虫设施完好", "垃圾及时清理，餐厨废弃物处置有记录"]),
]
KINDERGARTEN_ITEMS: list[tuple[str, list[str]]] = [
    ("卫生保健", ["幼儿餐具每餐蒸煮消毒（煮沸15分钟或蒸汽10分钟）", "幼儿膳食按带量食谱制作，分餐到位", "活动室、寝室每日通风不少于2次"]),
]


def install(school: Any) -> None:
    from canteen.models import ChecklistItem

    rows = []
    for kindergarten, groups in ((False, SCHOOL_ITEMS), (True, KINDERGARTEN_ITEMS)):
        order = 0
        for group, texts in groups:
            for text in texts:
                order += 10
                rows.append(ChecklistItem(school=school, group=group, text=text, for_kindergarten=kindergarten, order=order))
    ChecklistItem.objects.bulk_create(rows)
