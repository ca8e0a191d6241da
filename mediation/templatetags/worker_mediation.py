"""The mediation part of the worker's case page (the case page is casework's; what it says
about sessions and agreements is read here, where mediation is known)."""

from django import template

from mediation.selectors import WorkerMediation, worker_mediation_for_user

register = template.Library()


@register.simple_tag
def worker_mediation(case, user) -> WorkerMediation:
    return worker_mediation_for_user(user=user, case=case)
