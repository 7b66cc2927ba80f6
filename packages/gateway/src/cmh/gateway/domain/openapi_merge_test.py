from cmh.gateway.domain.openapi_merge import merge_documents

USERS = {
    "paths": {"/api/v1/users/me": {"get": {}}, "/internal/v1/users/{id}": {"get": {}}},
    "components": {"schemas": {"User": {"type": "object"}, "Problem": {"title": "users"}}},
    "tags": [{"name": "users"}],
}
COURSES = {
    "paths": {"/api/v1/courses": {"get": {}}, "/health/ready": {"get": {}}},
    "components": {"schemas": {"Course": {"type": "object"}, "Problem": {"title": "courses"}}},
}


def test_paths_are_filtered_and_components_merged() -> None:
    merged = merge_documents(
        {"users": USERS, "courses": COURSES},
        {"users": ["/api/v1/users"], "courses": ["/api/v1/courses"]},
        title="API",
    )
    assert list(merged["paths"]) == ["/api/v1/courses", "/api/v1/users/me"]
    assert set(merged["components"]["schemas"]) == {"User", "Course", "Problem"}
    assert merged["tags"] == [{"name": "users"}]
    assert merged["info"]["title"] == "API"
