from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from casework.audit import views as audit_views
from casework.cases.views import case_pages as cases
from casework.clocks import views as clocks
from casework.duplicates import views as duplicates
from casework.groups import views as groups
from casework.intake import views as intake
from casework.merging import views as merging
from casework.notifications import views as inbox
from casework.organisation.views import pages, signin
from casework.privacy import views as privacy_views
from casework.queues import views as queues
from casework.ratings import views as ratings
from casework.supervision import measure_views
from casework.supervision import views as dashboard_views
from casework.supervision.audit_browser import views as audit_browser_views

app_name = "casework"

urlpatterns = [
    path("", pages.landing, name="landing"),
    path("home/", pages.home, name="home"),
    path("language/", pages.set_language, name="set_language"),
    path("sign-in/", signin.worker_sign_in, name="worker_sign_in"),
    path("sign-in/code/", signin.worker_sign_in_code, name="worker_sign_in_code"),
    path("staff/sign-in/", signin.staff_sign_in_view, name="staff_sign_in"),
    path("sign-out/", signin.sign_out, name="sign_out"),
    path("notifications/", inbox.inbox, name="inbox"),
    path("notifications/since/", inbox.since, name="inbox_since"),
    path("notifications/read-all/", inbox.mark_all_read, name="inbox_read_all"),
    path("notifications/<id:notification_id>/read/", inbox.mark_read, name="inbox_read"),
    path("notifications/<id:notification_id>/open/", inbox.open_notification, name="inbox_open"),
    # Workers
    path("complaints/new/", intake.intake_start, name="intake_start"),
    path("complaints/new/<id:step>/", intake.intake_step, name="intake_step"),
    path("cases/", cases.my_cases, name="my_cases"),
    path("cases/<id:case_id>/receipt/", intake.receipt, name="receipt"),
    path("cases/<id:case_id>/withdraw/", cases.case_withdraw_view, name="case_withdraw"),
    path("cases/<id:case_id>/message/", cases.case_message_view, name="case_message"),
    path("cases/<id:case_id>/rate/", ratings.case_rate_view, name="case_rate"),
    # Both
    path("cases/<id:case_id>/", cases.case_detail, name="case_detail"),
    path(
        "cases/<id:case_id>/evidence/<id:evidence_id>/",
        cases.evidence_file,
        name="evidence_file",
    ),
    # Staff
    path("work/", queues.queue, name="queue"),
    path("work/bulk/", queues.queue_bulk, name="queue_bulk"),
    path("work/file/", intake.staff_intake, name="staff_intake"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("satisfaction/", ratings.satisfaction, name="satisfaction"),
    path(
        "satisfaction/reviews/<id:review_id>/call-back/",
        ratings.review_callback_view,
        name="review_callback",
    ),
    path(
        "satisfaction/reviews/<id:review_id>/close/",
        ratings.review_close_view,
        name="review_close",
    ),
    path("cases/<id:case_id>/merge/", merging.case_merge_start, name="case_merge"),
    path(
        "cases/<id:case_id>/merge/into/<id:survivor_id>/",
        merging.case_merge_preview,
        name="case_merge_preview",
    ),
    path("cases/<id:case_id>/split/", merging.case_split_view, name="case_split"),
    path("dashboard/measures/", measure_views.measures, name="dashboard_measures"),
    path(
        "dashboard/measures/<slug:chart>.<slug:fmt>",
        measure_views.download,
        name="dashboard_download",
    ),
    path("dashboard/report/", measure_views.monthly_report, name="dashboard_report"),
    path("work/export.<slug:fmt>", measure_views.case_export, name="case_export"),
    path("companies/export.<slug:fmt>", measure_views.company_export, name="company_export"),
    path("audit/digests/", audit_views.digest_list, name="audit_digests"),
    path("audit/digests/<str:day>/", audit_views.digest_detail, name="audit_digest"),
    path("audit/digests/<str:day>/json/", audit_views.digest_export, name="audit_digest_json"),
    path("cases/<id:case_id>/do/<slug:name>/", cases.case_transition_view, name="case_transition"),
    path("cases/<id:case_id>/assign/", cases.case_assign_view, name="case_assign"),
    path("cases/<id:case_id>/actions/", cases.case_actions_panel, name="case_actions_panel"),
    path("cases/<id:case_id>/notes/", cases.case_note_view, name="case_note"),
    path("cases/<id:case_id>/group/", groups.group_cases_view, name="case_group"),
    path("cases/<id:case_id>/related/", groups.case_related, name="case_related"),
    path("cases/<id:case_id>/duplicates/", duplicates.case_duplicates, name="case_duplicates"),
    path("cases/<id:case_id>/history/", dashboard_views.case_history, name="case_history"),
    path("cases/<id:case_id>/show/<slug:field>/", privacy_views.reveal, name="case_reveal"),
    path("audit/", audit_browser_views.audit_browser, name="audit_browser"),
    path("audit/export.csv", audit_browser_views.audit_export, name="audit_export"),
    path("audit/access/", audit_browser_views.access_log, name="audit_access_log"),
    path("groups/<id:group_id>/", groups.group_detail, name="group_detail"),
    path("groups/<id:group_id>/<slug:action>/", groups.group_action_view, name="group_action"),
    path("cases/<id:case_id>/clocks/<slug:action>/", clocks.case_clock_action, name="case_clock"),
    path(
        "cases/<id:case_id>/deadlines/<id:deadline_id>/extend/",
        clocks.deadline_extend_view,
        name="deadline_extend",
    ),
    path(
        "cases/<id:case_id>/extensions/<id:extension_id>/approve/",
        clocks.extension_approve_view,
        name="extension_approve",
    ),
    path(
        "cases/<id:case_id>/extensions/<id:extension_id>/refuse/",
        clocks.extension_refuse_view,
        name="extension_refuse",
    ),
]
