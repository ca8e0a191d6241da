"""What each status means to a worker, and what happens next, in plain words."""

from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState as S

WORKER_STATUS = {
    S.SUBMITTED: (
        _("We have received your complaint."),
        _("A coordinator will check it and decide whether to accept it within 5 working days."),
    ),
    S.ACCEPTED: (
        _("Your complaint has been accepted."),
        _("A coordinator will now check the facts with you and the employer."),
    ),
    S.VERIFYING: (
        _("We are checking the facts."),
        _("We may call you or ask for more evidence. You can add screenshots below."),
    ),
    S.AWAITING_RESPONSE: (
        _("We have asked the employer to respond."),
        _("The platform or company must answer; we will tell you what they say."),
    ),
    S.MEDIATING: (
        _("Mediation is under way."),
        _("A mediator helps you and the employer agree. Mediation takes at most 15 days."),
    ),
    S.AGREEMENT_REACHED: (
        _("An agreement has been reached."),
        _("The employer must pay as agreed. Tell us if a payment does not arrive."),
    ),
    S.MEDIATION_FAILED: (
        _("Mediation did not lead to an agreement."),
        _("We will pass your case to arbitration or labour inspection and tell you how."),
    ),
    S.REFERRED: (
        _("Your case has been passed to another authority."),
        _("Their reference number is shown below; they will contact you."),
    ),
    S.RESOLVED: (
        _("Your case is resolved."),
        _("If something is still wrong, send us a message."),
    ),
    S.NOT_ACCEPTED: (
        _("Your complaint was not accepted."),
        _("The reason is shown below. You can file again with more information."),
    ),
    S.TRANSFERRED: (
        _("Your complaint was sent to the authority responsible for it."),
        _("They will contact you; the reason is shown below."),
    ),
    S.WITHDRAWN: (_("You withdrew this complaint."), _("Nothing more will happen on it.")),
    S.CLOSED: (_("This case is closed and archived."), _("Thank you for using Anxin.")),
}
