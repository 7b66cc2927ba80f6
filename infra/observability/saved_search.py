"""The platform's saved log searches (searches/*.json), run against the log indices.

    python3 infra/observability/saved_search.py                       # list them
    python3 infra/observability/saved_search.py request-lines request_id=4f2c...
    python3 infra/observability/saved_search.py recent-errors --index cmh-logs-distributed

Each file holds a description, the names of its parameters and an Elasticsearch query
body whose ``{{name}}`` strings are the parameters. Prints one line per hit: time,
service, level, message, and the request and trace ids. Standard library only, so it
runs with any Python 3.11+. Elasticsearch: ``$CMH_TEST_ELASTICSEARCH_URL`` or
http://127.0.0.1:9200."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

SEARCHES = Path(__file__).resolve().parent / "searches"
DEFAULT_INDEX = "cmh-logs-distributed"


def names() -> list[str]:
    return sorted(path.stem for path in SEARCHES.glob("*.json"))


def _fill(value: Any, params: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, params) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, params) for item in value]
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        return params[value[2:-2]]
    return value


def query(name: str, **params: str) -> dict[str, Any]:
    """The query body of the saved search ``name`` with its parameters filled in."""
    saved = json.loads((SEARCHES / f"{name}.json").read_text(encoding="utf-8"))
    missing = sorted(set(saved["params"]) - params.keys())
    if missing:
        raise KeyError(f"{name} needs {', '.join(f'{p}=...' for p in missing)}")
    body: dict[str, Any] = _fill(saved["body"], params)
    return body


def run(elasticsearch: str, index: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL the operator gives
        f"{elasticsearch.rstrip('/')}/{index}/_search",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        hits: list[dict[str, Any]] = json.load(response)["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def _field(line: dict[str, Any], path: str) -> str:
    if path in line:  # the dotted top-level fields: log.level
        return str(line[path])
    node: Any = line
    for name in path.split("."):
        if not isinstance(node, dict) or name not in node:
            return "-"
        node = node[name]
    return str(node)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("search", nargs="?", help="a saved search (none: list them)")
    parser.add_argument("params", nargs="*", help="name=value for the search's parameters")
    parser.add_argument("--index", default=DEFAULT_INDEX)
    parser.add_argument(
        "--elasticsearch",
        default=os.environ.get("CMH_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
    )
    args = parser.parse_args(argv)
    if not args.search:
        for name in names():
            saved = json.loads((SEARCHES / f"{name}.json").read_text(encoding="utf-8"))
            usage = " ".join(f"{p}=..." for p in saved["params"])
            print(f"{name} {usage}\n    {saved['description']}")
        return 0
    if args.search not in names():
        print(f"no saved search {args.search!r}; there are: {', '.join(names())}", file=sys.stderr)
        return 2
    params = dict(param.split("=", 1) for param in args.params)
    try:
        lines = run(args.elasticsearch, args.index, query(args.search, **params))
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    except urllib.error.URLError as exc:
        print(f"{args.elasticsearch}/{args.index}: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(
            " ".join(
                _field(line, path)
                for path in ("@timestamp", "service.name", "log.level", "message")
            ),
            f"request={_field(line, 'http.request.id')} trace={_field(line, 'trace.id')}",
        )
    print(f"({len(lines)} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
