"""Flash messages are announced by a live region around the list, not a role on the list
(axe refuses role="status" on a <ul> and then its <li> have no list)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_messages_are_a_list_inside_a_status_region():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = render_to_string("base.html", {"messages": ["已保存"]}, request=request)
    region = page.index('<div role="status">')
    assert page.index('<ul class="messages">') > region
    assert '<ul class="messages" role="status">' not in page
    assert "已保存" in page
