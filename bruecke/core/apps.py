from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bruecke.core"
    label = "core"
    verbose_name = "Core"
