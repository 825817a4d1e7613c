"""In-memory fakes of the ports in chalicelib/services/ports.py, for tests of a rule rather than of an adapter.

Each fake keeps what a test needs to look at in plain attributes, and behaves as its AWS adapter does where a
rule depends on it (the Protocol is the contract; the adapters' own tests run against moto).
"""
