from django.contrib import admin

from bruecke.core.admin import AuditedModelAdmin
from bruecke.network.models import Network


@admin.register(Network)
class NetworkAdmin(AuditedModelAdmin):
    """Networks are created rarely, by the operator; everything inside them has product pages."""

    list_display = ["name", "region", "funding_programme"]
