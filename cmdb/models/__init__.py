"""The inventory model; importing this package registers every table on ``Base``."""

from cmdb.models.audit import ChangeLog
from cmdb.models.capacity import CapacityReservation, ForecastCache
from cmdb.models.dcim import Device, Interface, Rack
from cmdb.models.discovery import DiscoveryRun, Discrepancy, Observation
from cmdb.models.geo import AdminUnit, Agency, Site
from cmdb.models.links import Link
from cmdb.models.metrics import Sample, SampleDaily, SampleHourly, Series
from cmdb.models.pools import Cluster, StoragePool
from cmdb.models.requests import RequestEvaluation, ResourceRequest
from cmdb.models.source import RecordSource
from cmdb.models.systems import InformationSystem, Workload
from cmdb.models.users import ApiToken, User

__all__ = [
    "AdminUnit",
    "Agency",
    "ApiToken",
    "CapacityReservation",
    "ChangeLog",
    "Cluster",
    "Device",
    "DiscoveryRun",
    "Discrepancy",
    "ForecastCache",
    "InformationSystem",
    "Interface",
    "Link",
    "Observation",
    "Rack",
    "RecordSource",
    "RequestEvaluation",
    "ResourceRequest",
    "Sample",
    "SampleDaily",
    "SampleHourly",
    "Series",
    "Site",
    "StoragePool",
    "User",
    "Workload",
]
