"""Small builders for the organisation; each test states what it needs."""

from itertools import count

from casework.core.roles import Role
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Membership, Team, Unit, User

_serial = count(1)
STAFF_PASSWORD = "correct horse battery staple"


def make_district() -> Unit:
    return Unit.objects.get_or_create(
        code="test-district", defaults={"name": "测试区", "kind": UnitKind.DISTRICT}
    )[0]


def make_street(name: str = "测试街道") -> Unit:
    n = next(_serial)
    return Unit.objects.create(
        code=f"street-{n}", name=name, kind=UnitKind.STREET, parent=make_district()
    )


def make_team(*, unit: Unit | None = None, kind: str = TeamKind.COORDINATORS) -> Team:
    unit = unit or make_street()
    team = Team.objects.create(code=f"team-{next(_serial)}", name="测试队伍", kind=kind, unit=unit)
    if unit.is_jurisdiction:
        team.covers.add(unit)
    return team


def make_staff(*, role: str = Role.COORDINATOR, team: Team | None = None, **fields) -> User:
    n = next(_serial)
    user = User.objects.create_user(
        username=fields.pop("username", f"staff{n}"), password=STAFF_PASSWORD, **fields
    )
    Membership.objects.create(user=user, team=team or make_team(), role=role)
    return user


def make_worker(mobile: str = "13912345678", **fields) -> User:
    user = User.objects.create(username=f"worker-{mobile}", mobile=mobile, is_worker=True, **fields)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user
