from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    """Collective contracts (集体合同) for a platform or a regional industry."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mediation.contracts"
    label = "contracts"
    verbose_name = _("Collective contracts")

    def ready(self):
        # The PDF is one kind of the documents pipeline.
        from mediation.contracts.documents import register_document_kind

        register_document_kind()
