"""Document numbers (文书编号): a prefix per mediation organisation and a sequence per year,
e.g. 滨人调字〔2026〕第 123 号, issued without gaps or duplicates however many mediators draw
up agreements at the same moment."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from mediation.documents.models import DocumentNumber, NumberCounter, NumberingSeries


def issuer_name(team) -> str:
    """The organisation as printed: the configured name, else its unit and team names."""
    series = NumberingSeries.objects.filter(team=team).first()
    if series and series.issuer_name:
        return series.issuer_name
    unit = team.unit.name
    # demo teams already carry their street's short name ("西兴劳动争议调解员队伍")
    return team.name if team.name.startswith(unit[:2]) else f"{unit}{team.name}"


def number_text(prefix: str, year: int, number: int) -> str:
    return f"{prefix}〔{year}〕第 {number} 号"


def number_for(subject) -> DocumentNumber | None:
    return DocumentNumber.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).first()


def number_allocate(*, subject, team) -> DocumentNumber:
    """The subject's number, taken from `team`'s counter for this year (Beijing time) the first
    time it is asked for. The counter row is locked until the caller's transaction ends, so
    two agreements drawn up at once get consecutive numbers; a rolled-back transaction gives
    its number back."""
    with transaction.atomic():
        existing = number_for(subject)
        if existing is not None:
            return existing
        year = timezone.localdate().year
        NumberCounter.objects.get_or_create(team=team, year=year)
        counter = NumberCounter.objects.select_for_update().get(team=team, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        series = NumberingSeries.objects.filter(team=team).first()
        prefix = series.prefix if series else settings.ANXIN_DOCUMENT_NUMBER_PREFIX
        return DocumentNumber.objects.create(
            team=team,
            issuer_name=issuer_name(team)[:200],
            year=year,
            number=counter.last_number,
            text=number_text(prefix, year, counter.last_number),
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        )
