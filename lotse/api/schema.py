"""OpenAPI schema (drf-spectacular): every operation documents its error answers too, so
clients (and schemathesis) know 400, 401, 403, 404 and 409 with their JSON body."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes

ERRORS = {
    "400": "Bad input: the body names each wrong field and the reason.",
    "401": "No valid token: missing, wrong, expired or revoked.",
    "403": "The token's role may not do this.",
    "404": "Not found, or outside what the token may see.",
    "409": "Conflict: the record changed meanwhile (send the current version) or it is frozen.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["401", "403"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "409"]
        if self.method in ("GET",):
            codes += ["400"]
        codes += ["404"]  # an object outside the token's scope, also one named in a body
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(OpenApiTypes.OBJECT, code, direction=direction)
                response["description"] = ERRORS[code]
                responses[code] = response
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lotse.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "http", "scheme": "bearer", "description": "An API token of your own (page “API tokens”)."}
