"""The bounds of every quantity Headroom takes in (DESIGN §6): finite and within physical sense.

One place for the numbers, so the API's write schemas, the request document, the
samples and the OpenAPI document generated from them agree. A value outside is
a 400 on its field: one absurd figure stored (a pool of 1e300 TB, a sample of
1e300) would otherwise break the dashboard and every evaluation for everyone.
The bounds are generous — a hundred times what a provincial DC holds — so no
real value meets them.
"""

from __future__ import annotations

from datetime import date

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1

# Planning ceilings are percents of capacity (``ceiling_pct``), as the columns store
# them. A value of 1 or less reads as a fraction (0.85 for 85 %): refused, not misread.
CEILING_MIN_PCT = 1  # exclusive
CEILING_MAX_PCT = 100
CEILING_FRACTION_MESSAGE = (
    "a percent of capacity, above 1 and at most 100: {value} reads as a fraction; send {percent:g}"
)
CEILING_RANGE_MESSAGE = "a percent of capacity, above 1 and at most 100"

MAX_RATIO = 64  # vCPU (or GB of RAM) allocated per physical one
MAX_CORES = 4096  # in one server
MAX_TAGS = 50  # on one device or VM
MAX_TAG_LENGTH = 100  # NetBox's tag slug
TAG_PATTERN = r"^[a-z0-9_-]+$"  # a tag slug: the inventory's ``tag_<slug>`` group name
MAX_VCPU = 1024  # in one VM
MAX_RAM_GB = 65_536  # 64 TB: in one server or one VM
MAX_DEVICE_TB = 100_000  # 100 PB of raw storage in one device
MAX_POOL_TB = 1_000_000  # 1 EB in one storage pool
MAX_DISK_GB = 1_000_000  # 1 PB of disks of one VM
MAX_RATE_MBPS = 10_000_000  # 10 Tbit/s: a link, a port, a site's or the DC's bandwidth
MAX_STORAGE_TB = MAX_POOL_TB  # a request's storage beyond its VMs' disks
MAX_RACK_KW = 1000
MAX_HA_HOSTS = 1000
MAX_VM_COUNT = 10_000  # identical VMs of one role in a request
MAX_COST_VND = 10**15  # a project's own hardware cost (about 40 billion USD)
MAX_SAMPLE_VALUE = 10**9  # in the series' unit (Mbps, GB, TB, vCPU, %): past any real DC

# Dates: go-live no further ahead than this many years; samples within a fixed window.
MAX_GO_LIVE_YEARS = 30
SAMPLE_FIRST_DAY = date(2000, 1, 1)
SAMPLE_LAST_DAY = date(2099, 12, 31)
