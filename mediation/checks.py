"""Documents are Chinese, set in fonts that come with the Python dependencies
(mediation/documents/fonts.py), not with the machine; their QR codes point at the public site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

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


@register(Tags.security, deploy=True)
def public_url_configured(app_configs, **kwargs):
    # Without it a document printed in production would carry the address of whatever host
    # the request named: every QR code on paper must reach the real verification page.
    url = settings.ANXIN_PUBLIC_URL
    parts = urlsplit(url)
    if url and parts.scheme in {"http", "https"} and parts.netloc and not parts.path.strip("/"):
        return []
    return [
        Error(
            "ANXIN_PUBLIC_URL is not set (or is not an address like https://anxin.example.gov.cn): "
            "the QR codes and verification links printed on documents would not reach the "
            "public verification page.",
            hint="Set ANXIN_PUBLIC_URL to the site's public address, without a path.",
            id="mediation.E001",
        )
    ]


@register(Tags.security, deploy=True)
def document_signing_key_configured(app_configs, **kwargs):
    # A document signed by the local test CA proves nothing to anyone outside this machine:
    # production signs with the bureau's key and the certificate issued for it.
    from mediation.documents.signing import bureau_signer, signing_config

    if signing_config().local_ca:
        return [
            Error(
                "Documents are signed with the local test certificate authority "
                "(ANXIN_SIGNING_LOCAL_CA): nobody outside this machine can trust their signatures.",
                hint="Set ANXIN_SIGNING_KEY, ANXIN_SIGNING_CERT and ANXIN_SIGNING_CHAIN to the "
                "bureau's signing key, its certificate and the chain up to the root.",
                id="mediation.E002",
            )
        ]
    try:
        signer = bureau_signer()
    except Exception as exc:  # ImproperlyConfigured, unreadable files
        return [
            Error(
                f"The document signing key cannot be used: {exc}",
                hint="Check ANXIN_SIGNING_KEY, ANXIN_SIGNING_CERT, ANXIN_SIGNING_CHAIN and "
                "ANXIN_SIGNING_KEY_PASSPHRASE.",
                id="mediation.E003",
            )
        ]
    if not _key_matches_certificate(signer):
        return [
            Error(
                "ANXIN_SIGNING_KEY is not the key of the certificate in ANXIN_SIGNING_CERT.",
                id="mediation.E003",
            )
        ]
    return []


def _key_matches_certificate(signer) -> bool:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(*spki) == cert.public_key().public_bytes(*spki)
