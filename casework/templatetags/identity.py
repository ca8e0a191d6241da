"""{{ case.worker_id_number|id_number_for:user }}: the ID card number in full to bureau staff,
masked (region and last four) to anyone else."""

from django import template

from casework.core.identity import mask_id_number
from casework.organisation.access import scope_for

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
