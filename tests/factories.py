"""factory_boy factories for the core; each app adds its own in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from logistics.models import Building, Campus, Department, Membership, Room, School, SchoolClass, Term, User

PASSWORD = "test-pass-2026"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"第{n + 1}实验学校")
    code = factory.Sequence(lambda n: f"school{n + 1}")
    kind = School.Kind.JUNIOR


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"校区{n + 1}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    campus = factory.SubFactory(CampusFactory)
    code = factory.Sequence(lambda n: f"B{n + 1}")
    name = factory.Sequence(lambda n: f"教学楼{n + 1}")
    floors = 4


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    building = factory.SubFactory(BuildingFactory)
    code = factory.Sequence(lambda n: f"{100 + n + 1}")
    name = "教室"
    floor = 1
    kind = Room.Kind.CLASSROOM


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"处室{n + 1}")


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    grade = 1
    name = factory.Sequence(lambda n: f"初一({n + 1})班")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    semester = 1
    start = dt.date(2026, 9, 1)
    end = dt.date(2027, 1, 22)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n + 1}")
    full_name = factory.Sequence(lambda n: f"测试用户{n + 1}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    language = settings.LANGUAGE_CODE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def member(school: School, *roles: str, user: User | None = None, **user_fields: Any) -> User:
    """A user with a membership of `school` holding `roles` (group names, see logistics.models.Role)."""
    user = user or UserFactory(**user_fields)
    membership, _ = Membership.objects.get_or_create(user=user, school=school)
    membership.roles.add(*Group.objects.filter(name__in=roles))
    return user
