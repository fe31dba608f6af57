"""The floor of the JSON API: the smallest Django JSON view, served only by the bench URLconf."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def json_floor(request: HttpRequest) -> JsonResponse:
    """A constant JSON answer: what any JSON view costs before doing anything."""
    return JsonResponse({"status": "ok"})
