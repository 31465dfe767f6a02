"""NetBox as a source: read it (pynetbox), map it, plan against the inventory, apply once.

``client`` speaks to NetBox, ``mapping*``/``values``/``plan``/``report`` are pure,
``inventory`` reads and ``apply`` writes the database, ``sync`` is the use case and
``push`` the opt-in write-back of what SNMP found and NetBox lacks.
"""
