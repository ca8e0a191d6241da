"""`manage.py signing_setup`: make the local test certificate authority that signs documents
in the embedded default (`make run` calls it on every start; it acts only the first time)."""

from django.core.management.base import BaseCommand

from mediation.documents.signing import ensure_local_ca, signing_config


class Command(BaseCommand):
    help = (
        "Create the local test certificate authority and the document signing key under "
        "var/signing/ when the embedded default uses them and they are missing."
    )

    def handle(self, *args, **options):
        config = signing_config()
        made = ensure_local_ca()
        if made is not None:
            self.stdout.write(
                f"Documents are signed with a local test certificate authority, created now in "
                f"{made}/ (for development only; production sets ANXIN_SIGNING_KEY, "
                "ANXIN_SIGNING_CERT and ANXIN_SIGNING_CHAIN)."
            )
        elif options["verbosity"] > 1:
            self.stdout.write(f"Documents are signed with {config.files.cert}.")
