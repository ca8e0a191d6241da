"""The collective contract as a PDF document of the documents pipeline (mediation/documents).

The pipeline calls build_context off the request path, checks can_download before serving the
file, and shows public_summary on its public verification page: so the summary carries no
personal data (no representative's name), only what the contract is and whether it is in force.
"""

from itertools import zip_longest

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from mediation.contracts.choices import Side
from mediation.contracts.parameters import chinese_date
from mediation.contracts.rendering import render_chapters
from mediation.documents.registry import DocumentKind, kind_for, register

KIND_KEY = "collective_contract"
TEMPLATE_NAME = "documents/collective_contract.html"
# 2: the filing annex (rounds, congress vote); 3: the Noto fonts; 4: the enterprises that bear
# the duties of an industry contract, the annex no longer copied into the title
TEMPLATE_VERSION = "4"


def build_context(subject) -> dict:
    from mediation.contracts.models import CollectiveContract

    contract = (
        CollectiveContract.objects.select_related("company", "region")
        .prefetch_related("representatives", "clauses__template")
        .get(pk=subject.pk)
    )
    people = sorted(contract.representatives.all(), key=lambda p: (not p.is_chief, p.pk))
    workers = [p for p in people if p.side == Side.WORKERS]
    employer = [p for p in people if p.side == Side.EMPLOYER]
    latest = contract.versions.order_by("-number").only("number").first()
    return {
        "contract": contract,
        "chapters": render_chapters(contract, list(contract.clauses.all())),
        "workers": workers,
        "employer": employer,
        "representative_rows": list(zip_longest(workers, employer)),
        "workers_chief": next((p for p in workers if p.is_chief), None),
        "employer_chief": next((p for p in employer if p.is_chief), None),
        "scope_text": contract.scope_text_zh,
        "duty_bearer": contract.duty_bearer_zh,
        "term_text": f"{chinese_date(contract.term_start)}至{chinese_date(contract.term_end)}",
        "signed_text": chinese_date(contract.signed_on) if contract.signed_on else "",
        "filed_text": chinese_date(contract.filed_on) if contract.filed_on else "",
        "in_force_text": chinese_date(contract.in_force_on) if contract.in_force_on else "",
        "version_number": latest.number if latest else None,
        # the filing package (集体合同规定 §42): minutes of every round, the congress vote
        "rounds": list(contract.rounds.order_by("number")),
        "vote": contract.votes.filter(passed=True).order_by("-held_at").first(),
    }


def can_download(user, subject) -> bool:
    from mediation.contracts.access import contract_access

    return contract_access(user).sees(subject)


def can_request(user, subject) -> bool:
    from mediation.contracts.access import contract_access

    return contract_access(user).can_keep(subject)


def title(subject) -> str:
    return f"集体合同 {subject.title}"[:200]


def public_summary(subject) -> dict:
    return {
        "kind": "集体合同",
        "title": subject.title,
        "covers": subject.scope_text_zh,
        "term": f"{subject.term_start:%Y-%m-%d} – {subject.term_end:%Y-%m-%d}",
        "state": str(subject.state_label),
    }


def register_document_kind() -> None:
    """Register the contract as a kind of the documents pipeline (ContractsConfig.ready)."""
    register(
        DocumentKind(
            key=KIND_KEY,
            label=_("Collective contract"),
            template_name=TEMPLATE_NAME,
            template_version=TEMPLATE_VERSION,
            build_context=build_context,
            can_download=can_download,
            public_summary=public_summary,
            title=title,
            can_request=can_request,
        )
    )


def pdf_available() -> bool:
    """Whether the contract page may offer the PDF: the pipeline and its status partial exist
    and the kind is registered."""
    try:
        kind_for(KIND_KEY)
        get_template("documents/_status.html")
    except (LookupError, TemplateDoesNotExist):
        return False
    return True
