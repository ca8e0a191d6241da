import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.organisation.models import Membership, Team, Unit, User
from platforms.models import Company
from tests.factories.organisation import make_staff

pytestmark = pytest.mark.django_db


def test_the_landing_page_speaks_chinese_first_and_offers_the_worker_paths(client):
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "我要投诉" in page and "我的案件" in page and "工作人员与平台登录" in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page


def test_the_english_switch_changes_the_language_and_comes_back(client):
    response = client.post(reverse("casework:set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "File a complaint" in page


def test_a_signed_in_user_keeps_their_language_on_any_device(client):
    user = make_staff()
    client.force_login(user)
    client.post(reverse("casework:set_language"), {"language": "en", "next": "/home/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"

    other_device = client.__class__()
    other_device.force_login(user)
    assert "Welcome" in other_device.get(reverse("casework:home")).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"language": "xx"}, {}, {"language": "en", "next": "https://evil.example/"}],
)
def test_a_bad_language_request_changes_nothing_and_stays_on_site(client, data):
    response = client.post(reverse("casework:set_language"), data)
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.now("2026-06-15")  # the demo dates its cases and contracts from today
def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo", "--force")
    first = capsys.readouterr().out
    counts = [m.objects.count() for m in (Unit, Team, User, Membership, Company)]
    call_command("seed_demo", "--force")

    assert [m.objects.count() for m in (Unit, Team, User, Membership, Company)] == counts
    for login in ["admin", "xixing.coordinator", "district.supervisor", "suda.rep", "13800138001"]:
        assert login in first
    assert Unit.objects.filter(kind="street").count() == 3
    assert Unit.objects.filter(kind="park").count() == 1
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"coordinator", "mediator", "inspector", "supervisor"}
    for company in Company.objects.exclude(credit_code=None):
        company.full_clean()


def test_seed_demo_refuses_with_debug_off():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_unknown_urls_answer_404_not_500(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/sign-in/%00/").status_code == 404


@pytest.mark.parametrize("nxt", ["0", "home", "casework:home"])
def test_a_next_that_looks_like_a_view_name_is_just_a_relative_url(client, nxt):
    response = client.post(reverse("casework:set_language"), {"language": "en", "next": nxt})
    assert response.status_code == 302
