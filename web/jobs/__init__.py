"""Background jobs: discovery, polling and NetBox sync started through the API or the UI.

A job is a ``DiscoveryRun`` first (status queued, its parameters, who asked),
made in the request's transaction; then it is handed to a backend — RQ on Redis
when ``CMDB_REDIS_URL`` is set (``cmdb worker`` on one or many machines empties
the queue), else a local process of its own. Whoever runs it reports progress
into the run row and finishes it succeeded, partial or failed; a job that dies
leaves its run failed with the reason. Kinds: ``web.jobs.kinds``.
"""
