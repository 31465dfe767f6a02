"""Marshmallow schemas of the API's responses and parameters (the OpenAPI document's
components). Request *documents* are validated by ``cmdb.schemas``."""
