"""What a platform may read of a worker: the masks live with the personal-data rules
(casework/privacy/masking.py); the portal, the API and webhooks read them from here."""

from casework.privacy.masking import mask_mobile, mask_name, mask_text

__all__ = ["mask_mobile", "mask_name", "mask_text"]
