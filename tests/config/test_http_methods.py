"""HEAD is answered wherever GET is (monitoring and link checkers send HEAD)."""

import pytest
from django.test import Client

from tests.config.routes import routes
from tests.factories.organisation import make_staff, make_worker

pytestmark = pytest.mark.django_db


def test_head_on_the_landing_page_answers_like_get():
    response = Client().head("/")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("who", ["anonymous", "worker", "staff"])
def test_no_url_refuses_head_where_it_allows_get(who):
    client = Client(raise_request_exception=False)
    if who == "worker":
        client.force_login(make_worker())
    elif who == "staff":
        client.force_login(make_staff())
    refused = []
    for path in routes():
        if client.get(path).status_code != 405 and client.head(path).status_code == 405:
            refused.append(path)
    assert not refused
