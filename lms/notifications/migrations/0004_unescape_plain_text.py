"""Subjects, in-app titles and most plain-text parts used to be HTML-escaped ("L&#x27;écoute"):
store them verbatim, as they are written from now on.

Every "&" the old code stored in them began an entity, so unescaping is the exact inverse. The
text parts of the enrolment, session and certificate emails were already verbatim: left alone.
Emails already sent are left as they went out.
"""

from html import unescape

from django.db import migrations
from django.db.models import Q

VERBATIM_TEXT_EVENTS = ("enrolment.", "session.", "certificate.")


def _text_was_escaped(event: str) -> bool:
    return not event.startswith(VERBATIM_TEXT_EVENTS)


def unescape_plain_text(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    OutboxEmail = apps.get_model("notifications", "OutboxEmail")
    notifications = Notification.objects.filter(Q(title__contains="&") | Q(body__contains="&"))
    for notification in notifications.iterator():
        notification.title = unescape(notification.title)[:200]
        if _text_was_escaped(notification.event):
            notification.body = unescape(notification.body)
        notification.save(update_fields=["title", "body"])
    emails = OutboxEmail.objects.filter(status__in=["pending", "failed"]).filter(
        Q(subject__contains="&") | Q(text_body__contains="&")
    )
    for email in emails.iterator():
        email.subject = unescape(email.subject)[:250]
        if _text_was_escaped(email.event):
            email.text_body = unescape(email.text_body)
        email.save(update_fields=["subject", "text_body"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_outbox_next_attempt_at")]

    operations = [migrations.RunPython(unescape_plain_text, migrations.RunPython.noop)]
