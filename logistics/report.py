"""The core's section of the term report: the school's scale (campuses, buildings, rooms, classes,
staff). It goes into the opening paragraph ("学校现有校舍7栋…"); the rooms are the annex sheet.
Five aggregate queries and one list, whatever the size of the school."""

from __future__ import annotations

from django.db.models import Count, Q

from logistics.models import Building, Campus, Membership, Room, School, SchoolClass, Term
from logistics.reports import registry
from logistics.reports.facts import Fact, Link, Part, Section, Sheet

TEACHING_ROOMS = (Room.Kind.LAB, Room.Kind.FUNCTION)


@registry.provider("core", order=0, title="学校基本情况")
def core_section(school: School, term: Term) -> Section:
    rooms = Room.objects.for_school(school).filter(is_active=True).aggregate(
        total=Count("pk"),
        classrooms=Count("pk", filter=Q(kind=Room.Kind.CLASSROOM)),
        special=Count("pk", filter=Q(kind__in=TEACHING_ROOMS)),
    )
    campuses = Campus.objects.for_school(school).count()
    buildings = Building.objects.for_school(school).count()
    classes = SchoolClass.objects.for_school(school).count()
    staff = Membership.objects.for_school(school).active().count()

    scale = Part(
        "scale",
        "基本情况",
        facts=[
            # One campus is the normal case and not worth a clause; several are.
            Fact("core.campuses", "校区", campuses if campuses > 1 else None, unit="个"),
            Fact("core.buildings", "校舍", buildings, unit="栋", link=Link("building-list")),
            Fact("core.rooms", "各类用房", rooms["total"], unit="间", link=Link("room-list")),
            Fact("core.classrooms", "其中普通教室", rooms["classrooms"], unit="间", link=Link("room-list")),
            Fact("core.special_rooms", "实验室和功能室", rooms["special"], unit="间", link=Link("room-list")),
            Fact("core.classes", "教学班", classes, unit="个", link=Link("class-list")),
            Fact("core.staff", "教职工", staff, unit="人", link=Link("people-list")),
        ],
    )

    def annex() -> list[Sheet]:
        return [_rooms_sheet(school)]

    return Section(placement="opening", parts=[scale], annex=annex, period=(term.start, term.end))


def _rooms_sheet(school: School) -> Sheet:
    room_rows = (
        Room.objects.for_school(school)
        .filter(is_active=True)
        .select_related("building__campus")
        .order_by("building__campus__name", "building__code", "floor", "code")
        .values_list("building__campus__name", "building__name", "code", "name", "floor", "kind")
    )
    kinds = dict(Room.Kind.choices)
    return Sheet(
        "校舍与用房",
        ["校区", "楼宇", "房间号", "名称", "楼层", "类型"],
        [[c, b, code, name, floor, str(kinds.get(kind, kind))] for c, b, code, name, floor, kind in room_rows],
        kinds=["text", "text", "text", "text", "int", "text"],
        widths=[12, 16, 10, 20, 8, 14],
    )
