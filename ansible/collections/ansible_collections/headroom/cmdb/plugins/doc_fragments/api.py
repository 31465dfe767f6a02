# Headroom's connection options, shared by the collection's plugins' documentation.
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  api_endpoint:
    description: Headroom's base URL, without C(/api/v1), e.g. C(https://headroom.ttdl.quangnam.gov.vn).
    type: str
    required: true
    env:
      - name: HEADROOM_URL
  token:
    description:
      - An API token (C(cmdb token create USER)); a viewer's token is enough to read.
      - Prefer the environment variable to writing the token in a file.
    type: str
    required: true
    env:
      - name: HEADROOM_TOKEN
  validate_certs:
    description: Whether to check Headroom's TLS certificate.
    type: bool
    default: true
    env:
      - name: HEADROOM_VALIDATE_CERTS
"""

    # The modules' own: a module reads no ``env:`` entry of its documentation, so the
    # environment fallback is in its argument spec (``module_utils.headroom_api.MODULE_ARGS``).
    MODULE = r"""
options:
  api_endpoint:
    description: Headroom's base URL, without C(/api/v1); else E(HEADROOM_URL).
    type: str
  token:
    description: An API token (a requester's of the request's agency, or a planner's); else
      E(HEADROOM_TOKEN).
    type: str
  validate_certs:
    description: Whether to check Headroom's TLS certificate.
    type: bool
    default: true
"""
