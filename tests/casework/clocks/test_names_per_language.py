"""Names that staff type carry one per language: deadline rules, routing rules and holidays
read in Chinese on Chinese pages and in English on English ones (the English name where there
is one), and a group the system formed is titled in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from casework.clocks.models import CalendarDay, DeadlineRule
from casework.routing.models import RoutingRule, describe_route
from casework.timeline.events import deadline_events
from casework.timeline.models import CaseEvent
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]


def test_the_seeded_rules_and_holidays_have_a_name_in_each_language():
    accept = DeadlineRule.objects.get(key="INSPECTION_ACCEPT")
    assert accept.name == "受理审查（5个工作日）"
    assert accept.name_en == "Review for acceptance (5 working days)"
    assert not DeadlineRule.objects.filter(name_en="").exists()
    assert not RoutingRule.objects.filter(note_en="").exclude(note="").exists()
    spring = CalendarDay.objects.get(date="2026-02-17")
    with translation.override("zh-hans"):
        assert spring.localized_name == "春节"
    with translation.override("en"):
        assert spring.localized_name == "Spring Festival"
    assert not CalendarDay.objects.filter(name__regex=r"[A-Za-z]").exists(), "Chinese names"


@pytest.mark.parametrize(
    ("language", "rule_words", "other_words"),
    [("en", "Review for acceptance", "受理审查"), ("zh-hans", "受理审查", "Review for acceptance")],
)
def test_the_case_page_names_its_clocks_and_route_in_the_reader_s_language(
    client, language, rule_words, other_words
):
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    deadline_events(case.deadlines.all(), actor=None, missed=False)  # a warning on the timeline
    org.a.station_coordinator.preferred_language = language
    org.a.station_coordinator.save(update_fields=["preferred_language"])
    client.force_login(org.a.station_coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert rule_words in page and other_words not in page
    with translation.override(language):
        warning = CaseEvent.objects.get(case=case, kind="deadline_warning")
        assert rule_words in warning.headline
        route = describe_route(case.routing)
        assert ("First contact" in route) == (language == "en"), route
