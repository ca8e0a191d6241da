from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "platforms.risk"
    label = "risk"
    verbose_name = _("Employer risk")

    def ready(self):
        # A move to red notifies the district's supervisors: the inbox puts it into words and
        # links it to the company's risk page through these.
        from casework.notifications.rendering import KIND_PAGES, KIND_WORDS
        from platforms.risk.notices import RISK_RED, risk_notice_page, risk_notice_words

        KIND_WORDS[RISK_RED] = risk_notice_words
        KIND_PAGES[RISK_RED] = risk_notice_page
