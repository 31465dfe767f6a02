"""The NetBox client's default page size and timeout, apart from pynetbox:
``cmdb sync --help`` shows them without loading pynetbox and requests."""

from __future__ import annotations

DEFAULT_PAGE_SIZE = 1000  # NetBox's MAX_PAGE_SIZE; each page is a round trip and a query
DEFAULT_TIMEOUT_S = 120.0  # a page of 1,000 objects, read 4 at once by a loaded NetBox
