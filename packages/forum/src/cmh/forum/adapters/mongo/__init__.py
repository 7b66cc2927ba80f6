"""Boards and threads in MongoDB (PyMongo async), with the outbox in the thread documents."""
