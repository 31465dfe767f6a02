"""``POST /api/v1/samples/``: bulk ingest of samples from external collectors.

All or nothing, at most ``MAX_BATCH`` points (413 beyond), idempotent on
(series, time); a changed value for a stored time replaces it (see
``cmdb.services.sample_ingest``). Errors are keyed by point and field:
``[3].value``.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import abort

from cmdb.errors import ValidationError
from cmdb.services.sample_ingest import ingest_samples
from web.api.body import json_document
from web.api.resources import SAMPLES
from web.api.schemas.samples import (
    MAX_BATCH,
    IngestResultSchema,
    SamplePointSchema,
    parse_points,
)
from web.api.transaction import unit_of_work
from web.auth.identity import actor
from web.retention import raw_retention_start

blp = SAMPLES.blueprint


@blp.document_body(
    SamplePointSchema(many=True), f"A list of at most {MAX_BATCH:,} samples (a JSON array)"
)
@blp.response(200, IngestResultSchema)
@blp.errors(400, 413)
def ingest() -> dict[str, Any]:
    """Store samples sent by a collector; re-sending the same ones stores nothing new.

    A point is `{series, at, value}`; `series` is a series id or `{resource_type,
    resource_id, metric}` (created on first use). A stored time sent with another
    value replaces it (last write wins). The hourly and daily rollups of the days
    touched are recomputed, so forecasts see the new data.
    """
    document = json_document()
    if not isinstance(document, list):
        abort(400, message="send a JSON array of samples", errors={"_schema": ["not a list"]})
    if len(document) > MAX_BATCH:
        abort(413, message=f"at most {MAX_BATCH:,} samples per request; got {len(document):,}")
    points, errors = parse_points(document)
    if errors:
        raise ValidationError(errors, "some samples are invalid")
    with unit_of_work() as session:
        result = ingest_samples(session, points, actor=actor(), not_before=raw_retention_start())
    return result.to_dict()
