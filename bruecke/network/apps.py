from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "bruecke.network"
    label = "network"
    verbose_name = "Network"
