"""No personal data in task arguments or logs.

The rule for task arguments: a project task (defined in lms, certification, courses, vae or
cms_pages) takes only identifiers — ``pk``, ``ids``, ``<thing>_id``, ``<thing>_ids`` or
``<thing>_key`` (a dedupe or idempotency key) — annotated as int, str or a list of them, and no
``*args``/``**kwargs`` through which anything could slip. Names, emails and free text are
re-read from the database by the task, never sent through the broker.
"""

import inspect
import logging
import re
import typing

import pytest
from django.core import mail
from django.urls import reverse

from lms.celery import app
from tests.lms.factories import PASSWORD, UserFactory

PROJECT_PACKAGES = ("lms.", "certification.", "courses.", "vae.", "cms_pages.")
ALLOWED_NAME = re.compile(r"^(pk|ids|[a-z][a-z0-9_]*_(id|ids|key))$")
ALLOWED_TYPES = {int, str, list[int], list[str], int | None, inspect.Parameter.empty}


def project_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT_PACKAGES)}


def test_the_project_registers_its_tasks():
    names = set(project_tasks())

    assert "certification.tasks.render_certificate_pdf_task" in names
    assert "lms.notifications.tasks.sweep_outbox_task" in names


@pytest.mark.parametrize("name", sorted(project_tasks()))
def test_each_task_takes_identifiers_only(name):
    task = project_tasks()[name]
    signature = inspect.signature(task.run)
    hints = typing.get_type_hints(task.run)
    problems = []
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            problems.append(f"{parameter.name}: *args/**kwargs could carry anything")
        elif not ALLOWED_NAME.match(parameter.name):
            problems.append(f"{parameter.name}: not an identifier name (…_id, …_ids, …_key, pk)")
        elif hints.get(parameter.name, inspect.Parameter.empty) not in ALLOWED_TYPES:
            problems.append(f"{parameter.name}: {hints[parameter.name]} is not int/str/list")
    assert problems == [], f"{name}: {problems}"


def test_the_rule_would_catch_a_task_taking_an_email():
    def send_welcome_task(email: str, first_name: str) -> None: ...

    names = inspect.signature(send_welcome_task).parameters
    assert [n for n in names if not ALLOWED_NAME.match(n)] == ["email", "first_name"]


@pytest.mark.django_db(transaction=False)
def test_a_sign_up_sign_in_and_reset_flow_logs_no_name_or_email(client, caplog):
    caplog.set_level(logging.DEBUG)
    person = UserFactory(email="claire.secret@example.org", first_name="Clairette")

    client.post(
        reverse("account_signup"),
        {
            "email": "nadia.private@example.org",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "display_name": "Nadiamina",
            "preferred_language": "fr",
        },
    )
    client.post(reverse("account_login"), {"login": person.email, "password": "wrong-one"})
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    client.get(reverse("accounts:dashboard"))
    client.get("/no-such-page-for-the-log/")
    client.post(reverse("account_logout"))
    client.post(reverse("account_reset_password"), {"email": person.email})

    assert len(mail.outbox) >= 2, "the flow sent emails (so mail code ran under the capture)"
    assert caplog.records, "the flow logged something (so the check can fail)"
    for record in caplog.records:
        text = record.getMessage() + " " + repr(record.args) + " " + repr(record.__dict__)
        for secret in (
            "claire.secret",
            "Clairette",
            "nadia.private",
            "Nadiamina",
            "un-mot-de-passe-solide-42",
            PASSWORD,
        ):
            assert secret not in text, f"{record.name} logged {secret!r}: {record.getMessage()}"
