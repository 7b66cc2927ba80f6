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
    # The two Problem definitions differ: users' keeps its own under a qualified name.
    assert set(merged["components"]["schemas"]) == {"User", "Course", "Problem", "UsersProblem"}
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


def test_a_component_another_service_defines_differently_is_renamed_with_its_references() -> None:
    def service(view: dict[str, object], path: str) -> dict[str, object]:
        ref = {"$ref": "#/components/schemas/SessionView"}
        return {
            "paths": {path: {"get": {"responses": {"200": {"content": {"a/b": {"schema": ref}}}}}}},
            "components": {
                "schemas": {
                    "SessionView": view,
                    "Sessions": {"type": "array", "items": ref},
                    "Problem": {"type": "object"},
                }
            },
        }

    labs = service({"title": "lab session"}, "/api/v1/labs/sessions")
    users = service({"title": "sign-in session"}, "/api/v1/users/me/sessions")
    merged = merge_documents(
        {"labs": labs, "users": users},
        {"labs": ["/api/v1/labs"], "users": ["/api/v1/users"]},
        title="API",
    )
    schemas = merged["components"]["schemas"]
    assert schemas["SessionView"] == {"title": "lab session"}
    assert schemas["UsersSessionView"] == {"title": "sign-in session"}
    # Sessions is the same text in both, but users' means users' SessionView.
    assert schemas["UsersSessions"]["items"] == {"$ref": "#/components/schemas/UsersSessionView"}
    assert schemas["Sessions"]["items"] == {"$ref": "#/components/schemas/SessionView"}
    assert "UsersProblem" not in schemas  # the same definition: one component
    users_ok = merged["paths"]["/api/v1/users/me/sessions"]["get"]["responses"]["200"]
    assert users_ok["content"]["a/b"]["schema"] == {"$ref": "#/components/schemas/UsersSessionView"}


def test_an_operation_id_another_service_already_uses_is_qualified_by_its_service() -> None:
    def service(path: str) -> dict[str, object]:
        return {"paths": {path: {"get": {"operationId": "health_ready", "responses": {}}}}}

    merged = merge_documents(
        {"courses": service("/api/v1/courses/ready"), "users": service("/api/v1/users/ready")},
        {"courses": ["/api/v1/courses"], "users": ["/api/v1/users"]},
        title="API",
    )
    assert merged["paths"]["/api/v1/courses/ready"]["get"]["operationId"] == "health_ready"
    assert merged["paths"]["/api/v1/users/ready"]["get"]["operationId"] == "users_health_ready"
