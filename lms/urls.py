from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.accounts import views as account_views
from lms.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("health/", core_views.health, name="health"),
    # /v/<CODE>, /api/v1/…, /.well-known/…: public contracts, no language prefix.
    path("", include("certification.verification.urls")),
]

# Pages in French have no prefix; /en/ and /nl/ serve English and Dutch.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("espace/notifications/", include("lms.notifications.urls")),
    path("", include("lms.privacy.urls")),  # /confidentialite/, /espace/mes-donnees/…
    path("espace/", include("lms.accounts.urls")),
    path("certification/", include("certification.urls")),
    path("formations/", include("courses.urls")),
    path("formateur/", include("courses.grading.urls")),
    path("verification/", include("certification.verification.i18n_urls")),
    path("vae/", include("vae.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
