"""Settings of the load test: the product's, plus the bench floor's URL and no rate limit.

Used only by ``make load`` (DJANGO_SETTINGS_MODULE=cms_pages.bench.settings).
"""

from lms.settings import *  # noqa: F403

ROOT_URLCONF = "cms_pages.bench.urls"
# 32 clients from one address would hit the per-IP limits within a second.
VERIFICATION_RATE_LIMITS = {"page": 10**9, "api": 10**9, "bulk": 10**9}
