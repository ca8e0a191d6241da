"""One district with a thing of each kind a form acts on, and every form class of the project."""

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field

import pytest
from django import forms

import arrears
import casework
import mediation
import platforms
from casework.cases.choices import CaseState
from mediation.contracts.models import ClauseTemplate
from mediation.services.agreements import agreement_draw_up
from tests.contracts.builders import consulting_contract, make_contract_org
from tests.factories.cases import cover_streets_with_unit_office, make_case, put_case_in_state
from tests.mediation.conftest import hold, terms_for


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = {}
    for package in (casework, mediation, arrears, platforms):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and not obj.__module__.startswith("casework.core.")
                ):
                    found[f"{obj.__module__}.{obj.__name__}"] = obj
    return [found[key] for key in sorted(found)]


@dataclass
class Scene:
    """One district, its people, and one thing of each kind a form acts on."""

    co: object
    org: object
    worker_case: object
    staff_case: object
    session: object
    agreement: object
    contract: object
    clause: object
    template: object
    kwargs: dict = field(default_factory=dict)


@pytest.fixture
def scene():
    co = make_contract_org()
    org = cover_streets_with_unit_office(co.org)
    worker_case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    staff_case = put_case_in_state(
        make_case(worker=org.other_worker, street=org.a.street, platform=org.platform),
        CaseState.VERIFYING,
        org.supervisor,
    )
    session = hold(org, staff_case)
    agreement = agreement_draw_up(
        actor=org.a.mediator, terms=terms_for(staff_case), case_id=staff_case.pk
    )
    contract = consulting_contract(co.keeper, org)
    clause = contract.clauses.first()
    template = ClauseTemplate.objects.filter(is_active=True).exclude(parameters={}).first()
    from casework.cases.models import Case

    mediating = list(Case.objects.filter(pk=staff_case.pk))
    kwargs = {
        "ClauseValuesForm": {"template": clause.template},
        "AgreementForm": {"cases": mediating},
        "ScheduleForm": {"mediators": [org.a.mediator]},
        "RecordSessionForm": {"participants": session.participants.all()},
        "SignForm": {"parties": [("worker", "worker"), ("employer", "employer")]},
        "WhereWhenForm": {"category": "pay_arrears"},
    }
    return Scene(
        co, org, worker_case, staff_case, session, agreement, contract, clause, template, kwargs
    )


def field_names(form: forms.BaseForm) -> list[str]:
    return [form.add_prefix(name) for name in form.fields]


FORM_CLASSES = project_form_classes()
