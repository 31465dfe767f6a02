"""The inventory model; importing this package registers every table on ``Base``."""

from cmdb.models.audit import ChangeLog
from cmdb.models.capacity import CapacityReservation, ForecastCache
from cmdb.models.catalogue import CatalogueItem
from cmdb.models.dcim import Device, Interface, Rack
from cmdb.models.discovery import DiscoveryResult, DiscoveryRun, Discrepancy, Observation
from cmdb.models.geo import AdminUnit, Agency, Site
from cmdb.models.history import SiteHistory
from cmdb.models.links import Link, NetworkSetting
from cmdb.models.metrics import Sample, SampleDaily, SampleHourly, Series
from cmdb.models.polling import PollState
from cmdb.models.pools import Cluster, StoragePool
from cmdb.models.requests import RequestEvaluation, ResourceRequest
from cmdb.models.source import RecordSource
from cmdb.models.systems import InformationSystem, Workload
from cmdb.models.users import ApiToken, LoginFailure, User

__all__ = [
    "AdminUnit",
    "Agency",
    "ApiToken",
    "CapacityReservation",
    "CatalogueItem",
    "ChangeLog",
    "Cluster",
    "Device",
    "DiscoveryResult",
    "DiscoveryRun",
    "Discrepancy",
    "ForecastCache",
    "InformationSystem",
    "Interface",
    "Link",
    "LoginFailure",
    "NetworkSetting",
    "Observation",
    "PollState",
    "Rack",
    "RecordSource",
    "RequestEvaluation",
    "ResourceRequest",
    "Sample",
    "SampleDaily",
    "SampleHourly",
    "Series",
    "Site",
    "SiteHistory",
    "StoragePool",
    "User",
    "Workload",
]
