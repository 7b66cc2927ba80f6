"""A tiny Kustomize renderer for the subset of kustomization.yaml this repository uses,
so CI can validate the rendered overlay without the kustomize binary (none can be
installed here). Semantics follow Kustomize's documentation for exactly these fields:

- ``resources``: files (multi-document YAML) and directories holding a kustomization.yaml,
  rendered recursively, in order.
- ``namespace``: set on every namespaced object (not on Namespace itself).
- ``images``: ``name`` matches a container image without its tag; ``newName`` replaces the
  repository, ``newTag`` the tag (containers, initContainers, of Pods' templates).
- ``patches``: strategic merge patches from ``path``. Without ``target`` the patch applies
  to the object of the same kind and name; with ``target`` to every object whose kind
  equals ``target.kind`` and whose name matches ``target.name`` as an anchored regex. Maps
  merge recursively; lists of containers/initContainers/volumes/env/ports merge by their
  ``name`` key (their patchMergeKey in the Kubernetes API); other lists are replaced.

Anything else in a kustomization (generators, replacements, JSON 6902 patches, components,
...) is refused with an error rather than silently ignored.

    python infra/k8s/render.py infra/k8s/overlays/production > rendered.yaml
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

import yaml  # pants: no-infer-dep (PyYAML: in the validate venv, not in pyproject)

SUPPORTED = {"apiVersion", "kind", "namespace", "resources", "images", "patches"}
MERGE_BY_NAME = {"containers", "initContainers", "volumes", "env", "ports", "volumeMounts"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume",
                  "StorageClass", "CustomResourceDefinition", "PriorityClass"}


class RenderError(ValueError):
    pass


def load_documents(path: Path) -> list[dict[str, Any]]:
    with path.open() as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def strategic_merge(base: Any, patch: Any, key: str = "") -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for k, v in patch.items():
            if v is None:
                merged.pop(k, None)  # `key: null` deletes, as in a strategic merge patch
            elif k in merged:
                merged[k] = strategic_merge(merged[k], v, k)
            else:
                merged[k] = copy.deepcopy(v)
        return merged
    if (
        key in MERGE_BY_NAME
        and isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in [*base, *patch])
    ):
        merged_list = [copy.deepcopy(i) for i in base]
        index = {item["name"]: n for n, item in enumerate(merged_list)}
        for item in patch:
            if item["name"] in index:
                n = index[item["name"]]
                merged_list[n] = strategic_merge(merged_list[n], item)
            else:
                merged_list.append(copy.deepcopy(item))
        return merged_list
    return copy.deepcopy(patch)


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        return spec
    if obj.get("kind") == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get(
            "spec"
        )
    return (spec.get("template") or {}).get("spec")


def apply_images(objs: list[dict[str, Any]], images: list[dict[str, str]]) -> None:
    for obj in objs:
        pod = _pod_spec(obj)
        if not pod:
            continue
        for container in [*pod.get("containers", []), *pod.get("initContainers", [])]:
            ref = container.get("image", "")
            name, _, tag = ref.rpartition(":") if ":" in ref.split("/")[-1] else (ref, "", "")
            for image in images:
                if image["name"] == name:
                    new_name = image.get("newName", name)
                    new_tag = image.get("newTag", tag)
                    container["image"] = f"{new_name}:{new_tag}" if new_tag else new_name


def render(directory: Path) -> list[dict[str, Any]]:
    kustomization_file = directory / "kustomization.yaml"
    if not kustomization_file.is_file():
        raise RenderError(f"{directory} has no kustomization.yaml")
    kustomization = yaml.safe_load(kustomization_file.read_text()) or {}
    unsupported = set(kustomization) - SUPPORTED
    if unsupported:
        raise RenderError(f"{kustomization_file}: unsupported fields {sorted(unsupported)}")
    objs: list[dict[str, Any]] = []
    for resource in kustomization.get("resources", []):
        path = (directory / resource).resolve()
        objs.extend(render(path) if path.is_dir() else load_documents(path))
    for patch_spec in kustomization.get("patches", []):
        if set(patch_spec) - {"path", "target"}:
            raise RenderError(f"{kustomization_file}: only path/target patches are supported")
        [patch] = load_documents(directory / patch_spec["path"])
        target = patch_spec.get("target") or {
            "kind": patch["kind"],
            "name": re.escape(patch["metadata"]["name"]),
        }
        hits = 0
        for n, obj in enumerate(objs):
            if obj.get("kind") == target["kind"] and re.fullmatch(
                target["name"], obj["metadata"]["name"]
            ):
                body = {k: v for k, v in patch.items() if k not in ("apiVersion", "kind")}
                body["metadata"] = {
                    k: v for k, v in patch.get("metadata", {}).items() if k != "name"
                }
                objs[n] = strategic_merge(obj, body)
                hits += 1
        if not hits:
            raise RenderError(f"{kustomization_file}: patch {patch_spec['path']} matched nothing")
    if "images" in kustomization:
        apply_images(objs, kustomization["images"])
    if "namespace" in kustomization:
        for obj in objs:
            if obj.get("kind") not in CLUSTER_SCOPED:
                obj.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    return objs


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    yaml.safe_dump_all(render(Path(argv[0])), sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
