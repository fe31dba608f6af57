from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from . import services
from .dashboard import panels_for
from .forms import ProfileForm
from .roles import Role


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: what they can do with the roles they hold."""
    user = request.user
    roles = [Role(code) for code in sorted(user.role_codes)]
    return render(
        request,
        "accounts/dashboard.html",
        {
            "roles": roles,
            "panels": panels_for(request),
            "can_reach_admin": user.has_perm("wagtailadmin.access_admin"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice for a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.update_language(user=request.user, language=language)
    return response
