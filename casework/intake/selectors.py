"""Reads the intake pages need beyond the case itself."""

from platforms.models import Company


def operator_names() -> list[str]:
    """Names offered as suggestions for the employer a worker or caller names: the operators
    and agencies on the registry (the platforms are a choice of their own on the form)."""
    return list(
        Company.objects.exclude(kind="platform").order_by("name").values_list("name", flat=True)
    )
