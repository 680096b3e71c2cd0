from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bruecke.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Fail at start-up, not at the first encrypted read, if the keys are malformed.
        from bruecke.core.crypto import keyring

        keyring()
