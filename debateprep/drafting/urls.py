from django.urls import path

from debateprep.drafting import views

app_name = "drafting"
statement = "debates/<slug:slug>/<str:code>/"
answer = f"{statement}answers/<slug:slot>/"
urlpatterns = [
    path("debates/", views.debate_list, name="debate-list"),
    path("debates/<slug:slug>/compendium.<str:fmt>", views.compendium, name="compendium"),
    path(statement, views.statement_page, name="statement"),
    path(f"{statement}status/", views.statement_status, name="statement-status"),
    path(f"{statement}export.<str:fmt>", views.statement_export, name="statement-export"),
    path(f"{statement}preview/", views.statement_preview, name="statement-preview"),
    path(answer, views.answer_save, name="answer-save"),
    path(f"{answer}history/", views.answer_history, name="answer-history"),
    path(f"{answer}restore/", views.answer_restore, name="answer-restore"),
]
