"""{{ case.worker_id_number|id_number_for:user }}: the ID card number in full to bureau staff,
masked (region and last four) to anyone else."""

from django import template

from casework.core.identity import mask_id_number
from casework.organisation.access import scope_for
from casework.privacy.masking import mask_name

register = template.Library()


@register.filter
def id_number_for(number: str, user) -> str:
    if not number:
        return ""
    if getattr(user, "is_authenticated", False) and (
        user.is_superuser or scope_for(user).is_staff_member
    ):
        return number
    return mask_id_number(number)


@register.filter
def masked_name(name: str) -> str:
    """{{ case.worker_name|masked_name }}: 张** in lists; the case page shows the name to whoever
    handles the case, and to others when they click "show" (casework/privacy)."""
    return mask_name(name)
