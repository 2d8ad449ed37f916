"""govdisclose: parse Chinese government information disclosure annual reports
(政府信息公开工作年度报告) into their three tables and check their arithmetic.

    >>> import govdisclose
    >>> r = govdisclose.parse_file("report.pdf")   # or .html, .docx, .txt: by content
    >>> r.requests.granted.natural_person.value
    >>> r.findings

The parser and the checks are in C (``govdisclose._core``); this package turns
what they return into frozen dataclasses that mirror SCHEMA.md.
"""
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
from ._read import FORMATS, parse, parse_file

__version__ = _core.__version__

__all__ = [
    "parse", "parse_file", "FORMATS", "ParseError", "Report", "Cell", "Finding", "Unplaced",
    "Active", "Requests", "Reviews",
    "RequestRow", "ReviewRow", "Documents", "Decisions", "OtherServices", "Fees",
    "Procurement", "ExtraRow", "Withheld", "Unable", "NotProcessed", "Other",
    "__version__",
]


# Bulk analysis: many reports at once, DataFrames (pandas is imported only when
# a frame is made), checks across years, notebook display.
from ._show import show  # noqa: E402
from .bulk import parse_many  # noqa: E402
from .frames import findings_frame, read_reports, to_frame  # noqa: E402
from .years import YearFinding, reconcile_years  # noqa: E402

__all__ += ["parse_many", "read_reports", "to_frame", "findings_frame", "reconcile_years",
            "YearFinding", "show"]
