from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("DebatePrep administration")
admin.site.site_title = "DebatePrep"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="drafting:debate-list"), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("debateprep.drafting.urls")),
    path("debates/", include("debateprep.debates.urls")),
    path("", include("debateprep.delegations.urls")),
    path("", include("debateprep.jobs.urls")),
    path("", include("debateprep.search.urls")),
]
