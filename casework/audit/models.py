from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class ChainEntry(models.Model):
    """One link of the audit chain: a row's canonical content and the hash over it and the
    previous link. `seq` is the commit order (gapless, taken under the chain head's lock)."""

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    table = models.CharField(_("table"), max_length=100)
    row_id = models.CharField(_("row"), max_length=64)
    # Kept so the verifier can name the fields that differ from what was hashed.
    content = models.TextField(_("canonical content"))
    hash = models.CharField(_("hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"))
    # The audit browser's index (casework/supervision/audit_browser): what a supervisor
    # filters history by, taken from the row as it is appended (in the same statement, no
    # query of its own).
    # Not hashed: the chain covers `content`; these only find rows. Empty for rows that are
    # not history rows (timeline events, documents) where a column does not apply.
    action = models.CharField(_("action"), max_length=1, blank=True, default="")
    actor_id = models.BigIntegerField(_("changed by"), null=True)
    case_id = models.BigIntegerField(_("case"), null=True)
    company_id = models.BigIntegerField(_("company"), null=True)
    # The street, park or higher unit the row belongs to (a case's jurisdiction, a team's
    # unit): a supervisor sees the rows of their unit and below.
    unit_id = models.BigIntegerField(_("unit"), null=True)

    class Meta:
        verbose_name = _("audit chain entry")
        verbose_name_plural = _("audit chain entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["table", "row_id"], name="chainentry_row"),
            models.Index(fields=["recorded_at"], name="chainentry_recorded"),
            # Newest first, keyset (recorded_at, seq): one index per filter, each ending in
            # the page's order, so a page of 50 is an index range scan whatever the filter.
            models.Index(
                fields=["-recorded_at", "-seq"],
                condition=~models.Q(action=""),
                name="chainentry_history_new",
            ),
            *(
                models.Index(
                    fields=[column, "-recorded_at", "-seq"],
                    condition=~models.Q(action=""),
                    name=f"chainentry_{name}_new",
                )
                for column, name in (
                    ("unit_id", "unit"),
                    ("actor_id", "actor"),
                    ("case_id", "case"),
                    ("company_id", "company"),
                    ("table", "table"),
                    ("action", "action"),
                )
            ),
        ]

    def __str__(self):
        return f"{self.seq} {self.table}/{self.row_id}"


class ChainHead(models.Model):
    """PostgreSQL: the single row every writer updates (and so locks until it commits) in the
    same statement that appends its links: the last link's number and hash."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self):
        return f"{self.seq} {self.hash}"


class DailyDigest(models.Model):
    """A day's seal (Beijing time): the chain head at the end of the day and the Merkle root
    (RFC 6962) of the day's entries, `first_seq`..`last_seq`. Handed to the city bureau, it
    lets anyone check later that nothing up to `head_seq` changed."""

    day = models.DateField(_("day"), unique=True)
    first_seq = models.BigIntegerField(_("first entry"), null=True)
    last_seq = models.BigIntegerField(_("last entry"), null=True)
    entries = models.PositiveIntegerField(_("entries"))
    head_seq = models.BigIntegerField(_("chain head entry"))
    head_hash = models.CharField(_("chain head hash"), max_length=64)
    merkle_root = models.CharField(_("Merkle root"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("daily audit digest")
        verbose_name_plural = _("daily audit digests")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {self.merkle_root}"
