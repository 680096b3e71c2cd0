"""URLs of the placement app: links (employers submit opportunities without an account)."""

from django.urls import URLPattern, path

from bruecke.placement.views import links

urlpatterns: list[URLPattern] = [
    path("employers/<int:pk>/links/", links.link_create, name="link_create"),
    path("links/<int:pk>/revoke/", links.link_revoke, name="link_revoke"),
    path("submit/<str:token>/", links.link_submit, name="link_submit"),
    path("drafts/", links.draft_list, name="draft_list"),
    path("drafts/<int:pk>/", links.draft_publish, name="draft_publish"),
]
