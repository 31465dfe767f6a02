"""Capacity of the data centre: pools and links, forecasts, request verdicts, expansion.

Pure computation over plain dataclasses (DESIGN.md §3, §6): nothing here reads the
database or the network. One adapter builds an :class:`~capacity.snapshot.Inventory`
and the reservations; :func:`~capacity.evaluate.evaluate_request` answers a
:class:`~capacity.request.Request`; :func:`~capacity.status.compute_resource_status`
is the capacity report.
"""

from capacity.evaluate import Evaluation, compute_reservations, evaluate_request
from capacity.expansion import Catalogue, LinkTier, ServerModel, StorageShelf
from capacity.forecast import (
    Forecast,
    at_risk_from,
    compute_weekly_peaks,
    forecast_many,
    forecast_series,
    time_to_exhaustion,
)
from capacity.model import ClusterSpec, HostSpec, LinkSpec, StoragePoolSpec
from capacity.request import DcBandwidth, Request, SiteBandwidth, Workload
from capacity.snapshot import ClusterState, Inventory, LinkState, Reservation, StoragePoolState
from capacity.status import ResourceStatus, compute_resource_status

__all__ = [
    "Catalogue",
    "ClusterSpec",
    "ClusterState",
    "DcBandwidth",
    "Evaluation",
    "Forecast",
    "HostSpec",
    "Inventory",
    "LinkSpec",
    "LinkState",
    "LinkTier",
    "Request",
    "Reservation",
    "ResourceStatus",
    "ServerModel",
    "SiteBandwidth",
    "StoragePoolSpec",
    "StoragePoolState",
    "StorageShelf",
    "Workload",
    "at_risk_from",
    "compute_reservations",
    "compute_resource_status",
    "compute_weekly_peaks",
    "evaluate_request",
    "forecast_many",
    "forecast_series",
    "time_to_exhaustion",
]
