from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("Platforms and employers")

    def ready(self):
        # Representatives' notifications and texts lead to the portal's page of the case.
        from casework.notifications.rendering import OTHER_CASE_PAGES
        from platforms.portal.selectors import portal_case_paths

        OTHER_CASE_PAGES.append(portal_case_paths)
