"""Notifications: email, the in-app inbox and live push from every service's events."""
