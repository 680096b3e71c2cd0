"""URLs of the offers app: the language, recognition and school pathways."""

from django.urls import URLPattern, path

from bruecke.offers.views import school

urlpatterns: list[URLPattern] = [
    # The school pathway (school record and school-to-work transition of a case).
    path("school/", school.school_overview, name="school_overview"),
    path("cases/<int:case_pk>/school/new/", school.school_create, name="school_create"),
    path("cases/<int:case_pk>/school/", school.school_edit, name="school_edit"),
    path("cases/<int:case_pk>/transition/", school.transition_edit, name="transition_edit"),
]
