from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bruecke.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Fail at start-up, not at the first encrypted read, if the keys are malformed.
        from bruecke.core import checks  # noqa: F401  (registers the deployment checks)
        from bruecke.core.crypto import keyring

        keyring()
