from django.urls import path

from debateprep.drafting import views

app_name = "drafting"
statement = "debates/<slug:slug>/<str:code>/"
answer = f"{statement}answers/<slug:slot>/"
urlpatterns = [
    path("debates/", views.debate_list, name="debate-list"),
    # Before the statement's address: no delegation's code is in lower case.
    path("debates/<slug:slug>/overview/", views.debate_overview, name="debate-overview"),
    path(statement, views.statement_page, name="statement"),
    path(f"{statement}status/", views.statement_status, name="statement-status"),
    path(f"{statement}language/", views.statement_language, name="statement-language"),
    path(f"{statement}preview/", views.statement_preview, name="statement-preview"),
    path(answer, views.answer_save, name="answer-save"),
    path(f"{answer}history/", views.answer_history, name="answer-history"),
    path(f"{answer}restore/", views.answer_restore, name="answer-restore"),
    path(f"{answer}position/", views.answer_position, name="answer-position"),
    path(f"{answer}review/", views.answer_review, name="answer-review"),
    path(f"{answer}comments/", views.comment_add, name="comment-add"),
    path(f"{answer}comments/<int:pk>/resolve/", views.comment_resolve, name="comment-resolve"),
    path(f"{answer}suggestions/", views.suggestion_add, name="suggestion-add"),
    path(
        f"{answer}suggestions/<int:pk>/decide/", views.suggestion_decide, name="suggestion-decide"
    ),
    path(f"{statement}pulse/", views.statement_pulse, name="statement-pulse"),
    path(f"{answer}earlier/<int:pk>/", views.earlier_position_compare, name="earlier-compare"),
    path(f"{answer}earlier/", views.earlier_position_insert, name="earlier-insert"),
]
