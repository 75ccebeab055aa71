"""URL configuration of funding control (under ``/<tenant>/funding/``)."""

from django.urls import path

from lotse.funding import views, views_proof

app_name = "funding"
urlpatterns = [
    path("", views.overview, name="overview"),
    # programmes and flat rates
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/rates/", views.programme_rates, name="programme_rates"),
    # positions
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    # payment calls
    path("payments/", views.payment_list, name="payment_list"),
    path("payments/new/", views.payment_create, name="payment_create"),
    path("payments/<int:pk>/", views.payment_edit, name="payment_edit"),
    path("payments/<int:pk>/delete/", views.payment_delete, name="payment_delete"),
    # base rates and repayment claims with interest
    path("base-rates/", views.base_rate_list, name="base_rate_list"),
    path("base-rates/<int:pk>/delete/", views.base_rate_delete, name="base_rate_delete"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    # proof of use (Verwendungsnachweis)
    path("proofs/", views_proof.proof_list, name="proof_list"),
    path("proofs/new/", views_proof.proof_create, name="proof_create"),
    path("proofs/consolidated/", views_proof.proof_consolidated, name="proof_consolidated"),
    path("proofs/consolidated.pdf", views_proof.proof_consolidated_pdf, name="proof_consolidated_pdf"),
    path("proofs/consolidated.xlsx", views_proof.proof_consolidated_xlsx, name="proof_consolidated_xlsx"),
    path("proofs/<int:pk>/", views_proof.proof_detail, name="proof_detail"),
    path("proofs/<int:pk>/edit/", views_proof.proof_edit, name="proof_edit"),
    path("proofs/<int:pk>/claim/", views_proof.proof_claim, name="proof_claim"),
    path("proofs/<int:pk>/delete/", views_proof.proof_delete, name="proof_delete"),
    path("proofs/<int:pk>/proof.pdf", views_proof.proof_pdf, name="proof_pdf"),
    path("proofs/<int:pk>/proof.xlsx", views_proof.proof_xlsx, name="proof_xlsx"),
]
