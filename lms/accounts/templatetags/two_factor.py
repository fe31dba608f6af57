from django import template

from ..two_factor import two_factor_required as _two_factor_required

register = template.Library()


@register.filter
def two_factor_required(user) -> bool:
    """``{% if request.user|two_factor_required %}``: the person's role requires an app."""
    return _two_factor_required(user)
