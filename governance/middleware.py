"""The signed-in person's preferred language, unless they picked one with the switcher."""

from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    """Runs after authentication; an explicit choice (the language cookie) still wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
