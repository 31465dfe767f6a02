"""The audit: where NetBox, the network (SNMP), the hosts (Ansible) and people disagree.

``records`` holds what each source said of one record (plain data), ``compare`` turns
it into findings (pure), ``load`` reads it from the database in a fixed number of
queries, ``apply`` turns findings into discrepancies and settles the ones that no
longer hold, and ``run`` records the whole as a ``DiscoveryRun`` of kind ``audit``.
"""
