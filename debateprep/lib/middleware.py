from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse


class HtmxAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """After the session ends, an autosave must not swap the login page into the answer: it
    gets a 401 instead, and the page keeps the text and asks the delegate to log in again."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse("Your session has ended; log in again.", status=401)
        return super().handle_no_permission(request, view_func)
