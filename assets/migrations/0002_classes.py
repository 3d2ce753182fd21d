"""The GB/T 14885-2022 classes schools use, with their default useful life from 财会〔2018〕20号.

Codes are the standard's letter and eight digits (a class above the leaf level ends in zeros). The
full table is larger; these are the classes a school's ledger draws on (buildings, computers, office
equipment, air conditioners, teaching instruments, sports equipment, furniture and student furniture,
books, vehicles, land, relics). Years: buildings of steel or concrete 50; structures and simple
buildings 8; computers and office equipment 6; vehicles 8; machinery including air conditioners 10;
electrical, communication and instruments 5; teaching instruments 5; furniture 15, student furniture 5.
Not depreciated (政府会计准则第3号): land, cultural relics and exhibits, books and archives, animals and plants.
"""

from django.db import migrations

# code, name, years (None: not depreciated), specialist threshold applies, large batches count
CLASSES = [
    ("A01000000", "房屋和构筑物", 50, False, False),
    ("A01010000", "房屋", 50, False, False),
    ("A01020000", "构筑物", 8, False, False),
    ("A01030000", "土地", None, False, False),
    ("A02000000", "设备", 6, False, False),
    ("A02010000", "计算机设备", 6, False, False),
    ("A02010104", "服务器", 6, False, False),
    ("A02010105", "台式计算机", 6, False, False),
    ("A02010107", "平板式计算机", 6, False, False),
    ("A02010108", "便携式计算机", 6, False, False),
    ("A02020000", "办公设备", 6, False, False),
    ("A02020100", "复印机", 6, False, False),
    ("A02020200", "投影仪", 6, False, False),
    ("A02020600", "电子白板", 6, False, False),
    ("A02020700", "触控一体机", 6, False, False),
    ("A02021000", "打印机", 6, False, False),
    ("A02030000", "车辆", 8, False, False),
    ("A02030500", "乘用车", 8, False, False),
    ("A02030600", "客车", 8, False, False),
    ("A02050000", "机械设备", 10, False, False),
    ("A02060000", "电气设备", 5, False, False),
    ("A02061504", "空调机", 10, False, False),
    ("A02080000", "通信设备", 5, False, False),
    ("A02090000", "广播、电视、电影设备", 5, False, False),
    ("A02100000", "仪器仪表", 5, True, False),
    ("A02320000", "体育设备设施", 5, True, False),
    ("A02330000", "教学专用仪器", 5, True, False),
    ("A03000000", "文物和陈列品", None, False, False),
    ("A04000000", "图书和档案", None, False, True),
    ("A04010000", "图书", None, False, True),
    ("A05000000", "家具和用具", 15, False, True),
    ("A05010000", "家具", 15, False, True),
    ("A05010100", "床类", 15, False, True),
    ("A05010200", "台、桌类", 15, False, True),
    ("A05010203", "教学、实验用桌", 5, False, True),
    ("A05010300", "椅凳类", 15, False, True),
    ("A05010304", "教学、实验椅凳", 5, False, True),
    ("A05010500", "柜类", 15, False, True),
    ("A06000000", "特种动植物", None, False, False),
]


def forwards(apps, schema_editor):
    AssetClass = apps.get_model("assets", "AssetClass")
    for code, name, years, specialist, batch in CLASSES:
        AssetClass.objects.update_or_create(
            code=code,
            defaults={"name": name, "useful_life_years": years, "depreciable": years is not None, "specialist": specialist,
                      "batch_counts": batch},
        )


def backwards(apps, schema_editor):
    AssetClass = apps.get_model("assets", "AssetClass")
    AssetClass.objects.filter(code__in=[c[0] for c in CLASSES], cards__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
