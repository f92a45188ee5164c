from django.urls import path

from debateprep.debates import views

app_name = "debates"
urlpatterns = [
    path("<slug:slug>/", views.debate_detail, name="detail"),
]
