from django.urls import path

from debateprep.debates import views

app_name = "debates"
urlpatterns = [
    path("", views.debate_list, name="list"),
    path("<slug:slug>/", views.debate_detail, name="detail"),
    path("<slug:slug>/compendium.<str:fmt>", views.compendium, name="compendium"),
]
