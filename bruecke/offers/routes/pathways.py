"""URLs of the offers app: the language, recognition and school pathways."""

from django.urls import URLPattern, path

from bruecke.offers.views import pathways, school

urlpatterns: list[URLPattern] = [
    path("cases/<int:case_pk>/language/new/", pathways.language_create, name="language_create"),
    path("language/<int:pk>/edit/", pathways.language_edit, name="language_edit"),
    path("language/<int:pk>/delete/", pathways.language_delete, name="language_delete"),
    path("cases/<int:case_pk>/recognition/new/", pathways.recognition_create, name="recognition_create"),
    path("recognition/<int:pk>/", pathways.recognition_detail, name="recognition_detail"),
    path("recognition/<int:pk>/edit/", pathways.recognition_edit, name="recognition_edit"),
    # The school pathway (school record and school-to-work transition of a case).
    path("school/", school.school_overview, name="school_overview"),
    path("cases/<int:case_pk>/school/new/", school.school_create, name="school_create"),
    path("cases/<int:case_pk>/school/", school.school_edit, name="school_edit"),
    path("cases/<int:case_pk>/transition/", school.transition_edit, name="transition_edit"),
]
