"""A small messy ledger workbook, built in the test, showing each kind of mess the import must read
(the kinds seen in schools' own Excel ledgers; no line of any real ledger is copied here).

    messy_ledger(bad=False) -> bytes   # every line importable
    messy_ledger(bad=True)  -> bytes   # plus the lines the import must report, see BAD_LINES
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

HEADER_1 = ["序号", "资产编号", "分类代码", "资产名称", "规格型号", "计量单位", "数量", "单价", "金额", "取得方式", "取得日期", "经费来源",
            "使用部门", "存放地点", "使用人", "使用状况", "保修截止", "备注"]
# The second sheet names its columns differently and has no 保修截止.
HEADER_2 = ["序号", "财产编号", "国标分类号", "财产名称", "型号及规格", "单位", "数量", "单价", "原值", "取得方式", "购置日期", "资金来源",
            "使用部门", "存放地点", "保管人", "使用状况", "备注"]

# (sheet, row in the sheet) → what the import must say about it (a piece of the message).
BAD_LINES = {
    ("教学楼", 12): "A020101O5",          # a letter O for a zero
    ("教学楼", 13): "A501",               # a room that does not exist
    ("教学楼", 14): "≠",                  # quantity × unit price ≠ amount (message says "is not the amount")
    ("教学楼", 15): "2010",               # an old seven-digit code typed as a number
    ("教学楼", 16): "2019.13.45",         # not a date
    ("教学楼", 17): "ZC-2024-0002",       # a number used twice in the sheet…
    ("教学楼", 18): "ZC-2024-0002",
    ("实验楼及后勤", 9): "ZC-2019-0001",  # …and a number used on both sheets (both lines are named)
    ("教学楼", 4): "ZC-2019-0001",
    ("教学楼", 19): "1,000.00",           # below the fixed-asset threshold
}


def _title(ws, title: str, width: int) -> None:
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["填报单位：东城实验中学（盖章）          填报日期：2026年11月20日          单位：元"] + [None] * (width - 1))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def messy_ledger(*, bad: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教学楼"
    _title(ws, "东城实验中学固定资产分室明细账（教学楼）", len(HEADER_1))
    ws.append(HEADER_1)                                                                                         # row 3
    ws.append([1, "ZC-2019-0001", "A02010105", "台式计算机\n", "联想 启天M437", "台", 1, 4650, 4650, "购置",
               dt.datetime(2019, 9, 1), "财政拨款", "初一年级组", "A203", "李老师", "在用", "3年", None])        # row 4
    ws.append([2, "ZC-2019-0002", "A02020200", "投影仪", "爱普生 CB-X50", "台", "１", "6,400.00", "6400元", "购置",
               "2019.09", "自筹", "初一年级组", None, "李老师", "在用", "2022.9.1", None])                      # row 5
    ws.append([3, "ZC-2019-0003", "A02061804", "空调", "格力 3匹柜机", "台", 2, " 6899", "１３７９８", "购置",
               "2019年9月", "财政拨款", "初一年级组", None, "陈老师", "闲置", None, "=A1"])                      # row 6
    ws.merge_cells("N4:N6")  # 存放地点 A203 over the room's three lines
    ws["R6"].value, ws["R6"].data_type = "=A1", "s"  # text that looks like a formula
    ws.append([None, None, None, "小计", None, None, None, None, 24848, None, None, None, None, None, None, None, None, None])  # row 7
    ws.append([None] * len(HEADER_1))                                                                            # row 8: blank
    ws.append([4, "", "A02010108", "笔记本电脑", "ThinkPad E14", "台", 1, 5200, 5200, "购置", "19/9/1", "财政拨款",
               "后勤处", "物理实验室", "外校老师", "在用", None, None])                                          # row 9
    ws.append([5, "ZC-2019-0005", "A05010203", "学生课桌椅", "单人升降式", "套", 800, 260, "208,000.00", "调拨",
               "2019-09-01", "上级调拨", None, None, None, "在用", None, "分布于各班教室"])                       # row 10
    ws.append([None, None, None, "小计", None, None, None, None, 213200] + [None] * 9)                           # row 11
    if bad:
        ws.append([6, "ZC-2020-0001", "A020101O5", "台式计算机", "", "台", 1, 4500, 4500, "购置", "2020-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 12
        ws.append([7, "ZC-2020-0002", "A02010105", "台式计算机", "", "台", 1, 4500, 4500, "购置", "2020-03-01", "自筹",
                   None, "A501", None, "在用", None, None])                                                       # row 13
        ws.append([8, "ZC-2020-0003", "A02061804", "空调", "", "台", 2, 3299, 3299, "购置", "2020-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 14
        ws.append([9, "ZC-2020-0004", 2010104, "台式计算机", "", "台", 1, 4500, 4500, "购置", "2020-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 15
        ws.append([10, "ZC-2020-0005", "A02010105", "台式计算机", "", "台", 1, 4500, 4500, "购置", "2019.13.45", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 16
        ws.append([11, "ZC-2024-0002", "A02010105", "台式计算机", "", "台", 1, 4500, 4500, "购置", "2024-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 17
        ws.append([12, "ZC-2024-0002", "A02010105", "台式计算机", "", "台", 1, 4600, 4600, "购置", "2024-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 18
        ws.append([13, "ZC-2024-0003", "A05010304", "椅子", "", "把", 1, 380, 380, "购置", "2024-03-01", "自筹",
                   None, "A203", None, "在用", None, None])                                                       # row 19
    ws.append([None, None, None, "合　计"] + [None] * 14)

    ws2 = wb.create_sheet("实验楼及后勤")
    _title(ws2, "东城实验中学固定资产分室明细账（实验楼及后勤）", len(HEADER_2))
    ws2.append(HEADER_2)                                                                                          # row 3
    ws2.append([1, "ZC-2021-0001", "A02330000", "学生显微镜", "XSP-02", "台", 10, "1,800", "18000", "捐赠",
                dt.date(2021, 6, 1), "社会捐赠", "后勤处", "物理实验室", "李老师", "在用", None])                  # row 4
    ws2.append([2, "ZC-2021-0002", "A02010105", "台式计算机", "", "台", 1, 4299, 4299, "购置", "2021/6/3",
                "财政拨款", "后勤处", "教学楼A栋 A203", "初一(3)班", "在用", None])                                # row 5
    ws2.append([None] * len(HEADER_2))                                                                            # row 6
    ws2.append([3, "ZC-2021-0003", "A02460000", "篮球架", "移动式", "副", 2, 12800, 25600, "购置", "20210913",
                "财政拨款", "后勤处", None, None, "在用", None])                                                   # row 7
    ws2.append([None] * len(HEADER_2))                                                                            # row 8
    if bad:
        ws2.append([4, "ZC-2019-0001", "A02010105", "台式计算机", "", "台", 1, 4500, 4500, "购置", "2019-09-01",
                    "财政拨款", None, None, None, "在用", None])                                                   # row 9
    ws2.append([None, None, None, "合计"] + [None] * 13)

    consumables = wb.create_sheet("低值易耗品")
    consumables.append(["序号", "编号", "物品名称", "规格型号", "计量单位", "数量", "单价", "金额", "购置日期"])
    consumables.append([1, "DZ-001", "U盘", "64G", "个", 10, 49.9, 499, "2024-04-07"])
    notes = wb.create_sheet("说明")
    notes.append(["填表说明"])
    notes.append(["一、本账按房间分室登记。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD_LINES = 8  # asset lines of messy_ledger(bad=False)
