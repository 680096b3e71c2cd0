from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "bruecke.rules"
    label = "rules"
    verbose_name = _("Work-permission rules")
