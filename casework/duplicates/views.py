"""The case page's panel of possible duplicates: open cases of the same person that look
like the same grievance, with how alike they are and what differs. Merging them is another
page's (it links to the candidate's case page until then)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.cases.views.case_pages import load_case_for_staff
from casework.duplicates.finder import duplicates_of_case


@login_required
@require_safe
def case_duplicates(request, case_id: int):
    """`?panel=1` answers the fragment the case page shows; otherwise a whole page."""
    case, _roles = load_case_for_staff(request, case_id)
    context = {
        "case": case,
        "candidates": duplicates_of_case(case, visible_to=request.user),
    }
    if request.GET.get("panel") == "1":
        return render(request, "casework/partials/duplicates.html", context)
    return render(request, "casework/case_duplicates.html", context)
