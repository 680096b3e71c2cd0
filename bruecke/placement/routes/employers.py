"""URLs of the placement app: employers, their sites, contact persons and contacts."""

from django.urls import URLPattern, path

from bruecke.placement.views import employers as views

urlpatterns: list[URLPattern] = [
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/sites/new/", views.site_create, name="site_create"),
    path("employers/sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("employers/<int:pk>/contacts/new/", views.contact_create, name="employer_contact_create"),
    path("employers/contacts/<int:pk>/edit/", views.contact_edit, name="employer_contact_edit"),
    path("employers/<int:pk>/activities/new/", views.activity_create, name="employer_activity_create"),
]
