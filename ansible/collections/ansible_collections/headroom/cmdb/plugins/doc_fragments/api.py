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
