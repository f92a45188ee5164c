"""The floor of the stack for bench/load.py: a settings module and its URLconf in one.

The same settings as the app (its database and pooling included) but no middleware and one view
doing one UPDATE of an answer's text: what Django, gunicorn and PostgreSQL cost for a save
before DebatePrep does anything. Served by the same gunicorn command as the app, with
DJANGO_SETTINGS_MODULE=floor and bench/ on the Python path.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from debateprep.settings import *  # noqa: F403

ROOT_URLCONF = "floor"
MIDDLEWARE: list[str] = []


@csrf_exempt
@require_POST
def save(request, pk: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE drafting_answer SET text = %s, version = version + 1 WHERE id = %s",
            [request.POST["text"], pk],
        )
    return HttpResponse('<input type="hidden" name="version" value="0">')


urlpatterns = [path("floor/<int:pk>/", save)]
