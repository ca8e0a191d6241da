"""Django's `i18n` library, with `{% translate "literal" %}` kept per language in each process.

Loaded in place of django.templatetags.i18n (settings.TEMPLATES "libraries": the label
`i18n`), so every template's `{% load i18n %}` gets it. A literal's translation cannot change
while the process runs (the catalogues are read once), yet Django looks it up on every render:
about 7 µs each, and the case page has more than 80. A tag with a variable, a filter, a
context read from a variable or `as` renders as Django's does.
"""

from django import template
from django.templatetags.i18n import TranslateNode
from django.templatetags.i18n import do_translate as django_translate
from django.templatetags.i18n import register as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.tags)
register.filters.update(django_i18n.filters)


class KeptTranslateNode(TranslateNode):
    """A literal's rendering, kept per language and escaping."""

    def render(self, context):
        key = (get_language(), context.autoescape)
        kept = self.kept.get(key)
        if kept is None:
            kept = self.kept[key] = super().render(context)
        return kept


def _literal(expression) -> bool:
    return expression is None or (
        not expression.filters and getattr(expression.var, "literal", None) is not None
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_translate(parser, token)
    if node.asvar is None and _literal(node.filter_expression) and _literal(node.message_context):
        node.__class__ = KeptTranslateNode
        node.kept = {}
    return node
