-- diff_duplicate_line: the duplicate lines of the diff's slice (duplicate_billed_line over diff_line; grain:
-- delivery_id × source_file × source_line). Read twice: diff_cell leaves the repeats out of the compared quantity,
-- diff_finding_duplicate reports them.
create or replace temp table diff_duplicate_line as
from duplicate_billed_line_of('diff_line')
