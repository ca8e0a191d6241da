"""Issue 19: `{% translate "literal" %}` and `{% url %}` answers kept per process
(casework/templatetags/kept_i18n.py, kept_urls.py) read exactly what Django's tags read: the
reader's language, the escaping, the arguments, the script prefix."""

from django.template import Context, Engine, engines
from django.urls import set_script_prefix
from django.utils import translation

from casework.templatetags.kept_urls import kept_reverse


def _render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_a_literal_follows_the_readers_language_on_every_render():
    template = engines["django"].from_string('{% load i18n %}{% translate "Case queue" %}')
    rendered = {}
    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            rendered.setdefault(language, set()).add(template.render({}))
    assert rendered["en"] == {"Case queue"}
    assert len(rendered["zh-hans"]) == 1
    assert rendered["zh-hans"] != rendered["en"]


SNIPPETS = [
    '{% translate "a & b" %}',
    '{% autoescape off %}{% translate "a & b" %}{% endautoescape %}',
    '{% translate "Case queue" as words %}[{{ words }}]',
    '{% translate "Due" context "instalment" %}',
    "{% translate word %}",
]


def test_what_renders_is_what_djangos_own_tags_render():
    plain = Engine(libraries={"i18n": "django.templatetags.i18n"})  # nothing kept
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for snippet in SNIPPETS:
                for word in ("one", "<two>"):
                    text = "{% load i18n %}" + snippet
                    ours = engines["django"].from_string(text).render({"word": word})
                    assert ours == plain.from_string(text).render(Context({"word": word}))


def test_urls_follow_their_arguments_and_the_script_prefix():
    template = engines["django"].from_string("{% url 'casework:case_detail' pk %}")
    first, second = template.render({"pk": 5}), template.render({"pk": 6})
    assert first != second and first.rstrip("/").endswith("5") and second.rstrip("/").endswith("6")
    try:
        set_script_prefix("/anxin/")
        assert template.render({"pk": 5}) == "/anxin" + first
        assert kept_reverse("casework:case_detail", args=[5]) == "/anxin" + first
    finally:
        set_script_prefix("/")
    assert template.render({"pk": 5}) == first
