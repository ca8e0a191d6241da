"""Load the demo district idempotently and print the demo logins.

Fixture loading, not domain flow: it writes organisation rows directly (there is no workflow
to go through for creating a street), keyed on stable codes so that a second run changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.demo import data as demo
from casework.demo.api_token import DEMO_TOKEN_USER, demo_api_token
from casework.demo.cases import seed_demo_cases
from casework.demo.governance import seed_demo_governance
from casework.demo.ledger import seed_demo_ledger
from casework.demo.upstream import seed_demo_upstream
from casework.demo.verdicts import seed_demo_verdicts
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Membership, Team, Unit, User
from mediation.contracts.demo import seed_demo_contracts
from mediation.documents.models import NumberingSeries
from platforms.models import Company, Representative
from platforms.validators import uscc_check_character


class Command(BaseCommand):
    help = "Load the demo district (units, teams, staff, platforms, workers) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (the demo accounts share a published password).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, force=False, quiet_logins=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off: their password is public. "
                "Use --force on a throwaway database."
            )
        with transaction.atomic():
            created = seed_demo()
            token = demo_api_token()
        self.stdout.write(f"Demo data ready ({created} new rows).")
        if not quiet_logins:
            self.stdout.write(logins_table())
            self.stdout.write(api_token_lines(token))


def _user(username: str, **fields) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        if fields.get("is_worker"):
            user.set_unusable_password()
        else:
            user.set_password(demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def seed_demo() -> int:
    created = 0

    def count(result):
        nonlocal created
        created += int(result[1])
        return result[0]

    code, name, kind = demo.DISTRICT
    district = count(Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind}))
    units = {code: district}
    for code, name in demo.DEPARTMENTS:
        units[code] = count(
            Unit.objects.get_or_create(
                code=code,
                defaults={"name": name, "kind": UnitKind.DEPARTMENT, "parent": district},
            )
        )
    jurisdictions = []
    for code, name, kind, short in demo.JURISDICTIONS:
        unit = count(
            Unit.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "parent": district}
            )
        )
        units[code] = unit
        jurisdictions.append(unit)
        for team_kind, suffix, pattern in demo.TIER2_TEAMS:
            team = count(
                Team.objects.get_or_create(
                    code=f"{code}-{suffix}",
                    defaults={"name": pattern.format(short=short), "kind": team_kind, "unit": unit},
                )
            )
            team.covers.add(unit)
            if team_kind == TeamKind.MEDIATORS:
                # Agreements of the street's mediation committee: 滨人调字〔2026〕第 1 号
                count(
                    NumberingSeries.objects.get_or_create(
                        team=team,
                        defaults={
                            "prefix": demo.DOCUMENT_PREFIX,
                            "issuer_name": f"滨江区{unit.name}劳动争议调解委员会",
                        },
                    )
                )
        station = count(
            Team.objects.get_or_create(
                code=f"{code}-station",
                defaults={
                    "name": demo.STATION_NAME.format(short=short),
                    "kind": "service_station",
                    "unit": unit,
                },
            )
        )
        station.covers.add(unit)
    for team_code, unit_code, name, covers_all in demo.UNIT_OFFICES:
        team = count(
            Team.objects.get_or_create(
                code=team_code,
                defaults={"name": name, "kind": "unit_office", "unit": units[unit_code]},
            )
        )
        if covers_all:
            team.covers.add(*jurisdictions)

    count(_user("admin", display_name="系统管理员", is_staff=True, is_superuser=True))
    for username, display_name, team_code, role in demo.STAFF:
        user = count(_user(username, display_name=display_name, is_staff=False))
        count(
            Membership.objects.get_or_create(
                user=user, team=Team.objects.get(code=team_code), role=role
            )
        )

    companies = {}
    for key, name, short, kind, industry, parent, body in demo.COMPANIES:
        companies[key] = count(
            Company.objects.get_or_create(
                credit_code=body + "0" + uscc_check_character(body + "0"),
                defaults={
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "industry": industry,
                    "parent": companies.get(parent),
                    "legal_representative": demo.LEGAL_REPRESENTATIVES.get(key, ""),
                },
            )
        )
    for username, display_name, company_key in demo.REPRESENTATIVES:
        user = count(_user(username, display_name=display_name))
        count(Representative.objects.get_or_create(user=user, company=companies[company_key]))

    for mobile, display_name in demo.WORKERS:
        count(_user(f"worker-{mobile}", mobile=mobile, display_name=display_name, is_worker=True))

    demo_cases = seed_demo_cases(User.objects.get(username="district.supervisor"))
    created += len(demo_cases)
    seed_demo_ledger(demo_cases)
    created += seed_demo_verdicts(User.objects.get(username="district.supervisor"))
    seed_demo_contracts()
    created += seed_demo_upstream(User.objects.get(username="district.supervisor"))
    # A campaign in progress, screenings and findings, and employer risk computed (one red).
    created += int(seed_demo_governance())
    return created


def api_token_lines(token: str | None) -> str:
    """The demo's API token, printed the one time it is made (only its hash is kept)."""
    if token is None:
        return (
            f"  Platform API (/api/v1/docs): {DEMO_TOKEN_USER}'s demo token was printed when it"
            " was made; make another at /platform/tokens/.\n"
        )
    return (
        f"  Platform API (/api/v1/docs), token of {DEMO_TOKEN_USER}, shown this once:\n"
        f"    {token}\n"
        f"    curl -H 'Authorization: Bearer {token}' http://127.0.0.1:8000/api/v1/cases/\n"
    )


def logins_table() -> str:
    lines = [
        "",
        "Demo logins:",
        f"  Staff and platform sign-in at /staff/sign-in/, password for all: {demo.DEMO_PASSWORD}",
        f"    {'admin':<22} administrator (also /admin/)",
    ]
    for username, display_name, team_code, role in demo.STAFF:
        lines.append(f"    {username:<22} {role.value:<12} {display_name} · {team_code}")
    for username, display_name, _company in demo.REPRESENTATIVES:
        lines.append(f"    {username:<22} {'platform':<12} {display_name}")
    lines.append("  Workers sign in at /sign-in/ with a mobile number; the code appears in this")
    lines.append("  terminal as [SMS to ...]:")
    for mobile, display_name in demo.WORKERS:
        lines.append(f"    {mobile:<22} worker       {display_name}")
    return "\n".join(lines) + "\n"
