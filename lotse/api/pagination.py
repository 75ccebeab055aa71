"""Page-number pagination with a bounded page size (``?page=2&page_size=100``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole(raw: str) -> bool:
    """ASCII digits only: ``str.isdigit`` is true for "²" too, which ``int`` refuses."""
    return raw.isascii() and raw.isdigit()


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    page_size = settings.API_PAGE_SIZE

    def get_page_size(self, request: Any) -> int:
        """A page size that is not a whole number from 1 to the maximum is a 400, never silently
        the default."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _whole(raw) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Give a whole number from 1 to %d.") % self.max_page_size
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_page_number(self, request: Any, paginator: Any) -> int:
        """The schema says a whole number from 1: an empty, negative or other value is a 400
        (DRF read an empty one as page 1). A page after the last stays a 404."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not _whole(raw) or int(raw) < 1:
            raise ValidationError({self.page_query_param: [_("Give a whole number from 1.")]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 1
            if param["name"] == self.page_size_query_param:
                param["schema"]["maximum"] = self.max_page_size
        return params
