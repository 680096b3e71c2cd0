from django.urls import path

from bruecke.network import views

app_name = "network"
urlpatterns = [
    path("", views.network_page, name="network_page"),
    path("manage/", views.manage, name="manage"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("offices/new/", views.office_create, name="office_create"),
    path("offices/<int:pk>/edit/", views.office_edit, name="office_edit"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:site_pk>/hours/new/", views.hour_create, name="hour_create"),
    path("hours/<int:pk>/edit/", views.hour_edit, name="hour_edit"),
    path("hours/<int:pk>/delete/", views.hour_delete, name="hour_delete"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/active/", views.staff_set_active, name="staff_set_active"),
    path("staff/<int:pk>/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<int:pk>/mfa-reset/", views.staff_mfa_reset, name="staff_mfa_reset"),
    path("staff/<int:staff_pk>/roles/new/", views.membership_create, name="membership_create"),
    path("roles/<int:pk>/end/", views.membership_end, name="membership_end"),
]
