"""Reason codes of intake issues: stable identifiers the JSON report and tests rely on.

Row rules declared in :mod:`core.forms` carry their own codes (``RowRule.code``);
everything the pipeline itself finds is one of these.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # the file as a whole (error; the report is "unreadable", exit code 2)
    UNREADABLE = "unreadable"
    FILE_NOT_FOUND = "file_not_found"
    EMPTY_FILE = "empty_file"
    TOO_LARGE = "too_large"
    NOT_A_SPREADSHEET = "not_a_spreadsheet"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"
    SHEET_TOO_LARGE = "sheet_too_large"
    READ_LIMIT = "read_limit"  # the reader went over its memory or CPU limit
    READ_TIMEOUT = "read_timeout"  # the reader did not finish in time
    READ_ABORTED = "read_aborted"  # the reader's process died (an abort in native code)
    # the table (error)
    NO_HEADER = "no_header"
    WRONG_FORM = "wrong_form"  # the headers are another form's
    NO_DATA = "no_data"
    MISSING_HEADER = "missing_header"
    DUPLICATE_HEADER = "duplicate_header"
    # one cell (error)
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE = "not_whole"
    NEGATIVE = "negative"
    IMPLAUSIBLE_COUNT = "implausible_count"  # above MAX_COUNT: a phone number or ID in a count cell
    BAD_CODE = "bad_code"
    BAD_YEAR = "bad_year"
    YEAR_NOT_CONSECUTIVE = "year_not_consecutive"
    BAD_PROVINCE = "bad_province"
    NOT_A_CHOICE = "not_a_choice"
    BAD_DATE = "bad_date"
    PERCENT_RANGE = "percent_out_of_range"
    TOO_LONG = "too_long"
    CONTROL_CHARACTER = "control_character"  # NUL and other invisible control characters
    PERSONAL_DATA = "personal_data"  # a 身份证号 or mobile number in a screening file
    CELL_ERROR_VALUE = "cell_error_value"  # the cell shows #DIV/0!, #N/A … (the formula failed)
    FORMULA_WITHOUT_VALUE = "formula_without_value"  # a formula the file holds no result for
    MERGED_DATA_CELL = "merged_data_cell"  # a blank cell inside a merged range (when not filled)
    # across rows and against what is stored
    DUPLICATE_KEY = "duplicate_key"
    UNKNOWN_INSTITUTION = "unknown_institution"
    OUTSIDE_SCOPE = "outside_scope"  # a row of an institution outside the uploader's limits
    NAME_MISMATCH = "name_mismatch"  # warning
    DUPLICATE_UPLOAD = "duplicate_upload"  # warning
    OTHER_DATA_SHEET = "other_data_sheet"  # warning: another sheet has this form's header and data
    # normalisations (reported, never blocking)
    TEXT_NUMBER = "text_number"  # plain digits stored as text in a workbook
    NUMBER_CLEANED = "number_cleaned"  # separators, spaces or full-width digits removed
    FULL_WIDTH = "full_width"
    YEAR_FORMAT = "year_format"
    PROVINCE_FULL_NAME = "province_full_name"
    SYNONYM = "synonym"
    QUOTE_STYLE = "quote_style"
    DATE_TEXT = "date_text"
    DATE_SERIAL = "date_serial"
    PERCENT_FORMAT = "percent_format"
    HEADER_MATCHED = "header_matched"
    COLUMN_IGNORED = "column_ignored"
    TOTAL_ROW = "total_row_skipped"
    EMPTY_ROWS = "empty_rows_skipped"
    SHEET_CHOSEN = "sheet_chosen"
    FORM_DETECTED = "form_detected"
    MORE_OF_THE_SAME = "more_of_the_same"
    MERGED_CELLS_FILLED = "merged_cells_filled"  # a merged data cell's value given to every row it spans
    EXAMPLE_SHEET_IGNORED = "example_sheet_ignored"  # 填报示例 / 样表 … sheets are not data
    HEADER_COMBINED = "header_combined"  # a two-row header read as sub-header + group (专职 + 辅导员)
    COLUMN_NUMBER_ROW = "column_number_row_skipped"  # 甲 乙 丙 1 2 3 … or a units row under the header
    FLOAT_NOISE = "float_noise"  # 60.000000000000007 read as Excel shows it, 60
