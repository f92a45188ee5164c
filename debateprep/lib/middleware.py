from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse
from django.middleware import locale
from django.utils import translation
from django.utils.translation import gettext as _

# The language a person chose, copied into their session when they log in, so that each of
# their requests finds it without a query.
SESSION_LANGUAGE = "language"


class LocaleMiddleware(locale.LocaleMiddleware):
    """The person's chosen language first; then, as Django's, the cookie and the browser's."""

    def process_request(self, request):
        chosen = request.session.get(SESSION_LANGUAGE)
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            super().process_request(request)


class HtmxAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """After the session ends, an autosave must not swap the login page into the answer: it
    gets a 401 instead, and the page keeps the text and asks the delegate to log in again."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(_("Your session has ended; log in again."), status=401)
        return super().handle_no_permission(request, view_func)
