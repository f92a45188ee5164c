from django.urls import path

from debateprep.delegations import views

app_name = "delegations"
members = "delegations/<str:code>/members/"
invitation = f"{members}invitations/<int:pk>/"
urlpatterns = [
    path(members, views.members, name="members"),
    path(f"{members}invite/", views.invite, name="invite"),
    path(f"{members}<int:pk>/role/", views.member_role, name="member-role"),
    path(f"{members}<int:pk>/remove/", views.member_remove, name="member-remove"),
    path(f"{invitation}revoke/", views.invitation_revoke, name="invitation-revoke"),
    path(f"{invitation}renew/", views.invitation_renew, name="invitation-renew"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("language/", views.language, name="language"),
]
