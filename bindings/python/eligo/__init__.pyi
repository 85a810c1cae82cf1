import os
import datetime
import decimal
from typing import Any, Callable, Iterable, Mapping, Optional

BATCH_COLUMNS: list[str]

class RuleError(Exception):
    diagnostics: list[dict[str, Any]]

class Result:
    verdict: str
    reasons: list[str]
    failed: list[str]
    missing: list[str]
    score: Optional[decimal.Decimal]
    items: list[dict[str, Any]]
    outputs: dict[str, Any]
    error: Optional[dict[str, str]]
    data_errors: list[dict[str, str]]
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

class Blacklist:
    report: dict[str, Any]
    version: str
    hash: str
    @classmethod
    def load(cls, path: str, mapping: Optional[Mapping[str, Any]] = ...) -> Blacklist: ...
    @classmethod
    def open_db(cls, path: str, hash_key: Optional[str] = ...) -> Blacklist: ...
    def __len__(self) -> int: ...
    def check(self, id_or_key: str, scope: str, as_of: str | datetime.date) -> list[dict[str, Any]]: ...

class Pack:
    id: str
    version: str
    hash: str
    file: str
    def evaluate(self, applicant: Mapping[str, Any] | str, *, as_of: str | datetime.date | None = ...,
                 lang: str = ..., mode: Optional[str] = ..., explain: bool = ..., clear_pii: bool = ...,
                 sources: Optional[Callable[[str, str, dict], Optional[Mapping[str, Any]]]] = ...,
                 blacklist: Optional[Blacklist] = ..., group: Optional[str] = ...,
                 unknown_fields: Optional[str] = ...) -> Result: ...
    def evaluate_batch(self, rows: Any, *, as_of: str | datetime.date | None = ..., lang: str = ...,
                       mode: Optional[str] = ..., explain: bool = ..., clear_pii: bool = ..., threads: int = ...,
                       blacklist: Optional[Blacklist] = ..., group: Optional[str] = ...,
                       unknown_fields: Optional[str] = ..., decisions: bool = ..., numbers: str = ...) -> Any: ...

def load(path: str) -> Pack: ...
def compile(text: str, name: str = ...) -> Pack: ...
def reconcile(*, orders: str, bank: str, out: str, registry: Optional[str] = ..., exclude: Optional[str] = ...,
              mapping: Optional[Mapping[str, Any]] = ..., cutoff: str | datetime.date | None = ...,
              window: Optional[int] = ..., fallback: bool = ..., clear_pii: bool = ..., workbook: bool = ...) -> dict[str, Any]: ...
def rank(spec: Mapping[str, Any] | str, rows: Iterable[Mapping[str, Any]] | str) -> dict[str, Any]: ...
def batch(pack: Pack | PackSet | str | os.PathLike[str], inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
          out: str | os.PathLike[str], *, as_of: str | datetime.date | None = ..., lang: str = ...,
          mode: Optional[str] = ..., group: Optional[str] = ..., unknown_fields: Optional[str] = ...,
          blacklist: Optional[Blacklist] = ..., input_format: Optional[str] = ..., encoding: str = ...,
          sheet: Optional[str] = ..., key: Optional[str] = ..., clear_pii: bool = ..., id_hash_key: Optional[str] = ...,
          only: Optional[str] = ..., by: Optional[str] = ..., duplicates: str = ..., threads: int = ...,
          format: Optional[str] = ..., summary: Optional[str] = ..., payout_orders: Optional[str] = ...,
          amount: Optional[str] = ..., policy: Optional[str] = ..., period: Optional[str] = ...,
          created: str | datetime.date | None = ..., payee_name: Optional[str] = ..., account: Optional[str] = ...,
          community: Optional[str] = ..., joins: Iterable[str] = ...,
          progress: Optional[Callable[[dict[str, Any]], None]] = ...) -> dict[str, Any]: ...
def id_check(text: str, as_of: Optional[str] = ...) -> dict[str, Any]: ...
def mask(kind: str, text: str) -> str: ...
def names_match(a: str, b: str) -> bool: ...
def normalize_name(text: str) -> str: ...
