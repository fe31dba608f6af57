"""Keep secrets in URLs out of the logs.

Django logs the path of every 404 and 5xx (``django.request``) and runserver logs every request
line (``django.server``). Some paths carry a bearer secret: a calendar-feed token, a signed
"download my data" link, a certificate's verification code, a password-reset or email
confirmation key. Whoever reads the logs must not be able to replay them.
"""

import logging
import re
from typing import Any

REDACTED = "[redacted]"

# URL arguments that are secrets (or tie the URL to one person) wherever they appear.
SENSITIVE_ARGUMENTS = frozenset({"token", "code", "key", "uidb36", "uidb64"})

# Fallback for paths that resolve to nothing: segments that look like generated secrets.
TOKEN_LIKE = re.compile(
    r"(?<![\w:-])(?:"
    r"[\w-]+(?::[\w-]+){2,}"  # django.core.signing: value:timestamp:signature
    r"|(?=[\w-]*[A-Z])(?=[\w-]*[a-z0-9])[\w-]{20,}"  # base64url (secrets.token_urlsafe)
    r"|[0-9a-fA-F]{32,}"  # hex (secrets.token_hex)
    r")(?![\w:-])"
)
PATH = re.compile(r"/[^\s\"'?#]*")


def _resolved_secrets(path: str) -> list[str]:
    """The values of sensitive arguments of the URL pattern ``path`` matches, if any."""
    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils import translation

    languages = [code for code, _name in settings.LANGUAGES]
    prefix = path.split("/")[1] if path.count("/") > 1 else ""
    language = prefix if prefix in languages else settings.LANGUAGE_CODE
    try:
        # i18n_patterns match the prefix of the active language only.
        with translation.override(language):
            match = resolve(path)
    except (Resolver404, ValueError):
        return []
    return [
        str(value)
        for name, value in match.kwargs.items()
        if name in SENSITIVE_ARGUMENTS and str(value)
    ]


def redact(text: str) -> str:
    """``text`` with every secret-looking part of the URL paths it holds replaced."""

    def redact_path(found: re.Match[str]) -> str:
        path = found.group(0)
        for secret in sorted(_resolved_secrets(path), key=len, reverse=True):
            path = path.replace(secret, REDACTED)
        return TOKEN_LIKE.sub(REDACTED, path)

    return PATH.sub(redact_path, text)


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactTokensFilter(logging.Filter):
    """Rewrite a record's message and arguments with the secrets in URL paths redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if isinstance(record.msg, str):
                record.msg = redact(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(_redact_value(a) for a in record.args)
            elif isinstance(record.args, dict):
                record.args = {k: _redact_value(v) for k, v in record.args.items()}
        except Exception:  # noqa: BLE001 - a log line is never lost to its filter
            record.msg, record.args = "Request log line withheld (redaction failed).", ()
        return True
