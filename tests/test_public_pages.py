"""What a browser and a search engine ask of every page (issue 14): an icon at /favicon.ico,
a description, a print stylesheet."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["casework:landing", "casework:worker_sign_in", "casework:staff_sign_in"]


def test_favicon_is_an_icon_kept_for_a_year_not_a_404_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00", "an ICO file"
    assert len(response.content) < 8_000
    assert "max-age=31536000" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "用手机投诉欠薪"), ("en", "file a wage complaint")]
)
def test_public_pages_describe_themselves_in_the_page_language(client, name, language, words):
    client.cookies["django_language"] = language
    page = client.get(reverse(name)).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description and words in description.group(1)
    assert '<link rel="icon"' in page


def test_a_printed_page_leaves_out_menus_forms_and_buttons():
    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "anxin.css").read_text()
    printed = css[css.index("@media print") :]
    for hidden in (".site-header", "form", "button", ".site-footer"):
        assert hidden in printed[: printed.index("display: none")]
