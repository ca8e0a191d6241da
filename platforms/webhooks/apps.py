from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed HTTPS callbacks to the platforms' own systems (issue 15, item 5)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "platforms.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # The timeline tells its listeners of new entries; casework never imports platforms.
        from casework.timeline.events import listen
        from platforms.webhooks.emit import on_timeline_entries

        listen(on_timeline_entries)
