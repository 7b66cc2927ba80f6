"""A stand-in Elasticsearch cluster for tests: an httpx ``MockTransport`` answering the
REST calls the adapter makes with the response shapes the Elasticsearch API documents
(``HEAD``/``PUT /<index>``, ``PUT``/``DELETE /<index>/_doc/<id>``, ``POST /<index>/_search``
with hits, ``total.value`` and ``terms`` aggregation buckets)."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import httpx
from elastic_transport import HttpxAsyncHttpNode, NodeConfig

_WORD = re.compile(r"[a-z0-9]+")
HEADERS = {"X-Elastic-Product": "Elasticsearch", "content-type": "application/json"}


class FakeElasticsearch:
    def __init__(self) -> None:
        self.indices: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, dict[str, Any]]] = {}
        self.searches: list[dict[str, Any]] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        parts = [p for p in request.url.path.split("/") if p]
        body = json.loads(request.content) if request.content else {}
        index = parts[0]
        if len(parts) == 1 and request.method == "HEAD":
            return httpx.Response(200 if index in self.indices else 404, headers=HEADERS)
        if len(parts) == 1 and request.method == "PUT":
            if index in self.indices:
                return self._error(400, "resource_already_exists_exception")
            self.indices[index] = body
            self.documents[index] = {}
            return self._json({"acknowledged": True, "shards_acknowledged": True, "index": index})
        if index not in self.indices:
            return self._error(404, "index_not_found_exception")
        if len(parts) == 3 and parts[1] == "_doc":
            return self._document(request.method, index, parts[2], body)
        if parts[1:] == ["_search"]:
            self.searches.append(body)
            return self._json(self._search(index, body))
        return self._error(400, "unsupported_by_fake")

    def _document(
        self, method: str, index: str, doc_id: str, body: dict[str, Any]
    ) -> httpx.Response:
        store = self.documents[index]
        if method == "PUT":
            result = "updated" if doc_id in store else "created"
            store[doc_id] = body
            return self._json(
                {"_index": index, "_id": doc_id, "result": result},
                201 if result == "created" else 200,
            )
        if method == "DELETE":
            if store.pop(doc_id, None) is None:
                return self._json({"_index": index, "_id": doc_id, "result": "not_found"}, 404)
            return self._json({"_index": index, "_id": doc_id, "result": "deleted"})
        return self._error(400, "unsupported_by_fake")

    def _search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        scored = []
        for doc_id, source in self.documents[index].items():
            score = self._score(body["query"]["bool"], source)
            if score is not None:
                scored.append((score, doc_id, source))
        scored.sort(key=lambda hit: (-hit[0], hit[2]["title_sort"], hit[2]["id"]))
        start, size = body.get("from", 0), body.get("size", 10)
        aggregations = {}
        for name, spec in body.get("aggs", {}).items():
            counts: Counter[str] = Counter()
            for _, _, source in scored:
                value = source[spec["terms"]["field"]]
                counts.update(value if isinstance(value, list) else [value])
            aggregations[name] = {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [
                    {"key": k, "doc_count": n} for k, n in counts.most_common(spec["terms"]["size"])
                ],
            }
        return {
            "took": 1,
            "timed_out": False,
            "hits": {
                "total": {"value": len(scored), "relation": "eq"},
                "max_score": scored[0][0] if scored else None,
                "hits": [
                    {"_index": index, "_id": i, "_score": s, "_source": src}
                    for s, i, src in scored[start : start + size]
                ],
            },
            "aggregations": aggregations,
        }

    @staticmethod
    def _score(query: dict[str, Any], source: dict[str, Any]) -> float | None:
        for clause in query.get("filter", []):
            ((field, value),) = clause["term"].items()
            held = source[field]
            if value not in (held if isinstance(held, list) else [held]):
                return None
        score = 1.0
        for clause in query.get("must", []):
            if "multi_match" in clause:
                terms = _WORD.findall(clause["multi_match"]["query"].lower())
                for term in terms:
                    hits = 0.0
                    for spec in clause["multi_match"]["fields"]:
                        field, _, boost = spec.partition("^")
                        value = source[field]
                        text = " ".join(value) if isinstance(value, list) else str(value)
                        hits += float(boost or 1) * sum(
                            w.startswith(term) for w in _WORD.findall(text.lower())
                        )
                    if not hits:
                        return None
                    score += hits
        return score

    @staticmethod
    def _json(payload: dict[str, Any], status: int = 200) -> httpx.Response:
        return httpx.Response(status, headers=HEADERS, content=json.dumps(payload).encode())

    def _error(self, status: int, kind: str) -> httpx.Response:
        return self._json({"error": {"type": kind, "reason": kind}, "status": status}, status)


def fake_node_class(fake: FakeElasticsearch) -> type[HttpxAsyncHttpNode]:
    """An elastic-transport node whose httpx client talks to ``fake`` instead of a socket."""

    class FakeNode(HttpxAsyncHttpNode):
        def __init__(self, config: NodeConfig) -> None:
            super().__init__(config)
            self.client = httpx.AsyncClient(
                base_url=f"{config.scheme}://{config.host}:{config.port}",
                transport=httpx.MockTransport(fake.handle),
            )

    return FakeNode
