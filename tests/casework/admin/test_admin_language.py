"""The admin reads in one language: every changelist and add page, as a superuser, in Chinese
and in English, has no words of the other language (Django's own catalogs, our verbose names,
filter titles, the names staff type)."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from casework.cases.models import Case  # noqa: F401  (the registry is complete once imported)
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")
# What Django's admin says in English when its Chinese catalog is not used, and phrases
# the walkthrough met in the Chinese admin.
ENGLISH_ADMIN = [
    "Select an option",
    "Filter by",
    "Site administration",
    "Add ",
    "Save and",
    "Change ",
    "Search",
    "Action:",
    "Created by",
    "Note: You are",
    "Show counts",
    "Home",
    "Log out",
    "Case:",
    "Rule:",
    "Yes",
    "No",
    "Unknown",
    "All",
    "Today",
]


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", page)


def _admin_pages():
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield model, model_admin, reverse("admin:{}_{}_changelist".format(*info))
        yield model, model_admin, reverse("admin:{}_{}_add".format(*info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield model, model_admin, reverse("admin:{}_{}_change".format(*info), args=[first.pk])


@pytest.fixture
def superuser_client(client):
    org = make_org()
    make_case(worker=org.worker, street=org.a.street)
    client.force_login(org.admin)
    return client, org.admin


def _get(client, user, url, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_every_admin_page_in_english_has_no_chinese_but_people_s_data(superuser_client):
    client, user = superuser_client
    data = _user_data()
    problems = []
    for _model, _admin, url in _admin_pages():
        response = _get(client, user, url, "en")
        if response.status_code == 403:  # read-only models have no add page
            continue
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        found = {run for run in CJK.findall(text) if not any(run in value for value in data)}
        if found:
            problems.append(f"{url}: {sorted(found)[:8]}")
    assert not problems, "Chinese on English admin pages:\n" + "\n".join(problems)


def test_every_admin_page_in_chinese_has_no_english_admin_phrases(superuser_client):
    client, user = superuser_client
    problems = []
    for _model, _admin, url in _admin_pages():
        response = _get(client, user, url, "zh-hans")
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        found = [
            phrase
            for phrase in ENGLISH_ADMIN
            if re.search(rf"(?<![A-Za-z]){re.escape(phrase)}", text)
        ]
        if found:
            problems.append(f"{url}: {found}")
    assert not problems, "English on Chinese admin pages:\n" + "\n".join(problems)


def _user_data() -> list[str]:
    """What people typed (units, teams, people, companies; the Chinese names of rules and
    holidays, shown beside the English ones for editing; the clause library, the text of
    Chinese contracts): data, not the admin's words."""
    from casework.clocks.models import CalendarDay, DeadlineRule
    from casework.organisation.models import Team, Unit, User
    from casework.routing.models import RoutingRule
    from mediation.contracts.models import ClauseTemplate
    from platforms.models import Company

    words = []
    for model, field in (
        (Unit, "name"),
        (Team, "name"),
        (Company, "name"),
        (User, "display_name"),
        (DeadlineRule, "name"),
        (DeadlineRule, "legal_basis"),
        (RoutingRule, "note"),
        (CalendarDay, "name"),
        (ClauseTemplate, "title"),
        (ClauseTemplate, "text"),
    ):
        words += [w for w in model.objects.values_list(field, flat=True) if w]
    words += [w for w in Company.objects.values_list("short_name", flat=True) if w]
    words += [name for _code, name in settings.LANGUAGES]  # each language in its own words
    return sorted(set(words), key=len, reverse=True)
