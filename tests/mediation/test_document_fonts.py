"""The documents' fonts come with the Python dependencies: the fetcher serves exactly those two
files to WeasyPrint and nothing else, and a PDF comes out the same whatever fonts the machine
has (none, or a font of its own that calls itself Noto Serif SC)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from mediation.checks import document_fonts_installed, fast_font_subsetting
from mediation.documents.fetcher import BASE_URL, RefusedURL, SafeURLFetcher
from mediation.documents.fonts import (
    FONT_FILES,
    DocumentFontsMissing,
    font_resource,
    missing_fonts,
)
from mediation.documents.rendering import render_pdf
from tests.mediation.conftest import PACKAGED_FACES, embedded_fonts, pdf_text

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.parametrize("name", FONT_FILES)
def test_the_fetcher_serves_each_packaged_font(name):
    response = SafeURLFetcher().fetch(f"{BASE_URL}fonts/{name}")
    body = response.read()
    assert body[:4] == b"OTTO" and body == font_resource(name).read_bytes()
    assert response.content_type == "font/otf"


@pytest.mark.parametrize(
    "url",
    [
        BASE_URL + "fonts/NotoSansSC-Bold.otf",  # not one of the two
        BASE_URL + "fonts/notosanssc-regular.otf",
        BASE_URL + "fonts/__init__.py",  # the package's other files
        BASE_URL + "fonts/",
        BASE_URL + "fonts/../fonts/NotoSansSC-Regular.otf",
        BASE_URL + "fonts/%2e%2e/%2e%2e/config/settings.py",
        BASE_URL + "fonts/..%2f__init__.py",
        BASE_URL + "fonts/NotoSansSC-Regular.otf/../../manage.py",
        BASE_URL + "fonts/NotoSansSC-Regular.otf?v=2",
        BASE_URL + "static/fonts/NotoSansSC-Regular.otf",  # not a static file either
        BASE_URL + "static/../fonts/NotoSansSC-Regular.otf",
        "http://documents.anxin.invalid/fonts/NotoSansSC-Regular.otf",
        "https://example.com/fonts/NotoSansSC-Regular.otf",
    ],
)
def test_the_fetcher_refuses_any_other_font_url(url):
    with pytest.raises(RefusedURL):
        SafeURLFetcher().fetch(url)


def test_the_font_files_cannot_be_fetched_by_their_path_on_disk():
    for name in FONT_FILES:
        with pytest.raises(RefusedURL):
            SafeURLFetcher().fetch(Path(str(font_resource(name))).as_uri())


@pytest.mark.parametrize("name", ["__init__.py", "../__init__.py", "NotoSansSC-Regular.otf/.."])
def test_only_the_two_font_files_can_be_named(name):
    with pytest.raises(LookupError):
        font_resource(name)


def test_the_fonts_are_not_public_static_files():
    for name in FONT_FILES:
        assert finders.find(name) is None and finders.find(f"fonts/{name}") is None


def test_without_the_fonts_rendering_fails_and_the_check_says_so(monkeypatch):
    assert missing_fonts() == [] and document_fonts_installed(None) == []
    monkeypatch.setattr("mediation.documents.fonts.FONT_PACKAGE", "no_such_font_package")
    assert missing_fonts() == list(FONT_FILES)
    assert [w.id for w in document_fonts_installed(None)] == ["mediation.W003"]
    # a failed rendering (retried once installed) rather than a document of empty boxes
    with pytest.raises(DocumentFontsMissing):
        render_pdf(template_name="documents/base.html", context={}, code="X", verify_url="x")


def test_slow_font_subsetting_is_reported_as_information_only(monkeypatch):
    import weasyprint.text.ffi

    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    assert [(i.id, i.is_serious()) for i in fast_font_subsetting(None)] == [
        ("mediation.I001", False)
    ]
    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", object())
    assert fast_font_subsetting(None) == []


# A fresh machine -------------------------------------------------------------------------

RENDER = """
import sys, django
django.setup()
from mediation.documents.rendering import render_pdf
pdf = render_pdf(template_name="documents/base.html", context={}, code=sys.argv[2],
                 verify_url=sys.argv[3])
open(sys.argv[1], "wb").write(pdf.content)
"""


def _impostor(source: Path, family: str, target: Path) -> None:
    """A Latin font that calls itself `family`: if the documents asked the machine for
    "Noto Serif SC", WeasyPrint would mix its glyph numbers into our font's (wrong digits)."""
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "") + "-Regular"
    font.save(target)


@pytest.mark.skipif(
    not (DEJAVU / "DejaVuSans.ttf").exists(), reason="Pango needs at least one system font"
)
def test_a_machine_without_chinese_fonts_prints_the_same_document(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    _impostor(DEJAVU / "DejaVuSerif.ttf", "Noto Serif SC", fonts / "serif.ttf")
    _impostor(DEJAVU / "DejaVuSans.ttf", "Noto Sans SC", fonts / "sans.ttf")
    # fontconfig sees DejaVu and the impostors, no CJK font at all, with the machine's rules
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><dir>{DEJAVU}</dir><dir>{fonts}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir>"
        '<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>'
    )
    output = tmp_path / "fresh.pdf"
    code, url = "7K3M-9QXD-2026-AB01", "https://anxin.example.gov.cn/documents/verify/7K3M9QXD/"
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", RENDER, str(output), code, url],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    content = output.read_bytes()
    assert embedded_fonts(content, tmp_path) == PACKAGED_FACES
    text = "".join(pdf_text(content, tmp_path).split())
    assert f"本文书验证码：{code}" in text
    assert f"扫描二维码或访问{url}核验本文书真伪及当前状态。" in text
