from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user without a language cookie reads in their preferred language.

    Runs after authentication; the cookie (set by the language switch) wins when present.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
