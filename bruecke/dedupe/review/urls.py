"""Routes of the duplicate review (included by `bruecke.dedupe.urls`)."""

from django.urls import URLPattern, path

from bruecke.dedupe.review import views

urlpatterns: list[URLPattern] = [
    path("", views.review_list, name="review"),
    path("search/", views.find_pairs_start, name="find_pairs"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/distinct/", views.pair_distinct, name="distinct"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", views.merge_undo_view, name="undo"),
]
