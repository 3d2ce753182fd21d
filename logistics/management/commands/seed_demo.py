from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from logistics.demo import DEMO_ACCOUNTS, DEMO_CODE, SIZES, seeders
from logistics.models import School


class Command(BaseCommand):
    help = "Create or refresh the demo school (code 'demo') with one account per role and every app's demo records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=SIZES, default="small", help="'large' makes a big school for benchmarks.")

    def handle(self, *args: Any, size: str, **options: Any) -> None:
        school, created = School.objects.get_or_create(
            code=DEMO_CODE,
            defaults={"name": "新城实验中学", "kind": School.Kind.JUNIOR, "address": "新城区学府路1号", "phone": "0571-88000000"},
        )
        self.stdout.write(f"{'Created' if created else 'Refreshing'} demo school {school.name} ({size})")
        for seeder in seeders():
            with transaction.atomic():
                seeder.fn(school, size=size, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo logins (password: %s):" % settings.DEMO_PASSWORD))
        for username, full_name, title, _dept, _roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {full_name}  {title}")
