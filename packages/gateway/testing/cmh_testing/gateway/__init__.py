"""Test support for the gateway: a real gateway in front of fake upstreams, all served
by uvicorn on loopback (``world``). Test code only."""
