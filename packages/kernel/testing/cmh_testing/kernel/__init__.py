"""Test support shared by every context: the real servers infra/local starts
(``servers``), an app served by uvicorn on a free port (``serving``), spans recorded in
memory (``tracing``). Test code only."""
