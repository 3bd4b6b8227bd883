"""What OPTIONS answers on every API route: the methods and media types, no field listing.

DRF's SimpleMetadata describes the input by instantiating the view's serializer for each write
method, which failed on views whose serializers need context (a server error) and would describe
answers as if they were inputs. The OpenAPI schema (/api/v1/schema/) describes every endpoint.
"""

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class MethodsOnlyMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: "APIView") -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
