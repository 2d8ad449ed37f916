"""Type stubs of govdisclose._core, the C binding (src/python/_core.c)."""
from decimal import Decimal
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union

from ._model import Finding, Report

__version__: str
MAX_INPUT: int

class ParseError(ValueError):
    """The input cannot be read at all (no encoding or format fits, or too large)."""

    offset: Optional[int]

class _CellDict(TypedDict):
    value: Union[int, Decimal, None]
    kind: Literal["number", "empty", "na", "text"]
    raw: str
    note: Optional[str]
    span: List[int]

class _FindingDict(TypedDict):
    code: str
    severity: Literal["info", "warning", "error"]
    table: Optional[str]
    cell: Optional[str]
    expected: Optional[int]
    actual: Optional[int]
    message: str

class _UnplacedDict(TypedDict):
    text: str
    span: List[int]
    table: Optional[str]

class _ExtraRowDict(TypedDict):
    label: str
    cells: List[_CellDict]
    span: List[int]

class _ReportDict(TypedDict):
    agency: Optional[str]
    year: Optional[int]
    published: Optional[str]
    template: Literal["2021", "2019", "mixed", "unknown"]
    level: Optional[str]
    region: Optional[str]
    active: Optional[Dict[str, Any]]
    requests: Optional[Dict[str, Any]]
    reviews: Optional[Dict[str, Any]]
    findings: List[_FindingDict]
    unplaced: List[_UnplacedDict]

class _ColumnDef(TypedDict):
    id: str
    label: str
    templates: List[str]
    money: bool

class _RowDef(TypedDict):
    id: str
    label: str
    templates: List[str]
    group: int
    keys: List[str]
    columns: List[_ColumnDef]

class _TableDef(TypedDict):
    id: str
    label: str
    rows: List[_RowDef]

class _IdentityDef(TypedDict):
    code: str
    table: Optional[str]
    each: Literal["column", "row"]
    target: str
    terms: List[str]
    signs: List[int]
    rule: str

def parse(
    data: Union[str, bytes, bytearray, memoryview],
    strict: bool = ...,
    format: str = ...,  # "text", "html" or "docx"; anything else raises ValueError
) -> _ReportDict: ...
def parse_report(
    data: Union[str, bytes, bytearray, memoryview],
    strict: bool = ...,
    format: str = ...,  # what the core reads: "text", "html" or "docx"
    source: Optional[str] = ...,
    report_format: Optional[str] = ...,  # Report.format; default: format
    encoding: Optional[str] = ...,
    text: Optional[str] = ...,
    findings: Sequence[Finding] = ...,  # put after the core's findings
    charset: Optional[str] = ...,  # "gb18030": data is GB18030 bytes the core decodes
) -> Report: ...
def decode_gb18030(
    data: Union[bytes, bytearray, memoryview],
    errors: str = ...,  # "strict" (ParseError at the first bad byte) or "replace"
) -> str: ...
def doc_text(data: Union[bytes, bytearray, memoryview]) -> str: ...  # a Word 97 file's text
def parse_reports(
    calls: Sequence[Tuple[Any, ...]],  # each: parse_report's positional arguments
) -> List[Union[Report, Exception]]: ...  # in order; a failed call's exception in its place
def run_cores(calls: Sequence[Tuple[Any, ...]]) -> Any: ...  # parse_reports' core half
def build_reports(cores: Any) -> List[Union[Report, Exception]]: ...  # its Report half, once
def _set_model(
    report: type,
    cell: type,
    finding: type,
    unplaced: type,
    extra_row: type,
    tables: Tuple[type, type, type],
    parts: Mapping[type, Tuple[Tuple[str, type], ...]],
) -> None: ...
def template() -> Dict[str, _TableDef]: ...
def identities() -> List[_IdentityDef]: ...
def utf8_invalid_at(data: Union[bytes, bytearray, memoryview]) -> Optional[int]: ...
