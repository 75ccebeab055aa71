"""Quality-circle URLs (included by lotse/committees/urls.py, same namespace)."""

from django.urls import path

from lotse.committees import views_review

urlpatterns = [
    path("meetings/<int:pk>/review/", views_review.review_list, name="review_list"),
    path("meetings/<int:pk>/review/add/", views_review.review_add, name="review_add"),
    path("meetings/<int:pk>/review/<int:review>/", views_review.review_case, name="review_case"),
    path("meetings/<int:pk>/review/<int:review>/remove/", views_review.review_remove, name="review_remove"),
]
