"""A Celery worker whose certificate rendering pauses half-way, so a test can kill it mid-task.

Run as ``python tests/certification/paused_worker.py worker ...`` (the usual worker arguments).
When the task reaches the PDF rendering it writes the certificate id to $PARCOURS_PAUSE_MARKER
and waits, as a long render would; the test then kills the process with SIGKILL.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from certification import pdf  # noqa: E402
from lms.celery import app  # noqa: E402

real_certificate_pdf = pdf.certificate_pdf


def paused_certificate_pdf(certificate):
    Path(os.environ["PARCOURS_PAUSE_MARKER"]).write_text(str(certificate.pk))
    time.sleep(300)
    return real_certificate_pdf(certificate)


pdf.certificate_pdf = paused_certificate_pdf
app.worker_main(sys.argv[1:])
