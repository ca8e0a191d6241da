"""Admin of the mediation app: document numbering (mediation/documents/admin.py)."""

import mediation.documents.admin  # noqa: F401 (registers its models)
