from cmh.labs.domain.checks import (
    BucketCheck,
    InstanceCheck,
    Inventory,
    ObservedResource,
    grade,
    passes,
)
from cmh.labs.domain.template import TaskSpec


def bucket(name: str, *, versioning: bool = False) -> ObservedResource:
    return ObservedResource("bucket", name, "eu-west-1", {}, {"versioning": versioning})


def instance(
    tags: dict[str, str], state: str = "running", network: str = "vpc-1"
) -> ObservedResource:
    return ObservedResource(
        "instance", "i-1", "eu-west-1", tags, {"state": state, "network_id": network}
    )


def test_a_bucket_check_matches_the_name_prefix() -> None:
    inventory = Inventory((bucket("data-1"), bucket("logs-7f3a")))
    assert passes(BucketCheck("logs-"), inventory)
    assert not passes(BucketCheck("audit-"), inventory)
    assert not passes(BucketCheck("logs-"), Inventory(()))


def test_a_bucket_check_on_versioning_needs_the_state_asked_for() -> None:
    off = Inventory((bucket("logs-1"),))
    on = Inventory((bucket("logs-1", versioning=True),))
    assert passes(BucketCheck("logs-", versioning=True), on)
    assert not passes(BucketCheck("logs-", versioning=True), off)
    assert passes(BucketCheck("logs-", versioning=False), off)
    assert not passes(BucketCheck("logs-", versioning=False), on)


def test_a_bucket_check_ignores_other_kinds_with_the_name() -> None:
    inventory = Inventory((ObservedResource("instance", "logs-1", "eu-west-1"),))
    assert not passes(BucketCheck("logs-"), inventory)


def test_an_instance_check_needs_every_tag_the_state_and_the_session_network() -> None:
    check = InstanceCheck((("role", "web"), ("env", "lab")))
    assert passes(check, Inventory((instance({"role": "web", "env": "lab", "x": "y"}),), "vpc-1"))
    assert not passes(check, Inventory((instance({"role": "web"}),), "vpc-1"))
    assert not passes(
        check, Inventory((instance({"role": "web", "env": "lab"}, "stopped"),), "vpc-1")
    )
    assert not passes(
        check, Inventory((instance({"role": "web", "env": "lab"}, network="vpc-2"),), "vpc-1")
    )
    # Without a known session network, "in the session network" cannot be proven.
    assert not passes(check, Inventory((instance({"role": "web", "env": "lab"}),), None))


def test_an_instance_check_may_look_outside_the_session_network_and_at_other_states() -> None:
    anywhere = InstanceCheck((("role", "db"),), state="stopped", in_session_network=False)
    assert passes(anywhere, Inventory((instance({"role": "db"}, "stopped", "vpc-9"),), None))
    assert not passes(anywhere, Inventory((instance({"role": "db"}),), None))


def test_grading_scores_the_passed_tasks_and_hints_the_others() -> None:
    tasks = (
        TaskSpec("logs", "Logs bucket", "Create a bucket named logs-...", 10, BucketCheck("logs-")),
        TaskSpec(
            "web", "Web server", "Tag an instance role=web", 30, InstanceCheck((("role", "web"),))
        ),
    )
    result = grade(tasks, Inventory((bucket("logs-1"),), "vpc-1"))
    assert (result.score, result.max_score) == (10, 40)
    assert result.passed_task_ids == ("logs",)
    assert not result.all_passed
    assert [(task.task_id, task.passed, task.hint) for task in result.tasks] == [
        ("logs", True, None),
        ("web", False, "Tag an instance role=web"),
    ]
    full = grade(tasks, Inventory((bucket("logs-1"), instance({"role": "web"})), "vpc-1"))
    assert (full.score, full.all_passed) == (40, True)


def test_grading_no_tasks_scores_nothing() -> None:
    result = grade((), Inventory(()))
    assert (result.score, result.max_score, result.tasks) == (0, 0, ())
