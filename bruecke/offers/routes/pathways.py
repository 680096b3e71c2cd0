"""URLs of the offers app: the language, recognition and school pathways."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
