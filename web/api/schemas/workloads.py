"""The body of a workload's (VM's) create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.bounds import MAX_DISK_GB, MAX_RAM_GB, MAX_VCPU
from cmdb.choices import Status
from web.api.schemas.write import WriteSchema, choice, integer, number, positive, ref, tags, text


class WorkloadWriteSchema(WriteSchema):
    information_system_id = ref("information system it runs", required=True)
    name = text(100, required=True)
    vcpu = integer(1, MAX_VCPU, required=True)
    ram_gb = positive(MAX_RAM_GB, required=True)
    disk_gb = number(0, MAX_DISK_GB)
    management_address = text(80, nullable=True)
    cluster_id = ref("cluster it runs on", required=True)
    storage_pool_id = ref("storage pool of its disks", nullable=True)
    status = choice(Status)
    tags = tags()
