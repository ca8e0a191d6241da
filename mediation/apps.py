from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediation and documents")

    def ready(self):
        from mediation import checks  # noqa: F401  (registers the document font checks)
        from mediation.agreement_documents import AGREEMENT
        from mediation.documents.registry import register

        register(AGREEMENT)

        from casework.timeline.choices import EventKind
        from casework.timeline.models import EVENT_DETAIL_WORDS
        from mediation.choices import outcome_words

        EVENT_DETAIL_WORDS[EventKind.MEDIATION_HELD] = outcome_words
