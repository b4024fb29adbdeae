"""Reviewing: what the analyst sees, decides and can undo in a results.sqlite (pure Python).

files.py      the results file: finding and checking it, its run.json and layer link, its errors
model.py      scopes, sorts, statuses, the filter, one chip's review, the counts
decisions.py  decisions and undo (review_log)
decision_log.py  the undoable decision log both review_log and the audit's audit_log use
session.py    ReviewSession: queries with keyset paging, over the three above; final_classes
"""
from .decisions import (  # noqa: F401
    REVIEW_LOG_FID_INDEX,
    REVIEW_LOG_INDEX,
    REVIEW_LOG_OWN_INDEXES,
    REVIEW_LOG_SCHEMA,
    REVIEW_SESSIONS_SCHEMA,
)
from .files import (  # noqa: F401
    MIN_MATCH_SHARE,
    REQUIRED_COLUMNS,
    RESULTS_FILE,
    SQLITE_HEADER,
    LinkError,
    ReviewError,
    check_link,
    check_results_file,
    database_error,
    default_reviewer,
    recorded_fid_field,
    result_count,
    results_path,
    run_info_for,
)
from .model import (  # noqa: F401
    CHIP_COLUMNS,
    CONFIDENCE_SQL,
    FINAL_CLASS_SQL,
    NO_CONFIDENCE,
    SCOPE_ALL,
    SCOPE_ERRORS,
    SCOPE_NEEDS_REVIEW,
    SCOPES,
    SECOND_SQL,
    SORT_CLASS,
    SORT_CONFIDENCE,
    SORT_FID,
    SORT_SECOND,
    SORTS,
    STATUS_ERROR,
    STATUS_MODEL,
    STATUS_REVIEWED,
    STATUS_TO_REVIEW,
    STATUSES,
    ChipReview,
    FinalClass,
    ReviewCounts,
    ReviewFilter,
    parse_fids,
    review_status,
)
from .session import (  # noqa: F401
    INDEXES,
    ReviewSession,
    final_classes,
)
