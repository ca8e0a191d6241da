"""`{% url %}` with its answers kept in each process (a builtin: settings.TEMPLATES).

Django's `reverse()` walks the URL patterns' candidates on every call, about 20 µs; the case
page reverses 27 URLs a view, the queue one or two a row. A URL depends only on the view's
name, its arguments, the application namespace, the URL configuration and the script prefix,
all in the key; arguments other than plain ints and strings (a model, whose `str()` the URL
would use) are reversed each time.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_PLAIN = (int, str)


@lru_cache(maxsize=8192)
def _reversed(view_name, args, kwargs, current_app, urlconf, prefix) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(view_name, args=(), kwargs=None, current_app=None) -> str:
    """`reverse()`, kept for plain arguments."""
    kwargs = kwargs or {}
    if not isinstance(view_name, str) or not all(
        type(value) in _PLAIN for value in (*args, *kwargs.values())
    ):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


class KeptURLNode(URLNode):
    """Django's URLNode.render, reversing through `kept_reverse`."""

    def render(self, context):
        from django.urls import NoReverseMatch

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)


def forget() -> None:
    _reversed.cache_clear()
