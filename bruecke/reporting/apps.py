import importlib
import pkgutil

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bruecke.reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from bruecke.reporting import builders, checks  # noqa: F401  (registers the deploy check)

        for module in pkgutil.iter_modules(builders.__path__):
            importlib.import_module(f"{builders.__name__}.{module.name}")
