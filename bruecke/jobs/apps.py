from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "bruecke.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every app defines its job handlers in its own `jobs` module; importing them here
        # fills the registry in the web process and in the worker alike.
        autodiscover_modules("jobs")
