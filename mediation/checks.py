"""Documents are Chinese: without a CJK font WeasyPrint prints boxes (STACK-NOTES.md)."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def cjk_font_installed(app_configs, **kwargs):
    if shutil.which("fc-list") is None:
        return [Warning("fc-list not found: cannot check for a CJK font.", id="mediation.W001")]
    found = subprocess.run(  # noqa: S603
        [shutil.which("fc-list"), ":lang=zh", "family"], capture_output=True, text=True, timeout=10
    ).stdout.strip()
    if found:
        return []
    return [
        Warning(
            "No Chinese font is installed: PDF documents would show empty boxes.",
            hint="apt-get install fonts-wqy-zenhei (or fonts-noto-cjk).",
            id="mediation.W002",
        )
    ]
