"""Case management under ``/<tenant>/``. Each part of the case keeps its patterns in its own
module; all share the ``cases`` namespace."""

from django.urls import path

from lotse.cases import urls_documents, urls_monitoring, urls_referrals, urls_substitution
from lotse.cases.views import case, identity, work

app_name = "cases"

urlpatterns = [
    path("cases/", case.case_list, name="list"),
    path("cases/new/", case.case_create, name="create"),
    path("cases/search/", identity.duplicate_check, name="duplicate_check"),
    path("cases/<int:pk>/", case.case_detail, name="detail"),
    path("cases/<int:pk>/edit/", case.case_edit, name="edit"),
    path("cases/<int:pk>/identity/", identity.identity_view, name="identity"),
    path("cases/<int:pk>/identity/edit/", identity.identity_edit, name="identity_edit"),
    path("cases/<int:pk>/identity/erase/", identity.identity_erase, name="identity_erase"),
    path("cases/<int:pk>/household/", identity.household, name="household"),
    path("cases/<int:pk>/household/<int:member>/remove/", identity.household_remove, name="household_remove"),
    path("cases/<int:pk>/assessments/", work.assessment_list, name="assessment_list"),
    path("cases/<int:pk>/assessments/new/", work.assessment_create, name="assessment_create"),
    path("cases/<int:pk>/goals/", work.goal_list, name="goal_list"),
    path("cases/<int:pk>/goals/new/", work.goal_create, name="goal_create"),
    path("cases/<int:pk>/goals/<int:goal>/edit/", work.goal_edit, name="goal_edit"),
    path("cases/<int:pk>/goals/<int:goal>/steps/", work.step_add, name="step_add"),
    path("cases/<int:pk>/goals/steps/<int:step>/done/", work.step_done, name="step_done"),
    path("cases/<int:pk>/goals/plan.pdf", work.goal_plan_pdf, name="goal_plan_pdf"),
    path("cases/<int:pk>/handover/", case.case_handover, name="handover"),
    path("cases/<int:pk>/close/", case.case_close, name="close"),
    path("cases/<int:pk>/closure-decision/", case.closure_decision, name="closure_decision"),
    path("cases/<int:pk>/reopen/", case.case_reopen, name="reopen"),
    path("cases/<int:pk>/assign/", case.case_assign, name="assign"),
    path("caseload/", case.caseload, name="caseload"),
    *urls_monitoring.urlpatterns,
    *urls_referrals.urlpatterns,
    *urls_documents.urlpatterns,
    *urls_substitution.urlpatterns,
]
