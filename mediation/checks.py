"""Documents are Chinese, set in fonts that come with the Python dependencies
(mediation/documents/fonts.py), not with the machine."""

from django.core.checks import Info, Warning, register

from mediation.documents.fonts import FONT_PACKAGE, missing_fonts


@register()
def document_fonts_installed(app_configs, **kwargs):
    missing = missing_fonts()
    if not missing:
        return []
    return [
        Warning(
            f"The document fonts are missing ({', '.join(missing)}): PDF documents cannot be "
            "rendered.",
            hint=f"Install the project's dependencies (they include {FONT_PACKAGE}).",
            id="mediation.W003",
        )
    ]


@register()
def fast_font_subsetting(app_configs, **kwargs):
    # Without libharfbuzz-subset WeasyPrint subsets the two 30,000-glyph Noto fonts with
    # fontTools: every PDF still comes out right, but takes seconds instead of a fraction.
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is not None:
        return []
    return [
        Info(
            "HarfBuzz-Subset is not installed: each PDF document takes several seconds to render.",
            hint="Install HarfBuzz-Subset 4.1 or later (Debian: libharfbuzz-subset0).",
            id="mediation.I001",
        )
    ]
