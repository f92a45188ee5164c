from django.urls import path

from debateprep.jobs import views

app_name = "jobs"
urlpatterns = [
    path(
        "exports/debates/<slug:slug>/compendium.<str:fmt>",
        views.compendium_export,
        name="compendium",
    ),
    path(
        "exports/debates/<slug:slug>/<str:code>/statement.<str:fmt>",
        views.statement_export,
        name="statement",
    ),
    path("exports/<uuid:pk>/", views.job, name="job"),
    path("exports/<uuid:pk>/download/", views.download, name="download"),
]
