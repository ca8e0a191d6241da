"""A platform with an operator and a representative, a rival platform, tokens, and cases
awaiting their response; an API client that sends a token."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from casework.cases.choices import CaseState
from casework.intake.services import PartyInput
from platforms.api.services import token_create
from platforms.choices import CompanyKind
from platforms.models import Representative
from tests.factories.cases import make_case, make_org, make_platform, put_case_in_state


@dataclass
class Rival:
    platform: object
    representative: object


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def rival():
    platform = make_platform("闪送急送平台")
    user = get_user_model().objects.create_user(username="rival.rep", password="x" * 12)
    Representative.objects.create(user=user, company=platform)
    return Rival(platform=platform, representative=user)


def file_case(org, company, *, state=CaseState.AWAITING_RESPONSE, **fields):
    """A complaint naming `company` (and its platform), walked to `state`."""
    platform = company if company.parent_id is None else company.parent
    parties = [PartyInput(kind=CompanyKind.PLATFORM, company=platform)]
    if company != platform:
        parties.append(PartyInput(kind=company.kind, company=company))
    fields.setdefault("worker_name", "张小明")
    fields.setdefault("consent_to_share", True)
    case = make_case(worker=org.worker, street=org.a.street, parties=parties, **fields)
    return put_case_in_state(case, state, org.supervisor) if state != CaseState.SUBMITTED else case


class ApiClient(Client):
    """The Django test client, speaking to /api/v1/ with a bearer token."""

    def __init__(self, secret: str | None = None, language: str = "zh-hans"):
        headers = {"Accept-Language": language}
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        super().__init__(headers=headers)

    def url(self, path: str) -> str:
        return "/api/v1/" + path.lstrip("/")

    def get(self, path, data=None, **extra):
        return super().get(self.url(path), data, **extra)

    def post_json(self, path, payload, *, key: str | None = "key-1", **extra):
        headers = {"Idempotency-Key": key} if key is not None else {}
        return super().post(
            self.url(path), payload, content_type="application/json", headers=headers, **extra
        )


@pytest.fixture
def token(org):
    _token, secret = token_create(actor=org.representative, name="ERP")
    return secret


@pytest.fixture
def api(token):
    return ApiClient(token)


@pytest.fixture
def rival_api(rival):
    _token, secret = token_create(actor=rival.representative, name="ERP")
    return ApiClient(secret)
