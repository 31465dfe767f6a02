"""The action layer: every write of the API, the UI and the CLI goes through here.

An action checks that its caller may act (``policy``: the roles and the visibility
rules, declared once), opens the unit of work (``unit``: one transaction, the change
log attributed to the caller), does the work and commits once. The interfaces build
the caller and the unit of work and render what comes back; they decide nothing
(DESIGN §3). Actions that need the capacity engine live beside it
(``capacity.request_actions``): cmdb imports none of the other packages.
"""
