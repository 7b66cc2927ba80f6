"""Markdown to sanitised HTML."""
