"""URLs of the offers app: group offers, sessions and attendance."""

from django.urls import URLPattern, path

from bruecke.offers.views import groups

urlpatterns: list[URLPattern] = [
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/sessions/new/", groups.session_create, name="session_create"),
    path("groups/<int:pk>/enrol/", groups.enrol, name="enrol"),
    path("groups/enrolments/<int:pk>/end/", groups.enrolment_end, name="enrolment_end"),
    path("groups/sessions/<int:pk>/attendance/", groups.session_attendance, name="session_attendance"),
]
