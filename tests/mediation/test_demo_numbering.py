"""`make run`'s demo mediation committees number their agreements as a real one would."""

import pytest
from django.core.management import call_command

from casework.organisation.choices import TeamKind
from casework.organisation.models import Team
from mediation.documents.models import NumberingSeries
from mediation.documents.numbers import issuer_name, number_text

pytestmark = pytest.mark.django_db


def test_each_demo_mediation_team_numbers_its_agreements_with_the_districts_prefix(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    teams = Team.objects.filter(kind=TeamKind.MEDIATORS)
    assert teams.exists()
    for team in teams:
        series = NumberingSeries.objects.get(team=team)
        assert number_text(series.prefix, 2026, 7) == "滨人调字〔2026〕第 7 号"
        assert issuer_name(team).endswith("劳动争议调解委员会")
