"""Ansible facts: what a host says it is (pure mapper), and the one writer that records it."""
