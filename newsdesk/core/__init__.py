"""The ground every other package stands on: errors meant for users (`errors`), checks on what
people type and the one definition of length limits (`validation`), row ids as they arrive
(`ids`), the client's address behind trusted proxies (`client_address`) and the per-process cache
(`memory`).

It imports nothing of ours (tests/test_layers.py holds every package to its layer; the layers are
in docs/architecture.md).
"""
