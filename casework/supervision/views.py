"""The supervisor dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.cases.choices import CaseState
from casework.cases.views.case_pages import load_case_for_staff
from casework.core.errors import CaseNotFound
from casework.core.replica import replica_reads
from casework.supervision.history import case_history_for_user
from casework.supervision.selectors import PERIODS, dashboard_for_user


@login_required
@require_safe
@replica_reads
def dashboard(request):
    period = request.GET.get("period", "month")
    try:
        board = dashboard_for_user(user=request.user, period=period if period in PERIODS else "")
    except CaseNotFound as exc:  # not a supervisor: the page does not exist for them
        raise Http404 from exc
    return render(
        request,
        "casework/dashboard.html",
        {
            "board": board,
            "periods": list(PERIODS.items()),
            "open_states": [(CaseState(state), n) for state, n in board.open_by_state],
            # The queue's own filter for "filed in the period" (dates inclusive).
            "period_query": f"&date_from={board.period.start:%Y-%m-%d}"
            f"&date_to={board.period.today:%Y-%m-%d}"
            if board.period.start
            else "",
        },
    )


@login_required
@require_safe
def case_history(request, case_id: int):
    """Every recorded change of the case, field by field, newest first: staff on the case."""
    case, _roles = load_case_for_staff(request, case_id)
    return render(
        request,
        "casework/case_history.html",
        {"case": case, "history": case_history_for_user(user=request.user, case=case)},
    )
