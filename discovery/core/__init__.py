"""The discovery core (DESIGN.md §3, §5): one observation shape, one identity rule, one plan.

Sources (SNMP, NetBox, Ansible facts) are adapters that turn what they read into
``observations.Observation``; ``planner.plan_observations`` compares them with a plain
``known.Snapshot`` of the inventory and returns a ``plan.Plan``; one writer applies it.
Everything here but the writer is pure: no database, no network. See README.md.
"""
