"""Build a believable French demo of every capability, idempotently.

It lives in cms_pages, the highest app, because it orchestrates every lower app's demo module.
Each step takes the shared ``DemoContext``: what earlier steps made (people, framework…) and a
report that is printed at the end (logins, certificate codes…).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from certification import demo as certification_demo
from certification.verification import demo as verification_demo
from cms_pages import demo as pages_demo
from courses import demo as courses_demo
from courses.grading import demo as grading_demo
from lms.accounts import demo as accounts_demo
from lms.dataexchange import demo as dataexchange_demo
from lms.demo import DemoContext
from lms.notifications.services import quiet_emails
from lms.privacy import demo as privacy_demo
from vae import demo as vae_demo

# Lowest app first: each step may use what the previous ones created.
STEPS = [
    accounts_demo.seed,
    dataexchange_demo.seed,
    certification_demo.seed,
    verification_demo.seed,
    courses_demo.seed,
    grading_demo.seed,
    vae_demo.seed,
    privacy_demo.seed,
    pages_demo.seed,
    pages_demo.seed_catalogue,
]


class Command(BaseCommand):
    help = "Load the demo data (people, framework, pages, …). Running it again creates nothing new."

    def add_arguments(self, parser):
        parser.add_argument("--json", dest="json_path", help="Also write the report as JSON.")

    def handle(self, *args, json_path: str | None = None, **options):
        context = DemoContext()
        # The demo people get their in-app notifications, but nobody is emailed: the quiet
        # context also covers the work done on commit (certificate PDFs and their emails).
        with quiet_emails(), transaction.atomic():
            for step in STEPS:
                step(context)
        report = {"site": settings.SITE_URL, **context.report}

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Site: {settings.SITE_URL}/   Admin: {settings.SITE_URL}/admin/")
        password = context.report.get("password")
        if password:
            self.stdout.write(f"Every demo account uses the password: {password}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off: demo accounts have no password (none is ever set in production)."
                )
            )
        logins = context.report.get("logins", [])
        width = max((len(row["email"]) for row in logins), default=0)
        for row in logins:
            self.stdout.write(f"  {row['role']:<12} {row['email']:<{width}}  {row['name']}")
        for title, lines in context.sections:
            self.stdout.write(f"\n{title}")
            for line in lines:
                self.stdout.write(f"  {line}")
        if json_path:
            Path(json_path).write_text(
                json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
            )
            self.stdout.write(f"\nWritten to {json_path}")
