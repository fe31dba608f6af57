"""Build a believable French demo of every capability, idempotently.

It lives in cms_pages, the highest app, because it orchestrates every lower app's demo module.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from certification import demo as certification_demo
from cms_pages import demo as pages_demo
from lms.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Load the demo data (people, pages, …). Running it again creates nothing new."

    def add_arguments(self, parser):
        parser.add_argument("--json", dest="json_path", help="Also write the demo logins as JSON.")

    def handle(self, *args, json_path: str | None = None, **options):
        with transaction.atomic():
            people = accounts_demo.seed_people()
            certification_demo.seed_framework()
            pages_demo.seed_pages()

        password = accounts_demo.DEMO_PASSWORD if settings.DEBUG else None
        logins = [
            {
                "role": person.role.value,
                "role_label": str(person.role.label),
                "name": f"{person.first_name} {person.last_name}",
                "email": person.email,
                "password": password,
            }
            for person in accounts_demo.PEOPLE
            if person.key in people
        ]
        report = {"site": settings.SITE_URL, "logins": logins}

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Site: {settings.SITE_URL}/   Admin: {settings.SITE_URL}/admin/")
        if password:
            self.stdout.write(f"Every demo account uses the password: {password}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off: demo accounts have no password (none is ever set in production)."
                )
            )
        width = max(len(row["email"]) for row in logins)
        for row in logins:
            self.stdout.write(f"  {row['role']:<12} {row['email']:<{width}}  {row['name']}")
        if json_path:
            Path(json_path).write_text(
                json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            self.stdout.write(f"Written to {json_path}")
