"""The bureau's side of an employer's answers: staff answer a representative's question, and
read what the employer said, on the case's employer page."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.core.bounds import parse_id
from casework.core.errors import CaseChanged, NotFound
from casework.core.roles import STAFF_ROLES
from casework.notifications.models import NotificationKind
from casework.notifications.services import notify
from casework.organisation.models import User
from casework.timeline.events import employer_question_answered_event
from platforms.models import EmployerQuestion, Representative
from platforms.responses.services import clean_text


class QuestionNotFound(NotFound):
    """No such question on this case, or the case is not the actor's."""


def question_answer(*, actor: User, case_id, question_id, answer: str) -> EmployerQuestion:
    """Answer an employer's question once; the representatives of that company are told and
    read the answer on the portal's page of the case."""
    answer = clean_text(answer, "answer", required=True, message=_("Write your answer."))
    with transaction.atomic():
        case, _roles = Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed=STAFF_ROLES)
        pk = parse_id(question_id)
        asked = (
            EmployerQuestion.objects.select_for_update().filter(case=case, pk=pk).first()
            if pk
            else None
        )
        if asked is None:
            raise QuestionNotFound
        if asked.answered_at is not None:
            raise CaseChanged(
                _("%(name)s already answered this question.")
                % {"name": asked.answered_by.name if asked.answered_by else ""}
            )
        asked.answer, asked.answered_by, asked.answered_at = answer, actor, timezone.now()
        asked._history_user = actor
        asked.save(update_fields=["answer", "answered_by", "answered_at"])
        employer_question_answered_event(case=case, actor=actor, answer=answer)
        representatives = User.objects.filter(
            pk__in=Representative.objects.filter(company=asked.company).values("user_id"),
            is_active=True,
        )
        notify(
            recipients=[asked.asked_by, *representatives],
            kind=NotificationKind.QUESTION_ANSWERED,
            case=case,
            params={},
        )
    return asked
