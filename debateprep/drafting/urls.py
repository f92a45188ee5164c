from django.urls import path

from debateprep.drafting import views

app_name = "drafting"
urlpatterns = [
    path("debates/<slug:slug>/<str:code>/", views.statement_page, name="statement"),
    path("debates/<slug:slug>/<str:code>/status/", views.statement_status, name="statement-status"),
    path(
        "debates/<slug:slug>/<str:code>/export.<str:fmt>",
        views.statement_export,
        name="statement-export",
    ),
    path(
        "debates/<slug:slug>/<str:code>/preview/",
        views.statement_preview,
        name="statement-preview",
    ),
    path("answers/<int:pk>/", views.answer_save, name="answer-save"),
    path("answers/<int:pk>/history/", views.answer_history, name="answer-history"),
]
