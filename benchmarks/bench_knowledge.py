"""Knowledge base load and search times (the glossary pane searches as the agent types)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.knowledge.base import KnowledgeBase

QUERIES = ["my plans don't show", "link expired", "webho", "customer can't cancel",
           "test works but live doesn't", "they never got the code", "too many requests"]


def main() -> None:
    loads = []
    for _ in range(20):
        start = time.perf_counter()
        kb = KnowledgeBase.load()
        loads.append(time.perf_counter() - start)
    kb.search("warm up")
    searches = []
    for _ in range(20):
        for q in QUERIES:
            start = time.perf_counter()
            kb.search(q)
            searches.append(time.perf_counter() - start)
    print(f"knowledge load: median {statistics.median(loads) * 1000:.1f} ms (20 runs)")
    print(f"search: median {statistics.median(searches) * 1000:.2f} ms, "
          f"max {max(searches) * 1000:.2f} ms ({len(searches)} queries)")


if __name__ == "__main__":
    main()
