"""Test support for the Courses context: its API over SQLite with in-memory stand-ins
(``app``). Test code only."""

from cmh_testing.courses.app import CoursesTestApp, build_courses_test_app

__all__ = ["CoursesTestApp", "build_courses_test_app"]
