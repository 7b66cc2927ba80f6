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


def test_every_operation_documents_what_the_gateway_answers_of_its_own() -> None:
    service = {
        "paths": {
            "/api/v1/users/me": {"get": {"responses": {"200": {"description": "me"}}}},
            "/api/v1/courses/{course_id}": {"get": {"responses": {}}},
            "/health/ready": {"get": {"responses": {}}},
        },
    }
    merged = merge_documents(
        {"users": service},
        {"users": ["/api/v1/users", "/api/v1/courses", "/health"]},
        title="API",
    )
    me = merged["paths"]["/api/v1/users/me"]["get"]["responses"]
    assert set(me) == {"200", "401", "429", "502", "503", "504"}
    assert me["502"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    # The catalog is public at the gateway: no token, so no 401 of the gateway's own.
    course = merged["paths"]["/api/v1/courses/{course_id}"]["get"]["responses"]
    assert set(course) == {"429", "502", "503", "504"}
    # Health is neither rate limited nor guarded; a service's own answer is kept as it is.
    assert set(merged["paths"]["/health/ready"]["get"]["responses"]) == {"502", "503", "504"}


def test_a_services_own_description_of_a_status_is_kept() -> None:
    own = {"description": "mine", "content": {"application/problem+json": {}}}
    service = {"paths": {"/api/v1/users/me": {"get": {"responses": {"401": own}}}}}
    merged = merge_documents({"users": service}, {"users": ["/api/v1/users"]}, title="API")
    assert merged["paths"]["/api/v1/users/me"]["get"]["responses"]["401"] == own
