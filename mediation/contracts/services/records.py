"""The steps every write on a contract shares: find and lock the row the actor may see,
refuse what the actor or the contract's state does not allow, save with the history reason.

Each service runs in one transaction that first locks the contract row (select_for_update),
checks the actor's rights on it, then writes the change with its history reason.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from casework.organisation.models import User
from mediation.contracts.access import contract_access, visible_contracts_q
from mediation.contracts.choices import EDITABLE_STATES
from mediation.contracts.models import CollectiveContract
from mediation.contracts.services.errors import ContractChanged, ContractNotFound


def lock_contract(*, actor: User, contract_id, to_keep: bool = True) -> CollectiveContract:
    """The contract row, locked, if the actor may see it (else ContractNotFound). With
    `to_keep`, refuses an actor who may not keep it; a lifecycle step checks its own roles."""
    access = contract_access(actor)
    if not access.sees_any:
        raise ContractNotFound
    try:
        contract = (
            CollectiveContract.objects.select_for_update(of=("self",))
            .select_related("company", "region")
            .get(visible_contracts_q(access), pk=contract_id)
        )
    except (CollectiveContract.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc
    if to_keep and not access.can_keep(contract):
        raise ActionRefused(_("You may not change this contract."))
    return contract


def check_expected_state(contract: CollectiveContract, expected_state: str | None) -> None:
    if expected_state and contract.state != expected_state:
        raise ContractChanged(
            _(
                "Someone changed this contract while you were looking at it: it is now "
                "“%(state)s”. Nothing was changed."
            )
            % {"state": contract.state_label}
        )


def check_editable(contract: CollectiveContract) -> None:
    if contract.state not in EDITABLE_STATES:
        raise ActionRefused(
            _(
                "The content can change only while the contract is drafted or in consultation; "
                "it is now “%(state)s”."
            )
            % {"state": contract.state_label}
        )


def check_not_in_future(day: date | None, field_name: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ActionRefused(_("This date is in the future."), field=field_name)


def save_contract(
    contract: CollectiveContract, *, actor: User, reason: str, fields: list[str]
) -> None:
    contract._history_user = actor
    contract._change_reason = reason[:100]
    contract.save(update_fields=[*fields, "updated_at"])
