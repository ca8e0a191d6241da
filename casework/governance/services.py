"""Every write of governance work: screenings and their re-inspection, campaigns, outreach,
round tables and commitments. Each checks the actor's scope for every id it is given (an id
outside it is NotFound: a 404, nothing changes) and the dates against today."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clocks.work_calendar import load_calendar
from casework.core.bounds import check_date_bounds, parse_id, parse_ids
from casework.core.errors import ActionRefused, NotFound
from casework.core.roles import Role
from casework.governance.access import governance_scope
from casework.governance.choices import CheckItem, ScreeningManner, ScreeningStatus
from casework.governance.models import (
    Campaign,
    Commitment,
    Outreach,
    RoundTable,
    Screening,
    ScreeningFinding,
)
from casework.organisation.models import Membership, Unit, User
from platforms.models import Company

MAX_CORRECTION_DAYS = 120
MAX_REACHED = 1_000_000


def _unit_for_recording(actor: User, unit_id) -> Unit:
    pk = parse_id(unit_id)
    if pk is None or not governance_scope(actor).records_in(pk):
        raise NotFound
    try:
        return Unit.objects.get(pk=pk)
    except Unit.DoesNotExist as exc:
        raise NotFound from exc


def _company(company_id) -> Company:
    pk = parse_id(company_id)
    company = Company.objects.filter(pk=pk).first() if pk else None
    if company is None:
        raise NotFound
    return company


def _once(queryset) -> None:
    """A form sent twice (a double click, a replay) records once: the second is told so."""
    if queryset.exists():
        raise ActionRefused(_("This is already recorded."))


def _not_in_future(field: str, day: date) -> None:
    check_date_bounds(**{field: day})
    if day > timezone.localdate():
        raise ActionRefused(_("This date is in the future."), field=field)


def inspector_choices(actor: User):
    """Staff who may be named as inspectors by `actor`: members of the teams of the units the
    actor records in, or of teams covering them."""
    scope = governance_scope(actor)
    members = Membership.objects.exclude(role=Role.SUPERVISOR)
    if not scope.everything:
        units = sorted(scope.recording_unit_ids)
        members = members.filter(team__unit_id__in=units) | members.filter(team__covers__in=units)
    ids = set(members.values_list("user_id", flat=True)) | {actor.pk}
    return User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "pk")


def campaign_visible(actor: User, campaign_id) -> Campaign:
    pk = parse_id(campaign_id)
    scope = governance_scope(actor)
    campaign = Campaign.objects.filter(pk=pk).first() if pk else None
    if campaign is None or not (scope.everything or campaign.unit_id in scope.campaign_unit_ids):
        raise NotFound
    return campaign


def screening_record(
    *,
    actor: User,
    company_id,
    unit_id,
    screened_on: date,
    manner: str,
    inspector_ids: list,
    failed: dict[str, str],
    correction_days: int | None = None,
    campaign_id=None,
    note: str = "",
) -> Screening:
    """Record a screening with its whole checklist: every item complies unless it is in
    `failed` (item -> what was found). With a finding, the correction deadline is
    `correction_days` working days after the screening, on the official calendar."""
    unit = _unit_for_recording(actor, unit_id)
    company = _company(company_id)
    campaign = campaign_visible(actor, campaign_id) if campaign_id else None
    _not_in_future("screened_on", screened_on)
    if campaign is not None:
        if not campaign.targets.filter(pk=company.pk).exists():
            raise ActionRefused(_("This company is not on the campaign's list."), field="company")
        if not campaign.starts_on <= screened_on <= campaign.ends_on:
            raise ActionRefused(
                _("The screening date is outside the campaign's period."), field="screened_on"
            )
    if manner not in ScreeningManner.values:
        raise ActionRefused(_("Choose how the screening was done."), field="manner")
    if set(failed) - set(CheckItem.values):
        raise ActionRefused(_("Choose findings from the checklist."), field="failed")
    allowed = set(inspector_choices(actor).values_list("pk", flat=True))
    inspectors = parse_ids(inspector_ids, limit=20)
    if not inspectors or set(inspectors) - allowed:
        raise ActionRefused(_("Choose the inspectors from the list."), field="inspectors")
    due, provisional = None, False
    if failed:
        if not correction_days or not 1 <= correction_days <= MAX_CORRECTION_DAYS:
            raise ActionRefused(
                _("Give between 1 and %(n)d working days to correct the findings.")
                % {"n": MAX_CORRECTION_DAYS},
                field="correction_days",
            )
        dated = load_calendar().add_working_days(screened_on, correction_days)
        due, provisional = dated.day, dated.provisional
    with transaction.atomic():
        # The company's row serialises two submissions of the same screening.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        _once(
            Screening.objects.filter(
                company=company, unit=unit, screened_on=screened_on, manner=manner
            )
        )
        screening = Screening(
            company=company,
            unit=unit,
            campaign=campaign,
            screened_on=screened_on,
            manner=manner,
            status=ScreeningStatus.CORRECTING if failed else ScreeningStatus.CLEAR,
            correction_days=correction_days if failed else None,
            correction_due=due,
            due_is_provisional=provisional,
            note=note,
            recorded_by=actor,
        )
        screening._history_user = actor
        screening.save()
        screening.inspectors.set(inspectors)
        ScreeningFinding.objects.bulk_create(
            ScreeningFinding(
                screening=screening,
                item=item,
                complies=item not in failed,
                note=failed.get(item, ""),
            )
            for item in CheckItem.values
        )
    return screening


def screening_reinspect(
    *, actor: User, screening_id, reinspected_on: date, corrected: list[str], note: str = ""
) -> Screening:
    """Re-inspect: the findings in `corrected` are corrected as of `reinspected_on`; once none
    is left open the screening is corrected. Refused for a screening with nothing to correct
    (a second submission of the same form is told so)."""
    pk = parse_id(screening_id)
    scope = governance_scope(actor)
    with transaction.atomic():
        screening = Screening.objects.select_for_update().filter(pk=pk).first() if pk else None
        if screening is None or not scope.sees_unit(screening.unit_id):
            raise NotFound
        if not scope.records_in(screening.unit_id):
            raise NotFound
        if screening.status != ScreeningStatus.CORRECTING:
            raise ActionRefused(_("This screening has nothing left to correct."))
        _not_in_future("reinspected_on", reinspected_on)
        if reinspected_on < screening.screened_on:
            raise ActionRefused(
                _("The re-inspection cannot come before the screening."), field="reinspected_on"
            )
        open_findings = {f.item: f for f in screening.findings.all() if f.is_open}
        chosen = [item for item in corrected if item in open_findings]
        if len(chosen) != len(set(corrected)):
            raise ActionRefused(_("Choose findings that are still open."), field="corrected")
        for item in chosen:
            finding = open_findings[item]
            finding.corrected_on = reinspected_on
            finding._history_user = actor
            finding.save(update_fields=["corrected_on"])
        screening.reinspected_on = reinspected_on
        screening.reinspection_note = note
        fields = ["reinspected_on", "reinspection_note"]
        if len(chosen) == len(open_findings):
            screening.status = ScreeningStatus.CORRECTED
            fields.append("status")
        screening._history_user = actor
        screening.save(update_fields=fields)
    return screening


def campaign_create(
    *, actor: User, name: str, unit_id, starts_on: date, ends_on: date, target_ids: list
) -> Campaign:
    """A campaign of a unit the actor supervises (or any, for an administrator)."""
    scope = governance_scope(actor)
    unit = _unit_for_recording(actor, unit_id)
    if not scope.everything and unit.pk not in _supervised(actor):
        raise NotFound
    check_date_bounds(starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise ActionRefused(_("The campaign must end after it starts."), field="ends_on")
    targets = parse_ids(target_ids, limit=1000)
    found = list(Company.objects.filter(pk__in=targets).values_list("pk", flat=True))
    if not targets or len(found) != len(set(targets)):
        raise ActionRefused(_("Choose the companies from the list."), field="targets")
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        _once(Campaign.objects.filter(unit=unit, name=name, starts_on=starts_on))
        campaign = Campaign(
            name=name, unit=unit, starts_on=starts_on, ends_on=ends_on, created_by=actor
        )
        campaign._history_user = actor
        campaign.save()
        campaign.targets.set(found)
    return campaign


def _supervised(actor: User) -> frozenset[int]:
    from casework.organisation.access import scope_for

    return scope_for(actor).supervised_unit_ids


def campaign_set_results(*, actor: User, campaign_id, results: str) -> Campaign:
    campaign = campaign_visible(actor, campaign_id)
    if not governance_scope(actor).everything and campaign.unit_id not in _supervised(actor):
        raise NotFound
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        campaign.results = results
        campaign._history_user = actor
        campaign.save(update_fields=["results"])
    return campaign


@transaction.atomic
def outreach_record(
    *,
    actor: User,
    unit_id,
    held_on: date,
    topic: str,
    companies_reached: int,
    workers_reached: int,
    note: str = "",
) -> Outreach:
    unit = _unit_for_recording(actor, unit_id)
    _not_in_future("held_on", held_on)
    for field, value in (
        ("companies_reached", companies_reached),
        ("workers_reached", workers_reached),
    ):
        if not 0 <= value <= MAX_REACHED:
            raise ActionRefused(
                _("Enter a number between 0 and %(n)d.") % {"n": MAX_REACHED}, field=field
            )
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    _once(Outreach.objects.filter(unit=unit, held_on=held_on, topic=topic))
    outreach = Outreach(
        unit=unit,
        held_on=held_on,
        topic=topic,
        companies_reached=companies_reached,
        workers_reached=workers_reached,
        note=note,
        recorded_by=actor,
    )
    outreach._history_user = actor
    outreach.save()
    return outreach


@transaction.atomic
def round_table_record(
    *, actor: User, unit_id, held_on: date, topic: str, participants: str, minutes: str
) -> RoundTable:
    unit = _unit_for_recording(actor, unit_id)
    _not_in_future("held_on", held_on)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    _once(RoundTable.objects.filter(unit=unit, held_on=held_on, topic=topic))
    meeting = RoundTable(
        unit=unit,
        held_on=held_on,
        topic=topic,
        participants=participants,
        minutes=minutes,
        recorded_by=actor,
    )
    meeting._history_user = actor
    meeting.save()
    return meeting


def _round_table_for_recording(actor: User, round_table_id) -> RoundTable:
    pk = parse_id(round_table_id)
    meeting = RoundTable.objects.filter(pk=pk).first() if pk else None
    scope = governance_scope(actor)
    if meeting is None or not scope.sees_unit(meeting.unit_id):
        raise NotFound
    if not scope.records_in(meeting.unit_id):
        raise NotFound
    return meeting


@transaction.atomic
def commitment_add(
    *, actor: User, round_table_id, party: str, promise: str, due_on: date, company_id=None
) -> Commitment:
    meeting = _round_table_for_recording(actor, round_table_id)
    check_date_bounds(due_on=due_on)
    if due_on < meeting.held_on:
        raise ActionRefused(_("A commitment cannot be due before the meeting."), field="due_on")
    company = _company(company_id) if company_id else None
    RoundTable.objects.select_for_update().filter(pk=meeting.pk).first()
    _once(Commitment.objects.filter(round_table=meeting, promise=promise, due_on=due_on))
    commitment = Commitment(
        round_table=meeting, company=company, party=party, promise=promise, due_on=due_on
    )
    commitment._history_user = actor
    commitment.save()
    return commitment


def commitment_keep(*, actor: User, commitment_id, kept_on: date) -> Commitment:
    """Mark a commitment kept; refused if it already is (the first of two submissions wins)."""
    pk = parse_id(commitment_id)
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update()
            .select_related("round_table")
            .filter(pk=pk)
            .first()
            if pk
            else None
        )
        if commitment is None:
            raise NotFound
        _round_table_for_recording(actor, commitment.round_table_id)
        if commitment.kept_on is not None:
            raise ActionRefused(_("This commitment is already marked kept."))
        _not_in_future("kept_on", kept_on)
        if kept_on < commitment.round_table.held_on:
            raise ActionRefused(_("It cannot be kept before the meeting."), field="kept_on")
        commitment.kept_on = kept_on
        commitment._history_user = actor
        commitment.save(update_fields=["kept_on"])
    return commitment
