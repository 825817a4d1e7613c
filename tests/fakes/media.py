"""An in-memory media bucket and CDN cache (ports.ObjectStore's tagging and deleting, ports.CdnCache), writing
every call in a shared journal (`port.method prefix-or-key`) so that a test reads the order of side effects;
a call named in `failing` raises, as a refused S3 request would."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass
class Journal:
    calls: list[str] = field(default_factory=list)
    failing: frozenset[str] = frozenset()

    def record(self, call: str) -> None:
        self.calls.append(call)
        if call in self.failing:
            raise RuntimeError(f"{call} refused")


@dataclass
class InMemoryStore:
    journal: Journal
    name: str = "media"
    # Each object, and whether the CDN may serve it (the `published` tag).
    objects: dict[str, bool] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def set_public(self, prefix: str, public: bool) -> int:
        self.journal.record(f"{self.name}.{'tag' if public else 'untag'} {prefix}")
        under = [key for key in self.objects if key.startswith(prefix)]
        self.objects.update(dict.fromkeys(under, public))
        return len(under)

    def expose_exactly(self, prefix: str, public_keys: Collection[str]) -> int:
        self.journal.record(f"{self.name}.expose {prefix}")
        under = [key for key in self.objects if key.startswith(prefix)]
        self.objects.update({key: key in public_keys for key in under})
        return len(public_keys)

    def write_text(self, key: str, text: str, content_type: str) -> None:
        """Not journalled: the journal is of tagging and deleting. A new object is private."""
        del content_type
        self.objects[key] = False
        self.texts[key] = text

    def read_text(self, key: str) -> str | None:
        return self.texts.get(key) if key in self.objects else None

    def is_public(self, key: str) -> bool:
        return self.objects.get(key, False)

    def keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))

    def delete(self, key: str) -> None:
        self.journal.record(f"{self.name}.delete {key}")
        self.objects.pop(key, None)

    def delete_prefix(self, prefix: str) -> int:
        self.journal.record(f"{self.name}.delete {prefix}")
        under = [key for key in self.objects if key.startswith(prefix)]
        for key in under:
            del self.objects[key]
        return len(under)

    def abort_multipart_under(self, prefix: str) -> int:
        self.journal.record(f"{self.name}.abort {prefix}")
        return 0


@dataclass
class InMemoryCache:
    journal: Journal

    def invalidate(self, path_pattern: str) -> None:
        self.journal.record(f"cdn.invalidate {path_pattern}")
