"""The template engine's setting: Django's templates, with the answers that cannot change
while the process runs kept in it (casework/templatetags/kept_urls.py and kept_i18n.py)."""

from pathlib import Path


def templates_setting(base_dir: Path) -> list[dict]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [base_dir / "templates"],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.template.context_processors.i18n",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                    "casework.notifications.context_processors.notifications",
                ],
                # Answers kept per process: {% url %}, {% translate "literal" %} (templatetags/)
                "builtins": ["casework.templatetags.kept_urls"],
                "libraries": {"i18n": "casework.templatetags.kept_i18n"},
            },
        },
    ]
