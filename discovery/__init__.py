"""Talks to the sources that describe the DC (SNMP now; NetBox and Ansible facts later).

Protocol code fills plain records (``records``); ``reconcile`` turns them into a
plan of inventory changes without touching the database; ``apply`` is the one
place that writes the plan. See DESIGN.md §3 and §5.
"""
