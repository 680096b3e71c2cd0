from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("bruecke.core.urls")),
    path("accounts/", include("bruecke.accounts.urls")),
    path("network/", include("bruecke.network.urls")),
    path("participants/", include("bruecke.participants.urls")),
    path("esf/", include("bruecke.esf.urls")),
    path("cases/", include("bruecke.cases.urls")),
    path("rules/", include("bruecke.rules.urls")),
    path("privacy/", include("bruecke.privacy.urls")),
    path("jobs/", include("bruecke.jobs.urls")),
    path("placement/", include("bruecke.placement.urls")),
    path("offers/", include("bruecke.offers.urls")),
    path("reporting/", include("bruecke.reporting.urls")),
    path("spreadsheets/", include("bruecke.spreadsheets.urls")),
    path("duplicates/", include("bruecke.dedupe.urls")),
    # Operators only (superusers): rarely used configuration.
    path("admin/", admin.site.urls),
]

handler500 = "bruecke.core.error_views.server_error"
