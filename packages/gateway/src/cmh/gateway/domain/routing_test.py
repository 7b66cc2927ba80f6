from cmh.gateway.domain.routing import RouteTable, under

TABLE = RouteTable(
    {
        "/api/v1/admin": "users",
        "/api/v1/admin/labs": "labs",
        "/api/v1/courses": "courses",
        "/api/v1/courses/*/lessons/*/lab": "labs",
    }
)


def test_the_longest_matching_prefix_wins() -> None:
    assert TABLE.resolve("/api/v1/admin/labs/sessions") == "labs"
    assert TABLE.resolve("/api/v1/admin/users/u-1") == "users"
    assert TABLE.resolve("/api/v1/admin/labsx") == "users"


def test_a_star_segment_matches_any_one_segment() -> None:
    assert TABLE.resolve("/api/v1/courses/c-1/lessons/l-2/lab") == "labs"
    assert TABLE.resolve("/api/v1/courses/c-1/lessons/l-2/complete") == "courses"
    assert TABLE.resolve("/api/v1/courses/c-1/lessons/lab") == "courses"
    assert TABLE.resolve("/api/v1/courses/c-1") == "courses"


def test_openapi_templates_match_star_segments() -> None:
    assert under(
        "/api/v1/courses/{course_id}/lessons/{lesson_id}/lab", "/api/v1/courses/*/lessons/*/lab"
    )
    assert not under("/api/v1/courses/{course_id}/modules", "/api/v1/courses/*/lessons/*/lab")
