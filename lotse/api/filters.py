"""Filtering and ordering from whitelisted query parameters. A view names a serializer of its
filter parameters (``filter_serializer``) and applies the validated values itself
(``apply_filters``); a wrong value answers 400 with the reason, an unknown parameter is ignored.
A known parameter given twice answers 400 too: the schema states single values."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.request import Request

# parameters of every list besides the view's filters (pagination and ordering)
LIST_PARAMETERS = ("page", "page_size", "ordering")

_TYPES = {
    serializers.IntegerField: "integer",
    serializers.BooleanField: "boolean",
}


class QueryFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filter_class = getattr(view, "filter_serializer", None)
        if getattr(view, "action", None) != "list":
            return queryset
        known = [*LIST_PARAMETERS, *(filter_class().fields if filter_class else ())]
        twice = {
            name: [_("Give this parameter only once.")] for name in known if len(request.query_params.getlist(name)) > 1
        }
        if twice:
            raise ValidationError(twice)
        if filter_class is None:
            return queryset
        data = {k: v for k, v in request.query_params.items() if k in filter_class().fields}
        serializer = filter_class(data=data)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
        return view.apply_filters(queryset, values)  # type: ignore[no-any-return]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        filter_class = getattr(view, "filter_serializer", None)
        if filter_class is None:
            return []
        params = []
        for name, field in filter_class().fields.items():
            schema: dict[str, Any] = {"type": "string"}
            if isinstance(field, serializers.ChoiceField):
                schema = {"type": "string", "enum": sorted(str(c) for c in field.choices)}
            elif isinstance(field, serializers.DateField):
                schema = {"type": "string", "format": "date"}
            elif isinstance(field, serializers.IntegerField):
                schema = {"type": "integer"}
                if field.min_value is not None:
                    schema["minimum"] = field.min_value
                if field.max_value is not None:
                    schema["maximum"] = field.max_value
            elif isinstance(field, serializers.BooleanField):
                schema = {"type": "boolean"}
            elif isinstance(field, serializers.CharField):
                # no NUL characters (refused with 400 like in every text field)
                schema = {"type": "string", "pattern": "^[^\\u0000]*$"}
                if field.max_length:
                    schema["maxLength"] = field.max_length
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": str(field.help_text or ""),
                    "schema": schema,
                }
            )
        return params


class Ordering(OrderingFilter):
    """``?ordering=-opened_on`` over the view's ``ordering_fields`` only."""

    def get_default_ordering(self, view: Any) -> Any:
        return getattr(view, "ordering", None)
