"""Part of the cases URL configuration (see lotse/cases/urls.py): referrals of a case."""

from django.urls import path

from lotse.cases.views import referrals

urlpatterns = [
    path("cases/<int:pk>/referrals/", referrals.referral_list, name="referral_list"),
    path("cases/<int:pk>/referrals/new/", referrals.referral_create, name="referral_create"),
    path("cases/<int:pk>/referrals/<int:referral>/status/", referrals.referral_update, name="referral_update"),
]
