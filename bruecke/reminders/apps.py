from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "bruecke.reminders"
    verbose_name = _("Scheduled work")
