"""govdisclose: parse Chinese government information disclosure annual reports
(政府信息公开工作年度报告) into their three tables and check their arithmetic.

    >>> import govdisclose
    >>> r = govdisclose.parse(open("report.txt", encoding="utf-8").read())
    >>> r.requests.granted.natural_person.value
    >>> r.findings

The parser and the checks are in C (``govdisclose._core``); this package turns
what they return into frozen dataclasses that mirror SCHEMA.md.
"""
from typing import Union

try:
    from . import _core
except ImportError as e:  # the source folder, not an installed build
    raise ImportError(
        f"govdisclose's compiled core (_core) is not in {__path__[0]}: this looks like the "
        "source folder. Install the package (pip install .) and run from another folder, "
        "or build it in place (pip install -e .)"
    ) from e
from ._core import ParseError
from ._model import (
    Active,
    Cell,
    Decisions,
    Documents,
    ExtraRow,
    Fees,
    Finding,
    NotProcessed,
    Other,
    OtherServices,
    Procurement,
    Report,
    RequestRow,
    Requests,
    ReviewRow,
    Reviews,
    Unable,
    Unplaced,
    Withheld,
)

__version__ = _core.__version__

__all__ = [
    "parse", "ParseError", "Report", "Cell", "Finding", "Unplaced",
    "Active", "Requests", "Reviews",
    "RequestRow", "ReviewRow", "Documents", "Decisions", "OtherServices", "Fees",
    "Procurement", "ExtraRow", "Withheld", "Unable", "NotProcessed", "Other",
    "__version__",
]


def parse(text: Union[str, bytes, bytearray, memoryview], strict: bool = False) -> Report:
    """Parse one report and reconcile its tables.

    text is the report as str, or as UTF-8 bytes (any bytes-like object).
    Spans in the result are byte offsets into its UTF-8 form.  With
    strict=True, blank and na cells make an identity not checkable instead of
    counting as 0.

    Raises TypeError for other types and ParseError (a ValueError) for bytes
    that are not UTF-8; a text that is not a report gives a Report with no
    tables and a parse.not_a_report finding.
    """
    return Report.from_dict(_core.parse(text, strict=strict))


# Bulk analysis: many reports at once, DataFrames (pandas is imported only when
# a frame is made), checks across years, notebook display.
from ._display import show  # noqa: E402
from .bulk import parse_many  # noqa: E402
from .frames import findings_frame, read_reports, to_frame  # noqa: E402
from .years import YearFinding, reconcile_years  # noqa: E402

__all__ += ["parse_many", "read_reports", "to_frame", "findings_frame", "reconcile_years",
            "YearFinding", "show"]
