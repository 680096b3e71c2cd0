import importlib
import pkgutil

from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bruecke.spreadsheets"
    verbose_name = "Spreadsheets"

    def ready(self) -> None:
        # Every module of `entities` registers its importable entity types.
        from bruecke.spreadsheets import entities

        for module in pkgutil.iter_modules(entities.__path__):
            importlib.import_module(f"{entities.__name__}.{module.name}")
